"""Rendering: an evaluation and its figures → a finished Word document (bytes, deterministic)."""
