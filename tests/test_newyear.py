"""`new-year`: next year's sources from last year's, on copies of the real sources."""
import os
import re
import shutil
from argparse import Namespace
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from generator import newyear
from generator.load import load
from generator.model import walk_values
from generator.newyear import (BUDGET_HINT, CARRY_OVER_HINT, REUSED_MARKER, TODO_MARKER, TODO_TEXT,
                               bump_period, bump_years, main_new_year, new_year, round_trip, todo_count)
from generator.pipeline import evaluate
from generator.vocabulary import placeholder

SOURCES = sorted((ROOT / "sources").glob("*/*.yaml"))
# Each real source rolled over to the next year (2023/enterprise-service → 2024 is the 2023 → 2024 case).
ROLLS = [(int(p.parent.name), p.stem) for p in SOURCES]
RESULTS = {"actual", "tier", "score", "reason", "published_score", "initial", "adjusted", "executed",
           "published", "amount"}


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return tmp_path / "sources"


def roll(root: Path, year: int, slug: str) -> Path:
    report = new_year(root, year, year + 1, only=slug)
    assert report.failed == [] and len(report.created) == 1, report
    return report.created[0]


def comments(text: str) -> Counter:
    """Every comment of a source, full-line or end-of-line (no source value holds ' #')."""
    found = Counter()
    for line in text.splitlines():
        m = re.match(r"\s*(#.*)$", line) or re.search(r"\s(#\s.*)$", line)
        if m:
            found[m.group(1).rstrip()] += 1
    return found


