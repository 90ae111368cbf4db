"""`juesuan import` of workbooks as finance software writes them: header synonyms (科目编码, 合计, 金额 …), 科目代码
split into 类/款/项 columns, a 目录 sheet, signature rows, “本表为空表”, a missing 公开08表, amounts in 元; as .xlsx,
.ods and .xls. Broken variants are refused with every problem located by sheet and cell."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from test_spreadsheet import computed_figures

from generator.authoring.spreadsheet import headers
from generator.authoring.spreadsheet.cells import Problems, Sheet, norm
from generator.authoring.spreadsheet.headers import ANY, header_words
from generator.authoring.spreadsheet.sheets import find_sheets, stated_unit
from generator.authoring.spreadsheet.tables import expected_columns, joined_code
from generator.authoring.spreadsheet.workbooks import import_workbook
from generator.content.department import load_department
from generator.errors import ContentError
from generator.forms.layouts import Codes, available_forms, load_form
from generator.forms.profiles import available_profiles, load_profile
from generator.money import round_cent
from generator.pipeline.checking import load_computed
from generator.render.grid import build_grids, place
from generator.render.opendata.records import column_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "2023" / "xianyang-rsj.yaml"
XLS = ROOT / "tests" / "data" / "workbook-variants.xls"  # software_book() saved by xls_from(), see its docstring
NAME = "咸阳市人力资源和社会保障局"
SYNONYMS = {"科目代码": "科目编码", "决算数": "金额", "行次": "行号", "本年收入合计": "合计", "本年支出合计": "支出合计"}
T05_SYNONYMS = {"小计": "合计"}


# -- the finance software's workbook -----------------------------------------------------------------------

def software_book(yuan: bool = True) -> openpyxl.Workbook:
    """The example's tables as a finance package writes them: a 目录 sheet first; “编制单位：” and “单位：元” lines;
    headers in its own words; 公开02、03、05表 codes in 类/款/项 columns, each printed only where it changes;
    a signature row under each table; 公开07表 “本表为空表”, 公开08表 left out."""
    c = load_computed(EXAMPLE)
    scale = Decimal(10000) if yuan else Decimal(1)
    book = openpyxl.Workbook()
    contents = book.active
    contents.title = "目录"
    for i, layout in enumerate(c.form.tables.values(), start=1):
        contents.cell(i, 1, layout.label)
        contents.cell(i, 2, layout.title)
    for grid in build_grids(c):
        layout = grid.layout
        if layout.id == "t08":
            continue
        ws = book.create_sheet(layout.label)
        width = grid.column_count + (2 if isinstance(layout.body, Codes) else 0)
        ws.cell(1, 1, layout.title)
        ws.cell(2, 1, f"编制单位：{NAME}")
        ws.cell(2, width, "单位：元" if yuan else "单位：万元")
        if isinstance(layout.body, Codes):
            row = _split_code_table(ws, grid, scale)
        else:
            row = _as_printed(ws, grid, scale)
        ws.cell(row, 1, "单位负责人：张三")
        ws.cell(row, 4, "财务负责人：李四")
        ws.cell(row, 6, "制表人：王五")
        ws.cell(row + 1, 1, layout.notes[0] if layout.notes else "注：")
    return book


def _amount(value: Decimal | None, scale: Decimal) -> float | None:
    printed = round_cent(value or Decimal(0))
    return float(printed * scale) if printed else None


def _as_printed(ws, grid, scale: Decimal) -> int:
    """The header (in the software's words) and body as the print lays them out; the row after the body."""
    row = 3
    for rows, header in ((grid.header, True), (grid.body, False)):
        for r, col, cell in place(rows):
            target = ws.cell(row + r, col + 1)
            if cell.kind == "amount":
                target.value = _amount(cell.value, scale)
            else:
                target.value = SYNONYMS.get(cell.text, cell.text) if header else (cell.text or None)
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=row + r, start_column=col + 1, end_row=row + r + cell.rowspan - 1,
                               end_column=col + cell.colspan)
        row += len(rows)
    return row


