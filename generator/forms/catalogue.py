"""Code catalogues (政府收支分类科目) as data: code → name, per classification."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from generator.errors import show
from generator.forms.reading import data_file, raise_problems
from generator.resources import DATA

CATALOGUE_DIR = DATA / "catalogue"
CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")  # 类 3 digits, 款 5, 项 7


@lru_cache(maxsize=None)
def catalogue(kind: str, year: int) -> dict[str, str]:
    """Names by code for ``kind`` ("functional" or "economic"), with the year's overrides."""
    names = _read(CATALOGUE_DIR / f"{kind}.yaml")
    names.update(_read(CATALOGUE_DIR / f"{kind}-{year}.yaml"))
    return names


def _read(path: Path) -> dict[str, str]:
    """A catalogue file's names by code; ContentError names every problem of the file."""
    if not path.exists():
        return {}
    r = data_file(path)
    names = {}
    for code, name in r.mapping((), r.source.data, "科目代码与名称（\"代码\": 名称）").items():
        if not CODE.match(code):
            r.problem((code,), "科目代码应为 3、5 或 7 位数字", "如 \"2080101\"", show(code))
        names[code] = r.text((code,), name, required=True)
    raise_problems(r)
    return names


def parent_codes(code: str) -> list[str]:
    """Ancestors of a 功能分类 code: 2080101 → [208, 20801]."""
    return [code[:n] for n in (3, 5) if n < len(code)]
