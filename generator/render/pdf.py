"""The department's disclosure as a PDF: the print template through WeasyPrint.

Fonts are checked before layout (WeasyPrint would silently draw empty boxes), the build
time comes from SOURCE_DATE_EPOCH when it is set, and the file identifier is a hash of
the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from lxml import etree as lxml_etree
from lxml import html as lxml_html

from generator.checks.findings import DEFAULT_TOLERANCE, ERROR
from generator.compute.tables import Computed
from generator.content.siteconfig import Parts, PdfConfig, load_config
from generator.errors import ContentError, Problem
from generator.pipeline.checking import check_files, content_root
from generator.pipeline.staging import write_file
from generator.render.charts.numbered import Chart, chart_files, charts_for
from generator.render.fonts import check_coverage
from generator.render.html import DRAFT_STAMP, render_print, template_errors_reported

CHINA_TIME = timezone(timedelta(hours=8), "CST")


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for a reproducible build; in China Standard Time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.astimezone(CHINA_TIME).replace(microsecond=0)


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


@dataclass
class Preview:
    output: Path
    pages: int = 0
    errors: list = field(default_factory=list)
    refused: bool = False


def preview_pdf(path: Path, output: Path | None = None, *, draft: bool = False, template_dir: Path | None = None,
                standard: str | None = None, tolerance: Decimal = DEFAULT_TOLERANCE, profile: str | None = None) -> Preview:
    """`juesuan pdf`: check one department file and write its PDF (a final one only without 错误)."""
    report = check_files([path], tolerance, profile=profile)
    c, findings = report.results[0]
    errors = [f for f in findings if f.severity == ERROR]
    target = output or Path(pdf_filename(c))
    if errors and not draft:
        return Preview(target, errors=errors, refused=True)
    site = load_config(content_root(path))
    config = replace(site.pdf, standard=standard) if standard else site.pdf
    template_dir = template_dir or site.templates
    with template_errors_reported(c.department):
        rendered = render_pdf(c, config, template_dir=str(template_dir) if template_dir else None,
                              findings=findings, draft=draft, show=site.show, charts=charts_for(c, site))
    write_file(target, rendered.data)
    return Preview(target, rendered.pages, errors)


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
