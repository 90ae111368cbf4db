"""Where the tool's own files are: its package, its data (forms, catalogues, profiles) and built-in templates."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
# An installed wheel carries the templates inside the package; a checkout has them beside it.
BUILTIN_TEMPLATES = PACKAGE / "templates" if (PACKAGE / "templates").is_dir() else PACKAGE.parent / "templates"
