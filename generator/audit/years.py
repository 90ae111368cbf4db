"""`juesuan audit FILE.pdf --previous LAST.pdf`: this year's disclosure held to last year's.

The 情况说明 states last year's figures (“与上年相比增加 X 万元” beside this year's total, “与2023年度持平”); read
back as `juesuan import` reads them (``authoring.pdf``), they are checked by `juesuan check`'s own rule
``previous-year`` against the totals last year's PDF publishes, read the same way. Each finding names the page of
the section that states the figure.
"""

from __future__ import annotations

from pathlib import Path

from generator.audit.document import cover_facts
from generator.authoring.pdf.importing import stated_department
from generator.authoring.pdf.reading import PdfDocument, read_pdf, table_sheets
from generator.checks.findings import ERROR, Finding
from generator.checks.runner import check_computed
from generator.compute.figures import Computed
from generator.errors import ContentError, Problem, display_path

PREVIOUS_RULE = "previous-year"


def previous_year_findings(doc: PdfDocument, this: Computed | None, last_pdf: Path, target: Path,
                           sections: dict[str, tuple[int, str]]) -> list[Finding]:
    """The 上年数 ``doc`` states (read into ``this``, held as the department file ``target``) that differ from what
    ``last_pdf`` publishes; ContentError if that PDF is not this department's previous year."""
    shown = display_path(last_pdf)
    name, year = cover_facts(doc)
    last_doc = read_pdf(last_pdf, shown)
    last_name, last_year = cover_facts(last_doc)
    if last_year != year - 1 or last_name != name:
        raise ContentError([Problem(f"{shown} 第 1 页（封面）", None, "", "不是同一部门上一年度的决算公开 PDF",
                                    f"{name} {year - 1} 年度", f"{last_name} {last_year} 年度")])
    if this is None:
        return []
    last = stated_department(last_doc, table_sheets(last_doc), shown, last_pdf.name,
                             target.parent.parent / str(last_year) / target.name, last_year, last_name,
                             this.profile.name, last_name)
    if last is None:
        return [Finding(PREVIOUS_RULE, ERROR, "上年 PDF", "上年的 PDF 的表读不出来，无法核对本年所写的上年数", shown,
                        None)]
    return [_located(f, doc.shown, sections) for f in check_computed(this, previous=last, only=PREVIOUS_RULE)]


def _located(f: Finding, shown: str, sections: dict[str, tuple[int, str]]) -> Finding:
    """A finding moved from the field the sentence was read into to the page of its section."""
    key = f.field.split(".")[1] if f.field.count(".") >= 1 else ""
    page = sections.get(key, (0, ""))[0]
    place = f"{shown} 第 {page} 页" if page else shown
    return Finding(f.rule, f.severity, f.where, f.message, place, None, f.field, f.expected, f.found, f.hint)
