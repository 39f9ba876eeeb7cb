"""Where the project's data lives: templates/ sits beside the package in the repository."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
