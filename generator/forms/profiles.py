"""Province profiles as data: the table set and layouts, the 情况说明 sections, phrasing, charts, glossary.

A profile file (``<name>.yaml``) is looked up in the site's own ``<content>/profiles/`` first,
then among the built-in ones (generator/data/profiles). ``extends`` names the profile it
builds on; ``tables`` adds or replaces table layouts on top of the year's national form
(same format as the layout files); ``sections`` lists the 情况说明 in order.
``toc_depth`` limits the 目录 to the first levels of the 情况说明 (Shanghai lists only 一、二、…).
``numbering`` says how numbered sections count: ``numbered-only`` (default: 一、二、… over the
numbered sections only) or ``position`` (a section's number is its place in the list, unnumbered
ones included, as Sichuan prints 四、 after three unnumbered sections).
``glossary`` names a glossary file relative to the profile file (the built-in ones are in
generator/data/glossaries; a site may keep its own beside its profile: a file of the profiles
folder whose top level is ``terms:`` is a glossary, never offered as a profile).
``cover``, ``parts``, ``overview`` and ``table_style`` give the document's top-level shape: the cover's wording,
the parts (第一部分…) in order with their titles, the 概况's sections and how the tables are printed (read in
generator/forms/document.py).

A profile is named, never given as a path (``PROFILE_NAME``), and what it refers to stays in its home
(``_home``): a site's profiles folder, or for the built-in ones the package's data folder. A file whose
real path (symlinks followed) leaves that home does not exist for the tool, so no message tells whether
some file elsewhere exists.

Every file is read like a department file: a problem names the file, line and field, and all the
problems of a profile and those it extends are raised together.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.errors import ContentError, Problem, show
from generator.forms.chartkinds import chart_kinds
from generator.forms.document import (
    DEFAULT_COVER,
    DEFAULT_OVERVIEW,
    DEFAULT_PARTS,
    Cover,
    OverviewSpec,
    PartSpec,
    TableStyle,
    read_cover,
    read_overview,
    read_parts,
    read_table_style,
)
from generator.forms.glossary import glossary_file, is_glossary
from generator.forms.layouts import NATIONAL_TABLES, TABLE_IDS, read_tables
from generator.forms.reading import data_file, known, listed, missing
from generator.forms.sections import MAX_DEPTH, Heading, Section, outline, read_sections, walk
from generator.forms.wording import none_sentences, read_wording
from generator.forms.vocabulary import VEHICLE_KINDS
from generator.resources import DATA
from generator.source.shapes import Reader, one_of, suggestion
from generator.source.yamlfile import inside

PROFILE_DIR = DATA / "profiles"
DEFAULT_PROFILE = "shaanxi"
SITE_PROFILES = "profiles"  # the folder, in the content directory, of a site's own profiles
NUMBERING = ("numbered-only", "position")  # how numbered sections count (see the module docstring)
# The switches of profile-specific checks (generator/checks asks ``profile.rule(name)``).
RULES = ("evaluations_match_accounts", "operating_costs_equals_public")
# Phrasing variants the templates ask for (``profile.phrase(name)``), with the values they know;
# without one, the Shaanxi wording.
PHRASES = {"code_style": ("类款项",), "amount_style": ("千分位",), "zero_parts": ("不列",),
           "three_public_change": ("增减额和幅度",)}
PROFILE_KEYS = ("name", "title", "extends", "sections", "charts", "tables", "phrases", "rules", "glossary", "numbering",
                "cover", "parts", "overview", "table_style", "toc_depth", "wording", "vehicle_names")  # the last four: the document's shape (forms/document.py)
REQUIRED = {"title": "文字", "sections": "情况说明各节的列表"}  # in the profile or one it extends
PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    sections: tuple[Section, ...]  # the 情况说明's sections, each with its sub-sections (generator/forms/sections.py)
    charts: tuple[str, ...] = ()  # keys of data/charts.yaml, numbered in document order
    tables_json: str = "{}"  # layout overrides and additions, by table id (JSON: keeps the profile hashable)
    phrases: tuple[tuple[str, str], ...] = ()  # phrasing variants, e.g. ("code_style", "类款项")
    rules: tuple[tuple[str, bool], ...] = ()  # profile-specific checks switched on
    glossary: str | None = None  # a glossary file next to the profile, replacing the default terms
    source: str = ""  # where the profile was read from
    numbering: str = "numbered-only"  # or "position": unnumbered sections take up a number too
    lineage: tuple[str, ...] = ()  # this profile's name, then those it extends, nearest first
    cover: Cover = DEFAULT_COVER  # the cover's wording
    parts: tuple[PartSpec, ...] = DEFAULT_PARTS  # 第一部分…: which parts, in order, with their titles
    overview: tuple[OverviewSpec, ...] = DEFAULT_OVERVIEW  # the 概况's sections, in order
    table_style: TableStyle = TableStyle()  # the tables' order, zeros, 编制部门 line and 目录
    toc_depth: int = 0  # how many levels of the 情况说明 the 目录 lists; 0: all
    wording: tuple[tuple[str, str], ...] = ()  # “nothing to report” sentences replacing the built-in ones (forms/wording.py)
    vehicle_names: tuple[tuple[str, str], ...] = ()  # national vehicle kind → the name the form prints it under

    @property
    def section_keys(self) -> tuple[str, ...]:
        """Every section's key, sub-sections included, in document order."""
        return tuple(s.key for s in walk(self.sections))

    @property
    def tables(self) -> dict:
        return json.loads(self.tables_json)

    def phrase(self, name: str, default: str = "") -> str:
        return dict(self.phrases).get(name, default)

    def none_sentences(self, department: str, year: int) -> dict[str, str]:
        """Each “nothing to report” sentence of this form, the department's name and year filled in."""
        return none_sentences(dict(self.wording), department, year)

    def rule(self, name: str) -> bool:
        return dict(self.rules).get(name, False)

    def outline(self, written: frozenset[str] | None = None) -> tuple[Heading, ...]:
        """The 情况说明's headings, numbered per level among siblings: counting only the numbered ones, or, with
        ``numbering: position``, every one (unnumbered ones keep their place). Given the sections a department
        ``written``, the optional ones it did not write are left out."""
        return outline(self.sections, self.numbering, written=written)

    def numbers(self) -> dict[str, str]:
        """Each section's numeral alone (四 for 四、, 一 for （一）, 1 for 1、; "" when unnumbered), by key."""
        return {h.key: h.number for h in walk(self.outline())}


