"""The batch over worker processes: the same bytes and the same messages, in the same order, as
one process; and an interrupt or a worker that dies leaves every output whole or as it was."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from bench.synth import write_sources

POSIX = pytest.mark.skipif(sys.platform == "win32" or not Path("/proc/self").exists(),
                           reason="sends POSIX signals and finds the workers through /proc")


def run(*args, jobs: int, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "SELFEVAL_JOBS": str(jobs), "SELFEVAL_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Synthetic sources, two samples with errors and one that does not parse, in one year."""
    root = tmp_path_factory.mktemp("parallel") / "src"
    write_sources(root, 10)
    for sample in ("2020/it-integration", "2022/enterprise-association"):
        shutil.copy(ROOT / "sources" / f"{sample}.yaml", root / "2024" / f"{sample.split('/')[1]}.yaml")
    shutil.copy(ROOT / "tests" / "bad" / "002-yaml-bad-indent.yaml", root / "2024" / "0-bad.yaml")
    return root


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_build_in_workers_gives_the_same_bytes_and_messages(batch, tmp_path):
    one = run("build", str(batch), "--out", str(tmp_path / "one"), jobs=1)
    two = run("build", str(batch), "--out", str(tmp_path / "two"), jobs=2)
    assert one.returncode == two.returncode == 2          # the bad source fails, the others build
    assert one.stderr.replace("/one/", "/two/") == two.stderr
    a, b = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    a.pop(".published-note-shown"), b.pop(".published-note-shown")
    assert len([n for n in a if n.endswith(".docx")]) == 12
    assert a.keys() == b.keys()
    assert [n for n in a if a[n] != b[n] and not n.endswith(".d")] == []
    # .d files name the output folder: the same rules, one folder apart
    assert all(a[n].replace(b"/one/", b"/two/") == b[n] for n in a if n.endswith(".d"))


def test_check_in_workers_prints_the_same_lines_in_order(batch):
    one = run("check", str(batch), jobs=1)
    two = run("check", str(batch), jobs=2)
    assert (one.returncode, one.stderr) == (two.returncode, two.stderr)
    files = [line.split(":", 1)[0] for line in two.stderr.splitlines() if ":" in line and "/" in line]
    assert files == sorted(files, key=lambda f: sorted(str(p) for p in batch.rglob("*.yaml")).index(f))


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def start_and_wait_for_first_report(batch: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "SELFEVAL_JOBS": "2", "SELFEVAL_LANG": "en"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(batch), "--out", str(out)],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.rglob("*.docx")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before any report"
        time.sleep(0.02)
    return proc


def assert_whole(out: Path) -> None:
    assert [p.name for p in out.rglob("*.tmp")] == []
    for docx in out.rglob("*.docx"):
        with zipfile.ZipFile(docx) as z:
            assert z.testzip() is None, docx


@POSIX
def test_ctrl_c_stops_the_batch_leaving_whole_files(tmp_path):
    src = tmp_path / "src"
    write_sources(src, 40)
    proc = start_and_wait_for_first_report(src, tmp_path / "out")
    os.killpg(proc.pid, signal.SIGINT)               # what the terminal does: the whole group
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert_whole(tmp_path / "out")
    assert len(list((tmp_path / "out").rglob("*.docx"))) < 40   # it did stop early


@POSIX
def test_a_worker_that_dies_leaves_whole_files_and_one_line(tmp_path):
    src = tmp_path / "src"
    write_sources(src, 40)
    proc = start_and_wait_for_first_report(src, tmp_path / "out")
    workers = [c for c in children(proc.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    os.kill(workers[0], signal.SIGKILL)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 3, err
    assert "Traceback" not in err and "internal error" in err
    assert_whole(tmp_path / "out")


def test_a_program_run_collects_rarely_until_settled_and_never_at_exit(monkeypatch, capsys):
    """cli.main run as a program (no argv) and each worker: few collections while starting, the
    start frozen after the first item, everything frozen at exit (generator/collector.py); a test
    or a script calling main([...]) keeps its process's collector as it was."""
    import atexit
    import gc
    import signal
    import sys

    from generator import collector, parallel
    from generator.cli import main
    usual = gc.get_threshold()
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(collector, "_usual", None)
    monkeypatch.setattr(collector, "_started", False)
    try:
        assert main(["schema"]) == 0 and registered == [] and gc.get_threshold() == usual
        monkeypatch.setattr(sys, "argv", ["selfeval", "schema"])
        assert main() == 0 and registered == [gc.freeze]
        assert gc.get_threshold() == (collector.STARTING, *usual[1:])
        frozen = gc.get_freeze_count()
        assert list(parallel.ordered(str, [1, 2], 1)) == ["1", "2"]       # the first item settles it
        assert gc.get_threshold() == usual and gc.get_freeze_count() > frozen
        collector.program()                                                # once settled, for good
        assert gc.get_threshold() == usual and registered == [gc.freeze]
        monkeypatch.setattr(collector, "_started", False)
        previous = signal.getsignal(signal.SIGINT)
        try:
            parallel._start_worker("en")                                   # a worker starts the same way
        finally:
            signal.signal(signal.SIGINT, previous)
        assert registered == [gc.freeze, gc.freeze] and gc.get_threshold()[0] == collector.STARTING
        parallel._Settling(str)(3)
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)
        gc.unfreeze()
        capsys.readouterr()
