"""`import FILE`: the command around the importer: arguments, the file written, the summary."""
from __future__ import annotations

import sys
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import _
from .match import importable_forms
from . import import_file
from .check import problem, validated
from .matrix import ImportProblem
from .write import write_source


def add_arguments(parser) -> None:
    parser.add_argument("file")
    parser.add_argument("-o", "--output", help=_("the source to write (default: sources/<year>/<file name>.yaml)"))
    parser.add_argument("--form", choices=importable_forms(),
                        help=_("the 自评表 layout (default: recognised from the table's labels)"))
    parser.add_argument("--year", type=int, help=_("the year evaluated, when the file prints none"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing source"))


def _report(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        print(d.format(), file=sys.stderr)


def main_import(args) -> int:
    """Write the source and print what was read, guessed and not read; 2 and nothing written on bad input."""
    path = Path(args.file)
    try:
        imported = import_file(path, args.form, args.year)
        text, invalid = validated(imported, path)
        if invalid:          # rows that match no form's vocabulary: nothing is written
            _report(invalid)
            return 2
        out = Path(args.output) if args.output else Path("sources") / str(imported.data["year"]) / f"{path.stem}.yaml"
        write_source(text, out, args.force)
    except ImportProblem as e:
        _report([problem(path, e)])
        return 2
    err = sys.stderr
    print(_("read: {what} ({form} form)").format(what="; ".join(imported.read), form=imported.form), file=err)
    print(_("printed figures kept under published: {n}").format(n=imported.printed_figures()), file=err)
    print(_("guessed ({n}, each marked with a comment):").format(n=len(imported.guesses)), file=err)
    for p, why in imported.guesses.items():
        print(f"  {'.'.join(str(k) for k in p)}: {why}", file=err)
    if imported.unread:
        print(_("could not read: {what}").format(what="; ".join(imported.unread)), file=err)
    print(_("wrote {path}").format(path=out), file=err)
    return 0