def keys_in(node, path=()):
    """(path, key) of every mapping key in plain data."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k
            yield from keys_in(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from keys_in(v, path + (i,))


def narrative_strings(node, path=()):
    """(path, value) of every scalar of a narrative, titles included (the model's own walker reads
    plain data too)."""
    return walk_values(node, path)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_unchanged_round_trip_is_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    assert round_trip(text) == text


@pytest.mark.parametrize("year,slug", ROLLS)
def test_every_comment_survives(root, year, slug):
    before = comments((root / str(year) / f"{slug}.yaml").read_text(encoding="utf-8"))
    after = comments(roll(root, year, slug).read_text(encoding="utf-8"))
    assert before - after == Counter()
    hints = ("# " + BUDGET_HINT.split("{")[0], "# " + CARRY_OVER_HINT.split("{")[0])
    assert all(c.startswith(hints) for c in after - before), after - before


@pytest.mark.parametrize("year,slug", ROLLS)
def test_year_bumped_and_results_removed(root, year, slug):
    old = load(root / str(year) / f"{slug}.yaml").data
    new = load(roll(root, year, slug)).data
    assert new["year"] == year + 1
    assert new["title"] == old["title"].replace(f"{year}年度", f"{year + 1}年度") != old["title"]
    assert new.get("subtitle") == old.get("subtitle")
    left = [(p, k) for p, k in keys_in(new) if k in RESULTS and (p, k) != (("goals",), "actual")]
    assert left == []
    assert new["goals"] == {"expected": bump_years(old["goals"]["expected"], year, year + 1),
                            "actual": placeholder()}
    if "fund_management" in old:
        assert new["fund_management"] == {"weight": old["fund_management"]["weight"]}
    # structure and settings stay: 一级/二级, names, targets, weights
    for tier1, groups in old["indicators"].items():
        for tier2, entries in groups.items():
            for before, after in zip(entries, new["indicators"][tier1][tier2], strict=True):
                kept = {k: v for k, v in before.items() if k not in RESULTS}
                if "members" in kept:
                    kept["members"] = [{k: v for k, v in m.items() if k != "actual"} for m in kept["members"]]
                assert after == kept
    for key in ("weights", "scoring", "outline", "form", "attachment", "fund", "project", "unit", "department"):
        assert new.get(key) == old.get(key)


@pytest.mark.parametrize("year,slug", ROLLS)
def test_last_years_budget_is_a_hint(root, year, slug):
    old = load(root / str(year) / f"{slug}.yaml").data
    text = roll(root, year, slug).read_text(encoding="utf-8")
    balance = evaluate(root / str(year) / f"{slug}.yaml").figures.balance
    for label, amounts in old["budget"]["lines"].items():
        hint = BUDGET_HINT.format(amount=format(amounts["adjusted"], "f"))
        if label == "上年结转资金":  # what carries over is last year's 结余, not that row's budget
            hint = CARRY_OVER_HINT.format(amount=format(balance, "f"))
        assert f"    {label}: {{}}  # {hint}\n" in text
    assert "上年全年预算数 193.00万元" in text or slug != "enterprise-service"  # written as typed


@pytest.mark.parametrize("year,slug", ROLLS)
def test_narrative_keeps_headings_and_marks_texts(root, year, slug):
    old = load(root / str(year) / f"{slug}.yaml").data["narrative"]
    path = roll(root, year, slug)
    new = load(path).data["narrative"]
    todo = TODO_TEXT.format(year=year + 1)
    titles = lambda n: [(p, v) for p, v in narrative_strings(n) if p[-1] == "title"]  # noqa: E731
    assert titles(new) == [(p, bump_years(v, year, year + 1)) for p, v in titles(old)]
    reused = {"method", "process"} if load(path).data["outline"] == "reference" else set()
    texts = [v.strip() for p, v in narrative_strings(new) if p[-1] != "title" and p[0] not in reused]
    assert texts and set(texts) == {todo}
    assert todo_count(path.read_text(encoding="utf-8")) == len(texts)
    for section in reused & set(new):  # kept word for word, under one marker
        kept = [v for p, v in narrative_strings(new[section]) if p[-1:] != ("title",)]
        assert kept[0].startswith(REUSED_MARKER)
        assert [v.removeprefix(REUSED_MARKER).strip() for v in kept] == \
            [v.strip() for p, v in narrative_strings(old[section]) if p[-1:] != ("title",)]


def test_second_run_changes_nothing_and_force_rewrites(root):
    first = new_year(root, 2022, 2023)
    assert [p.name for p in first.created] == ["enterprise-association.yaml", "enterprise-service-center.yaml"]
    assert first.skipped == [] and first.failed == []
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    again = new_year(root, 2022, 2023)
    assert again.created == [] and again.failed == []
    assert sorted(again.skipped) == sorted(first.created)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot

    target = first.created[0]
    target.write_text("year: 2023  # half-filled by hand\n", encoding="utf-8")
    forced = new_year(root, 2022, 2023, force=True)
    assert forced.created == first.created
    assert target.read_bytes() == snapshot[target]


@pytest.mark.chinese
def test_only_does_one_fund(root, capsys):
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2023, only="enterprise-association")) == 0
    assert sorted(p.name for p in (root / "2023").iterdir()) == ["enterprise-association.yaml",
                                                                   "enterprise-service.yaml"]
    assert capsys.readouterr().out.startswith(f"已创建 {root / '2023' / 'enterprise-association.yaml'}\n")
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2023, only="enterprise-association")) == 0
    assert "已跳过" in capsys.readouterr().out


@pytest.mark.chinese
def test_unknown_slug_and_missing_year_are_messages(root, capsys):
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2023, only="nope")) == 2
    assert "nope.yaml: 没有这个源文件" in capsys.readouterr().err
    assert main_new_year(Namespace(root=root, from_year=2019, to_year=2020)) == 2
    assert "没有 2019 年度的源文件" in capsys.readouterr().err
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2022)) == 2
    assert "必须晚于" in capsys.readouterr().err
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2023, only="../2020/warm-enterprise")) == 2
    assert not (root / "2023" / "warm-enterprise.yaml").exists()


def test_an_unreadable_source_is_reported_and_the_others_roll_over(root, capsys):
    (root / "2022" / "broken.yaml").write_text("year: 2022\ntitle: [unclosed\n", encoding="utf-8")
    report = new_year(root, 2022, 2023)
    assert [p.name for p in report.created] == ["enterprise-association.yaml", "enterprise-service-center.yaml"]
    assert [(p.name, "E-YAML" in m) for p, m in report.failed] == [("broken.yaml", True)]
    assert not (root / "2023" / "broken.yaml").exists()
    assert main_new_year(Namespace(root=root, from_year=2022, to_year=2023, force=True)) == 2
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "Traceback" not in err


@pytest.mark.chinese
def test_read_only_target_folder_is_a_message(root, capsys, monkeypatch):
    target = root / "2021"
    target.mkdir()
    target.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anyway: make the write itself refuse, as a read-only folder does
            def refuse(*args, **kwargs):
                raise PermissionError(13, "Permission denied")
            monkeypatch.setattr("generator.write.tempfile.mkstemp", refuse)
        assert main_new_year(Namespace(root=root, from_year=2020, to_year=2021)) == 2
    finally:
        target.chmod(0o755)
    err = capsys.readouterr().err
    assert "无法写入文件：Permission denied" in err and "Traceback" not in err
    assert list(target.iterdir()) == []  # no half-written source, no temporary file left


@pytest.mark.parametrize("year,slug", ROLLS)
def test_rolled_over_sources_load_validate_and_are_only_unfilled(root, year, slug):
    original = {d.code for d in evaluate(root / str(year) / f"{slug}.yaml").diagnostics}
    found = evaluate(roll(root, year, slug)).diagnostics
    codes = {d.code for d in found}
    assert {"W-UNFILLED", "W-TODO"} <= codes
    # Anything else was already in last year's source (2020/it-integration's E-WEIGHT seed error),
    # or is the one reminder of the sections kept from last year.
    assert codes - {"W-UNFILLED", "W-TODO", "W-REUSED"} <= original
    assert sum(d.code == "W-REUSED" for d in found) == (year == 2020)
    assert all(d.message in ("全年预算数 is not yet filled", "实际完成值 is not yet filled", "资金管理得分 is not yet filled",
                             "实际完成情况 is not yet filled")
               for d in found if d.code == "W-UNFILLED")
    assert any(d.message == "实际完成情况 is not yet filled" and d.line is not None for d in found)  # goals.actual, emptied


def test_comments_on_removed_lines_are_kept():
    text = """\
