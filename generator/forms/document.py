"""The document's top-level shape as profile data: the cover wording, the parts and the 概况 sections.

A profile may set:

- ``cover``: the cover's two lines, ``{department: "{department}", title: "{year} 年度部门决算"}`` by default;
  ``{department}`` and ``{year}`` are filled in by the tool. ``approvals: false``: the cover prints no 保密审查
  and 审签 lines (Shanghai's).
- ``parts``: the parts (第一部分…) in order, each ``{key, title}``; a part's number is its place in the list.
  The keys are PART_KEYS; a title may hold ``{department}`` and ``{year}``. Each part keeps its anchor
  (``#part-1`` is always the 概况, ``#part-2`` the 情况说明…) whatever its place, so links into a page stay valid.
- ``overview``: the sections of the 概况 in order, each ``{key, title}``, numbered 一、二、… by their place;
  ``numbered: false`` on a duties section prints the duties as paragraphs, as written (Shanghai's 第一条…).
- ``table_style``: how the 决算表 part prints its tables: ``order`` (the table ids in printed order; by default
  by number), ``zero`` (``blank``: a zero amount is an empty cell, the default; ``zero``: printed 0.00),
  ``department_line`` (the 编制部门 line above each table; default true) and ``index`` (the part's own 目录 of
  tables with 是否空表; default true); ``unit_label`` (the unit line above each table, e.g. 单位：万元; by
  default the year's form's).

A profile that leaves one out takes the Shaanxi shape below (DEFAULT_COVER, DEFAULT_PARTS, DEFAULT_OVERVIEW);
one that sets it sets all of it. The readers put problems in the profile's Reader (file, line, field).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from generator.errors import show
from generator.forms.reading import known, listed
from generator.numerals import cn_number
from generator.source.shapes import FLAG, TEXT, TEXTS, Reader

PLACEHOLDERS = ("department", "year")  # what a cover line or a part title may hold, filled by the tool

# Each part the tool can print: its anchor on the page and its template (under templates/).
PART_KEYS = ("overview", "explanation", "tables", "glossary", "attachments")
PART_ANCHORS = {"overview": "part-1", "explanation": "part-2", "tables": "part-3", "glossary": "part-4",
                "attachments": "part-5"}

# The 概况 sections: ``duties_and_organization`` prints the duties and the 内设机构 as （一）（二）; ``duties`` and
# ``organization`` print them as sections of their own: a profile lists the first, or either or both of the others.
OVERVIEW_KEYS = ("duties_and_organization", "duties", "organization", "units", "staff")
OVERVIEW_ANCHORS = {"duties_and_organization": "overview-duties", "duties": "overview-duties",
                    "organization": "overview-organization", "units": "overview-units", "staff": "overview-staff"}
OVERLAPPING = {"duties_and_organization": ("duties", "organization")}  # print the same thing twice if listed together
# Each 概况 field of a department file, and the sections of the 概况 any of which prints it.
OVERVIEW_FIELDS = {
    "duties": ("duties_and_organization", "duties"),
    "organization": ("duties_and_organization", "organization"),
    "units": ("units",),
    "unit_notes": ("units",),
    "staff": ("staff",),
}

COVER_SHAPE = {"department": TEXT, "title": TEXT, "approvals": FLAG}
TABLE_STYLE_SHAPE = {"order": TEXTS, "zero": TEXT, "department_line": FLAG, "index": FLAG, "unit_label": TEXT}
ZERO_STYLES = ("blank", "zero")  # a zero amount in a table: an empty cell, or 0.00
ITEM_SHAPE = {"key": TEXT, "title": TEXT}
OVERVIEW_ITEM_SHAPE = {**ITEM_SHAPE, "numbered": FLAG}


@dataclass(frozen=True)
class Cover:
    department: str = "{department}"  # the line above the title
    title: str = "{year} 年度部门决算"
    approvals: bool = True  # print 保密审查情况 and 主要负责人审签情况 (the department file's cover:)


@dataclass(frozen=True)
class PartSpec:
    key: str
    title: str  # may hold {department} and {year}


@dataclass(frozen=True)
class OverviewSpec:
    key: str
    title: str
    numbered: bool = True  # the duties as a numbered list (1. 2. …), or as paragraphs printed as written


@dataclass(frozen=True)
class TableStyle:
    order: tuple[str, ...] = ()  # table ids in printed order; empty: by number
    zero: str = "blank"
    department_line: bool = True
    index: bool = True
    unit_label: str = ""  # the unit line above each table (单位：万元); empty: the year's form's


DEFAULT_COVER = Cover()
DEFAULT_PARTS = (PartSpec("overview", "部门概况"), PartSpec("explanation", "{year} 年度部门决算情况说明"),
                 PartSpec("tables", "{year} 年度部门决算表"), PartSpec("glossary", "专业名词解释"),
                 PartSpec("attachments", "附 件"))
DEFAULT_OVERVIEW = (OverviewSpec("duties_and_organization", "部门主要职责及内设机构"),
                    OverviewSpec("units", "部门决算单位构成"), OverviewSpec("staff", "部门人员情况"))


# -- what the templates get ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CoverLines:
    department: str
    title: str
    approvals: bool = True


@dataclass(frozen=True)
class Part:
    """One part as printed: ``number`` is 第一部分…, ``title`` filled in, ``anchor`` its id on the page."""

    key: str
    number: str
    title: str
    anchor: str
    template: str


@dataclass(frozen=True)
class OverviewSection:
    key: str
    number: str  # 一、二、… (without the 、)
    title: str
    anchor: str
    numbered: bool = True  # the duties as a numbered list, or as paragraphs


def fill(text: str, department: str, year: int | str) -> str:
    """A cover line or part title with the department's name and the year put in (checked when read)."""
    return text.format(department=department, year=year)


