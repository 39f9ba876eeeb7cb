"""Contact sheets: every page of a report's PDF side by side in one PNG (`make proof`).

A reviewer judges a whole year at a glance (a table running off its page, a stranded heading, an
empty page) before reading one page closely. pdftoppm (poppler) draws the pages, Pillow lays them
out; both are checked up front so a missing tool is a message, not a traceback.

    python -m generator.render.proof build            # build/proof/<year>-<slug>.png per PDF
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..write import write_bytes

DPI = 45                 # an A4 page 372 px wide: the layout reads, the text does not need to
GAP = 12                 # px between pages and round the sheet
COLUMNS = 6              # pages a row: a 12-page report stays two rows


class ProofError(RuntimeError):
    pass


def contact_sheet(pdf: Path, dpi: int = DPI, columns: int = COLUMNS) -> bytes:
    """The PNG bytes of all pages of `pdf` in rows of `columns`, pages in reading order."""
    try:
        from PIL import Image
    except ImportError as e:      # the dev extra installs it
        raise ProofError("Pillow is not installed: pip install -e '.[dev]'") from e
    if shutil.which("pdftoppm") is None:
        raise ProofError("pdftoppm is not installed; on Debian: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory(prefix="selfeval-proof-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/page"],
                       check=True, capture_output=True)
        files = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = [Image.open(f).convert("RGB") for f in files]
    if not pages:
        raise ProofError(f"{pdf}: no pages")
    w = max(p.width for p in pages)
    h = max(p.height for p in pages)
    cols = min(columns, len(pages))
    rows = -(-len(pages) // cols)
    sheet = Image.new("RGB", (GAP + cols * (w + GAP), GAP + rows * (h + GAP)), (128, 128, 128))
    for i, page in enumerate(pages):
        sheet.paste(page, (GAP + (i % cols) * (w + GAP), GAP + (i // cols) * (h + GAP)))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def proof_all(out: Path) -> list[Path]:
    """One contact sheet per PDF under out/<year>/ into out/proof/<year>-<slug>.png."""
    written = []
    for pdf in sorted(out.glob("*/*.pdf")):
        if pdf.parent.name == "proof":
            continue
        target = out / "proof" / f"{pdf.parent.name}-{pdf.stem}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, contact_sheet(pdf))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "build")
    try:
        written = proof_all(out)
    except ProofError as e:
        print(f"proof: {e}", file=sys.stderr)
        return 2
    if not written:
        print(f"proof: no PDF under {out}/<year>/ (run make pdf first)", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} contact sheets into {out / 'proof'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
