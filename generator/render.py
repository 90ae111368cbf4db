"""Rendering with Jinja: the environment, its formatting filters, Markdown, pages.

Templates are searched in the user's directory first, then the built-in ones; the
prefix ``builtin/`` always reaches the original, so an override can extend it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined,
                    select_autoescape)
from markdown_it import MarkdownIt
from markupsafe import Markup

from .compute import Computed
from .grid import build_grids
from .money import format_amount, format_percent, format_table_amount
from .profiles import load_profile

_HERE = Path(__file__).parent
BUILTIN_TEMPLATES = _HERE / "templates" if (_HERE / "templates").is_dir() else _HERE.parent / "templates"
CN_NUMERALS = "一二三四五六七八九十"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown(text: str) -> Markup:
    """Author prose → HTML. Raw HTML in the source is shown as text, never passed through."""
    return Markup(_markdown.render(text or ""))


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一 (section and part numbers)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


@lru_cache(maxsize=8)
def environment(template_dir: str | None = None) -> Environment:
    builtin = FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders = [FileSystemLoader(template_dir)] if template_dir else []
    env = Environment(
        loader=ChoiceLoader([PrefixLoader({"builtin": builtin}), *loaders, builtin]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=format_table_amount, amount=format_amount, pct=format_percent, md=markdown, cn=cn_number)
    return env


def render_department(c: Computed, template_dir: str | None = None, root: str = "../../",
                      findings: list | None = None, draft: bool = False) -> str:
    """The department's whole disclosure as one HTML page (a draft lists the check findings)."""
    d = c.department
    context = {
        "draft": draft,
        "findings": findings or [],
        "dept": d,
        "form": c.form,
        "profile": load_profile(),
        "grids": build_grids(c),
        "n": c.narrative,
        "root": root,
        "title": c.form.title_format.format(year=d.year),
    }
    return environment(template_dir).get_template("department.html").render(context)
