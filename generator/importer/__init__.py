"""Bring an existing report in: a .docx / .xlsx / .xls / .doc 自评表 → source data (issue 11).

readers (docx, xlsx, xls) → matrix.Table → match.read_table → this module completes what a source
needs beyond the table (year, title, outline …, each a recorded guess when not printed) → write
turns it into commented YAML. `check` runs the same import in memory.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from .. import profile
from .. import vocabulary as vocab
from ..compute import fmt_weight
from ..i18n import _, ngettext
from .cells import norm, year_in
from .match import OUTLINE_OF_FORM, Imported, form_labels, read_table, recognise
from .matrix import Contents, ImportProblem, Table

SUFFIXES = (".docx", ".xlsx", ".xls", ".doc")


def _contents(path: Path) -> Contents:
    """The file's tables (and a report's title and paragraphs), by the reader of its format."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportProblem(_("no such file"))
    if suffix == ".docx":
        from . import docx
        return docx.read(path)
    if suffix == ".xlsx":
        from . import xlsx
        return Contents(xlsx.read(path))
    if suffix == ".xls":
        from . import xls
        return Contents(xls.read(path))
    if suffix == ".doc":
        from . import doc
        return doc.read(path)
    raise ImportProblem(_("cannot import a {suffix} file; import a .docx, .doc, .xlsx or .xls").format(suffix=suffix))


def _score_table(tables: list[Table], form: str | None) -> Table:
    """The table that carries the most of a form's labels: the 自评表."""
    if not tables:
        raise ImportProblem(_("the document holds no table, so no 自评表"))
    ranked = sorted(tables, key=lambda t: recognise(t)[1], reverse=True)
    if form is None and recognise(ranked[0])[1] < 0.5:
        raise ImportProblem(_("no 自评表: none of the document's {n} tables carries a form's labels").format(n=len(tables)))
    return ranked[0]


def _year(lines: list[str]) -> int | None:
    """The year of the evaluation: the last one printed (the year line sits nearest the table)."""
    return next((y for y in map(year_in, reversed(lines)) if y), None)


def import_file(path: Path, form: str | None = None, year: int | None = None) -> Imported:
    """The source data of the 自评表 in `path`; ImportProblem when there is none to read."""
    path = Path(path)
    contents = _contents(path)
    table, titles = _score_table(contents.tables, form), contents.titles
    out = read_table(table, form)
    L, data, guess = form_labels(out.form), out.data, out.guesses
    head: dict = {}
    year = year or _year(table.before) or _year(titles)
    if year is None:
        raise ImportProblem(_("no year printed above the table or in the title; give it with --year"))
    head["year"] = year
    placeholder = vocab.vocabulary()["placeholder"]
    stand_ins = {"fund": "project", "department": "unit"}   # printed nearby on forms that lack them
    for key in ("fund", "project", "department", "unit"):
        if key in data:
            head[key] = data.pop(key)
        elif stand_ins.get(key) in data:
            head[key] = data[stand_ins[key]]
            guess[(key,)] = _("not printed on this form: taken from {label}").format(
                label=vocab.field_label((stand_ins[key],)))
        else:
            head[key] = placeholder
            guess[(key,)] = _("not printed on this form: fill it in")
    title = "".join(titles[:1]) or placeholder
    head["title"] = re.sub(r"\s+", "", title)
    if title == placeholder:
        guess[("title",)] = _("no report title in the file: fill it in")
    if len(titles) > 1:
        head["subtitle"] = titles[1].strip()
    attachment = next((m.group(1) for line in table.before
                       if (m := re.fullmatch(re.escape(norm(L["attachment"])) + r"(\d+)", norm(line)))), None)
    if attachment:
        head["attachment"] = int(attachment)
    head["outline"] = OUTLINE_OF_FORM[out.form]
    guess[("outline",)] = _("the outline that usually goes with the {form} form").format(form=out.form)
    head["form"] = out.form
    narrative = _narrative(contents.paragraphs, table, L, head, out)
    if "period" in data:
        head["period"] = data.pop("period")
    body = {k: data[k] for k in ("budget", "goals", "weights", "indicators", "scoring", "published") if k in data}
    if "money" not in L:
        _beside_the_table(contents, table, out.form, body, narrative)
    if "budget" not in body:
        body["budget"] = {"lines": {}}
        guess[("budget",)] = _("this table prints no 项目资金 block: enter the amounts")
    if "money" not in L:
        _fund_management(body, guess)
    goals = {k.removeprefix("goals."): narrative.pop(k) for k in ("goals.expected", "goals.actual") if k in narrative}
    if goals:            # an outline that prints the 绩效目标 as text (the provincial report)
        body.setdefault("goals", goals)
    order = ("budget", "fund_management", "goals", "weights", "indicators", "scoring")
    out.data = {**head, **{k: body[k] for k in order if k in body},
                **({"narrative": narrative} if narrative else {}),
                **({"published": body["published"]} if "published" in body else {})}
    return out


