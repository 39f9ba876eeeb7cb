"""Shared helpers: a minimal valid source as YAML text that tests mutate, and ways to run it."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
year: 2024
fund: 测试专项资金
project: 测试项目
department: 测试主管部门
unit: 测试实施单位
title: 2024年度测试专项资金绩效自评报告
outline: short
form: national
budget:
  lines:
    当年财政拨款: {initial: 100, adjusted: 100, executed: 90}
indicators:
  产出指标:
    数量指标:
      - name: 培训人数
        target: ≥100人
        actual: 120人
        weight: 50
  效益指标:
    社会效益指标:
      - name: 营商环境
        target: 企业开办时间≤3个工作日
        actual: 明显提升
        weight: 30
        tier: 达成
  满意度指标:
    服务对象满意度指标:
      - name: 企业满意度
        target: ≥90%
        actual: 95%
        weight: 10
"""

# The first indicator of MINIMAL, for tests that replace it.
FIRST_INDICATOR = """\
      - name: 培训人数
        target: ≥100人
        actual: 120人
        weight: 50
"""
assert FIRST_INDICATOR in MINIMAL


def pytest_configure(config):
    config.addinivalue_line("markers", "chinese: run in-process in Chinese, the officer's default language")


@pytest.fixture(autouse=True)
def english_in_process(request):
    """In-process tests read messages in English, the language of the code: an assertion on a
    message stays true whatever the catalog says. The command line (main, or a subprocess) still
    chooses its own language, Chinese by default, as an officer's does; a test of what a command
    prints in-process without main() is marked `chinese`."""
    from generator import i18n
    i18n.set_language("zh" if request.node.get_closest_marker("chinese") else "en")
    yield
    i18n.set_language()


@pytest.fixture
def write_source(tmp_path):
    """Write YAML text (dedented) to a file and return its path."""
    def write(text: str = MINIMAL, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture
def evaluate(write_source):
    """Evaluate YAML text through the whole pipeline."""
    from generator.pipeline import evaluate as run

    def go(text: str = MINIMAL):
        return run(write_source(text))
    return go


_TALLY = {"inputs": 0, "tracebacks": 0}


def tally(stderr: str) -> None:
    """Count one bad input tried, and whether it produced a traceback (the promise: never)."""
    _TALLY["inputs"] += 1
    _TALLY["tracebacks"] += "Traceback" in stderr or "internal error" in stderr


def pytest_terminal_summary(terminalreporter):
    if _TALLY["inputs"]:
        terminalreporter.write_line(f"bad input: {_TALLY['inputs']} inputs tried, "
                                    f"{_TALLY['tracebacks']} tracebacks")


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def shown(result, code: str | None = None) -> list[str]:
    """Each finding of compute and the checks as `generator check` locates and words it, with the
    severity it is counted under ("error" / "warning" in the closing tally): "15:9 E-REASON error
    培训人数: …". The reviewer's advice (generator.advice, its own tests) is left out unless asked for
    by code: these tests pin the scoring and checking code."""
    from generator.advice.rules import RULES
    advice = set(RULES) | {"W-COPIED"}
    return [f"{d.line}:{d.column} {d.code} {d.severity} {d.message}" for d in result.diagnostics
            if (d.code == code if code is not None else d.code not in advice)]


@pytest.fixture(autouse=True)
def _no_check_cache(monkeypatch):
    """Tests run `check` on sources they write and on code they patch: a result kept by an earlier
    run must not stand in for it. tests/test_cache.py turns the cache on where it is the subject."""
    monkeypatch.setenv("SELFEVAL_CACHE", "off")
