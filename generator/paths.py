"""Where the project's data lives: templates/ sits beside the package in the repository."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def repository_of(source: Path) -> Path | None:
    """The folder holding `sources/` for a source at `<repo>/sources/<year>/<fund>.yaml`: where a
    unit keeps its own form profiles (forms/) and review rules (advice.yaml). None elsewhere."""
    year_dir = Path(source).resolve().parent
    if not (year_dir.name.isdigit() and len(year_dir.name) == 4):
        return None
    return year_dir.parent.parent
