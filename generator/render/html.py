"""Rendering with Jinja: the environment, its formatting filters, Markdown, pages.

Templates are searched in the user's directory first, then the built-in ones; the
prefix ``builtin/`` always reaches the original, so an override can extend it.
"""

from __future__ import annotations

import base64
import traceback
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from markupsafe import Markup

from generator.compute.figures import Computed
from generator.content.model import Department
from generator.content.siteconfig import Parts, PdfConfig, SiteConfig
from generator.errors import ContentError, Problem, described
from generator.forms.document import cover_lines, document_parts, overview_sections
from generator.forms.vocabulary import department_folder
from generator.money import (
    format_amount,
    format_percent,
    format_plain,
    format_table_amount,
)
from generator.numerals import cn_number
from generator.render.assets import Assets
from generator.render.charts.numbered import Chart
from generator.render.context import DEPARTMENT_PAGE, PRINT_DOCUMENT, WATERMARK
from generator.render.evalgrid import evaluation_rows, paragraphs
from generator.render.grid import grids_of
from generator.render.opendata.files import DataLinks
from generator.render.pagemeta import PageMeta, department_description, site_links
from generator.render.printwidths import GEOMETRY, print_widths
from generator.render.siteindex import INDEX, canonical
from generator.resources import BUILTIN_TEMPLATES
from generator.source.markdown import markdown_parser

DRAFT_STAMP = "仅供内部审核"

_markdown = markdown_parser()
SCROLL_REGION = '<div class="table-scroll" role="group" tabindex="0" aria-label="表格（可左右滑动查看）">\n'


def _scrolling_table_open(self, tokens, idx, options, env):
    """Wide tables in prose scroll inside a keyboard-focusable region, like the nine tables."""
    return SCROLL_REGION + self.renderToken(tokens, idx, options, env)


def _scrolling_table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


_markdown.add_render_rule("table_open", _scrolling_table_open)
_markdown.add_render_rule("table_close", _scrolling_table_close)


def markdown(text: str) -> Markup:
    """Author prose → HTML. Raw HTML in the source is shown as text, never passed through."""
    return Markup(_markdown.render(text or ""))


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
    env.filters.update(money=format_table_amount, amount=prose_amount, pct=percent, md=markdown, cn=cn_number,
                       amount_plain=format_plain, paragraphs=paragraphs, as_entered=lambda v: f"{v:f}",
                       asset=Assets.of(template_dir).path)
    return env


# Whether the document being rendered prints prose amounts with thousands separators (its profile's
# ``amount_style``): read by the ``amount`` filter, which macros imported without the context use too.
GROUPED_AMOUNTS: ContextVar[bool] = ContextVar("grouped_amounts", default=False)


class UndefinedPercent(ValueError):
    """A template printed a share or rate that has no value: its base is zero (or it was never given)."""


def percent(value: Decimal | None) -> str:
    """The ``pct`` filter: a percentage at two decimals. A percentage over a zero base is never printed, so a
    template must ask ``is not none`` first; one that does not is stopped here rather than printing 0.00."""
    if value is None:
        raise UndefinedPercent("百分比的分母为零（或没有填写），不能印出：模板应先判断 is not none")
    return format_percent(value)


def prose_amount(value) -> str:
    return format_amount(value, GROUPED_AMOUNTS.get())


@contextmanager
def amount_style(c: Computed) -> Iterator[None]:
    """Render ``c`` with its profile's way of writing amounts in prose."""
    token = GROUPED_AMOUNTS.set(c.profile.phrase("amount_style") == "千分位")
    try:
        yield
    finally:
        GROUPED_AMOUNTS.reset(token)


def department_context(c: Computed, findings: list | None, draft: bool, show: Parts, charts: list[Chart]) -> dict:
    """What every rendering of a department sees: the page and the PDF come from the same parts
    (``context.DISCLOSURE``; each render function adds its own and builds through its declaration)."""
    d = c.department
    return {
        "draft": draft,
        "show": show,
        "charts": charts,
        "evaluation_groups": evaluation_groups(d),
        "findings": findings or [],
        "dept": d,
        "glossary": c.glossary,
        "form": c.form,
        "profile": c.profile,
        "outline": c.profile.outline(d.narrative.written()),
        "numbers": c.profile.numbers(),
        "grids": grids_of(c),
        "n": c.narrative,
        "title": c.form.title_format.format(year=d.year),
        "cover": cover_lines(c.profile.cover, d.name, d.year),
        "parts": document_parts(c.profile.parts, d.name, d.year, hidden_parts(show)),
        "overview": overview_sections(c.profile.overview),
        "nothing": c.profile.none_sentences(d.name, d.year),
    }


def hidden_parts(show: Parts) -> frozenset[str]:
    """The parts site.yaml's ``show:`` leaves out (they keep their number: the others keep theirs)."""
    return frozenset(key for key, shown in (("glossary", show.glossary), ("attachments", show.attachments))
                     if not shown)


@dataclass(frozen=True)
class EvaluationGroup:
    title: str
    tables: list[dict]  # {"id", "evaluation", "rows", "toc_title"}


