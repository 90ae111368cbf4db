"""The template variables reference (docs/reference/template-context.md), generated from ``render.context``.

The declared types are resolved against the classes the render functions really pass (``CONTEXT_TYPES``), so a
type that names no class fails here and in the tests; every class of this package they reach is listed with its
fields and properties, as templates read them (``dept.overview.staff.actual_total``).
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from datetime import datetime
from decimal import Decimal

from markupsafe import Markup

from generator.checks.findings import Finding
from generator.content.model import Department
from generator.content.siteconfig import Parts, SiteInfo
from generator.errors import Problem
from generator.forms.document import CoverLines, OverviewSection, Part
from generator.forms.glossary import Term
from generator.forms.layouts import Form
from generator.forms.profiles import Profile
from generator.forms.sections import Heading
from generator.render.charts.numbered import Chart
from generator.render.context import ENTRY_POINTS, FILTERS
from generator.render.grid import Grid
from generator.render.html import EvaluationGroup, PdfLink, PrintFonts
from generator.render.opendata.files import DataLinks
from generator.render.printwidths import Geometry
from generator.render.pagemeta import PageMeta, SiteLinks
from generator.render.siteindex import SitemapUrl, Year

CONTEXT_TYPES = {cls.__name__: cls for cls in (
    Chart, CoverLines, DataLinks, Department, EvaluationGroup, Finding, Form, Geometry, Grid, Heading, OverviewSection,
    Part, Parts, PdfLink, PrintFonts, Problem, Profile, SiteInfo, Term, Year, datetime, Decimal, PageMeta, SiteLinks,
    SitemapUrl, Markup)} | {"Any": typing.Any}

LISTED = "generator."
UNLISTED = "generator.source."  # where a figure was read from: the checks' business, not the templates'

HEADER = """# 模板变量

本页由 `juesuan docs` 根据代码中的声明（`generator/render/context.py`）生成，请勿手工修改。

每个模板入口（由工具直接渲染的模板）收到的变量如下；它包含的模板（`parts/`、`sections/` 等）看到同样的变量。
变量只能是这里列出的：模板使用 `StrictUndefined`，写错的变量名直接报错。测试逐个渲染各入口，核对变量的名称和类型与本页一致。
自定义模板的做法见[自定义模板](../webmasters/templates.md)。"""


def resolve_type(text: str):
    """A declared type ("list[Chart]", "PdfLink | None") as a Python type; NameError for an unknown class."""
    return eval(text, {"__builtins__": {"list": list, "dict": dict, "tuple": tuple, "bool": bool, "str": str,
                                        "int": int, "None": None}}, dict(CONTEXT_TYPES))


def template_context_markdown() -> str:
    lines = [HEADER, "", "| 模板 | 页面 | 渲染它的函数 |", "|---|---|---|"]
    lines += [f"| `{e.template}` | {e.title} | `{e.renderer}` |" for e in ENTRY_POINTS]
    for entry in ENTRY_POINTS:
        lines += ["", f"## {entry.title}：`{entry.template}`", "", entry.doc, "", "| 变量 | 类型 | 说明 |", "|---|---|---|"]
        lines += [f"| `{v.name}` | {type_cell(v.type)} | {cell(v.doc)} |" for v in entry.variables]
    lines += ["", "## 过滤器", "", "除 Jinja 自带的过滤器外，各模板还可以用：", "", "| 过滤器 | 作用 |", "|---|---|"]
    lines += [f"| `{name}` | {cell(doc)} |" for name, doc in FILTERS.items()]
    lines += ["", "## 类型", "", ("上面各变量的类型中本工具自己的类，及它们的字段和属性（模板中写 `变量.字段`）。"
                                  "字段的类型照代码所写；金额为 `Decimal`（万元）。")]
    for cls in classes_reached():
        lines += ["", f"### {cls.__name__}", "", f"`{cls.__module__}.{cls.__qualname__}`", ""]
        members = class_members(cls)
        if members:
            lines += ["| 字段 | 类型 |", "|---|---|"] + [f"| `{name}` | {type_cell(kind)} |" for name, kind in members]
        else:
            lines.append("（没有字段）")
    return "\n".join(lines) + "\n"


def type_cell(text: str) -> str:
    """A type in a table cell: "PdfLink | None" as `PdfLink` 或 `None`, since a pipe would split the cell."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if ch == "|" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return " 或 ".join(f"`{part.replace('|', 'or')}`" for part in parts) if text else ""


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def classes_reached() -> list[type]:
    """This package's classes named by the declarations, and the ones their fields name, in order of first mention."""
    pending = [cls for entry in ENTRY_POINTS for v in entry.variables for cls in _classes(resolve_type(v.type))]
    seen: list[type] = []
    while pending:
        cls = pending.pop(0)
        if cls in seen or not cls.__module__.startswith(LISTED) or cls.__module__.startswith(UNLISTED) \
                or not dataclasses.is_dataclass(cls):
            continue
        seen.append(cls)
        hints = typing.get_type_hints(cls)
        pending += [c for f in dataclasses.fields(cls) for c in _classes(hints.get(f.name))]
    return seen


def _classes(tp) -> list[type]:
    """The classes a type hint names: list[Chart] → [Chart]; PdfLink | None → [PdfLink]."""
    if isinstance(tp, type) and not typing.get_args(tp):
        return [tp]
    return [c for arg in typing.get_args(tp) for c in _classes(arg)]


def class_members(cls: type) -> list[tuple[str, str]]:
    """Fields (in order), then public properties, with their types as the code writes them."""
    members = [(f.name, str(f.type)) for f in dataclasses.fields(cls) if not f.name.startswith("_")]
    for name, member in inspect.getmembers(cls, lambda m: isinstance(m, property)):
        if not name.startswith("_"):
            returns = inspect.signature(member.fget).return_annotation
            members.append((name, "" if returns is inspect.Signature.empty else str(returns)))
    return members
