"""`import FOLDER` and `import A B …`: last years' reports brought in at once (issue 15).

The reports are the samples built by the build itself (once for the module); each imported source
must give its original's figures (test_import.assert_same, the round trip's comparison). A bad
document fails alone, named; no source is written twice in a run nor over an existing one.
"""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from generator import build
from generator.cli import main
from generator.importer import command
from generator.pipeline import evaluate
from test_import import AUTHOR_DEDUCTIONS, assert_same

SOURCES = {p.stem: p for p in (ROOT / "sources").rglob("*.yaml")}
XLSX = "warm-enterprise"            # one report also as its workbook, under a name of its own


def run(*args: str) -> tuple[int, str]:
    """main(args) → (exit status, what it printed on stderr), usable in a module fixture."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The samples built into build/<year>/<slug>.docx and .xlsx."""
    out = tmp_path_factory.mktemp("built")
    with contextlib.redirect_stderr(io.StringIO()):
        assert build.build_all([str(ROOT / "sources")], out) == 0
    return out


@pytest.fixture(scope="module")
def folder(built, tmp_path_factory) -> Path:
    """An officer's folder: the reports by year, a workbook, a damaged document, Word's lock file
    of an open report and a hidden copy (neither of them a report)."""
    root = tmp_path_factory.mktemp("reports")
    for docx in built.rglob("*.docx"):
        (root / docx.parent.name).mkdir(exist_ok=True)
        shutil.copy(docx, root / docx.parent.name / docx.name)
    shutil.copy(built / "2020" / f"{XLSX}.xlsx", root / "2020" / "温暖企业行动自评表.xlsx")
    (root / "2022" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(built / "2022" / "enterprise-association.docx", root / "2022" / "~$terprise-lock.docx")
    shutil.copy(built / "2022" / "enterprise-association.docx", root / "2022" / ".hidden-copy.docx")
    (root / ".sync").mkdir()
    shutil.copy(built / "2022" / "enterprise-association.docx", root / ".sync" / "synced.docx")
    (root / "2022" / "notes.txt").write_text("not a report", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def imported(folder, tmp_path_factory) -> tuple[int, str, Path]:
    out = tmp_path_factory.mktemp("imported") / "sources"
    status, err = run("--lang", "en", "import", str(folder), "-o", str(out))
    return status, err, out


def test_good_reports_written_each_giving_its_originals_figures(imported, folder):
    status, err, out = imported
    assert status == 2                  # broken.docx
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{stem}.yaml" for stem in SOURCES] + ["温暖企业行动自评表.yaml"])
    for stem, source in [*SOURCES.items(), ("温暖企业行动自评表", SOURCES[XLSX])]:
        r, back = evaluate(source), evaluate(out / f"{stem}.yaml")
        assert_same(r.evaluation, r.figures, back.evaluation, back.figures, AUTHOR_DEDUCTIONS.get(source.name, ()))
        assert f"wrote {out / f'{stem}.yaml'} from {folder}" in err


def test_the_broken_one_is_named_and_nothing_else_is_written(imported, folder):
    status, err, out = imported
    broken = folder / "2022" / "broken.docx"
    assert f"{broken}: E-IMPORT the file cannot be read as .docx" in err
    assert err.splitlines()[-2:] == ["imported 6, skipped 0 (the source exists), failed 1", f"  failed: {broken}"]
    assert "Traceback" not in err and "internal error" not in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")]          # no temporary file left
    for never in ("lock", "hidden", "synced", "notes"):
        assert never not in err and not list(out.glob(f"*{never}*"))


def test_an_existing_source_is_skipped_unless_forced(folder, tmp_path):
    out = tmp_path / "sources"
    assert run("--lang", "en", "import", str(folder / "2020"), "-o", str(out))[0] == 0
    mine = out / "warm-enterprise.yaml"
    mine.write_text("mine\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, err = run("--lang", "en", "import", str(folder / "2020"), "-o", str(out))
    assert status == 2
    assert f"{folder / '2020' / 'warm-enterprise.docx'}: E-IMPORT {mine} exists; use --force to overwrite it" in err
    assert err.splitlines()[-1] == "imported 0, skipped 3 (the source exists), failed 0"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    status, err = run("--lang", "en", "import", str(folder / "2020"), "-o", str(out), "--force")
    assert status == 0 and err.splitlines()[-1] == "imported 3, skipped 0 (the source exists), failed 0"
    assert mine.read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.fixture
def same_names(built, tmp_path) -> tuple[Path, Path]:
    """Two years' reports saved under one file name, in two folders."""
    a, b = tmp_path / "a" / "自评报告.docx", tmp_path / "b" / "自评报告.docx"
    for path, report in ((a, "2020/warm-enterprise.docx"), (b, "2022/enterprise-association.docx")):
        path.parent.mkdir()
        shutil.copy(built / report, path)
    return a, b


def test_two_reports_of_one_source_name_the_second_refused(same_names, tmp_path):
    a, b = same_names
    out = tmp_path / "out"
    status, err = run("--lang", "en", "import", str(a.parent), str(b.parent), "-o", str(out))
    assert status == 2
    assert (f"{b}: E-IMPORT {a}, imported before it, gives the same source {out / '自评报告.yaml'}: not "
            "overwritten; rename one of the two files, or import this one on its own with -o") in err
    assert "year: 2020" in (out / "自评报告.yaml").read_text(encoding="utf-8")
    assert err.splitlines()[-2:] == ["imported 1, skipped 0 (the source exists), failed 1", f"  failed: {b}"]
    # --force overwrites what was there before the run, never what the run itself wrote
    status, err = run("--lang", "en", "import", str(a.parent), str(b.parent), "-o", str(out), "--force")
    assert status == 2 and "year: 2020" in (out / "自评报告.yaml").read_text(encoding="utf-8")


def test_without_output_each_goes_to_its_years_sources(same_names, tmp_path, monkeypatch):
    """The default, sources/<year>/<file name>.yaml: two years' reports of one name do not clash."""
    monkeypatch.chdir(tmp_path)
    status, err = run("--lang", "en", "import", *map(str, same_names))
    assert status == 0, err
    assert (tmp_path / "sources" / "2020" / "自评报告.yaml").is_file()
    assert (tmp_path / "sources" / "2022" / "自评报告.yaml").is_file()
    assert err.splitlines()[-1] == "imported 2, skipped 0 (the source exists), failed 0"


def test_output_names_a_file_for_one_document_else_a_folder(same_names, tmp_path):
    a, b = same_names
    status, err = run("--lang", "en", "import", str(a), "-o", str(tmp_path / "x.yaml"))
    assert status == 0 and (tmp_path / "x.yaml").is_file()
    assert "imported 1" not in err and err.splitlines()[-1] == f"wrote {tmp_path / 'x.yaml'}"  # as before
    (tmp_path / "existing").mkdir()
    assert run("import", str(a), "-o", str(tmp_path / "existing"))[0] == 0
    assert (tmp_path / "existing" / "自评报告.yaml").is_file()
    assert run("import", str(a), "-o", f"{tmp_path / 'new'}/")[0] == 0
    assert (tmp_path / "new" / "自评报告.yaml").is_file()
    b2 = b.with_name("另一份.docx")
    shutil.copy(b, b2)
    assert run("import", str(a), str(b2), "-o", str(tmp_path / "both"))[0] == 0
    assert sorted(p.name for p in (tmp_path / "both").iterdir()) == ["另一份.yaml", "自评报告.yaml"]
    status, err = run("--lang", "en", "import", str(a.parent), "-o", str(tmp_path / "x.yaml"))
    assert status == 2 and err.strip() == (f"{tmp_path / 'x.yaml'} is a file: with a folder or several documents, "
                                           "-o names the folder the sources go into")


def test_an_empty_folder_is_said(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("", encoding="utf-8")
    status, err = run("--lang", "en", "import", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert status == 2
    assert f"{tmp_path / 'empty'}: E-IMPORT the folder holds no .docx, .doc, .xlsx or .xls file" in err
    assert err.splitlines()[-1] == f"  failed: {tmp_path / 'empty'}"
    assert not (tmp_path / "out").exists()


def test_messages_in_chinese(same_names, tmp_path):
    a, b = same_names
    (b.parent / "坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    status, err = run("import", str(a.parent), str(b.parent), "-o", str(out))
    assert status == 2
    assert f"已写入 {out / '自评报告.yaml'}，导自 {a}（city2020 表式，推断 " in err
    assert f"{b}: E-IMPORT 前面导入的 {a} 也生成同一个源文件 {out / '自评报告.yaml'}，不覆盖" in err
    assert f"{b.parent / '坏.docx'}: E-IMPORT 无法按 .docx 读取该文件" in err
    assert err.splitlines()[-3:] == ["已导入 1 份，跳过 0 份（源文件已存在），失败 2 份",
                                     f"  失败：{b.parent / '坏.docx'}", f"  失败：{b}"]


def test_one_reports_bug_costs_only_that_report(same_names, tmp_path, monkeypatch):
    """An unexpected failure in a batch is that report's: named, the others written, exit 2;
    --debug still shows it whole."""
    a, b = same_names
    b2 = b.with_name("另一份.docx")
    shutil.copy(b, b2)
    real = command.import_file

    def flaky(path, *args):
        if path == b2:
            raise RuntimeError("boom")
        return real(path, *args)
    monkeypatch.setattr(command, "import_file", flaky)
    status, err = run("--lang", "en", "import", str(a), str(b2), "-o", str(tmp_path / "out"))
    assert status == 2
    assert f"{b2}: internal error: RuntimeError: boom (rerun with --debug and report it)" in err
    assert (tmp_path / "out" / "自评报告.yaml").is_file() and not (tmp_path / "out" / "另一份.yaml").exists()
    with pytest.raises(RuntimeError):
        main(["--debug", "import", str(a), str(b2), "-o", str(tmp_path / "debug")])


def test_workers_write_the_same_sources_in_the_same_order(folder, imported, tmp_path, monkeypatch):
    """SELFEVAL_JOBS=2: the reports read in two worker processes, the sources and messages as one
    process gives them."""
    status, err, out = imported
    monkeypatch.setenv("SELFEVAL_JOBS", "2")
    status2, err2 = run("--lang", "en", "import", str(folder), "-o", str(tmp_path / "sources"))
    assert (status2, err2.replace(str(tmp_path / "sources"), str(out))) == (status, err)
    assert {p.name: p.read_bytes() for p in (tmp_path / "sources").iterdir()} == \
        {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_build_folder_reads_each_report_once_from_its_word_document(built, tmp_path):
    """`make build` writes X.docx beside X.xlsx: one report, read from the .docx (it carries the
    text too), the workbook named as its copy, not refused as a second source of one name."""
    status, err = run("--lang", "en", "import", str(built / "2020"), "-o", str(tmp_path / "out"))
    stems = sorted(p.stem for p in (built / "2020").glob("*.docx"))
    assert status == 0, err
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.yaml")) == stems
    for stem in stems:
        assert (f"{built / '2020' / stem}.xlsx: the same report as {built / '2020' / stem}.docx, which is read "
                "instead") in err
    assert err.splitlines()[-1] == f"imported {len(stems)}, skipped 0 (the source exists), failed 0"


def test_the_preferred_copy_of_a_report_is_its_word_document(tmp_path):
    from generator.importer.folder import in_folder
    for name in ("a.xls", "a.xlsx", "a.doc", "a.docx", "b.xlsx", "b.xls", "c.doc"):
        (tmp_path / name).write_bytes(b"")
    found, twins = in_folder(tmp_path)
    assert [p.name for p in found] == ["a.docx", "b.xlsx", "c.doc"]
    assert [(c.name, r.name) for c, r in twins] == [("a.doc", "a.docx"), ("a.xls", "a.docx"), ("a.xlsx", "a.docx"),
                                                   ("b.xls", "b.xlsx")]