def profile_dirs(content_dir: Path | None) -> tuple[Path, ...]:
    site = (content_dir / SITE_PROFILES,) if content_dir is not None else ()
    return (*site, PROFILE_DIR)


def available_profiles(content_dir: Path | None = None) -> list[str]:
    return _names(profile_dirs(content_dir))


def profile_files(content_dir: Path | None = None) -> list[tuple[str, Path]]:
    """Every profile by name with the file it is read from (a site's own before a built-in one of the same name)."""
    dirs = profile_dirs(content_dir)
    return [(name, _path(name, dirs)) for name in _names(dirs)]


def is_builtin(path: Path) -> bool:
    return path.parent == PROFILE_DIR


def load_profile(name: str = DEFAULT_PROFILE, content_dir: Path | None = None) -> Profile:
    return _load(name, profile_dirs(content_dir))


def _names(dirs: tuple[Path, ...]) -> list[str]:
    """The profiles of ``dirs``: their YAML files but the glossaries kept beside them."""
    return sorted({p.stem for d in dirs if d.is_dir() for p in d.glob("*.yaml") if _usable(p, d)})


def _path(name: str, dirs: tuple[Path, ...]) -> Path | None:
    """The file of profile ``name``: the first of ``dirs`` that has it."""
    if not PROFILE_NAME.match(name):
        return None
    return next((d / f"{name}.yaml" for d in dirs if _usable(d / f"{name}.yaml", d)), None)


def _usable(path: Path, folder: Path) -> bool:
    """Whether ``path`` is a profile of ``folder``: a regular file with a profile's name, inside its home."""
    return (bool(PROFILE_NAME.match(path.stem)) and path.is_file() and inside(path, _home(folder))
            and not is_glossary(path))


