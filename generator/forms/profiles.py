"""Province profiles as data: the table set and layouts, the 情况说明 sections, phrasing, charts, glossary.

A profile file (``<name>.yaml``) is looked up in the site's own ``<content>/profiles/`` first,
then among the built-in ones (generator/data/profiles). ``extends`` names the profile it
builds on; ``tables`` adds or replaces table layouts on top of the year's national form
(same format as the layout files); ``sections`` lists the 情况说明 in order.
``numbering`` says how numbered sections count: ``numbered-only`` (default: 一、二、… over the
numbered sections only) or ``position`` (a section's number is its place in the list, unnumbered
ones included, as Sichuan prints 四、 after three unnumbered sections).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from generator.errors import ContentError, Problem
from generator.numerals import cn_number
from generator.resources import DATA

PROFILE_DIR = DATA / "profiles"
DEFAULT_PROFILE = "shaanxi"
SITE_PROFILES = "profiles"  # the folder, in the content directory, of a site's own profiles
NUMBERING = ("numbered-only", "position")  # how numbered sections count (see the module docstring)


@dataclass(frozen=True)
class Section:
    key: str  # what it explains (its figures come from narrative.describe under this key)
    title: str
    template: str  # under templates/: sections/<key>.html unless the profile says otherwise
    numbered: bool = True


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    sections: tuple[Section, ...]
    charts: tuple[str, ...] = ()  # keys of data/charts.yaml, numbered in document order
    tables_json: str = "{}"  # layout overrides and additions, by table id (JSON: keeps the profile hashable)
    phrases: tuple[tuple[str, str], ...] = ()  # phrasing variants, e.g. ("code_style", "类款项")
    rules: tuple[tuple[str, bool], ...] = ()  # profile-specific checks switched on
    glossary: str | None = None  # a glossary file next to the profile, replacing the default terms
    source: str = ""  # where the profile was read from
    numbering: str = "numbered-only"  # or "position": unnumbered sections take up a number too

    @property
    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)

    @property
    def tables(self) -> dict:
        return json.loads(self.tables_json)

    def phrase(self, name: str, default: str = "") -> str:
        return dict(self.phrases).get(name, default)

    def rule(self, name: str) -> bool:
        return dict(self.rules).get(name, False)

    def numbers(self) -> dict[str, str]:
        """Each numbered section's Chinese number (一、二、…), counting only the numbered ones,
        or, with ``numbering: position``, every section (unnumbered ones keep their place)."""
        if self.numbering == "position":
            numbers = {s.key: cn_number(i) for i, s in enumerate(self.sections, 1) if s.numbered}
        else:
            numbers = {s.key: cn_number(i) for i, s in enumerate([s for s in self.sections if s.numbered], 1)}
        return {s.key: numbers.get(s.key, "") for s in self.sections}


def profile_dirs(content_dir: Path | None) -> tuple[Path, ...]:
    site = (content_dir / SITE_PROFILES,) if content_dir is not None else ()
    return (*site, PROFILE_DIR)


def available_profiles(content_dir: Path | None = None) -> list[str]:
    return sorted({p.stem for d in profile_dirs(content_dir) if d.is_dir() for p in d.glob("*.yaml")})


def load_profile(name: str = DEFAULT_PROFILE, content_dir: Path | None = None) -> Profile:
    return _load(name, profile_dirs(content_dir))


@lru_cache(maxsize=None)
def _load(name: str, dirs: tuple[Path, ...]) -> Profile:
    raw = _raw(name, dirs, ())
    sections = tuple(Section(s["key"], s["title"], s.get("template", f"sections/{s['key']}.html"),
                             bool(s.get("numbered", True))) for s in raw["sections"])
    glossary = raw.get("glossary")
    numbering = raw.get("numbering", NUMBERING[0])
    if numbering not in NUMBERING:
        raise ContentError([Problem(raw["_source"], None, "numbering", "章节编号方式不正确",
                                    "以下之一：" + "、".join(NUMBERING), str(numbering))])
    return Profile(raw["name"], raw["title"], sections, tuple(raw.get("charts", ())),
                   json.dumps(raw.get("tables", {}), ensure_ascii=False, sort_keys=True),
                   tuple(sorted((raw.get("phrases") or {}).items())),
                   tuple(sorted((raw.get("rules") or {}).items())),
                   glossary, raw["_source"], numbering)


def _raw(name: str, dirs: tuple[Path, ...], seen: tuple[str, ...]) -> dict:
    path = next((d / f"{name}.yaml" for d in dirs if (d / f"{name}.yaml").is_file()), None)
    if path is None:
        raise ContentError([Problem("--profile / site.yaml profile", None, "", f"没有名为 {name} 的省份格式",
                                    "以下之一：" + "、".join(sorted({p.stem for d in dirs if d.is_dir()
                                                                      for p in d.glob("*.yaml")})), name)])
    if name in seen:
        raise ContentError([Problem(str(path), None, "extends", "省份格式循环继承", "不循环的继承关系",
                                    " → ".join((*seen, name)))])
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw.setdefault("name", name)
    if raw.get("glossary"):
        raw["glossary"] = str(path.parent / raw["glossary"])  # relative to the profile that names it
    base = raw.pop("extends", None)
    if base:
        parent = _raw(str(base), dirs, (*seen, name))
        raw = {**parent, **raw, "tables": {**parent.get("tables", {}), **raw.get("tables", {})}}
    raw["_source"] = str(path)
    return raw