year: 2022
title: 2022年度测试
budget:
  lines:
    当年财政拨款:   # the row
      initial: 1    # 年初
      adjusted: 2.50
      executed: 3
    # after the row
indicators:
  产出指标:
    数量指标:
      - name: a
        target: 明显提升
        actual: 明显提升   # said so
        weight: 5
        tier: 达成
        reason: |
          why
        # after a block
      - weight: 20
        score: 20  # merged cell
        members:
          - {name: m, actual: x}
narrative:
  other: 无
# before published
published:   # printed
  # inside
  total: 9  # the total
"""
    out = newyear.roll_over(text, 2022, 2023)
    assert comments(text) - comments(out) == Counter()
    assert "    当年财政拨款: {}  # 上年全年预算数 2.50万元\n    # the row\n      # 年初\n    # after the row\n" in out
    assert "        target: 明显提升\n        # said so\n        weight: 5\n        # after a block\n" in out
    assert out.endswith('  other: "TODO: 填写2023年度情况"\n# before published\n# printed\n  # inside\n# the total\n')


def test_rolling_a_rolled_over_source_only_moves_the_year(root):
    """A fund left unfilled for a year rolls over again without piling up markers or hints."""
    once = roll(root, 2022, "enterprise-service-center").read_text(encoding="utf-8")
    twice = roll(root, 2023, "enterprise-service-center").read_text(encoding="utf-8")
    assert twice == once.replace("2023", "2024")


def test_todo_count_counts_values_not_comments():
    assert todo_count(f"a: \"{TODO_TEXT.format(year=2023)}\"  # {TODO_MARKER} later\nb: [TODO, x]\n") == 2
    assert todo_count("a: done\n") == 0
    assert todo_count("a: [TODO\n") == 1  # unreadable: counted in the raw text


def test_locked_rollover_of_the_enterprise_association(root, file_regression):
    path = roll(root, 2022, "enterprise-association")
    file_regression.check(path.read_text(encoding="utf-8"), encoding="utf-8", extension=".yaml",
                          basename="2023-enterprise-association")


def test_amounts_written_as_typed_survive_as_hints(root):
    text = roll(root, 2023, "enterprise-service").read_text(encoding="utf-8")
    assert load(root / "2023" / "enterprise-service.yaml").data["budget"]["lines"]["政府预算资金"]["adjusted"] \
        == Decimal("193.00")
    assert "政府预算资金: {}  # 上年全年预算数 193.00万元" in text


def test_only_the_evaluated_year_moves_on():
    assert bump_years("2023年度专项资金，较2021年增长", 2023, 2024) == "2024年度专项资金，较2021年增长"
    assert bump_years("20230年", 2023, 2024) == "20230年"           # not a year
    assert bump_period("2023年1月—2023年12月", 2023, 2024) == "2024年1月—2024年12月"
    assert bump_period("2022年1月—2025年12月", 2023, 2024) == "2022年1月—2025年12月"  # multi-year: stays
    assert bump_period("2023-2025年", 2023, 2024) == "2023-2025年"


@pytest.mark.chinese
def test_period_goals_and_headings_move_on_and_each_change_is_reported(root, capsys):
    path = root / "2020" / "warm-enterprise.yaml"
    text = path.read_text(encoding="utf-8").replace("form: city2020\n", "form: city2020\nperiod: 2020年1月—2020年12月\n")
    text = text.replace("  process: |\n", "  process: |\n    2020年度的工作过程。\n", 1)
    path.write_text(text, encoding="utf-8")
    assert main_new_year(Namespace(root=root, from_year=2020, to_year=2021, only="warm-enterprise")) == 0
    out = capsys.readouterr().out
    new = (root / "2021" / "warm-enterprise.yaml").read_text(encoding="utf-8").splitlines()
    reported = re.findall(r"^  \S+warm-enterprise.yaml:(\d+): (.*)$", out, re.M)
    by_what = {re.split("[:：]", what)[0]: int(line) for line, what in reported}
    assert new[by_what["项目总实施期"] - 1] == "period: 2021年1月—2021年12月"
    assert new[by_what["报告标题"] - 1].startswith("title: 2021年度")
    assert "2020年度的工作过程" in "\n".join(new)   # a reused section is kept as written, under its marker
    reused = [int(line) for line, what in reported if "method" in what or "process" in what]
    assert len(reused) == 2 and all(REUSED_MARKER in new[n - 1] for n in reused)
    flagged = [int(line) for line, what in reported if "上年的数字" in what]
    assert flagged and all(re.search(r"#.*(\d+(\.\d+)?\s*(万元|%|分)|2020)", new[n - 1]) for n in flagged)
    assert not any("上年全年预算数" in new[n - 1].split("#", 1)[-1][:10] for n in flagged)  # its own hints are not


def test_carry_over_row_shows_last_years_balance(root):
    text = roll(root, 2020, "it-integration").read_text(encoding="utf-8")
    balance = evaluate(root / "2020" / "it-integration.yaml").figures.balance
    assert balance == Decimal("92")
    assert "    上年结转资金: {}  # 上年结余 92万元" in text
    assert "上年全年预算数 0万元" in text   # 其他资金 keeps its own hint


def test_reused_sections_are_reported_once(root, capsys):
    path = roll(root, 2020, "warm-enterprise")
    found = [d for d in evaluate(path).diagnostics if d.code == "W-REUSED"]
    assert len(found) == 1 and "绩效评价工作过程" in found[0].message and found[0].line
    path.write_text(path.read_text(encoding="utf-8").replace(REUSED_MARKER, ""), encoding="utf-8")
    assert not [d for d in evaluate(path).diagnostics if d.code == "W-REUSED"]


def test_unspent_money_gets_a_carry_over_row_when_last_year_had_none(root):
    """2022's 企业服务中心 left 7.97万元 unspent and printed no 上年结转资金 row: 2023 needs one."""
    assert "上年结转资金" not in load(root / "2022" / "enterprise-service-center.yaml").data["budget"]["lines"]
    path = roll(root, 2022, "enterprise-service-center")
    assert list(load(path).data["budget"]["lines"]) == ["当年财政拨款", "上年结转资金"]   # the form's order
    assert "    上年结转资金: {}  # 上年结余 7.97万元" in path.read_text(encoding="utf-8")
    # nothing was left over in the 企协 fund: no row added
    assert list(load(roll(root, 2022, "enterprise-association")).data["budget"]["lines"]) == ["当年财政拨款"]
