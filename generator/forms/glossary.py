"""The built-in 名词解释 (default glossary), kept as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from generator.resources import DATA

GLOSSARY_FILE = DATA / "glossary.yaml"


@dataclass
class Term:
    """One entry of the 名词解释."""

    term: str
    text: str


def default_glossary() -> tuple[Term, ...]:
    return glossary_file(str(GLOSSARY_FILE))


@lru_cache(maxsize=None)
def glossary_file(path: str) -> tuple[Term, ...]:
    """A glossary file (a profile's own default terms), in the same format as the built-in one."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(Term(str(t["term"]), str(t["text"])) for t in raw["terms"])
