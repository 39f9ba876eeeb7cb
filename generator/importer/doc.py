"""A .doc (Word 97–2003) through LibreOffice headless: converted to .docx in a private temporary
folder and profile (as render/pdf.py runs it), then read as any .docx."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..i18n import _
from ..render.pdf import soffice
from . import docx
from .matrix import Contents, ImportProblem

TIMEOUT = 120   # seconds; one document converts in about one


def read(path: Path) -> Contents:
    """What docx.read gives for the converted file, or a message saying LibreOffice is needed."""
    exe = soffice()
    if exe is None:
        raise ImportProblem(_("a .doc is read through LibreOffice, which is not installed (on Debian: apt-get "
                              "install libreoffice-writer-nogui); or save the file as .docx in Word and import that"))
    if Path(path).read_bytes()[:2] == b"PK":   # a .docx named .doc: read it as it is
        return docx.read(path)
    with tempfile.TemporaryDirectory(prefix="selfeval-doc-") as tmp:
        cmd = [exe, "--headless", "--norestore", "-env:UserInstallation=" + (Path(tmp) / "profile").as_uri(),
               "--convert-to", "docx", "--outdir", str(Path(tmp) / "out"), str(Path(path).resolve())]
        try:
            subprocess.run(cmd, env=dict(os.environ, HOME=tmp), capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ImportProblem(_("LibreOffice did not convert the file within {n} s").format(n=TIMEOUT))
        converted = Path(tmp) / "out" / (Path(path).stem + ".docx")
        if not converted.exists():
            raise ImportProblem(_("LibreOffice could not convert the file: it is damaged, password-protected "
                                  "or not a Word document"))
        return docx.read(converted)