def _home(folder: Path) -> Path:
    """Where the files of the profiles in ``folder`` must be: the data folder for the built-in ones (their glossaries
    are in data/glossaries), a site's profiles folder for its own."""
    return DATA if folder == PROFILE_DIR else folder


@lru_cache(maxsize=None)
def _load(name: str, dirs: tuple[Path, ...]) -> Profile:
    path = _path(name, dirs)
    if path is None:
        raise ContentError([Problem("--profile / site.yaml profile", None, "", f"没有名为 {name} 的省份格式",
                                    one_of(_names(dirs)), show(name))])
    problems: list[Problem] = []
    r, fields, complete = _inherited(path, dirs, (), problems)
    for key, expected in REQUIRED.items():
        if complete and fields.get(key) is None:
            missing(r, (key,), f"{expected}（本格式和它继承的格式都没有）")
    problems += r.problems
    if problems:
        raise ContentError(problems)
    return Profile(fields["name"], fields["title"], fields["sections"], fields.get("charts", ()),
                   json.dumps(fields.get("tables", {}), ensure_ascii=False, sort_keys=True, default=str),
                   tuple(sorted(fields.get("phrases", {}).items())), tuple(sorted(fields.get("rules", {}).items())),
                   fields.get("glossary"), str(path), fields.get("numbering", NUMBERING[0]), fields["lineage"],
                   fields.get("cover", DEFAULT_COVER), fields.get("parts", DEFAULT_PARTS),
                   fields.get("overview", DEFAULT_OVERVIEW), fields.get("table_style", TableStyle()),
                   fields.get("toc_depth", 0), tuple(sorted(fields.get("wording", {}).items())),
                   tuple(fields.get("vehicle_names", {}).items()))


def _inherited(path: Path, dirs: tuple[Path, ...], seen: tuple[str, ...],
               problems: list[Problem]) -> tuple[Reader, dict, bool]:
    """The profile file's Reader; its fields over those of the profiles it extends (whose problems go to
    ``problems``; its own stay in the Reader); and whether that chain could be followed to its end."""
    r = data_file(path)
    fields = {"name": path.stem, **_fields(r, path, dirs), "lineage": (path.stem,)}
    if "extends" not in fields:
        return r, fields, True
    base = fields.pop("extends")
    if base is None:
        return r, fields, False
    if base in (*seen, path.stem):
        r.problem(("extends",), "省份格式循环继承", "不循环的继承关系", " → ".join((*seen, path.stem, base)))
        return r, fields, False
    try:
        parent_reader, parent, complete = _inherited(_path(base, dirs), dirs, (*seen, path.stem), problems)
    except ContentError as error:  # the parent's YAML cannot be read
        problems += error.problems
        return r, fields, False
    problems += parent_reader.problems
    tables = {**parent.get("tables", {}), **fields.get("tables", {})}
    wording = {**parent.get("wording", {}), **fields.get("wording", {})}
    return r, {**parent, **fields, "tables": tables, "wording": wording, "lineage": (path.stem, *parent["lineage"])}, complete


def _fields(r: Reader, path: Path, dirs: tuple[Path, ...]) -> dict:
    """The fields one profile file sets, checked (an absent field is inherited; a wrong one is None)."""
    data = r.mapping((), r.source.data, "省份格式")
    r.unknown_keys((), data, PROFILE_KEYS)
    readers = {"name": lambda v: r.text(("name",), v), "title": lambda v: r.text(("title",), v),
               "extends": lambda v: _extends(r, v, dirs), "sections": lambda v: read_sections(r, v),
               "charts": lambda v: _charts(r, v), "tables": lambda v: _tables(r, v),
               "phrases": lambda v: _phrases(r, v), "rules": lambda v: _rules(r, v),
               "glossary": lambda v: _glossary(r, v, path), "numbering": lambda v: _numbering(r, v),
               "cover": lambda v: read_cover(r, v), "parts": lambda v: read_parts(r, v),
               "overview": lambda v: read_overview(r, v), "table_style": lambda v: read_table_style(r, v, TABLE_IDS, NATIONAL_TABLES),
               "toc_depth": lambda v: _toc_depth(r, v), "wording": lambda v: read_wording(r, v),
               "vehicle_names": lambda v: _vehicle_names(r, v)}
    fields = {key: readers[key](value) for key, value in data.items() if key in readers and value is not None}
    return {key: value for key, value in fields.items() if value is not None or key == "extends"}


