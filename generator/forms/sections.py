"""The 情况说明 as a profile writes it: a tree of sections, their keys, numbers and headings.

Each built-in key (``SECTION_KEYS``) names what a section explains: its built-in template
(templates/sections/<key>.html, which a profile may replace by naming another) and, for most, the figures
narrative.describe gives under the same key. ``staff`` is where 第一部分's 人员 chart goes, before the 情况说明.

A section may hold sub-sections (``sections:``), down to ``MAX_DEPTH`` levels. A section with sub-sections may
have a key of its own (``GROUP_KEY``, e.g. ``other_matters`` for Shanxi's 十、其他重要事项情况说明): it then prints
only its heading and its sub-sections, unless it names a ``template``. Every key appears once in the whole tree.
A section marked ``optional`` (Sichuan's （五）其他需要说明的情况) is printed only when the department wrote it.

Numbers are counted per level among siblings, in one vocabulary (``NUMBER_STYLES``): by default 一、 on the first
level, （一） on the second, 1、 on the third (``DEPTH_STYLES``); a section may choose another style.
``outline`` computes them, so that templates only print ``heading.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from generator.errors import show
from generator.forms.reading import known, listed
from generator.numerals import cn_number
from generator.source.shapes import FLAG, TEXT, Reader

SECTION_KEYS = ("overall", "income", "expenditure", "fiscal", "general_budget", "basic", "gov_fund", "soe_capital",
                "three_public", "operating_costs", "procurement", "assets", "performance", "other")
STAFF_SECTION = "staff"
MAX_DEPTH = 3
# How a number is printed, by the style's name as it looks: {cn} is the Chinese numeral, {n} the Arabic one.
NUMBER_STYLES = {"一、": "{cn}、", "（一）": "（{cn}）", "1、": "{n}、", "1.": "{n}.", "（1）": "（{n}）"}
DEPTH_STYLES = ("一、", "（一）", "1、")  # the style of each level unless a section names its own
GROUP_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # the key of a section of sub-sections that is not a built-in one
SECTION_SHAPE = {"key": TEXT, "title": TEXT, "toc_title": TEXT, "template": TEXT, "numbered": FLAG,
                 "number_style": TEXT, "optional": FLAG, "sections": None}  # sub-sections: read by ``_level``
SECTIONS_EXPECTED = "情况说明各节的列表，每项 {key: …, title: …}"


@dataclass(frozen=True)
class Section:
    key: str  # what it explains (its figures come from narrative.describe under this key), or a group's own name
    title: str
    template: str  # under templates/: sections/<key>.html unless the profile says otherwise; "" for none
    numbered: bool = True
    number_style: str = ""  # one of NUMBER_STYLES; "" for its level's (DEPTH_STYLES)
    sections: tuple[Section, ...] = ()  # its sub-sections, in order
    toc_title: str = ""  # the title as the 目录 prints it, where it differs from the heading's
    optional: bool = False  # printed only when the department wrote it


@dataclass(frozen=True)
class Heading:
    """A section as printed: its number and the heading's level follow its place in the tree."""

    section: Section
    depth: int  # 1 for a section of the 情况说明, 2 for a sub-section, 3 below
    number: str  # the numeral alone: 四, 一, 1; "" when unnumbered
    label: str  # the number as printed before the title: 四、, （一）, 1、; "" when unnumbered
    sections: tuple[Heading, ...] = ()

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def template(self) -> str:
        return self.section.template

    @property
    def text(self) -> str:
        return self.label + self.section.title

    @property
    def toc_text(self) -> str:
        """The heading as the 目录 lists it."""
        return self.label + (self.section.toc_title or self.section.title)

    @property
    def level(self) -> int:
        """The HTML heading's level: h3 under the part's h2, one more for each level down."""
        return self.depth + 2


def walk(nodes: tuple) -> Iterator:
    """Sections (or headings) in document order: each before its sub-sections."""
    for node in nodes:
        yield node
        yield from walk(node.sections)


