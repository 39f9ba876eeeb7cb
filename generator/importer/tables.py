"""A report's own tables beside the 自评表, for a form that prints no 项目资金 block (附表1):
表1-2-1 (the funding lines with their amounts and 执行率) and 表1-2-2 (the 资金管理 rows).

Both are found by the vocabulary's row names (budget_lines of the form, fund_management_rows) and
their columns by the form's field labels (vocabulary.yaml `fields`), so nothing is spelled here.
"""
from __future__ import annotations

from .. import profile
from .. import vocabulary as vocab
from .cells import norm, number, value_text
from .matrix import Table


def _columns(table: Table, keys: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """(header row, {key: column}) of the first row printing every key's field label."""
    want = {k: norm(vocab.field_label((k,))) for k in keys}
    for r in range(len(table.rows)):
        cols = {k: c for k, label in want.items() for c, cell in table.distinct(r) if norm(cell.text) == label}
        if len(cols) == len(keys):
            return r, cols
    return None


def _rows(table: Table, names: list[str], below: int) -> dict[str, int]:
    """{row name: row} for the rows below `below` whose first cell is one of `names`."""
    wanted = {norm(n): n for n in names}
    return {wanted[norm(table.rows[r][0].text)]: r for r in range(below + 1, len(table.rows))
            if table.rows[r] and norm(table.rows[r][0].text) in wanted}


def budget(tables: list[Table], form: str) -> tuple[dict, str | None] | None:
    """({line: amounts}, the 执行率 printed on the total row) of the report's budget table."""
    names = profile.find(form).budget_lines()
    for table in tables:
        found = _columns(table, ("initial", "adjusted", "executed"))
        rows = _rows(table, names, found[0]) if found else {}
        if not rows:
            continue
        head, cols = found
        lines = {}
        for name in names:
            if name in rows:
                amounts = {k: number(table.rows[rows[name]][c].text) for k, c in cols.items()}
                amounts = {k: v for k, v in amounts.items() if v is not None}
                if amounts:
                    lines[name] = amounts
        rate_col = _columns(table, ("execution_rate",))
        total = next((r for r in range(head + 1, len(table.rows)) if r not in rows.values()), None)
        rate = (value_text(table.rows[total][rate_col[1]["execution_rate"]].text)
                if rate_col and total is not None else None)
        return lines, rate
    return None


def fund_management(tables: list[Table]) -> dict:
    """{资金管理 row: {situation, improvement}} of the report's 资金管理 table, if it has one."""
    names = list(vocab.vocabulary()["fund_management_rows"])
    for table in tables:
        found = _columns(table, ("situation", "improvement"))
        rows = _rows(table, names, found[0]) if found else {}
        if rows:
            return {name: {k: value_text(table.rows[r][c].text, "\n") or "" for k, c in found[1].items()}
                    for name, r in rows.items()}
    return {}
