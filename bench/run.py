"""How fast a city's whole year rebuilds, side by side with pandoc alone.

    python -m bench.run [--quick] [--keep] [--budget SECONDS]

Generates N synthetic evaluations (bench.synth; the set of 100 is the first 100 of the 1000), then
measures, each as the median wall-clock time of several repetitions in fresh processes:

  a. one evaluation built by a cold process (`python -m generator build ONE.yaml --out TMP
     --force`: what `make build FUND=…` runs);
  b. N evaluations built by the batch build (`python -m generator build DIR --out TMP --force`:
     one process that spreads them over a worker per core) and by `make -j2 reports SRC=DIR
     OUT=TMP` (one rule hands every stale report to one such process);
  c. the floor: the pandoc binary alone converting the same N Markdown narratives (made untimed
     with generator.render.narrative.markdown) to docx with our reference docx, one process per
     document as the build runs it, plus the cost of starting pandoc at all;
  d. `python -m generator check DIR`, every source checked (SELFEVAL_CACHE=off), and again with the
     sources unchanged (the check cache warmed by one untimed run);
  e. a no-op `make reports SRC=DIR OUT=TMP` after a full build (and the same no-op without make);
  f. `import` of a report and of a folder of them, when the checkout has an `import` command.

--large (make bench LARGE=1) adds N=10,000 for d and e: its outputs for e are the N=1000 ones
linked under the other names (building 10,000 would take most of an hour).

Peak memory is the largest ru_maxrss of a measured process tree (os.wait4: the child and the
descendants it waited for; for make -j2 that is the largest single process, not the sum of two).
The table goes to stdout and build/bench/results.md with the date, machine and CPU.

The full run must finish in under 10 minutes on a 2-core machine, including `make`'s first-time
install; --budget (default 420 s of measuring) bounds the extra repetitions and skips the
optional N=1000 `make -j2` build when its estimate (10 × the N=100 time) does not fit. What was
reduced is stated in the results. --quick runs N=10 and N=100 once each, for a smoke test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import synth

REPO = Path(__file__).resolve().parent.parent
MARKDOWN_CHUNK = 25


# -- running and timing processes --------------------------------------------------------------------

class Failed(RuntimeError):
    pass


# The measured processes are started by a small launcher process rather than by this one: on
# Linux a child's ru_maxrss starts at its parent's RSS when it execs, and this process holds the
# generator and the sources; the launcher (python -I -S, a few MB) keeps the peaks honest.
_LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["stderr"], "wb") as err, open(job["stdin"] or os.devnull, "rb") as inp:
        start = time.perf_counter()
        p = subprocess.Popen(job["cmd"], cwd=job["cwd"], stdin=inp, stdout=subprocess.DEVNULL, stderr=err,
                             env={**os.environ, **job["env"]})
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps([seconds, usage.ru_maxrss, p.returncode]), flush=True)
"""
_launcher: subprocess.Popen | None = None


