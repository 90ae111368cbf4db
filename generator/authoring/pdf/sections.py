"""The 情况说明 of a published PDF, section by section: found by the headings the form prints (the profile's
outline, “四、财政拨款收入支出决算总体情况说明”), in the body rather than the 目录, each running to the next heading.
Lines that are no prose (a chart's labels, a page number) are left out: a prose line has sentence punctuation or runs
the width of the page or words (the wrapped end of a heading), not a chart's figures. Read by ``juesuan import`` (the facts the file has fields for) and ``juesuan audit`` (the
sentences held to the tables).
"""

from __future__ import annotations

import re

from generator.authoring.pdf.reading import PAGE_NUMBER, PART_HEADING, PdfDocument
from generator.authoring.spreadsheet.cells import norm
from generator.forms.profiles import Profile
from generator.forms.sections import walk

PROSE_PUNCTUATION = re.compile(r"[，。；：、]")
PROSE_WIDTH = 25  # characters: a line this long is prose even without punctuation (a wrapped paragraph)
_TOC = re.compile(r"^目录$")
_CAPTION = re.compile(r"^图\s*\d+[：:]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def explanation_sections(doc: PdfDocument, profile: Profile) -> dict[str, tuple[int, str]]:
    """Each section of the 情况说明 the PDF prints, by key: (its heading's page, its prose joined into one text)."""
    return {key: (page, "".join(line for line, _start in lines))
            for key, (page, lines) in _section_lines(doc, profile).items()}


def explanation_paragraphs(doc: PdfDocument, profile: Profile) -> dict[str, list[str]]:
    """Each section's prose as its paragraphs (lines joined where the PDF wrapped them), by key."""
    result: dict[str, list[str]] = {}
    for key, (_page, lines) in _section_lines(doc, profile).items():
        paragraphs: list[str] = []
        for line, start in lines:
            if start or not paragraphs:
                paragraphs.append(line)
            else:
                paragraphs[-1] += line
        result[key] = paragraphs
    return result


def _section_lines(doc: PdfDocument, profile: Profile) -> dict[str, tuple[int, list[tuple[str, bool]]]]:
    """Each section's prose lines, each with whether a paragraph starts with it."""
    headings = {norm(h.text): h.key for h in walk(profile.outline())}
    toc_pages = {p.number for p in doc.pages if any(_TOC.match(norm(line)) for line in p.lines[:4])}
    found: dict[str, tuple[int, list[tuple[str, bool]]]] = {}
    current: str | None = None
    for page in doc.pages:
        if page.number in toc_pages:
            continue
        starts = page.starts or [True] * len(page.prose)  # a page read without positions: a paragraph per line
        for line, start in zip(page.prose, starts):
            if PART_HEADING.match(norm(line)):  # another part ends the 情况说明 (its own running header does not)
                if "情况说明" not in norm(line):
                    current = None
                continue
            key = headings.get(norm(line))
            if key is not None:
                current = key
                found[key] = (page.number, [])
            elif current is not None and _prose(line):
                found[current][1].append((line.strip(), start))
    return found


def _prose(line: str) -> bool:
    """Whether a line belongs to the section's prose: not a page number, not a chart's figures or caption (a short
    line of numbers, “图6：…”). A short line of words is the wrapped end of a heading or a sentence, and kept."""
    text = line.strip()
    if not text or PAGE_NUMBER.match(text) or _CAPTION.match(text) or PART_HEADING.match(text.replace(" ", "")):
        return False  # a part's running header is no prose either
    return (PROSE_PUNCTUATION.search(text) is not None or len(text) >= PROSE_WIDTH or _CJK.search(text) is not None
            or "（" in text)  # a wrapped heading's tail: “（06）”