def _split_code_table(ws, grid, scale: Decimal) -> int:
    """项目 over 科目编码 (类, 款, 项) and 科目名称, the amount headers in the software's words, no 栏次 row."""
    layout = grid.layout
    words = {**SYNONYMS, **(T05_SYNONYMS if layout.id == "t05" else {})}
    ws.cell(3, 1, "项目")
    ws.merge_cells("A3:D3")
    ws.cell(4, 1, "科目编码")
    ws.merge_cells("A4:C4")
    ws.cell(4, 4, "科目名称")
    ws.merge_cells("D4:D5")
    for i, part in enumerate(("类", "款", "项")):
        ws.cell(5, 1 + i, part)
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(column_paths(layout.header)[2:]):
        col = 5 + i
        texts = [words.get(t, t) for t in path]
        if len(texts) == 1:
            ws.cell(3, col, texts[0])
            ws.merge_cells(start_row=3, start_column=col, end_row=5, end_column=col)
        else:
            groups.setdefault(texts[0], []).append(col)
            ws.cell(4, col, texts[1])
            ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    for text, cols in groups.items():
        ws.cell(3, cols[0], text)
        ws.merge_cells(start_row=3, start_column=cols[0], end_row=3, end_column=cols[-1])
    row = 6
    if layout.id == "t07":
        ws.cell(row, 1, "本表为空表")
        return row + 1
    for cells in grid.body:
        ident = [c for c in cells if c.kind != "amount"]
        code = ident[0].text
        if code == "合计":
            ws.cell(row, 1, "合计")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        else:
            level = len(code) // 2  # 3 → 1 (类), 5 → 2 (款), 7 → 3 (项)
            ws.cell(row, level, code[(0, 3, 5)[level - 1]:])  # each level's digits only where it changes
            ws.cell(row, 4, ident[-1].text)
        for i, cell in enumerate(c for c in cells if c.kind == "amount"):
            ws.cell(row, 5 + i, _amount(cell.value, scale))
        row += 1
    return row