def evaluation_groups(d: Department) -> list[EvaluationGroup]:
    """The 绩效自评表 of 第五部分, grouped as the documents print them, each laid out for the template."""
    groups = []
    if d.evaluations.overall:
        ev = d.evaluations.overall
        groups.append(EvaluationGroup("部门整体支出绩效自评表", [{"id": "evaluation-overall", "evaluation": ev,
                                                              "rows": evaluation_rows(ev), "toc_title": ev.title}]))
    if d.evaluations.projects:
        titles = Counter(ev.title for ev in d.evaluations.projects)
        groups.append(EvaluationGroup("项目支出绩效自评表", [
            {"id": f"evaluation-project-{i}", "evaluation": ev, "rows": evaluation_rows(ev),
             # the 目录 tells tables of one title apart by their project's name
             "toc_title": f"{ev.title}（{ev.name}）" if titles[ev.title] > 1 and ev.name else ev.title}
            for i, ev in enumerate(d.evaluations.projects, 1)]))
    return groups


@dataclass(frozen=True)
class PdfLink:
    """The department's PDF as the page links to it."""

    href: str
    download: str
    size: int

    @property
    def size_label(self) -> str:
        return f"{self.size / 1024 / 1024:.1f} MB" if self.size >= 1024 * 1024 else f"{max(1, self.size // 1024)} KB"


def render_department(c: Computed, config: SiteConfig, template_dir: str | None = None,
                      findings: list | None = None, draft: bool = False, pdf: PdfLink | None = None,
                      data: DataLinks | None = None, charts: list[Chart] = (), updated: date | None = None) -> str:
    """The department's whole disclosure as one HTML page (a draft lists the check findings); ``updated``: the day
    it is generated (see ``pagemeta``)."""
    d = c.department
    shared = department_context(c, findings, draft, config.show, list(charts))
    context = DEPARTMENT_PAGE.context(
        **shared,
        page=PageMeta(department_description(d.name, shared["title"], [p.title for p in shared["parts"]]),
                      "article", d.published, updated),
        links=site_links(config, draft),
        root="../../",
        site=config.site,
        canonical=canonical(config, department_folder(d.year, d.id) + INDEX),
        crumbs=[("首页", f"../../{INDEX}"), (f"{d.year} 年度", f"../{INDEX}"), (d.name, "")],
        pdf=pdf,
        data=data,
        column_widths={},  # the screen lays tables out by their content
    )
    with amount_style(c):
        return environment(template_dir).get_template(DEPARTMENT_PAGE.template).render(context)


def render_print(c: Computed, config: PdfConfig, built_at: datetime, template_dir: str | None = None,
                 findings: list | None = None, draft: bool = False, show: Parts = Parts(),
                 charts: list[Chart] = ()) -> str:
    """The disclosure as one HTML document for WeasyPrint, with its print stylesheet inlined."""
    env = environment(template_dir)
    fonts = PrintFonts(config.body_fonts, config.heading_fonts)
    watermark_uri = ""
    if draft:
        svg = env.get_template(WATERMARK.template).render(WATERMARK.context(fonts=fonts, text=DRAFT_STAMP))
        watermark_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    parts = department_context(c, findings, draft, show, list(charts))
    context = PRINT_DOCUMENT.context(
        **parts,
        pdf=None,
        data=None,
        column_widths=print_widths(parts["grids"], parts["evaluation_groups"]),
        geometry=GEOMETRY,
        fonts=fonts,
        built_at=built_at,
        built_label=built_at.strftime("%Y-%m-%d %H:%M"),
        watermark_uri=watermark_uri,
    )
    with amount_style(c):
        return env.get_template(PRINT_DOCUMENT.template).render(context)


@dataclass(frozen=True)
class PrintFonts:
    """Font families for the print stylesheet, already quoted for CSS."""

    body: tuple[str, ...]
    heading: tuple[str, ...]

    @property
    def body_css(self) -> str:
        return css_families(self.body, "serif")

    @property
    def heading_css(self) -> str:
        return css_families(self.heading, "sans-serif")


def css_families(names: tuple[str, ...], generic: str) -> str:
    quoted = ('"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"' for name in names)
    return ", ".join((*quoted, generic))


def template_problem(exc: Exception, dept: Department | None = None) -> Problem:
    """A template error (usually in a user's override) as a located message."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "模板"
    line = getattr(exc, "lineno", None)
    # Runtime errors carry no location; Jinja rewrites the traceback so that its
    # last template frame names the template file and line.
    frames = template_frames(exc)
    if line is None and frames:
        name, line = frames[-1].filename, frames[-1].lineno
    if isinstance(exc, UndefinedError):
        message = f"模板引用了不存在的数据：{exc.message}"
    elif isinstance(exc, TemplateSyntaxError):
        message = f"模板语法错误：{exc.message}"
    elif isinstance(exc, TemplateNotFound):
        message = f"找不到模板 {exc.name}"
    elif isinstance(exc, TemplateError):
        message = f"模板出错：{exc}"
    else:  # raised by an expression, e.g. arithmetic on a text
        message = f"模板出错：{described(exc)}"
    during = f"生成 {dept.year} 年度 {dept.name} 时" if dept else "生成站点首页、年度页等页面时"
    return Problem(str(name), line, "", f"{message}（{during}）")


@contextmanager
def template_errors_reported(dept: Department | None = None) -> Iterator[None]:
    """An error a template raised (Jinja's own, or an expression's) goes on as a ContentError located in the
    template; any other exception goes on as it is."""
    try:
        yield
    except ContentError:
        raise
    except Exception as exc:
        if not raised_in_template(exc):
            raise
        raise ContentError([template_problem(exc, dept)]) from None


def raised_in_template(exc: BaseException) -> bool:
    """A Jinja error, or an exception an expression of a template raised (arithmetic on a text…)."""
    return isinstance(exc, TemplateError) or bool(template_frames(exc))


def template_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
