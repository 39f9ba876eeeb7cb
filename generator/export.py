"""The computed figures exported as plain JSON-ready data (`figures` command): the stable interface
for summaries and tools. compute.Figures is the typed original; this is its printed form."""
from __future__ import annotations

from .compute import Figures, fmt_money, fmt_percent, fmt_score, fmt_weight
from .model import Evaluation


def as_data(ev: Evaluation, fig: Figures) -> dict:
    money = lambda a: {"initial": fmt_money(a.initial), "adjusted": fmt_money(a.adjusted),
                       "executed": fmt_money(a.executed)}
    return {
        "year": ev.year,
        "fund": ev.fund,
        "project": ev.project,
        "budget": money(fig.budget),
        "lines": {label: money(a) for label, a in fig.lines.items()},
        "balance": fmt_money(fig.balance),
        "execution_rate": fmt_percent(fig.execution_rate),
        "budget_weight": fmt_weight(fig.budget_weight),
        "budget_score": fmt_score(fig.budget_score),
        **({"fund_management": {"weight": fmt_weight(fig.management_weight),
                                "score": fmt_score(fig.management_score)}}
           if fig.management_weight is not None else {}),
        "indicators": [
            {"tier1": f.tier1, "tier2": f.tier2, "name": f.name, "weight": fmt_weight(f.weight),
             "score": fmt_score(f.score), "basis": f.basis,
             "achieved": f.achieved}
            for f in fig.indicators],
        "subtotals": [{"tier1": s.tier1, "label_weight": fmt_weight(s.label_weight),
                       "weight": fmt_weight(s.weight), "score": fmt_score(s.score)} for s in fig.subtotals],
        "total": fmt_score(fig.total),
        "grade": fig.grade or "",
    }