def saved(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


def ods_from(book: openpyxl.Workbook, path: Path) -> Path:
    """The workbook as an OpenDocument spreadsheet (values and merged ranges), written by hand: odfpy is not installed."""
    table, office, text = ("urn:oasis:names:tc:opendocument:xmlns:table:1.0",
                           "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
                           "urn:oasis:names:tc:opendocument:xmlns:text:1.0")
    sheets = []
    for ws in book.worksheets:
        spans = {(r.min_row, r.min_col): (r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
                 for r in ws.merged_cells.ranges}
        covered = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
                   for col in range(r.min_col, r.max_col + 1) if (row, col) != (r.min_row, r.min_col)}
        rows = []
        for r in range(1, ws.max_row + 1):
            cells = []
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                down, across = spans.get((r, c), (1, 1))
                span = (f' table:number-rows-spanned="{down}" table:number-columns-spanned="{across}"'
                        if (down, across) != (1, 1) else "")
                value = ws.cell(r, c).value
                if value is None:
                    cells.append(f"<table:table-cell{span}/>")
                elif isinstance(value, (int, float)):
                    cells.append(f'<table:table-cell{span} office:value-type="float" office:value="{value!r}">'
                                 f"<text:p>{value}</text:p></table:table-cell>")
                else:
                    cells.append(f'<table:table-cell{span} office:value-type="string"><text:p>{escape(value)}</text:p>'
                                 "</table:table-cell>")
            rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        sheets.append(f'<table:table table:name="{escape(ws.title)}">{"".join(rows)}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
               f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
               f'{"".join(sheets)}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def xls_from(book: openpyxl.Workbook, path: Path) -> Path:
    """The workbook as Excel 97–2003 (.xls), with xlwt, which is not among the tool's dependencies: how
    tests/data/workbook-variants.xls was made (``pip install --target DIR xlwt``, DIR on PYTHONPATH, then
    ``xls_from(software_book(), XLS)``)."""
    import xlwt

    out = xlwt.Workbook(encoding="utf-8")
    for ws in book.worksheets:
        sheet = out.add_sheet(ws.title)
        covered = set()
        for r in ws.merged_cells.ranges:
            value = ws.cell(r.min_row, r.min_col).value
            sheet.write_merge(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1, value)
            covered |= {(row, col) for row in range(r.min_row, r.max_row + 1) for col in range(r.min_col, r.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and (cell.row, cell.column) not in covered:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value)
    out.save(str(path))
    return path


def tables_block(path: Path) -> str:
    return "tables:" + path.read_text(encoding="utf-8").split("\ntables:", 1)[1].split("\n\n", 1)[0]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The software's .xlsx imported into a new file: (result, the file's text)."""
    folder = tmp_path_factory.mktemp("variants")
    result = import_workbook(saved(software_book(), folder / "决算报表.xlsx"), "xianyang-rsj", 2023, folder / "content")
    return result, result.target.read_text(encoding="utf-8")


# -- the variants, imported ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_software_workbook_imports_every_figure_in_its_unit(imported):
    result, text = imported
    assert result.created and [sheet for _, sheet in result.tables][:2] == ["公开01表", "公开02表"]
    assert "\nunit: 元" in text  # the sheets say 单位：元: the new file is in 元, no amount finer than a cent
    assert "    2080101: {total: 12646600.00, fiscal: 12646600.00, superior: 0, business: 0, operating: 0, " in text
    assert "30101: 7447900.00" in text
    assert all(len(amount.split(".")[1]) == 2 for amount in re.findall(r"\d+\.\d+", tables_block(result.target)))
    assert computed_figures(load_computed(result.target), load_computed(EXAMPLE)) == \
        computed_figures(load_computed(EXAMPLE), load_computed(result.target))
    assert load_department(result.target).name == NAME  # from the “编制单位：” line


@pytest.mark.slow
def test_an_empty_table_and_a_missing_one_are_imported_empty_with_a_warning(imported):
    result, text = imported
    assert "  gov_fund: {}  # 公开07表 政府性基金预算财政拨款收入支出决算表：工作簿中此表为空表\n" in text
    assert "  soe_capital: {}  # 公开08表 国有资本经营预算财政拨款支出决算表：工作簿中没有此表，按空表导入\n" in text
    assert result.warnings == ["工作簿中没有公开08表（国有资本经营预算财政拨款支出决算表）的工作表，已按空表导入；"
                               "如本部门有此项收支，请补上此表后重新导入"]
    assert [label for label, _ in result.tables] == [f"公开0{n}表" for n in range(1, 10)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", [".ods", ".xls"])
def test_ods_and_xls_give_the_same_file(kind, imported, tmp_path):
    book = ods_from(software_book(), tmp_path / "决算报表.ods") if kind == ".ods" else XLS
    result = import_workbook(book, "xianyang-rsj", 2023, tmp_path / "content")
    assert tables_block(result.target) == tables_block(imported[0].target).replace("决算报表.xlsx", book.name)
    assert "\nunit: 元" in result.target.read_text(encoding="utf-8") and result.warnings == imported[0].warnings


@pytest.mark.slow
def test_a_workbook_in_wan_yuan_into_an_existing_file_states_the_same_figures(content_copy, tmp_path):
    result = import_workbook(saved(software_book(yuan=False), tmp_path / "b.xlsx"), "xianyang-rsj", 2023, content_copy)
    target = content_copy / "2023" / "xianyang-rsj.yaml"
    assert not result.created and "\nunit: 万元" in target.read_text(encoding="utf-8")
    assert "    2080101: {total: 1264.66, fiscal: 1264.66," in target.read_text(encoding="utf-8")
    assert computed_figures(load_computed(target), load_computed(EXAMPLE)) == \
        computed_figures(load_computed(EXAMPLE), load_computed(target))


@pytest.mark.slow
def test_a_workbook_in_yuan_into_a_file_in_wan_yuan_is_exact_and_warned(content_copy, tmp_path):
    result = import_workbook(saved(software_book(), tmp_path / "b.xlsx"), "xianyang-rsj", 2023, content_copy)
    assert any("工作簿按元填报，部门文件按万元" in w for w in result.warnings)
    assert "    2080101: {total: 1264.66, fiscal: 1264.66," in (content_copy / "2023" / "xianyang-rsj.yaml").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_a_missing_table_the_file_states_figures_for_is_not_taken_as_empty(content_copy, tmp_path):
    target = content_copy / "2023" / "xianyang-rsj.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  soe_capital: {}", "  soe_capital:\n    2230199: {total: 1.00, project: 1.00}", 1),
                      encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        import_workbook(saved(software_book(yuan=False), tmp_path / "b.xlsx"), "xianyang-rsj", 2023, content_copy)
    assert [p.message for p in caught.value.problems] == ["找不到公开08表（国有资本经营预算财政拨款支出决算表）的工作表"]


# -- broken variants --------------------------------------------------------------------------------------

def problems_of(book: Path, content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        import_workbook(book, "xianyang-rsj", 2023, content)
    assert not (content / "2023" / "xianyang-rsj.yaml").exists()  # nothing written
    return [p.format().replace(f"{book.parent}/", "") for p in caught.value.problems]


@pytest.mark.slow
def test_a_broken_software_workbook_is_refused_with_every_problem_located(tmp_path):
    book = software_book()
    book["公开03表"]["F3"] = "人员支出"  # not a word for 基本支出: a header not known, the columns in place
    book["公开02表"]["B10"] = "0x"  # a 款 that is not digits, in the split code
    book["公开02表"].cell(book["公开02表"].max_row - 1, 5, 12.5)  # an amount on the signature row: not passed over
    del book["公开05表"]  # not one of the tables a workbook may leave out
    messages = problems_of(saved(book, tmp_path / "bad.xlsx"), tmp_path / "content")
    assert "bad.xlsx: 找不到公开05表（一般公共预算财政拨款支出决算表）的工作表（应为工作表名称或表头处注明“公开05表”，" \
           "实际为 工作簿中的工作表：目录、公开01表、公开02表、公开03表、公开04表、公开06表、公开07表、公开09表）" in messages
    assert "bad.xlsx 公开03表!F3: 公开03表此列表头与表样不符：不是表样中的栏目名称，也不是已知的同义写法" \
           "（应为“基本支出”，实际为 “人员支出”）" in messages
    assert any(m.startswith("bad.xlsx 公开02表!A10: 公开02表科目代码格式不对") for m in messages)
    assert any(m.startswith("bad.xlsx 公开02表!A") and "单位负责人" in m for m in messages)
    assert not any("可能插入、删除或移动了一列" in m for m in messages)
    assert len(messages) == 4


# -- the data, and the pieces ------------------------------------------------------------------------------

def test_a_split_code_is_joined_however_the_parts_are_printed():
    assert joined_code(["208", "01", "01"], "") == "2080101"  # each level's own digits
    assert joined_code(["208", "", ""], "2019999") == "208"
    assert joined_code(["208", "20801", "2080101"], "") == "2080101"  # each the code so far
    assert joined_code(["2080101", "", ""], "") == "2080101"
    assert joined_code(["", "01", ""], "208") == "20801"  # only where it changes
    assert joined_code(["", "", "02"], "2080101") == "2080102"
    assert joined_code(["合计", "合计", "合计"], "") == "合计"
    assert joined_code(["", "0x", ""], "208") == "0x"  # left to the caller to report
    assert joined_code(["208", "0x", ""], "") == "2080x"
    assert joined_code(["", "", ""], "208") == ""


def test_the_words_are_the_forms_words():
    """Each word the file gives synonyms for is a header text of a built-in layout; within every table of every
    built-in form and profile, no two columns become one by the synonyms."""
    words = header_words()
    layouts = [layout for form in available_forms() for profile in available_profiles()
               for layout in load_form(form, load_profile(profile)).tables.values()]
    printed = {text for layout in layouts for e in expected_columns(layout) for text in e.path}
    assert {w for scope in words.synonyms.values() for w in scope.values()} <= printed
    for layout in layouts:
        raw = [e.path for e in expected_columns(layout)]
        assert len({words.canonical_path(path, layout.id) for path in raw}) == len(set(raw)), layout.name
    assert words.canonical(norm("科目编码"), "t06") == "科目代码" and words.canonical("合计", "t02") == "本年收入合计"
    assert words.canonical("合计", "t03") == "本年支出合计" and words.canonical("合计", "t09") == "合计"
    assert words.is_non_table_text(norm("单位负责人：张三")) and words.is_non_table_text("本部门不涉及故公开空表")
    assert not words.is_non_table_text("行政运行") and ANY in words.synonyms


def test_a_mistake_in_the_words_file_is_located(tmp_path, monkeypatch):
    broken = tmp_path / "spreadsheet_headers.yaml"
    broken.write_text("headers:\n  any:\n    科目代码: [科目编码]\n    科目名称: [科目编码]\n  sheet1:\n    a: [b]\n"
                      "code_parts: [类, 款]\nmissing_as_empty: [gov_fnd]\n", encoding="utf-8")
    monkeypatch.setattr(headers, "WORDS_FILE", broken)
    header_words.cache_clear()
    try:
        with pytest.raises(ContentError) as caught:
            header_words()
    finally:
        header_words.cache_clear()
    messages = [p.format() for p in caught.value.problems]
    assert len(messages) == 4 and all(str(broken) in m or broken.name in m for m in messages)
    assert any("已是“科目代码”的同义写法" in m and ":4:" in m for m in messages)
    assert any("范围应为 any 或表的标识" in m for m in messages)
    assert any("科目代码分列的表头应为三个" in m for m in messages)
    assert any("部门文件中没有这张表" in m for m in messages)


def test_a_contents_sheet_by_any_name_is_skipped_and_a_unit_is_found_at_the_end_of_a_line():
    contents = Sheet("Sheet1", [["公开01表", "收入支出决算总表"], ["公开02表", "收入决算表"], ["公开03表", "支出决算表"]])
    income = Sheet("收入", [["收入决算表"], ["编制单位：咸阳市人力资源和社会保障局    单位：元", None, "公开02表"]])
    problems = Problems("b.xlsx")
    found = find_sheets([contents, income], load_form(2023), problems, optional=frozenset(load_form(2023).tables))
    assert found == {"t02": income} and problems.items == []
    assert stated_unit(income) == "元" and stated_unit(contents) is None
