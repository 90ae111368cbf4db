"""The Atom feed (feed.xml) of the disclosures, newest first, for people and programs that follow the site.

Written with feedgen, only when the site has a base URL (Atom wants absolute addresses) and the build is final
(see ``pagemeta.site_links``). An entry's date is the department file's ``published`` (公开日期) when it gives one,
else the day its pages were generated: nothing is dated by guess, and SOURCE_DATE_EPOCH keeps the feed
reproducible.
"""

from __future__ import annotations

from datetime import date, datetime, time

from feedgen.feed import FeedGenerator

from generator import __version__
from generator.buildtime import CHINA_TIME
from generator.content.siteconfig import SiteConfig
from generator.render.pagemeta import FEED, from_iso, site_description
from generator.render.siteindex import Entry, canonical

FEED_LIMIT = 500  # entries: the newest disclosures; a province's whole history belongs in the sitemap


def feed_file(config: SiteConfig, entries: list[Entry], built_at: datetime) -> bytes:
    """The feed of ``entries`` (the newest ``FEED_LIMIT``); dated by its newest entry, or ``built_at`` if none."""
    newest = sorted(entries, key=lambda e: (_dated(e), e.year, e.name, e.id), reverse=True)[:FEED_LIMIT]
    base = config.site.base_url
    feed = FeedGenerator()
    feed.id(base)
    feed.title(config.site.title)
    feed.subtitle(site_description(config))
    feed.author(name=config.site.title)
    feed.link(href=base + FEED, rel="self", type="application/atom+xml")
    feed.link(href=base, rel="alternate", type="text/html")
    feed.language("zh-CN")
    feed.generator("juesuan", version=__version__)
    feed.updated(_moment(max((from_iso(e.updated) for e in newest), default=None)) or built_at)
    for entry in newest:
        _add(feed, config, entry)
    return feed.atom_str(pretty=True)


def _add(feed: FeedGenerator, config: SiteConfig, entry: Entry) -> None:
    page = canonical(config, entry.page)
    item = feed.add_entry(order="append")
    item.id(page)
    item.title(f"{entry.name} {entry.year} 年度部门决算")
    item.link(href=page, rel="alternate", type="text/html")
    if "pdf" in entry.files:
        item.link(href=canonical(config, entry.files["pdf"]), rel="enclosure", type="application/pdf")
    item.updated(_moment(from_iso(entry.updated)))
    if entry.published:
        item.published(_moment(from_iso(entry.published)))
    published = f"，公开日期 {entry.published}" if entry.published else ""
    item.summary(f"{entry.name} {entry.year} 年度部门决算公开{published}。")


def _dated(entry: Entry) -> str:
    """What the feed orders by: the publication date, else the day the pages were generated."""
    return entry.published or entry.updated


def _moment(day: date | None) -> datetime | None:
    """A date as the start of that day in China Standard Time, which Atom's date-times want."""
    return datetime.combine(day, time(), CHINA_TIME) if day else None
