"""The reviewer's eye: warnings for what a finance bureau questions in a 自评表 beyond its sums.

`review` is one pass after the consistency checks, called by pipeline.evaluate with the source:
unlike a check of (evaluation, figures) these rules depend on where the source lives (a bureau's
advice.yaml beside its sources/ folder; last year's source for W-COPIED). The rules, their
switches, thresholds and word lists are data: generator/advice.yaml (see docs/advice.md).
"""
from __future__ import annotations

from ..compute import Figures
from ..diagnostics import Diagnostic
from ..load import Source
from ..model import Evaluation
from .config import config_for
from .copied import copied
from .rules import RULES, Context


def review(source: Source, ev: Evaluation, fig: Figures) -> tuple[Diagnostic, ...]:
    """Located warnings of every rule switched on, after the bureau file's own problems."""
    config, problems = config_for(source.path)
    c = Context(ev, fig, config)
    found: list[Diagnostic] = []
    for code, rule in RULES.items():
        if config.on(code):
            found.extend(rule(c))
    if config.on("W-COPIED"):
        found.extend(copied(c, source.path))
    return problems + tuple(source.locate(d) for d in found)
