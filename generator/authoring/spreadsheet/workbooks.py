"""`juesuan import` and `juesuan export`: the tables from and to an Excel workbook.

- ``export_workbook``: a department file → the workbook the site publishes (one sheet per
  table, laid out like the print; ``render.opendata.workbook``), under the department's province profile.
- ``import_workbook``: a workbook laid out as the tables are printed (our own export, or the
  决算 software's) → the department file's ``tables:`` block, stating every figure as given so
  that ``juesuan check`` verifies the workbook's own arithmetic. An existing file keeps every
  other byte; a new file is ``juesuan new``'s commented template with the imported block, in the
  workbook's unit (``unit: 元`` when its sheets say “单位：元”, so no amount gets more than two decimals).
  A workbook without the 公开07、08表 sheets (``missing_as_empty`` in data/spreadsheet_headers.yaml)
  imports them as empty tables, with a warning. A bad workbook gives every problem, located as
  “book.xlsx 公开03表!D12”, and nothing is written.

The tables read, and their layouts, are the department's form: the year's national form under its
province profile, chosen as a build chooses it (``--profile``, else the file's own ``profile:``,
else site.yaml's, else the default). Shanxi's workbook has 公开10表 too (into ``tables.info``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from generator.authoring.jsonschema import SCHEMA_NAME, write_schema
from generator.authoring.newfile import Draft, FormFields, render
from generator.authoring.spreadsheet.block import (
    replace_tables,
    tables_block,
    yaml_path,
)
from generator.authoring.spreadsheet.cells import Problems, Sheet
from generator.authoring.spreadsheet.headers import header_words
from generator.authoring.spreadsheet.reading import read_workbook
from generator.authoring.spreadsheet.sheets import BLOCKS, department_line, find_sheets, stated_unit
from generator.authoring.spreadsheet.tables import TableImport, TableReader, column_title, layout_keys
from generator.checks.findings import ERROR
from generator.checks.runner import check_computed
from generator.compute.figures import Computed
from generator.content.department import ID_PATTERN
from generator.errors import ContentError, Problem, display_path
from generator.forms.layouts import TableLayout, available_forms, load_form
from generator.forms.vocabulary import file_stem
from generator.money import UNITS
from generator.pipeline.checking import load_computed
from generator.pipeline.departments import SourceFile, read_source, with_profile
from generator.pipeline.settings import Settings, resolve_settings
from generator.pipeline.staging import write_file
from generator.render.grid import grids_of
from generator.render.opendata.workbook import workbook_bytes
from generator.source.yamlfile import load_yaml_text

__all__ = ["ImportResult", "ReadTables", "computed_text", "import_workbook", "import_sheets", "read_tables",
           "department_target", "export_workbook"]


@dataclass
class ImportResult:
    target: Path
    created: bool
    tables: list[tuple[str, str]]  # (label, sheet it was read from)
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong (e.g. another form's 行次)
    remaining: list = field(default_factory=list)  # Problems outside the tables and check 错误: what to fill in
    warnings: list[str] = field(default_factory=list)  # to look at: a table taken as empty, amounts finer than 0.01


def export_workbook(path: Path, output: Path | None = None, profile: str | None = None) -> Path:
    """Write the department's workbook (as published on the site) atomically; returns where.

    ``profile`` (--profile) overrides the file's and site.yaml's, as for a build."""
    computed = load_computed(path, profile)
    d = computed.department
    target = output or Path(f"{file_stem(d.id, d.year)}.xlsx")
    write_file(target, workbook_bytes(computed, grids_of(computed)))
    return target


def import_workbook(workbook: Path, dept_id: str, year: int, content_dir: Path = Path("content"),
                    name: str | None = None, profile: str | None = None) -> ImportResult:
    """Read the tables of ``workbook`` into ``content_dir/<year>/<dept_id>.yaml``, laid out as the
    department's profile prints them (``profile``: --profile, else the file's, site.yaml's, the default)."""
    shown = display_path(workbook)
    target = department_target(dept_id, year, content_dir)
    return import_sheets(read_workbook(workbook, shown), shown, workbook.name, target, year, name, profile,
                         missing_as_empty=True)