def cover_lines(cover: Cover, department: str, year: int | str) -> CoverLines:
    return CoverLines(fill(cover.department, department, year), fill(cover.title, department, year), cover.approvals)


def document_parts(parts: tuple[PartSpec, ...], department: str, year: int | str,
                   hidden: frozenset[str] = frozenset()) -> list[Part]:
    """The parts printed, numbered by their place in the profile's list; a part the site hides (``hidden``)
    keeps its number, so the others keep theirs."""
    return [Part(p.key, f"第{cn_number(i)}部分", fill(p.title, department, year), PART_ANCHORS[p.key],
                 f"parts/{p.key}.html")
            for i, p in enumerate(parts, 1) if p.key not in hidden]


def prints_overview_section(parts: tuple[PartSpec, ...], overview: tuple[OverviewSpec, ...], key: str) -> bool:
    """Whether the document prints the 概况 section ``key`` (the 人员 chart goes in ``staff``)."""
    return any(p.key == "overview" for p in parts) and any(s.key == key for s in overview)


def printed_overview_fields(parts: tuple[PartSpec, ...], overview: tuple[OverviewSpec, ...]) -> frozenset[str]:
    """The 概况 fields of a department file that the document prints."""
    return frozenset(name for name, keys in OVERVIEW_FIELDS.items()
                     if any(prints_overview_section(parts, overview, key) for key in keys))


def overview_sections(overview: tuple[OverviewSpec, ...]) -> list[OverviewSection]:
    return [OverviewSection(s.key, cn_number(i), s.title, OVERVIEW_ANCHORS[s.key], s.numbered)
            for i, s in enumerate(overview, 1)]


# -- reading a profile's fields -------------------------------------------------------------------------------------

def read_cover(r: Reader, value: object) -> Cover | None:
    fields = r.shaped(("cover",), value, COVER_SHAPE)
    if not isinstance(value, dict):
        return None
    lines = {key: text for key, text in fields.items() if text and key != "approvals"}
    for key, text in lines.items():
        _placeholders(r, ("cover", key), text)
    return Cover(**lines, approvals=fields["approvals"] is not False)


