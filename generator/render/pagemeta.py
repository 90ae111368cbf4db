"""What a page says about itself beyond its content: description and Open Graph tags, its dates, and which of the
site's machine-read files (sitemap, feed) there are to link; and robots.txt, which names the sitemap.

The dates are never guessed: ``published`` (公开日期) is the department file's own ``published:``, and
``updated`` is the day the department's pages were last generated (the build's time, SOURCE_DATE_EPOCH in a
reproducible build); a page without ``published`` shows ``updated``, labelled as the day it was generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from generator.content.siteconfig import SiteConfig

SITEMAP = "sitemap.xml"
FEED = "feed.xml"
ROBOTS = "robots.txt"


@dataclass(frozen=True)
class PageMeta:
    """``<meta name="description">``, the Open Graph tags and the dates of one page."""

    description: str
    kind: str = "website"  # og:type; "article" for a department's disclosure
    published: date | None = None  # 公开日期, as the department file gives it
    updated: date | None = None  # the day the page's content was last generated


@dataclass(frozen=True)
class SiteLinks:
    """The site's machine-read files a page may link: written only for a final build with a base URL (the sitemap
    and feed protocols want absolute addresses, and a draft is not for search engines or subscribers)."""

    sitemap: str = ""  # path from the site root, "" when there is none
    feed: str = ""


def site_links(config: SiteConfig, draft: bool) -> SiteLinks:
    if draft or not config.site.base_url:
        return SiteLinks()
    return SiteLinks(SITEMAP, FEED)


def site_description(config: SiteConfig) -> str:
    """The home page's description: who publishes what."""
    who = f"{config.site.jurisdiction}各部门" if config.site.jurisdiction else "各部门"
    return f"{config.site.title}：{who}历年部门决算公开，按年度列出。"


def department_description(name: str, title: str, parts: list[str]) -> str:
    """A department page's description: its name, title and the parts it prints, e.g. “咸阳市人力资源和社会保障局
    2023 年度部门决算：部门概况、情况说明、……”."""
    return f"{name} {title}：{'、'.join(part.replace(' ', '') for part in parts)}。"


def iso_date(day: date | None) -> str:
    return day.isoformat() if day else ""


def from_iso(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def robots_txt(config: SiteConfig, draft: bool) -> bytes:
    """robots.txt: a draft keeps crawlers out of the whole site; a final build lets them in and names the sitemap
    when there is one. Its rules are paths from the host's root: the base URL's path when there is one."""
    path = urlsplit(config.site.base_url).path or "/"
    lines = ["User-agent: *", f"Disallow: {path}" if draft else f"Allow: {path}"]
    sitemap = site_links(config, draft).sitemap
    if sitemap:
        lines += ["", f"Sitemap: {config.site.base_url}{sitemap}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
