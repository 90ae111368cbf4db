"""`juesuan import FILE.pdf`: last year's published disclosure → this tool's department file.

The PDF's tables are read as sheets (``reading``) and go through the workbook importer's own reader and writer
(``spreadsheet.workbooks.import_sheets``): found by their titles first (a PDF's printed labels may be wrong), read
by the form's layouts, every figure as printed, a bad cell located by page, row and column. A published document's
figures are final: where its printed totals differ from their parts by a 尾差, a new file registers it in
``tail_differences`` (``juesuan check`` then holds the figures to exactly that difference).
"""

from __future__ import annotations

from pathlib import Path

from generator.authoring.newfile import Draft
from generator.authoring.pdf.facts import Facts, read_facts
from generator.authoring.pdf.reading import PdfDocument, read_pdf, table_sheets
from generator.authoring.pdf.sections import explanation_paragraphs, explanation_sections
from generator.authoring.spreadsheet.workbooks import (
    ImportResult,
    ReadTables,
    computed_text,
    department_target,
    import_sheets,
    read_tables,
)
from generator.checks.findings import TAIL_RULE
from generator.compute.figures import Computed
from generator.checks.runner import check_computed
from generator.errors import ContentError, Problem, display_path
from generator.forms.profiles import DEFAULT_PROFILE, available_profiles
from generator.money import format_plain
from generator.pipeline.checking import load_computed
from generator.pipeline.staging import write_file
from generator.source.yamlfile import load_yaml_text

TAIL_BLOCK = "tail_differences:"


def import_pdf(pdf: Path, dept_id: str, year: int, content_dir: Path = Path("content"), name: str | None = None,
               profile: str | None = None) -> ImportResult:
    """Read the tables of a published disclosure PDF into ``content_dir/<year>/<dept_id>.yaml``."""
    shown = display_path(pdf)
    target = department_target(dept_id, year, content_dir)
    doc = read_pdf(pdf, shown)
    cover = doc.cover
    hint = cover[0].replace(" ", "") if cover else None
    _same_department(target, hint, name, shown)
    sheets = table_sheets(doc)
    if profile is None and not target.exists():  # a new file: the form the PDF is printed in
        profile, _read = best_form(doc, sheets, available_profiles(content_dir), shown, pdf.name, target, year, hint)
    facts = _facts(doc, sheets, shown, pdf.name, target, year, name, profile, hint)
    draft = Draft(dept_id, year, "", overview=facts.overview, narrative=facts.narrative, glossary=facts.glossary,
                  item_notes=facts.items, items=facts.names, attachments=facts.attachments) if facts else None
    result = import_sheets(sheets, shown, pdf.name, target, year, name, profile, titles_first=True, name_hint=hint,
                           draft=draft)
    if facts:
        result.notes += facts.notes
        _note_in_file(target, facts.notes)
    if result.created:
        registered = _register_tails(target, profile)
        if registered:
            result.notes.append(f"PDF 所印的 {registered} 处尾差已登记在 tail_differences 中")
    return result


def _note_in_file(target: Path, notes: list[str]) -> None:
    """What the import did not read, said at the top of the new file too (the run's messages scroll away)."""
    if not notes:
        return
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.startswith("year:")), 0)
    block = ["# 从 PDF 导入时没有读取、须照 PDF 填写的内容：\n", *(f"#   - {note}\n" for note in notes)]
    write_file(target, "".join(lines[:at] + block + lines[at:]).encode("utf-8"))


def best_form(doc: PdfDocument, sheets: list, names: list[str], shown: str, origin: str, target: Path, year: int,
              hint: str | None) -> tuple[str, ReadTables]:
    """The form (profile) among ``names`` the PDF is printed in, with its tables read: the most tables read, the
    fewest problems, the most of its 情况说明 headings found (forms whose tables are alike differ in their sentences),
    the default form."""
    reads = [(name, read_tables(sheets, shown, origin, target, year, None, name, titles_first=True, name_hint=hint))
             for name in names]

    def fit(pair: tuple[str, ReadTables]) -> tuple:
        name, read = pair
        headings = len(explanation_sections(doc, read.settings.profile_for(None)))
        return -len(read.imports), len(read.problems), -headings, name != DEFAULT_PROFILE

    return min(reads, key=fit)


def _same_department(target: Path, cover: str | None, name: str | None, shown: str) -> None:
    """An existing file is only updated from its own department's PDF (unless --name says whose it is)."""
    if name or cover is None or not target.exists():
        return
    data = load_yaml_text(target.read_text(encoding="utf-8"), display_path(target)).data
    department = data.get("department") if isinstance(data, dict) else None
    own = department.get("name") if isinstance(department, dict) else None
    if isinstance(own, str) and own.replace(" ", "") != cover:
        raise ContentError([Problem(f"{shown} 第 1 页（封面）", None, "", f"PDF 封面的部门“{cover}”不是部门文件 {display_path(target)} 的“{own}”",
                                    "同一部门的 PDF（确要导入时用 --name 写明部门名称）", cover)])


def stated_department(doc: PdfDocument, sheets: list, shown: str, origin: str, target: Path, year: int,
                      name: str | None, profile: str | None, hint: str | None,
                      tables: Computed | None = None) -> Computed | None:
    """The department the PDF states, held in memory: its tables and the facts of its prose (for `juesuan audit
    --previous`, which holds this year's 上年数 to last year's PDF); None where the tables cannot be read.
    ``tables``: the department of its tables alone, where the caller has read them already."""
    facts = _facts(doc, sheets, shown, origin, target, year, name, profile, hint) if tables is None else \
        _read_facts(doc, tables)
    if facts is None:
        return None
    draft = Draft(target.stem, year, "", narrative=facts.narrative)
    read = read_tables(sheets, shown, origin, target, year, name, profile, titles_first=True, name_hint=hint,
                       draft=draft)
    try:
        return computed_text(read.text, target, year, read.settings)
    except ContentError:
        return None


def _facts(doc: PdfDocument, sheets: list, shown: str, origin: str, target: Path, year: int, name: str | None,
           profile: str | None, hint: str | None) -> Facts | None:
    """For a new file: what the 情况说明 and 名词解释 state, read against the tables (read once more, in memory)."""
    first = read_tables(sheets, shown, origin, target, year, name, profile, titles_first=True, name_hint=hint)
    if not first.created or first.problems:
        return None
    try:
        computed = computed_text(first.text, target, year, first.settings)
    except ContentError:  # the import itself reports it
        return None
    return _read_facts(doc, computed)


def _read_facts(doc: PdfDocument, computed: Computed) -> Facts:
    return read_facts(doc, explanation_sections(doc, computed.profile), explanation_paragraphs(doc, computed.profile),
                      computed)


def _register_tails(target: Path, profile: str | None) -> int:
    """Register every 尾差 the new file's tables print (the tail-difference notices of its check); how many."""
    computed = load_computed(target, profile)
    tails = {f.field: f.difference for f in check_computed(computed) if f.rule == TAIL_RULE and f.field}
    if not tails:
        return 0
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.startswith(TAIL_BLOCK)), None)
    if at is None:
        return 0
    entries = [f"  {field}: {format_plain(difference)}  # PDF 所印与计算数之差\n" for field, difference in sorted(tails.items())]
    write_file(target, "".join(lines[:at + 1] + entries + lines[at + 1:]).encode("utf-8"))
    return len(tails)