def run(cmd: list[str], cwd: Path, stdin: Path | None = None, check: bool = True,
        env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run `cmd` (stdin from a file, `env` added to the environment); (wall seconds, peak RSS in KiB
    of its process tree). Output is discarded unless it fails, when its stderr is shown."""
    global _launcher
    if _launcher is None or _launcher.poll() is not None:
        _launcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
    with tempfile.NamedTemporaryFile(prefix="bench-stderr-") as err:
        job = {"cmd": [str(c) for c in cmd], "cwd": str(cwd), "stdin": str(stdin) if stdin else None,
               "stderr": err.name, "env": env or {}}
        _launcher.stdin.write(json.dumps(job) + "\n")
        _launcher.stdin.flush()
        seconds, rss, status = json.loads(_launcher.stdout.readline())
        if check and status != 0:
            tail = Path(err.name).read_text(encoding="utf-8", errors="replace")[-2000:]
            raise Failed(f"{' '.join(map(str, cmd))} exited {status}:\n{tail}")
    return seconds, rss


@dataclass
class Row:
    key: str                       # what is measured
    n: int                         # evaluations per repetition
    label: str
    times: list[float] = field(default_factory=list)
    rss_kib: int = 0
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def per_eval_ms(self) -> float | None:
        return None if self.median is None else self.median / self.n * 1000


class Bench:
    def __init__(self, root: Path, out: Path, sizes: tuple[int, int], budget: float, quick: bool,
                 large: int | None = None):
        self.root, self.out, self.sizes, self.budget, self.quick = root, out, sizes, budget, quick
        self.large = large
        self.work = out / "work"
        self.py = str(root / ".venv" / "bin" / "python") if (root / ".venv").exists() else sys.executable
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.started = time.perf_counter()
        import pypandoc
        self.pandoc = pypandoc.get_pandoc_path()

    # paths, relative to the repository as make is run there
    def rel(self, p: Path) -> str:
        try:
            return str(p.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(p.resolve())

    def src(self, n: int) -> Path:
        return self.work / "src" / f"n{n}"

    def dest(self, what: str, n: int) -> Path:
        return self.work / "out" / f"{what}-n{n}"

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return self.budget - self.elapsed()

    def row(self, key: str, n: int, label: str) -> Row:
        r = Row(key, n, label)
        self.rows.append(r)
        return r

    def measure(self, row: Row, once, reps: int, reserve: float = 0.0, prepare=None) -> Row:
        """Up to `reps` repetitions of `once()` → (seconds, rss); after the first, only while the
        next one (estimated by the slowest so far) leaves `reserve` seconds of the budget."""
        for i in range(reps):
            if i and max(row.times) > self.left() - reserve:
                row.note = row.note or f"{i} of {reps} repetitions (time budget)"
                break
            if prepare:
                prepare()
            seconds, rss = once()
            row.times.append(seconds)
            row.rss_kib = max(row.rss_kib, rss)
        print(f"  {row.label:<52} N={row.n:<5} {len(row.times)}× median {row.median:8.3f} s"
              f"  {row.per_eval_ms:9.1f} ms/eval  peak {row.rss_kib / 1024:6.0f} MB", flush=True)
        return row

    # -- preparation (untimed) ------------------------------------------------------------------------
    def prepare(self) -> None:
        big = max(self.sizes)
        print(f"writing {big} synthetic sources …", flush=True)
        synth.write_sources(self.src(big), big)
        for n in (*self.sizes, *([self.large] if self.large else [])):
            if n != big:
                synth.write_sources(self.src(n), n)
        print("writing the Markdown narratives and the reference docx for the pandoc floor …", flush=True)
        from generator.render.reference import reference_docx
        self.reference = self.work / "reference.docx"
        self.reference.write_bytes(reference_docx())
        sources = sorted((self.src(big)).rglob("*.yaml"))
        self.markdown_dir = self.work / "markdown"
        self.markdown_dir.mkdir(parents=True, exist_ok=True)
        chunks = [[str(p) for p in sources[i:i + MARKDOWN_CHUNK]] for i in range(0, len(sources), MARKDOWN_CHUNK)]
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for texts in pool.map(_markdowns, chunks):
                for name, text in texts:
                    (self.markdown_dir / f"{name}.md").write_text(text, encoding="utf-8")
        self.markdowns = sorted(self.markdown_dir.glob("*.md"))
        # warm the caches a cold checkout lacks (.pyc files, the pandoc binary in the page cache)
        run([self.py, "-m", "generator", "build", self.rel(sources[0]), "--out", self.rel(self.dest("warm", 1)),
             "--force"], self.root)
        run([self.pandoc, "--version"], self.root)

    # -- the measurements ------------------------------------------------------------------------------
    def pandoc_start(self) -> None:
        self.measure(self.row("pandoc-start", 1, "pandoc process start (pandoc --version)"),
                     lambda: run([self.pandoc, "--version"], self.root), 1 if self.quick else 20)
        empty = self.work / "empty.docx"
        self.measure(self.row("pandoc-empty", 1, "pandoc: empty Markdown → docx with our reference"),
                     lambda: run(self._pandoc_args(empty), self.root, stdin=Path(os.devnull)), 1 if self.quick else 10)

    def _pandoc_args(self, out: Path) -> list[str]:
        from generator.render.pandoc import MARKDOWN
        return [self.pandoc, f"--from={MARKDOWN}", "--to=docx", f"--output={out}",
                f"--reference-doc={self.reference}"]

    def pandoc_floor(self, n: int, reps: int, reserve: float = 0.0) -> Row:
        """One pandoc process per document, in sequence, as the batch build runs them."""
        out = self.dest("pandoc", n)
        docs = self.markdowns[:n]
        def once():
            out.mkdir(parents=True, exist_ok=True)
            total, rss = 0.0, 0
            for md in docs:
                seconds, peak = run(self._pandoc_args(out / f"{md.stem}.docx"), self.root, stdin=md)
                total += seconds
                rss = max(rss, peak)
            return total, rss
        return self.measure(self.row("floor", n, "c. pandoc floor: 1 process per document"), once, reps,
                            reserve, prepare=lambda: shutil.rmtree(out, ignore_errors=True))

    def pandoc_one_process(self, n: int, reps: int, reserve: float = 0.0) -> Row:
        """The same N conversions in one `pandoc lua` process, as the batch build now runs them
        (generator.render.pandoc's server, fed the requests from a file)."""
        from generator.render.pandoc import _SERVER
        requests = self.work / f"requests-{n}.bin"
        ref = os.fsencode(self.reference)
        with open(requests, "wb") as f:
            for md in self.markdowns[:n]:
                data = md.read_bytes()
                f.write(b"%d %d\n" % (len(ref), len(data)) + ref + data)
        return self.measure(self.row("floor1", n, "c. pandoc floor: 1 process for all (pandoc lua)"),
                            lambda: run([self.pandoc, "lua", "-e", _SERVER], self.root, stdin=requests),
                            reps, reserve)

    def cold_one(self, reps: int) -> None:
        source = self._typical_source()
        out = self.dest("one", 1)
        row = self.row("one", 1, "a. one evaluation, cold process")
        row.note = f"{source.name}, {synth.text_bytes_of(source) / 1024:.1f} KB narrative (the median of the N=100 set)"
        self.measure(row, lambda: run([self.py, "-m", "generator", "build", self.rel(source), "--out",
                                       self.rel(out), "--force"], self.root), reps)
        self.measure(self.row("interpreter", 1, "   (python -m generator --help: interpreter + CLI)"),
                     lambda: run([self.py, "-m", "generator", "--help"], self.root), reps)

    def _typical_source(self) -> Path:
        sources = sorted(self.src(min(self.sizes)).rglob("*.yaml"))
        sized = sorted(sources, key=lambda p: (synth.text_bytes_of(p), p.name))
        return sized[len(sized) // 2]

    def batch(self, n: int, reps: int, reserve: float = 0.0) -> Row:
        out = self.dest("batch", n)
        return self.measure(self.row("batch", n, "b. batch build (a worker per core)"),
                            lambda: run([self.py, "-m", "generator", "build", self.rel(self.src(n)), "--out",
                                         self.rel(out), "--force"], self.root),
                            reps, reserve, prepare=lambda: shutil.rmtree(out, ignore_errors=True))

    def make_j2(self, n: int, reps: int, reserve: float = 0.0) -> Row:
        out = self.dest("make", n)
        return self.measure(self.row("make", n, "b. make -j2 reports (one process for the stale ones)"),
                            lambda: run(["make", "-s", "-j2", "reports", f"SRC={self.rel(self.src(n))}",
                                         f"OUT={self.rel(out)}"], self.root),
                            reps, reserve, prepare=lambda: shutil.rmtree(out, ignore_errors=True))

    def check(self, n: int, reps: int, reserve: float = 0.0) -> Row:
        """Every source checked (the cache off: what a first run or an edited set costs), then the
        same sources unchanged, answered from a cache warmed by one untimed run."""
        cmd = [self.py, "-m", "generator", "check", self.rel(self.src(n))]
        row = self.measure(self.row("check", n, "d. check (every source checked)"),
                           lambda: run(cmd, self.root, env={"SELFEVAL_CACHE": "off"}), reps, reserve)
        warm = {"SELFEVAL_CACHE": str(self.work / f"cache-{n}")}
        run(cmd, self.root, env=warm)
        self.measure(self.row("check-cached", n, "   check again, sources unchanged (build/.cache)"),
                     lambda: run(cmd, self.root, env=warm), reps)
        return row

    def noop(self, n: int, reps: int) -> None:
        """After the batch build: make finds nothing to do (checked first with make -q)."""
        out = self.dest("batch", n)
        args = ["reports", f"SRC={self.rel(self.src(n))}", f"OUT={self.rel(out)}"]
        if n == self.large:
            self._copy_outputs(n, out)
        elif not list(out.rglob("*.docx")):
            run([self.py, "-m", "generator", "build", self.rel(self.src(n)), "--out", self.rel(out), "--force"],
                self.root)
        run(["make", "-s", *args], self.root)     # untimed: make's stamp (a batch build writes none)
        status = subprocess.run(["make", "-q", *args], cwd=self.root, capture_output=True).returncode
        row = self.row("noop", n, "e. no-op make reports after a full build")
        if status != 0:
            row.note = "make -q says something is out of date: this is not a no-op"
        self.measure(row, lambda: run(["make", "-s", *args], self.root), reps)
        self.measure(self.row("noop-py", n, "   no-op python -m generator build (no --force)"),
                     lambda: run([self.py, "-m", "generator", "build", self.rel(self.src(n)), "--out",
                                  self.rel(out)], self.root), reps)

    def _copy_outputs(self, n: int, out: Path) -> None:
        """The outputs of N=large without building them all (~10 minutes): the N=big outputs,
        linked under every other source's name with its own .d rule. A no-op build reads only
        their existence, their times and the .d files, so it does the same work as after a build."""
        built = sorted(self.dest("batch", max(self.sizes)).rglob("*.docx"))
        sources = sorted(self.src(n).rglob("*.yaml"))
        for i, source in enumerate(sources):
            model = built[i % len(built)]
            stem = out / source.parent.name / source.stem
            stem.parent.mkdir(parents=True, exist_ok=True)
            for suffix in (".docx", ".xlsx"):
                target = stem.with_suffix(suffix)
                target.unlink(missing_ok=True)
                try:
                    os.link(model.with_suffix(suffix), target)     # 10,000 copies would be 250 MB
                except OSError:
                    shutil.copy2(model.with_suffix(suffix), target)
            deps = model.with_suffix(".d").read_text(encoding="utf-8").split(":", 1)[1]
            stem.with_suffix(".d").write_text(f"{self.rel(stem.with_suffix('.docx'))}:{deps}", encoding="utf-8")

    def import_reports(self, n: int) -> None:
        """`import` of a report and of a year's folder of them (the batch build's), when this checkout
        has the command. The folder imported holds the batch's .docx, hard-linked (untimed): the build's
        own folder has each report's .xlsx beside it, which `import` refuses as a second report of
        the same source name, and its .d files."""
        probe = subprocess.run([self.py, "-m", "generator", "import", "--help"], cwd=self.root, capture_output=True)
        if probe.returncode != 0:
            self.notes.append("import: this checkout has no `import` command; not measured.")
            return
        reports = self.work / "reports" / f"n{n}" / str(synth.YEAR)
        shutil.rmtree(reports.parent, ignore_errors=True)
        reports.mkdir(parents=True)
        for docx in sorted((self.dest("batch", n) / str(synth.YEAR)).glob("*.docx")):
            try:
                os.link(docx, reports / docx.name)
            except OSError:
                shutil.copy(docx, reports / docx.name)
        one, out_one, out_all = sorted(reports.glob("*.docx"))[0], self.dest("import-one", 1), self.dest("import", n)
        try:
            self.measure(self.row("import-one", 1, "f. import one report (.docx)"),
                         lambda: run([self.py, "-m", "generator", "import", self.rel(one), "-o",
                                      self.rel(out_one) + "/"], self.root), 1 if self.quick else 5,
                         prepare=lambda: shutil.rmtree(out_one, ignore_errors=True))
            self.measure(self.row("import", n, "f. import a year's folder of reports"),
                         lambda: run([self.py, "-m", "generator", "import", self.rel(reports), "-o",
                                      self.rel(out_all)], self.root), 1,
                         prepare=lambda: shutil.rmtree(out_all, ignore_errors=True))
        except Failed as e:
            self.notes.append(f"import: `import FILE|FOLDER -o DIR` failed, not measured: {str(e).splitlines()[0]}")

    def large_set(self) -> None:
        """make bench LARGE=1: a province's sources, for check and the no-op build only."""
        n = self.large
        self.check(n, 1)
        self.noop(n, 1)

    # -- the plan --------------------------------------------------------------------------------------
    def all(self) -> None:
        small, big = self.sizes
        q = self.quick
        self.pandoc_start()
        self.cold_one(1 if q else 7)
        self.batch(small, 1 if q else 3)
        self.make_j2(small, 1 if q else 3)
        self.pandoc_floor(small, 1 if q else 3)
        self.pandoc_one_process(small, 1 if q else 3)
        self.check(small, 1 if q else 3)
        self.noop(small, 1 if q else 3)
        # N = big: the batch build, the check and both floors run at least once; more repetitions
        # only while the estimated cost (linear from N = small) of what must still run fits.
        scale = big / small
        est = {k: self._find(k, small).median * scale for k in ("batch", "check", "floor", "floor1", "make")}
        reps = 1 if q else 3
        self.batch(big, reps, reserve=est["check"] + est["floor"] + est["floor1"])
        self.check(big, reps, reserve=est["floor"] + est["floor1"])
        self.pandoc_floor(big, reps, reserve=est["floor1"])
        self.pandoc_one_process(big, reps)
        self.noop(big, 1 if q else 3)
        self.import_reports(big)
        if self.large:
            self.large_set()
        if q:
            self.notes.append(f"--quick: N={small} and N={big}, one repetition each, no make -j2 at N={big}.")
        elif est["make"] < self.left():
            self.make_j2(big, 1)
        else:
            self.notes.append(
                f"make -j2 at N={big} was not run: estimated at {est['make']:.0f} s (10 × its N={small} time), "
                f"it does not fit in what is left of the {self.budget:.0f} s budget ({max(0, self.left()):.0f} s). "
                f"The batch build, the check and the pandoc floors are measured at N={big}; make -j2 at N={small}.")

    def _find(self, key: str, n: int) -> Row:
        return next(r for r in self.rows if r.key == key and r.n == n)

    # -- report ----------------------------------------------------------------------------------------
    def table(self) -> str:
        small, big = self.sizes
        lines = [f"| measurement | N | reps | median s | ms / evaluation | × pandoc floor | × pandoc in one process "
                 f"| growth {small}→{big}{f' ({big}→{self.large} at N={self.large})' if self.large else ''} | peak RSS MB |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in self.rows:
            if r.median is None:
                continue
            ratios = []
            for floor_key in ("floor", "floor1"):
                floor = next((f for f in self.rows if f.key == floor_key and f.n == r.n and f.times), None)
                ok = floor is not None and r.key in ("batch", "make", "floor", "floor1", "check", "check-cached")
                ratios.append(f"{r.per_eval_ms / floor.per_eval_ms:.2f}" if ok else "")
            growth = ""
            if r.n in (big, self.large) and r.key not in ("one", "interpreter", "pandoc-start", "pandoc-empty"):
                before = small if r.n == big else big
                base = next((s for s in self.rows if s.key == r.key and s.n == before and s.times), None)
                if base:
                    growth = f"{r.per_eval_ms / base.per_eval_ms:.2f}"
            label = "↳ " + r.label.strip() if r.label.startswith("   ") else r.label
            lines.append(f"| {label} | {r.n} | {len(r.times)} | {r.median:.3f} | {r.per_eval_ms:.1f} | {ratios[0]} | "
                         f"{ratios[1]} | {growth} | {r.rss_kib / 1024:.0f} |")
        return "\n".join(lines)

    def report(self) -> str:
        cpu = _cpu_model()
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=self.root, capture_output=True,
                                text=True).stdout.strip() or "unknown"
        pandoc_version = subprocess.run([self.pandoc, "--version"], capture_output=True,
                                        text=True).stdout.split("\n")[0]
        notes = [f"- {n}" for n in self.notes]
        notes += [f"- {r.label.strip()} (N={r.n}): {r.note}" for r in self.rows if r.note]
        return "\n".join([
            "# Benchmark results",
            "",
            f"- date: {when}; commit: {commit}",
            f"- machine: `uname -m` {platform.machine()}, CPU {cpu}, {os.cpu_count()} cores",
            f"- Python {platform.python_version()}, {pandoc_version}",
            f"- sources: bench.synth seed {synth.SEED}, year {synth.YEAR}; the N={self.sizes[0]} set is the first "
            f"{self.sizes[0]} of the N={self.sizes[1]} set",
            f"- whole run: {self.elapsed():.0f} s of measuring (budget {self.budget:.0f} s)",
            "",
            "Each time is the median wall-clock time of `reps` runs in fresh processes; ms / evaluation divides "
            "it by N. × pandoc floor compares with pandoc alone converting the same N Markdown narratives, one "
            "process per document (c, as the build ran pandoc before it kept one process); × pandoc in one "
            "process compares with the same conversions in a single `pandoc lua` process (as the batch build "
            "now runs them). growth is the per-evaluation cost at the larger N divided by that at the smaller "
            "(1.00 = linear). Peak RSS is the largest ru_maxrss of a measured process tree (for make -j2 and "
            "the floor: of one process, not the sum). Bytecode caching is on (PYTHONDONTWRITEBYTECODE is "
            "removed for the measured processes).",
            "",
            self.table(),
            "",
            *(["Notes:", "", *notes, ""] if notes else []),
        ])


def _markdowns(paths: list[str]) -> list[tuple[str, str]]:
    from generator.pipeline import evaluate
    from generator.render.narrative import markdown
    out = []
    for p in paths:
        result = evaluate(Path(p))
        out.append((Path(p).stem, markdown(result.evaluation, result.figures, result.texts)))
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="N=10 and N=100, one repetition each (a smoke test)")
    p.add_argument("--budget", type=float, default=420.0,
                   help="seconds of measuring; bounds extra repetitions (default 420)")
    p.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="results and work folder")
    p.add_argument("--root", type=Path, default=REPO, help="the checkout to benchmark (default: this one)")
    p.add_argument("--keep", action="store_true", help="keep the generated sources and outputs")
    p.add_argument("--large", action="store_true",
                   help="also N=10,000 (a province) for check and the no-op build (make bench LARGE=1)")
    args = p.parse_args(argv)
    sizes = (10, 100) if args.quick else (100, 1000)
    from generator.render.pandoc import EPOCH
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)     # as the build runs pandoc
    # Measure the usual setup, where Python caches bytecode (a no-write setting would make every
    # cold process compile the generator again).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    large = (1000 if args.quick else 10_000) if args.large else None
    bench = Bench(args.root.resolve(), args.out.resolve(), sizes, args.budget, args.quick, large)
    try:
        bench.prepare()
        bench.started = time.perf_counter()
        bench.all()
    except Failed as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(bench.work, ignore_errors=True)
    text = bench.report()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
