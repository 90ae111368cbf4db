"""Rules a published PDF needs beyond the tables' arithmetic: the form's tables all there and in the 目录, the
department's name and year as on the cover, no template residue, no doubled punctuation.

Each rule looks at the PDF's text lines (``authoring.pdf.reading.PdfDocument``) and yields Findings located by
page, with the line quoted. They are document rules, not department-file rules: ``juesuan check`` never sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from generator.authoring.pdf.reading import PdfDocument
from generator.authoring.spreadsheet.cells import norm
from generator.checks.findings import ERROR, WARNING, Finding
from generator.errors import ContentError, Problem
from generator.forms.layouts import Form

# What a template leaves where the department's own words were to go.
RESIDUE = re.compile(r"[XxＸｘ]{2,}|××|增加（减少）|减少（增加）|增长（下降）|下降（增长）|大于（小于）|小于（大于）|"
                     r"（不涉及的不列）|（不涉及）|（[款类项]）（[款类项]）")
DOUBLED = re.compile(r"([，。；：、！？])\1|[，；：、][。]|。[，；]")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
DEPARTMENT_LINE = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?[:：]\s*(\S+?)(?:[（(](?:汇总|本级)[)）])?(?:\s|$)")
COVER_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_TOC = re.compile(r"^目\s*录$")


@dataclass(frozen=True)
class DocumentRule:
    id: str
    severity: str
    title: str
    check: Callable[["Audited"], Iterable[Finding]]


@dataclass
class Audited:
    """What the document rules see: the PDF, its form, the tables found (id → first page), the cover's facts."""

    doc: PdfDocument
    form: Form
    found: dict[str, int]
    name: str
    year: int | None

    def finding(self, rule: DocumentRule, page: int | None, where: str, message: str, hint: str = "") -> Finding:
        place = self.doc.shown + (f" 第 {page} 页" if page else "")
        return Finding(rule.id, rule.severity, where, message, place, None, hint=hint)


DOCUMENT_RULES: dict[str, DocumentRule] = {}


def document_rule(rule_id: str, severity: str, title: str):
    def register(check):
        DOCUMENT_RULES[rule_id] = DocumentRule(rule_id, severity, title, check)
        return check
    return register


def _lines(doc: PdfDocument) -> Iterator[tuple[int, str]]:
    for page in doc.pages:
        for line in page.lines:
            yield page.number, line


@document_rule("pdf-tables", ERROR, "表样的各表都在文件中")
def tables_present(a: Audited) -> Iterable[Finding]:
    rule = DOCUMENT_RULES["pdf-tables"]
    for tid, layout in a.form.tables.items():
        if tid not in a.found:
            yield a.finding(rule, None, layout.name, "文件中找不到这张表（按标题查找）",
                            hint=f"公开文件应包含“{layout.title}”，空表也要公开并说明理由")


@document_rule("pdf-toc", ERROR, "各表都列在目录中")
def tables_in_toc(a: Audited) -> Iterable[Finding]:
    rule = DOCUMENT_RULES["pdf-toc"]
    toc = [(page.number, norm(" ".join(page.lines))) for page in a.doc.pages
           if any(_TOC.match(line.replace(" ", "")) or line.replace(" ", "") == "目录" for line in page.lines[:4])]
    if not toc:
        yield a.finding(rule, None, "目录", "文件中找不到目录", hint="公开文件应有目录，列出各部分和各表")
        return
    text = "".join(t for _, t in toc)
    for tid, page in a.found.items():
        layout = a.form.tables[tid]
        titles = {norm(layout.title), norm(layout.toc_title)} - {""}
        if not any(t in text for t in titles):
            yield a.finding(rule, page, layout.name, "目录中没有这张表", hint=f"在目录中列出“{layout.title}”")


@document_rule("pdf-name-year", ERROR, "各处的部门名称、年度与封面一致")
def name_and_year(a: Audited) -> Iterable[Finding]:
    rule = DOCUMENT_RULES["pdf-name-year"]
    for page, line in _lines(a.doc):
        squeezed = line.replace(" ", "")
        heading = bool(_PART.match(squeezed)) or "部门决算" in squeezed
        if heading and a.year is not None:
            for match in YEAR.finditer(squeezed):
                if int(match.group(1)) != a.year:
                    yield a.finding(rule, page, f"“{line}”", f"年度为 {match.group(1)}，封面为 {a.year}",
                                    hint="核对标题中的年度")
        match = DEPARTMENT_LINE.match(line)
        if match and a.name and norm(match.group(1)) != norm(a.name) and norm(match.group(1)) not in ("万元", "元"):
            yield a.finding(rule, page, f"“{line}”", f"部门为“{match.group(1)}”，封面为“{a.name}”",
                            hint="核对表头的部门名称")


@document_rule("pdf-residue", ERROR, "没有模板残留的占位文字")
def residue(a: Audited) -> Iterable[Finding]:
    yield from _matches(a, "pdf-residue", RESIDUE, "模板的占位文字“{}”没有改写", "按本部门的实际情况改写，或删去不涉及的句子")


@document_rule("pdf-punctuation", WARNING, "没有重复的标点")
def doubled_punctuation(a: Audited) -> Iterable[Finding]:
    yield from _matches(a, "pdf-punctuation", DOUBLED, "标点“{}”重复", "删去多余的标点")


def _matches(a: Audited, rule_id: str, pattern: re.Pattern, message: str, hint: str) -> Iterator[Finding]:
    """A finding for each place a line of the document matches ``pattern``, the match quoted in ``message``."""
    for page, line in _lines(a.doc):
        for match in pattern.finditer(line):
            yield a.finding(DOCUMENT_RULES[rule_id], page, f"“{_around(line, match)}”", message.format(match.group(0)),
                            hint=hint)


def _around(line: str, match: re.Match, width: int = 12) -> str:
    return line[max(0, match.start() - width):match.end() + width]


def document_findings(a: Audited) -> list[Finding]:
    return [f for rule in DOCUMENT_RULES.values() for f in rule.check(a)]


def cover_facts(doc: PdfDocument) -> tuple[str, int]:
    """The department's name (the cover's first line) and the year (the first four-digit 19NN or 20NN on it)."""
    cover = doc.cover
    match = next((m for line in cover for m in [COVER_YEAR.search(line.replace(" ", ""))] if m), None)
    if not cover or match is None:
        raise ContentError([Problem(doc.shown, None, "", "封面上找不到部门名称和决算年度",
                                    "第 1 页为封面：部门名称、“20NN 年度部门决算”", "；".join(cover[:3]) or "空白")])
    return cover[0].replace(" ", ""), int(match.group(1))
