"""Code catalogues (政府收支分类科目) as data: code → name, per classification."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from generator.resources import DATA

CATALOGUE_DIR = DATA / "catalogue"


@lru_cache(maxsize=None)
def catalogue(kind: str, year: int) -> dict[str, str]:
    """Names by code for ``kind`` ("functional" or "economic"), with the year's overrides."""
    names = _read(CATALOGUE_DIR / f"{kind}.yaml")
    names.update(_read(CATALOGUE_DIR / f"{kind}-{year}.yaml"))
    return names


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(code): str(name) for code, name in raw.items()}


def parent_codes(code: str) -> list[str]:
    """Ancestors of a 功能分类 code: 2080101 → [208, 20801]."""
    return [code[:n] for n in (3, 5) if n < len(code)]
