"""The department's disclosure as a PDF: the print template through WeasyPrint.

Fonts are checked before layout (WeasyPrint would silently draw empty boxes), the build
time comes from SOURCE_DATE_EPOCH when it is set, and the file identifier is a hash of
the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree as lxml_etree
from lxml import html as lxml_html

from generator.buildtime import CHINA_TIME, build_time
from generator.compute.figures import Computed
from generator.content.siteconfig import Parts, PdfConfig
from generator.errors import ContentError, Problem
from generator.forms.vocabulary import file_stem
from generator.render.charts.numbered import Chart, chart_files
from generator.render.fonts import check_coverage
from generator.render.html import DRAFT_STAMP, render_print


def pdf_filename(c: Computed) -> str:
    """Stable, readable and ASCII (safe on any static host): <id>-<year>.pdf."""
    return f"{file_stem(c.department.id, c.department.year)}.pdf"


def download_name(c: Computed) -> str:
    """The name a reader's browser saves the PDF under."""
    return f"{c.department.name}{c.department.year}年度部门决算.pdf"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(c: Computed, config: PdfConfig, *, template_dir: str | None = None, findings: list | None = None,
               draft: bool = False, built_at: datetime | None = None, show: Parts = Parts(),
               charts: list[Chart] = ()) -> RenderedPdf:
    """Lay out and write one department's PDF; ContentError if a font lacks a character."""
    from generator.render.pdfengine import (  # loading WeasyPrint costs ~0.5 s: HTML-only runs skip it
        LeanHTML,
        making_pdf,
    )

    document = render_print(c, config, (built_at or build_time()).astimezone(CHINA_TIME), template_dir, findings, draft,
                            show, charts)
    drawn = printed_text(document, draft) + "".join(chart_text(chart.svg) for chart in charts if chart.svg)
    check_coverage(drawn, config.families, c.department.source)
    fetcher = document_fetcher(chart_files(charts))
    with making_pdf():
        try:
            laid_out = LeanHTML(string=document, base_url=DOCUMENT_BASE, url_fetcher=fetcher).render()
        except ForeignResource as exc:
            raise ContentError([Problem(c.department.source.name, None, "", "PDF 不能引用外部的图片或文件",
                                        "只用本工具生成的内容（Markdown 中不要插入图片链接）", exc.url)]) from None
        rendered = RenderedPdf(laid_out.write_pdf(pdf_variant=config.variant, pdf_tags=config.tagged,
                                                  pdf_identifier=True), len(laid_out.pages))
        del laid_out  # garbage when making_pdf collects
    return rendered


# Relative URLs in the print document resolve under this base; only the department's own generated
# files (its charts) are served there, from memory. Nothing else is fetched: no network, no local
# files, whatever an author writes into the content.
DOCUMENT_BASE = "file:///juesuan-document/"


class ForeignResource(Exception):
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def document_fetcher(files: dict[str, bytes]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Refused(FatalURLFetchingError, ForeignResource):
        pass

    class DocumentFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = url[len(DOCUMENT_BASE):] if url.startswith(DOCUMENT_BASE) else None
            if name in files:
                return URLFetcherResponse(url, files[name], {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise Refused(url)

    return DocumentFetcher()


def chart_text(svg: bytes) -> str:
    """The characters an SVG chart draws."""
    return "\n".join(lxml_etree.fromstring(svg).itertext())


def printed_text(document: str, draft: bool) -> str:
    """Every character that will be drawn: the document's text, what its stylesheets generate, and in drafts the
    watermark's stamp."""
    tree = lxml_html.document_fromstring(document)
    styles = []
    for style in tree.iter("style"):
        styles.append(style.text or "")
        style.drop_tree()
    return tree.text_content() + "".join(generated_text(css) for css in styles) + (DRAFT_STAMP if draft else "")


CONTENT = re.compile(r"content\s*:([^;}]*)")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
LEADERS = {"dotted": ".", "solid": "_", "space": " "}  # WeasyPrint's leader() keywords


def generated_text(css: str) -> str:
    """The characters a stylesheet's ``content`` declarations draw: their strings, the digits of counters
    (page numbers, 目录 page references) and leaders; read from the stylesheet itself, so that a template
    override's own footer or numbering is covered too."""
    drawn = []
    for value in CONTENT.findall(css):
        drawn += [a or b for a, b in QUOTED.findall(value)]
        if "counter(" in value:
            drawn.append("0123456789")
        drawn += [LEADERS[k] for k in re.findall(r"leader\(\s*(\w+)\s*\)", value) if k in LEADERS]
    return "".join(drawn)
