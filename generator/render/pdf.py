"""docx → PDF with LibreOffice headless, for checks a person trusts (make pdf, rendering tests).

The documents name Windows fonts (仿宋_GB2312 …); templates/fonts.conf maps them to free fonts.
One soffice process converts a whole batch (its start-up dominates), in a private profile so
parallel runs do not collide, into a temporary folder; each PDF is then moved into place
atomically.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..i18n import _
from ..paths import TEMPLATES
from ..write import write_bytes


class PdfError(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(documents: list[Path], timeout: int = 600) -> list[Path]:
    """Write <name>.pdf beside each .docx; returns the PDFs written."""
    exe = soffice()
    if exe is None:
        raise PdfError(_("LibreOffice (soffice) is not installed; on Debian: {command}").format(
            command="apt-get install libreoffice-writer-nogui fonts-noto-cjk texlive-lang-chinese"))
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="selfeval-pdf-") as tmp:
        tmp_path = Path(tmp)
        staged_dir = tmp_path / "in"
        staged_dir.mkdir()
        # soffice names each PDF after its input's stem in one folder: number them so
        # 2022/a.docx and 2023/a.docx cannot collide.
        staged = {}
        for i, doc in enumerate(documents):
            copy = staged_dir / f"{i}-{doc.name}"
            shutil.copyfile(doc, copy)
            staged[doc] = copy
        env = dict(os.environ, FONTCONFIG_FILE=str(TEMPLATES / "fonts.conf"), HOME=str(tmp_path))
        cmd = [exe, "--headless", "--norestore", "-env:UserInstallation=" + (Path(tmp_path) / "profile").as_uri(),  # file:///C:/… on Windows
               "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), *map(str, staged.values())]
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(_("LibreOffice did not finish within {seconds} s").format(seconds=timeout))
        written = []
        for doc, copy in staged.items():
            pdf = tmp_path / "out" / (copy.stem + ".pdf")
            if not pdf.exists():
                detail = (result.stderr or result.stdout).strip()
                raise PdfError(_("LibreOffice did not convert {document}: {detail}").format(
                    document=doc, detail=detail or _("no output")))
            target = doc.with_suffix(".pdf")
            write_bytes(target, pdf.read_bytes())
            written.append(target)
        return written
