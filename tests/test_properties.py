"""Property tests: for any evaluation we can generate, the document's table says what `figures`
says; for any single mutation of a valid source, the user gets a document or a located message,
never a traceback."""
from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, tally
from generator.build import build_one, output_stem
from generator.cli import main
from generator.export import as_data
from generator.pipeline import evaluate

SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

money = st.decimals(min_value=Decimal("1"), max_value=Decimal("9999.99"), places=2)


@st.composite
def evaluations(draw) -> str:
    adjusted = draw(money)
    executed = draw(st.decimals(min_value=Decimal(0), max_value=adjusted * Decimal("1.1"), places=2))
    rows, labels = [], {}
    for tier1, tier2 in (("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")):
        items = []
        for i in range(draw(st.integers(1, 4))):
            weight = draw(st.integers(1, 7))      # at most 84 points: the budget takes the rest of 100
            target = draw(st.integers(1, 1000))
            actual = draw(st.integers(0, 1500))
            items.append(f"      - {{name: {tier1[:2]}{i}, target: ≥{target}人, actual: {actual}人, weight: {weight}, "
                         f"reason: 说明。}}\n")
            labels[tier1] = labels.get(tier1, 0) + weight
        rows.append(f"  {tier1}:\n    {tier2}:\n" + "".join(items))
    head = MINIMAL[: MINIMAL.index("budget:")]
    weights = ", ".join(f"{k}: {v}" for k, v in labels.items())
    budget_weight = 100 - sum(labels.values())   # a gradable table: the weights add up to 100
    return (head + f"budget:\n  weight: {budget_weight}\n  lines:\n    当年财政拨款: {{adjusted: {adjusted}, executed: {executed}}}\n"
            f"weights: {{{weights}}}\nindicators:\n" + "".join(rows))


def table_figures(docx: bytes) -> dict:
    """The figures of the 自评表: its rows in the document's tables (the indicator block is a table
    of its own, its 绩效指标 label in the heading row and blank below)."""
    out = {"indicators": {}}
    for row in (row for table in Document(io.BytesIO(docx)).tables for row in table.rows):
        cells = [c.text for c in row.cells]
        if cells[1] == "年度资金总额":
            out["execution_rate"], out["budget_score"] = cells[7], cells[8]
        elif cells[0] == "总分":
            out["total"], out["grade"] = cells[7], cells[8].removeprefix("等级：")
        elif cells[0] in ("绩效指标", "") and cells[3] and cells[3] != "三级指标":
            out["indicators"][cells[3]] = cells[7]
    return out


@SLOW
@given(evaluations())
def test_document_table_equals_figures(tmp_path, text):
    src = tmp_path / "2024" / "generated.yaml"
    src.parent.mkdir(exist_ok=True)
    src.write_text(text, encoding="utf-8")
    assert build_one(src, tmp_path / "out", ).status == "built"
    docx = output_stem(src, tmp_path / "out").with_suffix(".docx").read_bytes()
    r = evaluate(src)
    data = as_data(r.evaluation, r.figures)
    got = table_figures(docx)
    assert (got["execution_rate"], got["budget_score"], got["total"], got["grade"]) == (
        data["execution_rate"], data["budget_score"], data["total"], data["grade"])
    assert got["indicators"] == {i["name"]: i["score"] for i in data["indicators"]}


LINES = MINIMAL.splitlines(keepends=True)
NOISE = st.text(alphabet=st.sampled_from(list("：:{}[]-#'\"\t 0123456789.%≥≤》中文字&<>!*|\\\n") + ["\x07", "𠀀", "😀"]),
                max_size=12)


@st.composite
def mutations(draw) -> str:
    lines = list(LINES)
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "insert", "replace-value", "indent", "dedent"]))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "insert":
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(NOISE) + lines[i][at:]
    elif kind == "replace-value" and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {draw(NOISE)}\n"
    elif kind == "indent":
        lines[i] = "  " + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations())
def test_any_single_mutation_gives_a_document_or_a_message(tmp_path, capsys, text):
    src = tmp_path / "2024" / "mutated.yaml"
    src.parent.mkdir(exist_ok=True)
    src.write_text(text, encoding="utf-8")
    status = main(["build", "--force", "--strict", str(src), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    tally(err)
    assert "Traceback" not in err and "internal error" not in err, err
    target = output_stem(src, tmp_path / "out").with_suffix(".docx")
    if status == 0:
        assert target.read_bytes().startswith(b"PK")
    else:
        assert status == 2 and f"{src}:" in err, err   # located in the file