def department_target(dept_id: str, year: int, content_dir: Path) -> Path:
    """Where an import writes: ``content_dir/<year>/<dept_id>.yaml``, the identifier checked first."""
    if not ID_PATTERN.match(dept_id):
        raise ContentError([Problem(dept_id, None, "", "部门标识只能用小写字母、数字和连字符",
                                    "如 xianyang-rsj", dept_id)])
    return content_dir / str(year) / f"{dept_id}.yaml"


@dataclass
class ReadTables:
    """What an import read, before anything is written: the department file's text and the tables in it."""

    text: str
    created: bool
    settings: Settings
    imports: list[TableImport]
    notes: list[str]
    problems: list[Problem]  # why a table could not be read (an import stops on any; an audit reports them)
    warnings: list[str] = field(default_factory=list)


def read_tables(sheets: list[Sheet], shown: str, origin: str, target: Path, year: int, name: str | None = None,
                profile: str | None = None, titles_first: bool = False, name_hint: str | None = None,
                draft: Draft | None = None, missing_as_empty: bool = False) -> ReadTables:
    """The tables of ``sheets`` (a workbook's, or a PDF's tables read as sheets) read through the form's layouts
    into the text of the department file ``target``: every figure as printed. ``origin`` names the source in the
    file; ``titles_first``: find each table by its title before its 公开NN表 label (a PDF's labels may be wrong);
    ``name_hint``: the department's name when no table has a 部门 line (a PDF's cover); ``draft``: what a new file
    states besides its tables; ``missing_as_empty``: a table the workbook may leave out (公开07、08表) is then an empty
    table, with a warning, unless the existing file states figures for it (they would be lost). A table that cannot be read is left out and its problems returned. A new file is written
    in the unit the sheets state (元 if any says 元: 万元 in 元 is exact)."""
    existing, unit, form_number, data = _existing(target, year)
    created = existing is None
    own_profile = data.get("profile") if isinstance(data.get("profile"), str) and data.get("profile") else None
    settings = resolve_settings(target.parent.parent, profile=profile)
    chosen = settings.profile_for(own_profile)
    problems = Problems(shown)
    form, national = load_form(form_number, chosen), load_form(form_number)
    imports, notes, warnings = [], [], []
    stated = data.get("tables") if isinstance(data.get("tables"), dict) else {}
    optional = frozenset(tid for tid in form.tables if BLOCKS.get(tid) in header_words().missing_as_empty
                         and not stated.get(BLOCKS[tid])) if missing_as_empty else frozenset()
    claimed = find_sheets(sheets, form, problems, titles_first, optional)
    units = {u for sheet in claimed.values() if (u := stated_unit(sheet))}
    if created and "元" in units:
        unit = "元"
    elif unit == "万元" and "元" in units:
        warnings.append("工作簿按元填报，部门文件按万元：金额已精确换算为万元，可能多于两位小数（部门文件开头 unit: 元 时按元写入）")
    for tid, layout in form.tables.items():
        sheet = claimed.get(tid)
        if sheet is None and tid in optional:
            imports.append(TableImport(layout, "", note="工作簿中没有此表，按空表导入"))
            warnings.append(f"工作簿中没有{layout.name}（{layout.title}）的工作表，已按空表导入；"
                            "如本部门有此项收支，请补上此表后重新导入")
        if sheet is None or not problems.readable(sheet):
            continue
        reader = TableReader(sheet, form.tables[tid], form, year, unit, problems)
        if (result := reader.read()) is not None:
            _keep_unprinted(result, national.tables.get(tid), data)
            imports.append(result)
        notes += reader.notes
    if created and not name:
        name = next((line for sheet in claimed.values() if (line := department_line(sheet))), None) or name_hint
        if not name:
            problems.at(None, None, None, "找不到部门名称，无法新建部门文件",
                        "用 --name 指定部门名称，或在各表表头写“部门：……”", "无")
    if created:  # the new file offers the fields its form prints, and names the profile it was read with
        existing = _new_file(target.stem, year, name or "", target, FormFields.of(chosen, year, profile), draft, unit)
    text = replace_tables(existing, tables_block(imports, origin))
    return ReadTables(text, created, settings, imports, notes, problems.items, warnings)


