"""The site around the departments' pages: indexes, 404, sitemap (split past 50,000 URLs), the data index.

Every link is relative (the site works from any sub-path and from ``file://``);
a configured base URL adds canonical links and absolute sitemap entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import groupby

from jinja2 import Environment

from generator.content.siteconfig import SiteConfig
from generator.forms.vocabulary import INDEX, department_folder
from generator.render.context import (
    NOT_FOUND,
    SITE_INDEX,
    SITEMAP_INDEX_XML,
    SITEMAP_XML,
    YEAR_PAGE,
    TemplateContext,
)


@dataclass(frozen=True)
class Entry:
    """One published department-year and its files, as paths from the site root."""

    year: int
    id: str
    name: str
    files: dict[str, str] = field(default_factory=dict)  # page, pdf, xlsx, json
    tables: dict[str, str] = field(default_factory=dict)  # table id → CSV

    @property
    def folder(self) -> str:
        return department_folder(self.year, self.id)

    @property
    def page(self) -> str:
        return self.files["page"]


@dataclass(frozen=True)
class Year:
    year: int
    entries: list[Entry]

    @property
    def page(self) -> str:
        return f"{self.year}/{INDEX}"


def by_year(entries: list[Entry]) -> list[Year]:
    """Newest year first; departments in name order within a year (as people look them up)."""
    ordered = sorted(entries, key=lambda e: (-e.year, e.name, e.id))
    return [Year(year, list(group)) for year, group in groupby(ordered, key=lambda e: e.year)]


def canonical(config: SiteConfig, path: str) -> str:
    """The absolute URL of a site path, or "" without a base URL. Directories end in "/"."""
    if not config.site.base_url:
        return ""
    directory = path[: -len(INDEX)] if path.endswith(INDEX) else path
    return config.site.base_url + directory


def site_pages(env: Environment, config: SiteConfig, entries: list[Entry], stylesheet: str) -> dict[str, bytes]:
    """The home page, one page per year, the 404 page, sitemap.xml and data/index.json."""
    years = by_year(entries)
    common = {"site": config.site, "show": config.show, "years": years}
    files = {INDEX: _render(env, SITE_INDEX, **common, root="", canonical=canonical(config, INDEX))}
    for year in years:
        files[year.page] = _render(env, YEAR_PAGE, **common, root="../", current=year,
                                   canonical=canonical(config, year.page))
    files["404.html"] = _render(env, NOT_FOUND, **common, root="", canonical="", stylesheet=stylesheet)
    files |= sitemap_files(env, config, sitemap_urls(config, years))
    files["data/index.json"] = data_index(config, years)
    return files


def _render(env: Environment, declared: TemplateContext, **values) -> bytes:
    """A template entry point, with exactly the variables its declaration lists."""
    return env.get_template(declared.template).render(declared.context(**values)).encode("utf-8")


def sitemap_urls(config: SiteConfig, years: list[Year]) -> list[str]:
    """Every page and PDF; absolute when the base URL is known, else relative to the site root."""
    paths = [INDEX]
    for year in years:
        paths.append(year.page)
        for entry in year.entries:
            paths.append(entry.page)
            if "pdf" in entry.files:
                paths.append(entry.files["pdf"])
    if config.site.base_url:
        return [canonical(config, p) for p in paths]
    return [p[: -len(INDEX)] or "./" if p.endswith(INDEX) else p for p in paths]


SITEMAP = "sitemap.xml"
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org protocol)


def sitemap_files(env: Environment, config: SiteConfig, urls: list[str]) -> dict[str, bytes]:
    """sitemap.xml; past the protocol's 50,000 URLs (a province's departments over a few years, each page
    with its PDF), it becomes a sitemap index of sitemap-1.xml, sitemap-2.xml …, so its address never changes."""
    if len(urls) <= SITEMAP_LIMIT:
        return {SITEMAP: _render(env, SITEMAP_XML, urls=urls)}
    files = {f"sitemap-{i + 1}.xml": _render(env, SITEMAP_XML, urls=urls[start:start + SITEMAP_LIMIT])
             for i, start in enumerate(range(0, len(urls), SITEMAP_LIMIT))}
    parts = [canonical(config, name) or name for name in files]
    return files | {SITEMAP: _render(env, SITEMAP_INDEX_XML, sitemaps=parts)}


def data_index(config: SiteConfig, years: list[Year]) -> bytes:
    """Every department-year and its files, for people and programs that harvest the data."""
    rows = [{"year": e.year, "id": e.id, "name": e.name, "files": e.files, "tables": e.tables}
            for year in years for e in year.entries]
    payload = {"title": config.site.title, "jurisdiction": config.site.jurisdiction,
               "base_url": config.site.base_url or None, "departments": rows}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
