"""What a build writes: each department's folder (page, PDF, charts, open data) and the site's own files.

``build`` runs these through jobs; ``serve`` and the benchmarks call them directly.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable

from jinja2 import Environment

from generator.buildtime import build_time
from generator.checks.findings import Finding
from generator.compute.figures import Computed
from generator.content.model import Department
from generator.content.siteconfig import SiteConfig
from generator.errors import ContentError, Problem
from generator.forms.vocabulary import department_folder
from generator.render.assets import Assets
from generator.render.charts.numbered import chart_files, charts_for
from generator.render.grid import grids_of
from generator.render.html import (
    PdfLink,
    environment,
    render_department,
    template_errors_reported,
)
from generator.render.feed import feed_file
from generator.render.opendata.files import data_links, open_data_files
from generator.render.pagemeta import FEED, ROBOTS, iso_date, robots_txt, site_links
from generator.render.pdf import download_name, pdf_filename, render_pdf
from generator.render.siteindex import INDEX, Entry, site_pages


def render_site(computed: list[Computed], config: SiteConfig, template_dir: Path | None = None,
                findings: dict[tuple[int, str], list[Finding]] | None = None, draft: bool = False,
                pdf: bool = True, progress: Callable[[Department], None] | None = None) -> dict[str, bytes]:
    """Every department's page, PDF and open data, the site's indexes, and the shared assets.

    All in memory, in this process (``build`` writes as it goes, in parallel).
    """
    files: dict[str, bytes] = {}
    tdir = str(template_dir) if template_dir else None
    built_at = build_time()
    tasks = [(c, config, tdir, (findings or {}).get((c.department.year, c.department.id), []), draft, pdf, built_at)
             for c in computed]
    entries, problems = [], []
    for c, (department_files, entry, failed) in zip(computed, map(render_one, tasks)):
        problems += failed
        files.update(department_files)
        if entry is not None:
            entries.append(entry)
        if progress:
            progress(c.department)
    if problems:
        raise ContentError(problems)
    return files | site_files(config, template_dir, entries, draft, built_at)


STYLESHEET = "juesuan.css"  # the pages' stylesheet, also written into 404.html


def site_files(config: SiteConfig, template_dir: Path | None, entries: list[Entry], draft: bool = False,
               built_at: datetime | None = None, robots: bool = True) -> dict[str, bytes]:
    """The shared assets (under versioned names) and the site's own files: indexes, 404, data index, robots.txt
    (unless ``robots`` is False: the site has its own), and for a final build with a base URL the sitemap and the
    Atom feed."""
    env = environment(str(template_dir) if template_dir else None)
    assets = site_assets(env)
    with template_errors_reported():
        files = assets.site_files() | site_pages(env, config, entries, assets.files[STYLESHEET].decode("utf-8"),
                                                 draft)
    if site_links(config, draft).feed:
        files[FEED] = feed_file(config, entries, built_at or build_time())
    if robots:
        files[ROBOTS] = robots_txt(config, draft)
    return files


def render_one(task: tuple) -> tuple[dict[str, bytes], Entry | None, list[Problem]]:
    """Render one department (the arguments of render_department_files); problems come back as data,
    since they cross process boundaries and tracebacks do not."""
    c = task[0]
    try:
        with template_errors_reported(c.department):
            files, entry = render_department_files(*task)
        return files, entry, []
    except ContentError as exc:
        return {}, None, exc.problems


def render_department_files(c: Computed, config: SiteConfig, template_dir: str | None, findings: list[Finding],
                            draft: bool, pdf: bool, built_at, clock=None) -> tuple[dict[str, bytes], Entry]:
    """One department-year's folder: page, PDF, open data; and its entry in the site's indexes.

    ``clock(stage)``, if given, is a context manager timing each stage (see ``jobs``).
    """
    clock = clock or _untimed
    d = c.department
    folder = department_folder(d.year, d.id)
    with clock("charts"):
        charts = charts_for(c, config)
        files: dict[str, bytes] = {folder + name: svg for name, svg in chart_files(charts).items()}
    with clock("grids"):  # the tables laid out once, for the PDF, open data and the page
        grids_of(c)
    entry_files = {"page": folder + INDEX}
    document = data = None
    if pdf:
        with clock("pdf"):
            rendered = render_pdf(c, config.pdf, template_dir=template_dir, findings=findings, draft=draft,
                                  built_at=built_at, show=config.show, charts=charts)
        files[folder + pdf_filename(c)] = rendered.data
        entry_files["pdf"] = folder + pdf_filename(c)
        document = PdfLink(pdf_filename(c), download_name(c), len(rendered.data))
    if config.show.open_data:
        with clock("open data"):
            for name, content in open_data_files(c, built_at, config.site).items():
                files[folder + name] = content
        data = data_links(c)
        entry_files |= {"xlsx": folder + data.xlsx, "json": folder + data.json}
    with clock("html"):
        page = render_department(c, config, template_dir, findings=findings, draft=draft, pdf=document, data=data,
                                 charts=charts, updated=built_at.date())
        files[folder + INDEX] = page.encode("utf-8")
    tables = {tid: folder + name for tid, name in data.tables.items()} if data else {}
    return files, Entry(d.year, d.id, d.name, entry_files, tables, iso_date(d.published), iso_date(built_at.date()))


@contextmanager
def _untimed(stage: str):
    yield


def site_assets(env: Environment) -> Assets:
    """The assets the ``asset`` filter of ``env`` names, so that the files written are the ones the pages link."""
    return env.filters["asset"].__self__
