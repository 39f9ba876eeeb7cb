"""Incremental builds through make: exactly what changed is rebuilt, and nothing else."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(src, out, *args) -> str:
    result = subprocess.run(["make", "-C", str(ROOT), "build", f"SRC={src}", f"OUT={out}", *args],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def stamps(out) -> dict:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in sorted(out.rglob("*.*")) if p.suffix in (".docx", ".xlsx")}


def later(path):
    """Move a file's time forward, as an edit would (mtime granularity can hide a quick touch)."""
    t = time.time() + 5
    os.utime(path, (t, t))


@pytest.fixture
def tree(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    for slug in ("2022/enterprise-association", "2022/enterprise-service-center"):
        (src / slug).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "sources" / f"{slug}.yaml", src / f"{slug}.yaml")
    make(src, out)
    return src, out


def test_first_build_writes_report_and_workbook(tree):
    src, out = tree
    assert set(stamps(out)) == {"2022/enterprise-association.docx", "2022/enterprise-association.xlsx",
                                "2022/enterprise-service-center.docx", "2022/enterprise-service-center.xlsx"}


def test_nothing_changed_nothing_built(tree):
    src, out = tree
    before = stamps(out)
    assert "Nothing to be done" in make(src, out)
    assert stamps(out) == before


def test_a_changed_source_rebuilds_only_itself(tree):
    src, out = tree
    before = stamps(out)
    later(src / "2022" / "enterprise-association.yaml")
    make(src, out)
    after = stamps(out)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"2022/enterprise-association.docx", "2022/enterprise-association.xlsx"}


def test_a_changed_template_rebuilds_the_reports_made_from_it(tree, tmp_path):
    src, out = tree
    template = tmp_path / "outline.md.j2"
    template.write_text("stand-in for a template")
    dep = out / "2022" / "enterprise-service-center.d"
    dep.write_text(dep.read_text().rstrip("\n") + f" {template}\n")
    before = stamps(out)
    later(template)
    make(src, out)
    after = stamps(out)
    assert {k for k in after if after[k] != before[k]} == {"2022/enterprise-service-center.docx",
                                                            "2022/enterprise-service-center.xlsx"}


def test_one_fund_by_name(tree):
    src, out = tree
    later(src / "2022" / "enterprise-association.yaml")
    later(src / "2022" / "enterprise-service-center.yaml")
    before = stamps(out)
    make(src, out, "FUND=2022/enterprise-association")
    after = stamps(out)
    assert {k for k in after if after[k] != before[k]} == {"2022/enterprise-association.docx",
                                                            "2022/enterprise-association.xlsx"}


@pytest.mark.chinese
def test_generator_build_without_make_skips_what_is_up_to_date(tree, capsys):
    from generator.build import build_all
    src, out = tree
    assert build_all([str(src)], out) == 0
    assert "已生成 0 份，无需更新 2 份，失败 0 份" in capsys.readouterr().err
    (out / "2022" / "enterprise-association.xlsx").unlink()
    assert build_all([str(src)], out) == 0
    assert "已生成 1 份，无需更新 1 份，失败 0 份" in capsys.readouterr().err


def test_make_hands_every_stale_report_to_one_process(tmp_path):
    """make -j2 from nothing: one `generator build` for all the reports (one summary line), not a
    cold process per report; `make reports` then has nothing to do."""
    src, out = tmp_path / "src", tmp_path / "out"
    for slug in ("2022/enterprise-association", "2022/enterprise-service-center", "2023/enterprise-service"):
        (src / slug).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "sources" / f"{slug}.yaml", src / f"{slug}.yaml")
    result = subprocess.run(["make", "-C", str(ROOT), "-j2", "reports", f"SRC={src}", f"OUT={out}"],
                            capture_output=True, text=True, env={**os.environ, "SELFEVAL_LANG": "en"})
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("built ")] == \
        [f"built 3, up to date 0, failed 0 (into {out}/)"]
    again = subprocess.run(["make", "-C", str(ROOT), "-q", "reports", f"SRC={src}", f"OUT={out}"])
    assert again.returncode == 0


def test_pandoc_failing_stops_that_report_with_a_message(tmp_path, monkeypatch, capsys):
    """A pandoc that cannot convert (here: told a format it does not know) fails the report like
    bad input does: exit status 2, the reason printed, no traceback, nothing written."""
    from generator.cli import main
    from generator.render import pandoc
    monkeypatch.setattr(pandoc, "MARKDOWN", "nosuchformat")
    monkeypatch.setattr(pandoc, "_documents", 0)          # the command line, not a running server
    status = main(["build", str(ROOT / "sources" / "2023" / "enterprise-service.yaml"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "pandoc" in err and "nosuchformat" in err and "Traceback" not in err
    assert not list((tmp_path / "out").rglob("*.docx"))