def outline(sections: tuple[Section, ...], numbering: str, depth: int = 1,
            written: frozenset[str] | None = None) -> tuple[Heading, ...]:
    """The headings of ``sections``, numbered among their siblings: over the numbered ones only, or with
    ``numbering == "position"`` by their place (an unnumbered section keeps its number unprinted). Given the keys
    a department ``written``, an optional section it did not write is left out (the ones after it numbered on)."""
    headings, count = [], 0
    if written is not None:
        sections = tuple(s for s in sections if not s.optional or s.key in written)
    for position, section in enumerate(sections, 1):
        count += section.numbered
        number, label = "", ""
        if section.numbered:
            number, label = numeral(section.number_style or DEPTH_STYLES[depth - 1],
                                    position if numbering == "position" else count)
        headings.append(Heading(section, depth, number, label,
                                outline(section.sections, numbering, depth + 1, written)))
    return tuple(headings)


def numeral(style: str, n: int) -> tuple[str, str]:
    """The ``n``-th number in ``style``: the numeral alone and as printed (``("一", "（一）")``)."""
    form = NUMBER_STYLES[style]
    bare = cn_number(n) if "{cn}" in form else str(n)
    return bare, form.format(cn=bare, n=bare)


def read_sections(r: Reader, value: object) -> tuple[Section, ...]:
    """A profile's ``sections:``, checked: every problem located at its field."""
    items = listed(r, ("sections",), value, SECTIONS_EXPECTED)
    if isinstance(value, list) and not items:
        r.problem(("sections",), "情况说明至少要有一节", "情况说明各节的列表", "空列表")
    return _level(r, ("sections",), items, 1, set())


def _level(r: Reader, path: tuple, items: list, depth: int, seen: set[str]) -> tuple[Section, ...]:
    sections = []
    for i, item in enumerate(items):
        here = path + (i,)
        fields = r.shaped(here, item, SECTION_SHAPE, required=("key", "title"))
        below = item.get("sections") if isinstance(item, dict) else None
        key = fields["key"]
        if key and _key(r, here + ("key",), key, below is not None) and key in seen:
            r.problem(here + ("key",), "同一节列了两次", "每节只出现一次", show(key))
        seen.add(key)
        style = fields["number_style"]
        if style and not known(r, here + ("number_style",), style, tuple(NUMBER_STYLES), "没有这种编号样式"):
            style = ""
        children = _children(r, here + ("sections",), below, depth, seen)
        template = fields["template"] or (f"sections/{key}.html" if key in SECTION_KEYS else "")
        numbered = fields["numbered"] if fields["numbered"] is not None else True
        sections.append(Section(key, fields["title"], template, numbered, style, children, fields["toc_title"] or "",
                                bool(fields["optional"])))
    return tuple(sections)


def _key(r: Reader, path: tuple, key: str, group: bool) -> bool:
    """Whether ``key`` names a section: a built-in one, or for a section of sub-sections a name of its own."""
    if key in SECTION_KEYS or not group:
        return known(r, path, key, SECTION_KEYS, "没有这一节")
    if GROUP_KEY.match(key) and key != STAFF_SECTION:
        return True
    r.problem(path, "含下级节的一节，键应为内置的节或自己起的名字", "内置的节，或小写字母开头的字母、数字和下划线（如 other_matters）",
              show(key))
    return False


def _children(r: Reader, path: tuple, value: object, depth: int, seen: set[str]) -> tuple[Section, ...]:
    if value is None:
        return ()
    if depth >= MAX_DEPTH:
        r.problem(path, f"情况说明最多分 {MAX_DEPTH} 级（一、（一）、1、）", f"第 {MAX_DEPTH} 级的节不再写 sections",
                  f"第 {depth + 1} 级的节")
        return ()
    items = listed(r, path, value, "下级各节的列表，每项 {key: …, title: …}")
    if isinstance(value, list) and not items:
        r.problem(path, "下级节的列表为空", "至少一节；没有下级节时不写 sections", "空列表")
    return _level(r, path, items, depth + 1, seen)
