"""The text of a department's page, for the rule that looks for every author-written text in it (text-printed)."""

from __future__ import annotations

import re
from html import unescape

from generator.checks.printed import author_texts
from generator.compute.figures import Computed
from generator.content.siteconfig import SiteConfig
from generator.render.html import raised_in_template, render_department

TAG = re.compile(r"<[^>]*>")


def page_text(c: Computed, config: SiteConfig, template_dir: str | None) -> str | None:
    """The department's page as a build renders it (without findings and charts: neither carries the author's text),
    its tags stripped; None when a template fails, which the rendering of the page itself then reports, located,
    and when the file has no text of the author's to look for (nothing to render the page for)."""
    if next(author_texts(c.department), None) is None:
        return None
    try:
        html = render_department(c, config, template_dir)
    except Exception as exc:
        if not raised_in_template(exc):
            raise
        return None
    return unescape(TAG.sub(" ", html))
