"""The floor under the example PDF's time on this machine, whatever this tool does around WeasyPrint.

Two figures, from warm processes:

- **layout alone**: WeasyPrint laying out the example's print HTML (``render()``), no PDF
  written. Any PDF of the example costs at least this in one process.
- **two halves at once**: the same HTML cut in two at the table block nearest its middle,
  each half laid out and written as a PDF in its own process, both at the same time; the
  figure is the slower half's own time. This is the best a build that spread one document's
  pages over this machine's CPUs could do, before it joined the two files and made their tag
  trees, outlines, page numbers and 目录 links one.
"""

from __future__ import annotations

import multiprocessing
import re
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ARTICLE = '<article class="disclosure">'
TABLE_BLOCK = re.compile(r'<section class="table-block\b')
EXAMPLE = Path(__file__).resolve().parent.parent / "content" / "2023" / "xianyang-rsj.yaml"

_files: dict[str, bytes] = {}  # the charts the print HTML links to, set before the workers fork


def example():
    """The example department computed, its charts and its print HTML as ``render_pdf`` lays it out (default site)."""
    from generator.buildtime import build_time
    from generator.compute.tables import compute
    from generator.content.department import load_department
    from generator.content.siteconfig import SiteConfig
    from generator.forms.profiles import load_profile
    from generator.render.charts.numbered import charts_for
    from generator.render.html import render_print

    config = SiteConfig()
    computed = compute(load_department(EXAMPLE), load_profile())
    charts = charts_for(computed, config)
    return computed, charts, render_print(computed, config.pdf, build_time(), charts=charts, show=config.show)


def example_print_html() -> tuple[str, dict[str, bytes]]:
    """The example's print HTML, and the chart files it links to."""
    from generator.render.charts.numbered import chart_files

    _computed, charts, html = example()
    return html, chart_files(charts)


def halves(html: str) -> tuple[str, str]:
    """Two documents: up to the table block nearest the middle, and from it on, each with the whole <head>."""
    head = html[:html.index(ARTICLE)]
    cut = min((m.start() for m in TABLE_BLOCK.finditer(html)), key=lambda at: abs(at - len(html) / 2))
    return (html[:cut] + "</section></article></body></html>",
            head + ARTICLE + '<section class="part">' + html[cut:])


def lay_out(html: str, write: bool = True) -> tuple[int, float]:
    """Pages and seconds of laying out ``html`` (and writing the PDF) as ``render_pdf`` does."""
    from generator.content.siteconfig import PdfConfig
    from generator.render.pdf import DOCUMENT_BASE, document_fetcher
    from generator.render.pdfengine import LeanHTML, making_pdf

    config = PdfConfig()
    with making_pdf():  # its closing collection, which gives the memory back, is not counted
        started = time.perf_counter()
        document = LeanHTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=document_fetcher(_files)).render()
        if write:
            document.write_pdf(pdf_variant=config.variant, pdf_tags=config.tagged, pdf_identifier=True)
        seconds = time.perf_counter() - started
    return len(document.pages), seconds


def pdf_floor(repeat: int) -> dict:
    html, files = example_print_html()
    _files.update(files)
    lay_out(html, write=False)  # warm
    layout = statistics.median(lay_out(html, write=False)[1] for _ in range(repeat))
    parts = halves(html)
    slower, pages = [], []
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(lay_out, parts))  # warm both workers
        for _ in range(repeat):
            done = list(pool.map(lay_out, parts))
            pages = [count for count, _seconds in done]
            slower.append(max(seconds for _count, seconds in done))
    return {"layout alone": layout, "two halves at once": statistics.median(slower), "half pages": pages}
