"""Province profiles as data: which 情况说明 sections, in which order, with which titles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PROFILE_DIR = Path(__file__).parent / "data" / "profiles"
DEFAULT_PROFILE = "shaanxi"


@dataclass(frozen=True)
class Section:
    key: str
    title: str


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    sections: tuple[Section, ...]
    charts: tuple[str, ...] = ()  # keys of data/charts.yaml, numbered in document order

    @property
    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)


@lru_cache(maxsize=None)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    raw = yaml.safe_load((PROFILE_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return Profile(raw["name"], raw["title"], tuple(Section(s["key"], s["title"]) for s in raw["sections"]),
                   tuple(raw.get("charts", ())))
