"""`juesuan audit FILE.pdf`: a published disclosure checked as a finance bureau reviews what departments send in.

The PDF is read as `juesuan import` reads it (``authoring.pdf``): its tables found by their titles and read
through the form's layouts into a department file held in memory. The same rules as `juesuan check` then run
over its tables (one rule set, not a copy), and each finding is moved from the department file's field to the
PDF cell it was read from (“第 8 页“收入决算表”第 12 行第 5 列”). The document's own rules follow
(``audit.document``). The form is the one given (``--profile``), else the built-in one whose tables the PDF
prints with the fewest problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.audit.document import Audited, cover_facts, document_findings
from generator.audit.narrative import narrative_findings
from generator.audit.years import previous_year_findings
from generator.authoring.pdf.importing import best_form, stated_department
from generator.authoring.pdf.reading import PdfSheet, read_pdf, table_sheets
from generator.authoring.pdf.sections import explanation_sections
from generator.authoring.spreadsheet.block import yaml_path
from generator.authoring.spreadsheet.tables import BLOCKS
from generator.authoring.spreadsheet.workbooks import ReadTables, computed_text
from generator.checks.engine import Context
from generator.checks.findings import ERROR, NOTICE, SEVERITY_ORDER, WARNING, Finding
from generator.checks.runner import check_computed
from generator.errors import ContentError, Problem, display_path
from generator.forms.layouts import form_of, load_form
from generator.forms.profiles import available_profiles

AUDITED_ID = "audited-pdf"  # the department file held in memory (never written)
# Table rules that hold a table to the department file's 情况说明 fields: the department read from a PDF has its
# tables only, so these would compare the table with nothing (公开10表's sentences are held to it as text instead)
WITH_NARRATIVE = ("info-10",)


@dataclass
class AuditReport:
    shown: str
    name: str
    year: int
    profile: str
    tables: list[str]  # the tables read, by name
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_dict(self) -> dict:
        return {"file": self.shown, "department": self.name, "year": self.year, "profile": self.profile,
                "tables": self.tables, "errors": self.count(ERROR), "warnings": self.count(WARNING),
                "notices": self.count(NOTICE), "findings": [f.as_dict() for f in self.findings]}


def audit_pdf(path: Path, profile: str | None = None, content_dir: Path = Path("content"),
              previous: Path | None = None) -> AuditReport:
    """Every finding on one published PDF (and, given last year's PDF ``previous``, on the 上年数 it states);
    ContentError if it cannot be read at all."""
    shown = display_path(path)
    doc = read_pdf(path, shown)
    name, year = cover_facts(doc)
    sheets = table_sheets(doc)
    target = content_dir / str(year) / f"{AUDITED_ID}.yaml"
    names = [profile] if profile else available_profiles(content_dir)
    chosen, read = best_form(doc, sheets, names, shown, path.name, target, year, name)
    findings = [_problem(p) for p in read.problems]
    try:
        computed = computed_text(read.text, target, year, read.settings, f"{shown}（读出的各表）")
    except ContentError as exc:  # a figure the file format refuses (a negative count…): said, not a traceback
        findings += [_problem(p) for p in exc.problems]
        computed = None
    if computed is not None:
        located = _cells(read, sheets)
        for f in check_computed(computed, tolerance=read.settings.tolerance):
            if f.field.startswith("tables") and f.rule not in WITH_NARRATIVE:
                findings.append(_moved(f, located, shown))
        sections = explanation_sections(doc, computed.profile)
        findings += narrative_findings(Context(computed, read.settings.tolerance), doc, sections)
        if previous is not None:
            stated = stated_department(doc, sheets, shown, path.name, target, year, name, chosen, name, computed)
            findings += previous_year_findings(doc, stated, previous, target, sections)
    form = computed.form if computed is not None else load_form(form_of(year), read.settings.profile_for(chosen))
    found = {t.layout.id: _first_page(t.sheet, sheets) for t in read.imports}
    findings += document_findings(Audited(doc, form, found, name, year))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _page_of(f.file), f.rule))
    return AuditReport(shown, name, year, chosen, [t.layout.name for t in read.imports], findings)


def _cells(read: ReadTables, sheets: list[PdfSheet]) -> dict[str, str]:
    """Each stated figure's field in the department file → the PDF cell it was read from."""
    by_name = {s.name: s for s in sheets}
    located = {}
    for table in read.imports:
        block = BLOCKS[table.layout.id]
        sheet = by_name[table.sheet]
        for key, (row, col) in table.cells.items():
            located[".".join(("tables", block, *yaml_path(block, key)))] = sheet.cell(row, col)
    return located


def _moved(f: Finding, located: dict[str, str], shown: str) -> Finding:
    place = located.get(f.field)
    return Finding(f.rule, f.severity, f.where, f.message, f"{shown} {place}" if place else shown, None, f.field,
                   f.expected, f.found, f.hint)


def _problem(p: Problem) -> Finding:
    return Finding("pdf-read", ERROR, "读表", p.message + (f"（应为 {p.expected}，实际为 {p.found}）"
                                                         if p.expected and p.found else ""), p.file, None)


def _first_page(name: str, sheets: list[PdfSheet]) -> int:
    return next((s.pages[0] for s in sheets if s.name == name), 0)


def _page_of(place: str) -> int:
    match = re.search(r"第 (\d+) 页", place)
    return int(match.group(1)) if match else 0