def _narrative(paragraphs: list[tuple[str, str]], table: Table, L: dict, head: dict, out: Imported) -> dict:
    """The report's sections, matched by their headings, from the text before the 自评表 (none for
    a spreadsheet or a table-only document). Sets the outline its headings match."""
    from . import narrative
    # The narrative ends where the attachment starts: its 附件N label, or the table's title or year line.
    starts = {norm(line) for line in table.before if re.fullmatch(re.escape(norm(L["attachment"])) + r"\d+", norm(line))}
    starts = starts or {norm(L[k].format(year=head["year"])) for k in ("title", "subtitle") if L[k]}
    cut = next((i for i, (_style, text) in enumerate(paragraphs) if norm(text) in starts), len(paragraphs))
    paragraphs = paragraphs[:cut]
    outline, hits = narrative.best_outline(paragraphs, head["outline"])
    if hits:
        head["outline"] = outline
        out.guesses[("outline",)] = ngettext("{n} of the report's headings is this outline's",
                                                "{n} of the report's headings are this outline's", hits).format(n=hits)
    texts, unread, placed = narrative.sections(paragraphs, outline)
    for key, heading in placed.items():
        out.guesses[("narrative", key)] = _("the heading '{heading}' is taken for this section by its place in "
                                            "the outline").format(heading=heading)
    for heading in unread:
        out.unread.append(_("the text under the heading '{heading}', which the outline has no place for").format(
            heading=heading))
    sections = [k for k in texts if not k.startswith("goals.")]
    if sections:
        out.read.append(_("正文: {n} sections").format(n=len(sections)))
    return texts


def _beside_the_table(contents: Contents, table: Table, form: str, body: dict, narrative: dict) -> None:
    """A form without a 项目资金 block: the funding lines and the 资金管理 rows from the report's
    own tables (表1-2-1, 表1-2-2), when it has them."""
    from . import tables
    others = [t for t in contents.tables if t is not table]
    found = tables.budget(others, form)
    if found and found[0]:
        body["budget"] = {"lines": found[0]}
        if found[1]:
            body.setdefault("published", {})["execution_rate"] = found[1]
    rows = tables.fund_management(others)
    if rows:
        narrative["fund_management"] = rows


def _fund_management(body: dict, guess: dict) -> None:
    """A form with no 资金管理 rows (附表1) still counts them in the total: its weight is what the
    printed weights leave of the full marks, its score left for the officer."""
    weights = body.get("weights", {})
    P = profile.find(body.get("form", "provincial"))
    rows = sum((weights.get(t, P.default_weight(t)) for t in body.get("indicators", {})), Decimal(0))
    rest = P.rules.full_marks - Decimal(body["budget"].get("weight", P.budget_weight)) - rows
    if rest > 0:
        body["fund_management"] = {"weight": rest}
        guess[("fund_management",)] = _("not printed on this form: its weight is what makes the total {full}; "
                                         "enter its score").format(full=fmt_weight(P.rules.full_marks))
