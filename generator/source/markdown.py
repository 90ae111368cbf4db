"""Markdown as the tool reads it: CommonMark with tables, raw HTML shown as text; and what it may not hold.

The pages render prose with this parser (generator/render/html.py); the loader refuses what the page and
the PDF could not show alike, such as images.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def markdown_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_PARSER = markdown_parser()


def images(text: str) -> list[str]:
    """The address of every image in ``text`` (``![说明](地址)``, also by reference)."""
    if "![" not in text:
        return []
    return [child.attrGet("src") or "" for token in _PARSER.parse(text) if token.type == "inline"
            for child in token.children or () if child.type == "image"]
