"""The site around the departments' pages: indexes, 404, sitemap (split past 50,000 URLs), the data index.

Every link is relative (the site works from any sub-path and from ``file://``); a configured base URL adds
canonical links, and the sitemap and the feed (see ``feed``), whose protocols want absolute addresses: without
one they are not written. A draft writes neither (it is not for search engines), and marks every page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import groupby

from jinja2 import Environment
from markupsafe import Markup

from generator.content.siteconfig import SiteConfig
from generator.errors import ContentError, Problem
from generator.forms.vocabulary import INDEX, department_folder
from generator.render.context import (
    NOT_FOUND,
    SITE_INDEX,
    SITEMAP_INDEX_XML,
    SITEMAP_XML,
    YEAR_PAGE,
    TemplateContext,
)
from generator.render.pagemeta import SITEMAP, PageMeta, from_iso, site_description, site_links


@dataclass(frozen=True)
class Entry:
    """One published department-year and its files, as paths from the site root."""

    year: int
    id: str
    name: str
    files: dict[str, str] = field(default_factory=dict)  # page, pdf, xlsx, json
    tables: dict[str, str] = field(default_factory=dict)  # table id → CSV
    published: str = ""  # ISO date: the department file's ``published``, if it gives one
    updated: str = ""  # ISO date: the day its files were generated (kept while the department is unchanged)

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

    @property
    def updated(self) -> str:
        return latest(self.entries)


def latest(entries: list[Entry]) -> str:
    """The day the newest of ``entries`` was generated, ISO; "" for none."""
    return max((e.updated for e in entries), default="")


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


def site_pages(env: Environment, config: SiteConfig, entries: list[Entry], stylesheet: str,
               draft: bool = False) -> dict[str, bytes]:
    """The home page, one page per year, the 404 page, data/index.json, and the sitemap when there is one."""
    years = by_year(entries)
    links = site_links(config, draft)
    common = {"site": config.site, "show": config.show, "years": years, "draft": draft, "links": links}
    described = PageMeta(site_description(config), updated=from_iso(latest(entries)))
    files = {INDEX: _render(env, SITE_INDEX, **common, root="", canonical=canonical(config, INDEX), page=described)}
    for year in years:
        meta = PageMeta(f"{config.site.title}：{year.year} 年度部门决算公开，共 {len(year.entries)} 个部门。",
                        updated=from_iso(year.updated))
        files[year.page] = _render(env, YEAR_PAGE, **common, root="../", current=year,
                                   canonical=canonical(config, year.page), page=meta)
    files["404.html"] = _render(env, NOT_FOUND, **common, root="", canonical="", page=PageMeta(""),
                                stylesheet=inline_stylesheet(stylesheet))
    if links.sitemap:
        files |= sitemap_files(env, config, sitemap_urls(config, years))
    files["data/index.json"] = data_index(config, years)
    return files


def inline_stylesheet(css: str) -> Markup:
    """A stylesheet to write inside ``<style>``: as it is (escaping would turn its quotes into ``&#34;`` and its
    rules would be dropped), unless it could end the element early."""
    if "</style" in css.lower():
        raise ContentError([Problem("assets/juesuan.css", None, "", "样式表中含有“</style”，不能写进 404 页面的 <style> 元素",
                                    "不含“</style”的样式表", "</style")])
    return Markup(css)


def _render(env: Environment, declared: TemplateContext, **values) -> bytes:
    """A template entry point, with exactly the variables its declaration lists."""
    return env.get_template(declared.template).render(declared.context(**values)).encode("utf-8")


@dataclass(frozen=True)
class SitemapUrl:
    loc: str  # absolute
    lastmod: str  # ISO date, "" when unknown


def sitemap_urls(config: SiteConfig, years: list[Year]) -> list[SitemapUrl]:
    """Every page and PDF at its absolute address (the site has a base URL), with the day it last changed: a
    department's files the day they were generated, an index the day its newest department was."""
    urls = [SitemapUrl(canonical(config, INDEX), latest([e for y in years for e in y.entries]))]
    for year in years:
        urls.append(SitemapUrl(canonical(config, year.page), year.updated))
        for entry in year.entries:
            urls.append(SitemapUrl(canonical(config, entry.page), entry.updated))
            if "pdf" in entry.files:
                urls.append(SitemapUrl(canonical(config, entry.files["pdf"]), entry.updated))
    return urls


SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org protocol)


def sitemap_files(env: Environment, config: SiteConfig, urls: list[SitemapUrl]) -> dict[str, bytes]:
    """sitemap.xml; past the protocol's 50,000 URLs (a province's departments over a few years, each page
    with its PDF), it becomes a sitemap index of sitemap-1.xml, sitemap-2.xml …, so its address never changes."""
    if len(urls) <= SITEMAP_LIMIT:
        return {SITEMAP: _render(env, SITEMAP_XML, urls=urls)}
    files = {f"sitemap-{i + 1}.xml": _render(env, SITEMAP_XML, urls=urls[start:start + SITEMAP_LIMIT])
             for i, start in enumerate(range(0, len(urls), SITEMAP_LIMIT))}
    parts = [SitemapUrl(canonical(config, name), max(u.lastmod for u in urls[start:start + SITEMAP_LIMIT]))
             for name, start in zip(files, range(0, len(urls), SITEMAP_LIMIT))]
    return files | {SITEMAP: _render(env, SITEMAP_INDEX_XML, sitemaps=parts)}


def data_index(config: SiteConfig, years: list[Year]) -> bytes:
    """Every department-year and its files, for people and programs that harvest the data."""
    rows = [{"year": e.year, "id": e.id, "name": e.name, "files": e.files, "tables": e.tables}
            for year in years for e in year.entries]
    payload = {"title": config.site.title, "jurisdiction": config.site.jurisdiction,
               "base_url": config.site.base_url or None, "departments": rows}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
