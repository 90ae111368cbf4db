"""WeasyPrint as this tool drives it: a leaner user-agent stylesheet, collector settings, stream compression.

WeasyPrint's stock stylesheet styles six pseudo-elements of *every* element
(``::marker``, ``::footnote-call``, ``::footnote-marker`` and three ``::note-*``), so the
cascade computes six extra styles for each of a document's ~10,000 elements although
only list items have a marker and no disclosure has footnotes. Scoped to the elements
that can have them (``li``/``summary`` markers) and without the footnote and note
defaults, the cascade of the example takes about half the time and lays out the same.
A print template that uses ``float: footnote`` styles its own ``::footnote-call``.

The sheet is derived from the installed WeasyPrint's own ``html5_ua.css`` at first use, so
every other default follows the installed version.

One ``FontConfiguration`` serves every document of a process: WeasyPrint would load
Fontconfig's configuration and a new Pango font map for each, and about 230 KiB of each
stays behind when it is freed, so a worker's memory would climb with every PDF; shared,
the fonts' caches also stay warm.

pydyf, which writes WeasyPrint's PDF, deflates every stream at level 9: for the example's
12.7 MB of page content that is 0.42 s, against 0.15 s at level 6 for a file 1.3 % larger.
Streams are compressed at level 6 while this tool writes a PDF.
"""

from __future__ import annotations

import gc
import re
import zlib
from contextlib import contextmanager
from functools import lru_cache

import pydyf
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.text.fonts import FontConfiguration

from generator.libc import libc

STREAM_LEVEL = 6


class _Deflate:
    """The ``zlib`` pydyf sees: the same module, with every compressor at ``STREAM_LEVEL``."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args, **kwargs):
        return zlib.compressobj(STREAM_LEVEL, *args, **kwargs)


# Rules whose selector is a bare pseudo-element, i.e. applies to every element.
UNIVERSAL_PSEUDO_RULE = re.compile(r"^::([a-z-]+) \{[^}]*\}\n", re.MULTILINE)
MARKER_ELEMENTS = "li::marker, summary::marker"


def lean_ua_text(stock: str = UA) -> str:
    """The stock user-agent stylesheet with its universal pseudo-element rules scoped or dropped."""

    def scoped(rule: re.Match) -> str:
        if rule.group(1) == "marker":
            return MARKER_ELEMENTS + rule.group(0)[len("::marker"):]
        return ""  # footnotes and notes: not used by the disclosure's print templates

    return UNIVERSAL_PSEUDO_RULE.sub(scoped, stock)


@lru_cache(maxsize=1)
def lean_ua_stylesheet() -> CSS:
    # Its @counter-style rules go to a throwaway: documents take WeasyPrint's own (HTML._ua_counter_style).
    return CSS(string=lean_ua_text(), counter_style=CounterStyle())


class LeanHTML(HTML):
    """``weasyprint.HTML`` with the lean user-agent stylesheet and the process's font configuration."""

    def _ua_stylesheets(self, forms: bool = False):
        stock = super()._ua_stylesheets(forms)
        return [lean_ua_stylesheet(), *stock[1:]]

    def render(self, font_config=None, counter_style=None, color_profiles=None, **options):
        return super().render(font_config or shared_font_config(), counter_style, color_profiles, **options)


@lru_cache(maxsize=1)
def shared_font_config() -> FontConfiguration:
    return FontConfiguration()


@contextmanager
def making_pdf():
    """Laying out and writing one document: see ``without_full_collections`` and ``_Deflate``; its memory
    is given back when it is done (``release_memory``)."""
    try:
        with without_full_collections():
            stock, pydyf.zlib = pydyf.zlib, _Deflate()
            try:
                yield
            finally:
                pydyf.zlib = stock
    finally:
        release_memory()


def release_memory() -> None:
    """Give the memory a document's layout used back to the system.

    WeasyPrint builds hundreds of MiB of short-lived objects per document; freed, they stay in
    the C allocator's arenas, so a worker's RSS would climb to the size of the largest layout
    and creep from there. A full collection and ``malloc_trim`` (glibc) keep it near what is
    live: measured over 12 PDFs, 130–185 MiB instead of 300–410 MiB. Collected right away, the
    page and open data that a department renders next do not walk the layout's garbage.
    """
    gc.collect()
    trim = getattr(libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


@contextmanager
def without_full_collections():
    """Only the young generations are collected while a document is laid out and written.

    The document grows to ~250,000 objects, so the cyclic collector's full collections, which
    Python starts each time the old generation grows by a quarter, walk it again and again
    (about 0.7 s of the example's 5 s) to free a few percent of it. ``making_pdf`` collects in
    full afterwards; measured peak RSS over four documents is the same.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)
