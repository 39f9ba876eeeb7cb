"""The verdict of `make mutation`: every mutant of the scoring and checking code is either killed by a
test or listed, with the reason it cannot change a result, in tests/mutation-equivalents.txt.

Reads the results of the last `mutmut run` (`mutmut results --all true`), prints

    mutants N, killed K, equivalent E, surviving S

and exits 1 when a mutant survived (or was never covered by a test) without being listed, or when a
mutant was not run to the end (not checked, suspicious, segfault). A timeout counts as killed. A listed mutant that is now
killed, or that no longer exists, is reported so the list can be pruned: mutant numbers count the
mutants of one function, so a change to that function renumbers them (docs/mutation.md).

    python -m tests.mutation_report [--only 'generator.compute.x_rule_score*' …] [--show]

--only restricts the verdict to the mutants a `mutmut run PATTERN` ran (the same glob); --show prints
the diff of every unlisted survivor, so the next step (a test, or a line in the list) is at hand.
"""
from __future__ import annotations

import argparse
import fnmatch
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation-equivalents.txt"

KILLED = {"killed", "caught by type check"}
UNCOVERED = {"survived", "no tests"}   # a test must kill it, or the list must say why it cannot


def mutmut() -> str:
    """The mutmut of this interpreter's environment (.venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "mutmut"
    return str(beside) if beside.exists() else (shutil.which("mutmut") or "mutmut")


def results() -> dict[str, str]:
    """mutant name → status, from mutmut's data in mutants/."""
    if not (ROOT / "mutants").is_dir():
        raise SystemExit("no mutants/ directory: run `make mutation` (or `mutmut run`) first")
    out = subprocess.run([mutmut(), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith("generator."):
            found[name] = status
    return found


def equivalents(path: Path = EQUIVALENTS) -> dict[str, str]:
    """name → reason. One mutant a line: its name, then why it cannot change a result; # comments."""
    listed: dict[str, str] = {}
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, _, reason = text.partition(" ")
        if not reason.strip():
            problems.append(f"{path.name}:{number}: {name} has no reason")
        if name in listed:
            problems.append(f"{path.name}:{number}: {name} is listed twice")
        listed[name] = reason.strip()
    if problems:
        raise SystemExit("\n".join(problems))
    return listed


def verdict(status: dict[str, str], listed: dict[str, str], only: list[str] | None = None):
    """(counts, unlisted survivors, unfinished mutants, notes on the list and on timeouts), over the
    mutants whose names match one of the `only` globs when given."""
    if only:
        chosen = lambda name: any(fnmatch.fnmatchcase(name, pattern) for pattern in only)
        status = {k: v for k, v in status.items() if chosen(k)}
        listed = {k: v for k, v in listed.items() if chosen(k)}
    killed = sorted(k for k, v in status.items() if v in KILLED or v == "timeout")
    equivalent = sorted(k for k, v in status.items() if v in UNCOVERED and k in listed)
    surviving = sorted(k for k, v in status.items() if v in UNCOVERED and k not in listed)
    unfinished = sorted(f"{k}: {v}" for k, v in status.items() if v not in KILLED | UNCOVERED | {"timeout"})
    notes = sorted([f"{k}: listed but killed; remove it from the list" for k in listed if status.get(k) in KILLED]
                   + [f"{k}: listed but no such mutant (renumbered? see docs/mutation.md)"
                      for k in listed if k not in status]
                   + [f"{k}: timed out, counted as killed (a mutant that hangs the tests is caught)"
                      for k, v in status.items() if v == "timeout"])
    counts = {"mutants": len(status), "killed": len(killed), "equivalent": len(equivalent),
              "surviving": len(surviving)}
    return counts, surviving, unfinished, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="GLOB",
                        help="the globs given to `mutmut run` (e.g. 'generator.compute.x_rule_score*')")
    parser.add_argument("--show", action="store_true", help="print the diff of every unlisted survivor")
    args = parser.parse_args(argv)
    counts, surviving, unfinished, notes = verdict(results(), equivalents(), args.only)
    for line in notes:
        print(f"note: {line}")
    for line in unfinished:
        print(f"not run to the end: {line}")
    for name in surviving:
        print(f"surviving: {name}  (mutmut show {name})")
        if args.show:
            print(subprocess.run([mutmut(), "show", name], cwd=ROOT, capture_output=True, text=True).stdout)
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    if surviving:
        print(f"{len(surviving)} mutant{'s' if len(surviving) > 1 else ''} survived: kill each with a test, "
              f"or list it with its reason in "
              f"{EQUIVALENTS.relative_to(ROOT)} (docs/mutation.md)")
    return 1 if surviving or unfinished or not counts["mutants"] else 0


if __name__ == "__main__":
    sys.exit(main())