def _vehicle_names(r: Reader, value: object) -> dict[str, str]:
    """``vehicle_names:``: a national vehicle kind → the name this form prints it under (Shanghai: 部级领导干部用车)."""
    names = {}
    for kind, name in r.mapping(("vehicle_names",), value, "车辆类别的印法（全国统一类别: 本格式印作）").items():
        if known(r, ("vehicle_names", kind), kind, VEHICLE_KINDS, "不是全国统一的车辆类别") and (
                text := r.text(("vehicle_names", kind), name)):
            names[kind] = text
    return names


def _extends(r: Reader, value: object, dirs: tuple[Path, ...]) -> str | None:
    name = r.text(("extends",), value)
    if not name or _path(name, dirs) is not None:
        return name or None
    names = _names(dirs)
    r.problem(("extends",), f"没有名为 {name} 的省份格式{suggestion(name, names)}", one_of(names), show(value))
    return None


def _charts(r: Reader, value: object) -> tuple[str, ...]:
    items = listed(r, ("charts",), value, "图的列表，如 [totals_change, income_structure]，不要图时写 []")
    kinds = chart_kinds()
    return tuple(str(key) for i, key in enumerate(items) if known(r, ("charts", i), key, tuple(kinds), "没有这种图"))


def _tables(r: Reader, value: object) -> dict:
    """The layouts as written (read again with the year's form, see layouts.load_form): checked here."""
    read_tables(r, ("tables",), value, ())
    return value if isinstance(value, dict) else {}


def _phrases(r: Reader, value: object) -> dict[str, str]:
    phrases = {}
    for name, text in r.mapping(("phrases",), value, "措辞变体（名称: 写法）").items():
        if known(r, ("phrases", name), name, tuple(PHRASES), "没有这种措辞变体"):
            wording = r.text(("phrases", name), text)
            if known(r, ("phrases", name), wording, PHRASES[name], f"措辞变体 {name} 没有这种写法"):
                phrases[name] = wording
    return phrases


def _rules(r: Reader, value: object) -> dict[str, bool]:
    rules = {}
    for name, switch in r.mapping(("rules",), value, "审核规则开关（名称: true 或 false）").items():
        if known(r, ("rules", name), name, RULES, "没有这个规则开关"):
            on = r.flag(("rules", name), switch)
            if on is not None:
                rules[name] = on
    return rules


def _glossary(r: Reader, value: object, path: Path) -> str | None:
    """A glossary file, relative to the profile file; its own problems are the profile's too."""
    name = r.text(("glossary",), value)
    if not name:
        return None
    target = path.parent / name
    if not inside(target, _home(path.parent)):
        r.problem(("glossary",), "名词解释文件应在本格式文件所在的目录中", "相对于本格式文件所在目录的路径，如 my-glossary.yaml",
                  show(name))
        return None
    if not target.is_file():
        r.problem(("glossary",), "名词解释文件不存在", "已有的名词解释文件，路径相对于本格式文件所在的目录", show(name))
        return None
    try:
        glossary_file(os.path.normpath(target))
    except ContentError as error:
        r.problems.extend(error.problems)
        return None
    return os.path.normpath(target)


def _toc_depth(r: Reader, value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DEPTH:
        return value
    r.problem(("toc_depth",), "目录列出情况说明的级数不正确", f"整数 1 到 {MAX_DEPTH}（1：只列一、二、……）", show(value))
    return None


def _numbering(r: Reader, value: object) -> str | None:
    text = r.text(("numbering",), value)
    return text if known(r, ("numbering",), text, NUMBERING, "章节编号方式不正确") else None
