"""Diagnostics: the one shape every problem takes, from a YAML typo to a wrong 总分.

A diagnostic points into the source by a *data path* (the keys and indexes that lead to the
value); only the CLI, which holds the file's position map, turns that into line:column. This keeps
`compute` pure and unaware of files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"

# What a diagnostic is about. The document we build prints computed figures, so a figure that an
# *earlier, printed* report got wrong says nothing against it: such findings never stop a build.
DOCUMENT = "document"
PUBLISHED = "published"
REVIEW_RULES = "review rules"   # a bureau's advice.yaml: the shipped rules are used instead

DataPath = tuple  # of str | int


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    path: DataPath = ()
    # Set when the problem is the key itself (unknown key) rather than its value.
    at_key: bool = False
    # Resolved by `locate` for output; None until then.
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    # Lines below the start of the value (a template error inside a multi-line narrative text).
    line_offset: int = 0
    about: str = DOCUMENT
    # Where in a document's 自评表 the figure is printed, for a document checked directly (`check
    # FILE.docx`): its 1-based table row and the form's column label. Used instead of line:column.
    cell: tuple[int, str] | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def blocks_document(self) -> bool:
        """An error in the document's own content: no document is built from it but a draft."""
        return self.is_error and self.about == DOCUMENT

    def format(self) -> str:
        where = str(self.file) if self.file is not None else "<source>"
        from .i18n import _
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        elif self.cell is not None:
            where += ": " + _("score table row {row} {column}").format(row=self.cell[0], column=self.cell[1]).rstrip()
        severity = "" if self.is_error else _("warning: ")
        return f"{where}: {self.code} {severity}{self.message}"

@dataclass
class SourceError(Exception):
    """Raised when a source cannot become a model; carries every problem found, not just the first."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def worst_exit(diagnostics: list[Diagnostic], strict: bool = False) -> int:
    if any(d.is_error for d in diagnostics):
        return 2
    if strict and diagnostics:
        return 1
    return 0
