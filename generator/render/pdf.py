"""The department's disclosure as a PDF: the print template through WeasyPrint.

Fonts are checked before layout (WeasyPrint would silently draw empty boxes), the build
time comes from SOURCE_DATE_EPOCH when it is set, and the file identifier is a hash of
the content, so the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree as lxml_etree
from lxml import html as lxml_html

from generator.buildtime import CHINA_TIME, build_time
from generator.compute.figures import Computed
from generator.content.siteconfig import Parts, PdfConfig
from generator.errors import ContentError, Problem
from generator.render.charts.numbered import Chart, chart_files
from generator.render.fonts import check_coverage
from generator.render.html import DRAFT_STAMP, render_print


def pdf_filename(c: Computed) -> str:
    """Stable, readable and ASCII (safe on any static host): <id>-<year>.pdf."""
    return f"{c.department.id}-{c.department.year}.pdf"


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
    """Every character that will be drawn: the document's text and what the stylesheet adds."""
    tree = lxml_html.document_fromstring(document)
    for style in tree.iter("style"):
        style.drop_tree()
    # Page numbers "— n —" and dotted leaders; in drafts the stamp and the footer "草稿 · <time> 生成".
    generated = "—.0123456789" + (DRAFT_STAMP + "草稿 · 生成-:" if draft else "")
    return tree.text_content() + generated
