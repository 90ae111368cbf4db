"""The built-in 名词解释 (default glossary), kept as data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .model import Term

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.yaml"


@lru_cache(maxsize=None)
def default_glossary() -> tuple[Term, ...]:
    raw = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    return tuple(Term(str(t["term"]), str(t["text"])) for t in raw["terms"])