def read_table_style(r: Reader, value: object, table_ids: tuple[str, ...],
                     required: tuple[str, ...]) -> TableStyle | None:
    """``table_ids``: the tables there are; ``required``: those the order must list (the national ones)."""
    fields = r.shaped(("table_style",), value, TABLE_STYLE_SHAPE)
    if not isinstance(value, dict):
        return None
    order = fields["order"]
    for i, tid in enumerate(order):
        if known(r, ("table_style", "order", i), tid, table_ids, "没有这张表") and tid in order[:i]:
            r.problem(("table_style", "order", i), "同一张表列了两次", "每张表只列一次", show(tid))
    left_out = [tid for tid in required if tid not in order]
    if order and left_out:
        r.problem(("table_style", "order"), "表的印制顺序应列出每一张表（全国统一的九张和本格式增加的）",
                  "、".join(required), "缺 " + "、".join(left_out))
    zero = fields["zero"] or "blank"
    known(r, ("table_style", "zero"), zero, ZERO_STYLES, "零值的印法只能是 blank（空白）或 zero（印 0.00）")
    return TableStyle(tuple(order), zero if zero in ZERO_STYLES else "blank",
                      fields["department_line"] is not False, fields["index"] is not False, fields["unit_label"] or "")


def read_parts(r: Reader, value: object) -> tuple[PartSpec, ...] | None:
    items = _items(r, "parts", value, PART_KEYS, "各部分", "没有这一部分", "同一部分列了两次")
    for i, (key, title, _) in enumerate(items):
        if title:
            _placeholders(r, ("parts", i, "title"), title)
    return tuple(PartSpec(key, title) for key, title, _ in items) if isinstance(value, list) else None


def read_overview(r: Reader, value: object) -> tuple[OverviewSpec, ...] | None:
    items = _items(r, "overview", value, OVERVIEW_KEYS, "概况各节", "概况没有这一节", "同一节列了两次",
                   OVERVIEW_ITEM_SHAPE)
    keys = [key for key, _, _ in items]
    for i, key in enumerate(keys):
        for other in OVERLAPPING.get(key, ()):
            if other in keys:
                r.problem(("overview", i, "key"), f"{key} 已含{other}，二者不能同时列出",
                          f"或列 {key}，或分别列 {'、'.join(OVERLAPPING[key])}", show(other))
    return tuple(OverviewSpec(key, title, fields["numbered"] is not False)
                 for key, title, fields in items) if isinstance(value, list) else None


def _items(r: Reader, field: str, value: object, keys: tuple[str, ...], what: str, unknown: str,
           twice: str, shape: dict = ITEM_SHAPE) -> list[tuple[str, str, dict]]:
    """A list of ``{key, title, …}`` (fields of ``shape``): each key known and listed once, each with a title; at
    least one. Each with its key, title and all its fields."""
    items = listed(r, (field,), value, f"{what}的列表，每项 {{key: …, title: …}}")
    if isinstance(value, list) and not items:
        r.problem((field,), f"{what}至少要有一项", f"{what}的列表", "空列表")
    read, seen = [], set()
    for i, item in enumerate(items):
        path = (field, i)
        fields = r.shaped(path, item, shape, required=("key", "title"))
        key = fields["key"]
        if not key or not known(r, path + ("key",), key, keys, unknown):
            continue
        if key in seen:
            r.problem(path + ("key",), twice, "每项只出现一次", show(key))
            continue
        seen.add(key)
        read.append((key, fields["title"], fields))
    return read


def _placeholders(r: Reader, path: tuple, text: str) -> None:
    """Only ``{department}`` and ``{year}`` may be filled in (no format spec); any other brace is a problem."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:  # a lone { or }
        fields = [("", "", None)]
    if any(name not in PLACEHOLDERS or spec or conversion for name, spec, conversion in fields):
        r.problem(path, "文字中只能用 {department} 代表部门名称、{year} 代表年度", "如 “{year}年度单位决算公开”",
                  show(text))