def import_sheets(sheets: list[Sheet], shown: str, origin: str, target: Path, year: int, name: str | None = None,
                  profile: str | None = None, titles_first: bool = False, name_hint: str | None = None,
                  draft: Draft | None = None, missing_as_empty: bool = False) -> ImportResult:
    """``read_tables``, then the department file written (nothing is written if any table could not be read)."""
    read = read_tables(sheets, shown, origin, target, year, name, profile, titles_first, name_hint, draft,
                       missing_as_empty)
    if read.problems:
        raise ContentError(read.problems)
    remaining = _validate(read.text, target, year, read.settings)
    if read.created:
        write_schema(target.parent.parent / SCHEMA_NAME)  # the template's first line refers to it
    write_file(target, read.text.encode("utf-8"))
    return ImportResult(target, read.created, [(t.layout.name, t.sheet) for t in read.imports], read.notes, remaining,
                        read.warnings)


def _existing(target: Path, year: int) -> tuple[str | None, str, int, dict]:
    """The existing file's text, unit, form and data (defaults and {} when there is no file)."""
    forms = available_forms()
    form = ([f for f in forms if f <= year] or forms)[-1]
    if not target.exists():
        return None, "万元", form, {}
    shown = display_path(target)
    try:
        text = target.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, None, "", "文件不是 UTF-8 编码的文本", "UTF-8 编码的 YAML 文件")])
    data = load_yaml_text(text, shown).data
    data = data if isinstance(data, dict) else {}
    unit = data.get("unit") if data.get("unit") in UNITS else "万元"
    return text, unit, data.get("form") if data.get("form") in forms else form, data


def _keep_unprinted(table: TableImport, national: TableLayout | None, data: dict) -> None:
    """Figures the national form's table holds but the profile's layout of it does not print (Shanxi's
    公开09表 has no 会议费、培训费): the workbook has no place for them, so the existing file's are kept."""
    ours, theirs = layout_keys(table.layout), layout_keys(national) if national is not None else None
    if ours is None or theirs is None:
        return
    block = BLOCKS[table.layout.id]
    tables = data.get("tables") if isinstance(data.get("tables"), dict) else {}
    kept = []
    for key in (k for k in theirs if k not in ours):
        value = tables.get(block)
        for part in yaml_path(block, key):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            table.figures[key] = Decimal(value)
            kept.append(key)
    names = list(dict.fromkeys(column_title(national, key) for key in kept))
    for key in kept:
        table.comments[key] = f"{'、'.join(names)}：本省表样的{table.layout.name}不列，照原文件保留"


def _new_file(dept_id: str, year: int, name: str, target: Path, fields: FormFields, draft: Draft | None,
              unit: str) -> str:
    """`juesuan new`'s commented template: every other field explained, to fill in (with what ``draft`` read from
    the source, such as a PDF's 情况说明)."""
    match = re.fullmatch(r"(.+?)\s*[（(](汇总|本级)[）)]", name.strip())
    dept_name, scope = (match.group(1), match.group(2)) if match else (name.strip(), "汇总")
    base = draft or Draft(dept_id, year, dept_name)
    return render(replace(base, dept_id=dept_id, year=year, name=dept_name, scope=scope, unit=unit), display_path(target),
                  fields)


def computed_text(text: str, target: Path, year: int, settings: Settings, shown: str | None = None) -> Computed:
    """A department file's text (not written) read and computed as a build would; ContentError if it cannot be."""
    source = SourceFile(shown or display_path(target), str(year), target.stem, str(target), "", len(text), text)
    return with_profile(read_source(source), settings)


def _validate(text: str, target: Path, year: int, settings: Settings) -> list:
    """Read the file as it would be written: a problem in its tables is ours and stops the import;
    other problems, and the check's 错误 under its profile (年初预算 to fill in for the 科目 …), are
    returned for the officer."""
    try:
        computed = computed_text(text, target, year, settings)
    except ContentError as exc:
        inside = [p for p in exc.problems if p.field == "tables" or p.field.startswith("tables.")]
        if inside:
            raise ContentError(inside)
        return exc.problems
    return [f for f in check_computed(computed, tolerance=settings.tolerance) if f.severity == ERROR]
