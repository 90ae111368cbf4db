"""`juesuan import` / `juesuan export`: the tables to and from a workbook, every figure exact, under the
department's province profile (the national nine; Shanxi's own 06, 09 and 公开10表)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.authoring.spreadsheet.block import replace_tables
from generator.authoring.spreadsheet.cells import NotExact, exact_amount
from generator.authoring.spreadsheet.workbooks import export_workbook, import_workbook
from generator.checks.findings import ERROR
from generator.commands.cli import main
from generator.compute.figures import CodedTable
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.errors import ContentError
from generator.forms.profiles import load_profile
from generator.money import NotAnAmount
from generator.pipeline.checking import SettingsByRoot, check_files, load_computed
from generator.render.grid import build_grids, place

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "2023" / "xianyang-rsj.yaml"
DEMO_2024 = ROOT / "content" / "2024" / "demo-tongji.yaml"
STATED = ROOT / "tests" / "fixtures" / "xianyang-rsj-2023-stated.yaml"


# -- helpers ----------------------------------------------------------------------------

def figures(path: Path, keys_from: Path | None = None, profile: str | None = None) -> dict:
    """Every figure of the file computed under its profile (``profile``: --profile): each coded row ×
    column (with its name), each flat table key (of this file and of ``keys_from``: a key one side
    leaves out is zero there)."""
    c = load_computed(path, profile)
    return computed_figures(c, load_computed(keys_from, profile) if keys_from else c)


def computed_figures(c, other) -> dict:
    out = {}
    for tid, table in c.tables.items():
        if isinstance(table, CodedTable):
            for row in table.rows:
                out[(tid, row.code, "name")] = row.name
                out.update({(tid, row.code, col): row.value(col) for col in table.columns})
        else:
            out.update({(tid, key): table.value(key) for key in {*table.figures, *other[tid].figures}})
    return out


def same_figures(a: Path, b: Path) -> bool:
    return figures(a, b) == figures(b, a)


def stated(path: Path) -> dict:
    """What a file states in its tables block (names and amounts), without source positions."""
    t = load_department(path).tables
    coded = {key: {code: (row.name, row.values) for code, row in getattr(t, key).items()}
             for key in ("income", "expenditure", "general_budget", "gov_fund", "soe_capital")}
    return {**coded, "basic_detail": {code: row.values for code, row in t.basic_detail.items()},
            "three_public": t.three_public, "summary": t.summary, "fiscal_summary": t.fiscal_summary, "info": t.info}


def errors(path: Path) -> list[str]:
    return [f.format() for f in check_files([path]).findings if f.severity == ERROR]


def content_file(content: Path, source: Path) -> Path:
    return content / source.parent.name / source.name


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    return export_workbook(EXAMPLE, tmp_path_factory.mktemp("export") / "xianyang-rsj-2023.xlsx")


def software_workbook(source: Path, out: Path, profile: str | None = None) -> Path:
    """The tables as the 决算 software exports them: sheets named by title (label only in a cell),
    a merged title from column B, an extra blank row, codes and 行次 as numbers, amounts as text
    with thousands separators (zero as "0.00" or blank), no 栏次 row from 公开05表 on."""
    c = load_computed(source, profile)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for grid in build_grids(c):
        layout, width = grid.layout, grid.column_count
        ws = book.create_sheet(layout.title[:31])
        ws.cell(1, 2, layout.title)
        ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=width + 1)
        ws.cell(3, 2, f"编制部门：{c.department.display_name}")
        ws.cell(3, 2 + width // 2, layout.label)
        ws.cell(3, width + 1, "金额单位：万元")
        header = grid.header if layout.number <= 4 or not layout.column_numbers else grid.header[:-1]
        row = 4
        for rows in (header, grid.body[:3], [[]], grid.body[3:]):
            for r, col, cell in place(rows):
                target = ws.cell(row + r, col + 2)
                if cell.kind == "amount":
                    value = cell.value or Decimal(0)
                    target.value = f"{value:,.2f}" if value or layout.number % 2 else None
                elif cell.kind in ("code", "line") and cell.text:
                    target.value = int(cell.text)
                else:
                    target.value = cell.text or None
                if cell.colspan > 1 or cell.rowspan > 1:
                    ws.merge_cells(start_row=row + r, start_column=col + 2, end_row=row + r + cell.rowspan - 1,
                                   end_column=col + 1 + cell.colspan)
            row += len(rows)
        for note in layout.notes:
            ws.cell(row, 2, note)
            row += 1
    book.save(out)
    return out


# -- exactness ----------------------------------------------------------------------------

def test_cells_are_read_as_exact_decimals():
    assert exact_amount(7987.94) == Decimal("7987.94") and str(exact_amount(7987.94)) == "7987.94"
    assert exact_amount(0.7) == Decimal("0.70")
    assert exact_amount(1581.3500000000001) == Decimal("1581.35")  # a formula's binary noise, as Excel shows it
    assert exact_amount(2080101) == Decimal("2080101")
    assert exact_amount(" 1,264.66 ") == Decimal("1264.66")
    assert exact_amount("１２６４．６６") == Decimal("1264.66")  # full-width digits
    assert exact_amount("") is None and exact_amount(None) is None and exact_amount("—") is None
    with pytest.raises(NotExact):
        exact_amount(1264.665)
    with pytest.raises(NotAnAmount):
        exact_amount("一百")
    with pytest.raises(NotAnAmount):
        exact_amount("1,26,4.66")


# -- round trip ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("source", [EXAMPLE, DEMO_2024], ids=["2023-example", "2024-demo"])
def test_export_then_import_gives_the_same_model(source, content_copy, tmp_path):
    target = content_file(content_copy, source)
    book = export_workbook(target, tmp_path / "book.xlsx")
    result = import_workbook(book, source.stem, int(source.parent.name), content_copy)
    assert result.target == target and not result.created and not result.remaining and not result.notes
    assert [label for label, _ in result.tables] == [f"公开0{n}表" for n in range(1, 10)]
    assert same_figures(target, source)
    assert errors(target) == []
    # every figure is now stated: a changed 项 no longer adds up to the stated 款, 类 and 合计
    assert load_department(target).tables.expenditure["合计"].values["basic"] == \
        compute(load_department(source), load_profile())["t03"].total.value("basic")


@pytest.mark.slow
def test_import_states_every_figure_like_the_stated_fixture(exported, content_copy):
    import_workbook(exported, "xianyang-rsj", 2023, content_copy)
    assert stated(content_file(content_copy, EXAMPLE)) == stated(STATED)


@pytest.mark.slow
def test_software_style_workbook_imports_the_same_figures(exported, content_copy, tmp_path):
    ours = tmp_path / "ours"
    shutil.copytree(content_copy, ours)
    import_workbook(exported, "xianyang-rsj", 2023, ours)
    book = software_workbook(EXAMPLE, tmp_path / "软件导出.xlsx")
    result = import_workbook(book, "xianyang-rsj", 2023, content_copy)
    assert [sheet for _, sheet in result.tables][1] == "收入决算表"
    assert stated(content_file(content_copy, EXAMPLE)) == stated(content_file(ours, EXAMPLE))


def test_names_of_codes_outside_the_catalogue_are_kept(content_copy, tmp_path):
    book = export_workbook(DEMO_2024, tmp_path / "demo.xlsx")
    import_workbook(book, "demo-tongji", 2024, content_copy)
    rows = load_department(content_file(content_copy, DEMO_2024)).tables.expenditure
    assert (rows["20105"].name, rows["2010508"].name, rows["2080501"].name) == ("统计信息事务", "统计抽样调查", None)


@pytest.mark.slow
def test_a_2023_form_workbook_imports_into_a_2024_form_file_by_label(exported, content_copy):
    target = content_copy / "2024" / "xianyang-rsj.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("year: 2023", "year: 2024", 1)
    target.write_text(text.split("\nnarrative:")[0] + "\n", encoding="utf-8")
    result = import_workbook(exported, "xianyang-rsj", 2024, content_copy)
    assert any("按 2023 年度表样编排行次" in note for note in result.notes)
    assert "income_grand_total: 9192.86  # 行次 30" in target.read_text(encoding="utf-8")


# -- the file around the block --------------------------------------------------------------

@pytest.mark.slow
def test_import_keeps_every_other_line_of_the_file_byte_for_byte(exported, content_copy):
    target = content_file(content_copy, EXAMPLE)
    before = target.read_bytes().decode("utf-8").splitlines(keepends=True)
    import_workbook(exported, "xianyang-rsj", 2023, content_copy)
    after = target.read_bytes().decode("utf-8").splitlines(keepends=True)
    start = before.index(next(line for line in before if line.startswith("tables:")))
    end_before = before.index(next(line for line in before if line.startswith("narrative:"))) - 1  # blank line stays
    end_after = after.index(next(line for line in after if line.startswith("narrative:"))) - 1
    assert after[:start] == before[:start] and after[end_after:] == before[end_before:]
    assert after[start].startswith("tables:  # 由 xianyang-rsj-2023.xlsx 导入")


def test_replacing_the_block_keeps_comments_crlf_and_appends_when_missing():
    text = "year: 2023\r\n# 表\r\ntables:\r\n  income: {}\r\n\r\n# 情况说明\r\nnarrative: {}\r\n"
    assert replace_tables(text, "tables:\n  x: 1\n") == \
        "year: 2023\r\n# 表\r\ntables:\r\n  x: 1\r\n\r\n# 情况说明\r\nnarrative: {}\r\n"
    assert replace_tables("year: 2023\n", "tables: {}\n") == "year: 2023\n\ntables: {}\n"
    assert replace_tables("year: 2023\ntables: {}  # 空\nunit: 元\n", "tables:\n  a: 1\n") == \
        "year: 2023\ntables:\n  a: 1\nunit: 元\n"


@pytest.mark.slow
def test_a_file_in_yuan_gets_the_figures_in_yuan(exported, content_copy):
    target = content_file(content_copy, EXAMPLE)
    target.write_text(target.read_text(encoding="utf-8").replace("unit: 万元", "unit: 元", 1), encoding="utf-8")
    import_workbook(exported, "xianyang-rsj", 2023, content_copy)
    assert "合计: {total: 89802100.00, basic: 29257100.00" in target.read_text(encoding="utf-8")
    assert compute(load_department(target), load_profile())["t03"].total.value("total") == Decimal("8980.21")


def fill_budgets(path: Path, source: Path = EXAMPLE) -> None:
    """What the officer does next: the 年初预算 of each 项 of 公开05表 (here: the example's)."""
    items = load_department(source).narrative.items
    lines = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
             if not re.match(r"^\s+\d{7}: \{budget: , reason: \}", line)]  # the kept, empty lines
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("items:"))
    indent = " " * (len(lines[at]) - len(lines[at].lstrip()) + 2)
    lines[at + 1:at + 1] = [f"{indent}{code}: {{budget: {item.budget}}}\n" for code, item in items.items()]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.slow
def test_a_sheet_in_yuan_is_converted_exactly(exported, content_copy, tmp_path):
    def in_yuan(b):
        b["公开09表"]["I2"] = "金额单位：元"
    import_workbook(bad(exported, tmp_path, in_yuan), "xianyang-rsj", 2023, content_copy)
    assert "budget: {total: 0.00143, abroad: 0, vehicle: 0.00084," in \
        content_file(content_copy, EXAMPLE).read_text(encoding="utf-8")


@pytest.mark.slow
def test_import_without_a_file_starts_from_the_new_file_template(exported, tmp_path):
    content = tmp_path / "content"
    result = import_workbook(exported, "xianyang-rsj", 2023, content)
    assert result.created and result.target == content / "2023" / "xianyang-rsj.yaml"
    assert (content / "department.schema.json").is_file()
    text = result.target.read_text(encoding="utf-8")
    assert "  name: 咸阳市人力资源和社会保障局  #" in text and "  scope: 汇总  #" in text
    assert "tables:  # 由 xianyang-rsj-2023.xlsx 导入" in text and "narrative:  #" in text
    # the file loads; what is left to fill in is named: the 决算单位, the 年初预算 of every 项 of 公开05表, and last
    # year's figures of 一、四、五 and of the 三公 total and each of its items with a budget or spending this year
    assert Counter(f.rule for f in result.remaining) == Counter(
        {"cover-approvals": 2, "overview-empty": 3, "budget-items": 26, "previous-missing": 8})
    assert errors(result.target) == [f.format() for f in result.remaining]
    fill_budgets(result.target)
    assert same_figures(result.target, EXAMPLE)
    assert [e for e in errors(result.target)
            if not any(f"[{rule}]" in e for rule in ("overview-empty", "cover-approvals", "previous-missing"))] == []


# -- bad workbooks ----------------------------------------------------------------------------

def bad(exported: Path, tmp_path: Path, change) -> Path:
    book = openpyxl.load_workbook(exported)
    change(book)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


def problems_of(book: Path, content: Path) -> list[str]:
    target = content / "2023" / "xianyang-rsj.yaml"
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(ContentError) as caught:
        import_workbook(book, "xianyang-rsj", 2023, content)
    assert (target.read_bytes() if target.exists() else None) == before  # nothing written
    assert not list(target.parent.glob(".*"))  # no temporary file left
    return [p.format().replace(f"{book.parent}/", "") for p in caught.value.problems]


@pytest.mark.slow
def test_a_missing_sheet_names_the_table_and_the_sheets_found(exported, content_copy, tmp_path):
    book = bad(exported, tmp_path, lambda b: b.remove(b["公开05表"]))
    messages = problems_of(book, content_copy)
    assert len(messages) == 1
    assert messages[0].startswith("bad.xlsx: 找不到公开05表（一般公共预算财政拨款支出决算表）的工作表")
    assert "公开04表、公开06表" in messages[0]


@pytest.mark.slow
def test_a_shifted_column_is_located(exported, content_copy, tmp_path):
    book = bad(exported, tmp_path, lambda b: b["公开03表"].insert_cols(4))
    messages = problems_of(book, content_copy)
    assert messages == ["bad.xlsx 公开03表!D3: 公开03表此列表头与表样不符：可能插入、删除或移动了一列；“基本支出”在 E 列"
                        "（应为“基本支出”，实际为 空白）"]


@pytest.mark.slow
def test_an_unknown_header_is_located(exported, content_copy, tmp_path):
    def rename(b):
        b["公开05表"]["D4"] = "人员经费"
    messages = problems_of(bad(exported, tmp_path, rename), content_copy)
    assert messages == ["bad.xlsx 公开05表!D3: 公开05表此列表头与表样不符：不是表样中的栏目名称，也不是已知的同义写法"
                        "（应为“本年支出／基本支出”，实际为 “本年支出／人员经费”）"]  # the columns line up: no shift


@pytest.mark.slow
def test_text_in_amount_cells_and_bad_codes_are_all_reported(exported, content_copy, tmp_path):
    def spoil(b):
        b["公开03表"]["D12"] = "一百"
        b["公开02表"]["A10"] = "20801O1"
        b["公开06表"]["C5"] = 744.795
    messages = problems_of(bad(exported, tmp_path, spoil), content_copy)
    assert "bad.xlsx 公开03表!D12: 公开03表“基本支出”栏金额应为数字（应为数字，如 1,264.66 或 1264.66；零可留空，实际为 “一百”）" in messages
    assert "bad.xlsx 公开02表!A10: 公开02表科目代码格式不对（应为3 位（类）、5 位（款）或 7 位（项）数字，实际为 “20801O1”）" \
        in messages
    assert "bad.xlsx 公开06表!C5: 公开06表“决算数”栏金额最多保留两位小数（应为如 1264.66，实际为 “744.795”）" in messages
    assert len(messages) == 3


@pytest.mark.slow
def test_cli_import_reports_problems_with_exit_code_1(exported, content_copy, tmp_path):
    book = bad(exported, tmp_path, lambda b: b["公开03表"].__setitem__("D12", "一百"))
    result = CliRunner().invoke(main, ["import", str(book), "--id", "xianyang-rsj", "--year", "2023",
                                       "--content", str(content_copy)])
    assert result.exit_code == 1
    assert "公开03表!D12: 公开03表“基本支出”栏金额应为数字" in result.output and "共发现 1 个问题" in result.output
    usage = CliRunner().invoke(main, ["import", str(book), "--id", "Bad_ID", "--year", "2023"])
    assert usage.exit_code == 2


@pytest.mark.slow
def test_cli_export_and_import(content_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = content_file(content_copy, EXAMPLE)
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(target)])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "xianyang-rsj-2023.xlsx").is_file()
    imported = runner.invoke(main, ["import", "xianyang-rsj-2023.xlsx", "--id", "xianyang-rsj", "--year", "2023",
                                    "--content", str(content_copy)])
    assert imported.exit_code == 0, imported.output
    assert "公开01表—公开09表" in imported.output
    assert same_figures(target, EXAMPLE)


# -- the scenario -------------------------------------------------------------------------

@pytest.mark.slow
def test_new_year_from_previous_then_import_the_workbook(exported, content_copy, monkeypatch):
    """juesuan new --from-previous, import this year's workbook, fill in the 年初预算: check passes."""
    monkeypatch.chdir(content_copy.parent)
    runner = CliRunner()
    created = runner.invoke(main, ["new", "xianyang-rsj", "--year", "2024", "--from-previous",
                                   "--content", str(content_copy)])
    assert created.exit_code == 0, created.output
    target = content_copy / "2024" / "xianyang-rsj.yaml"
    before = target.read_text(encoding="utf-8")
    imported = runner.invoke(main, ["import", str(exported), "--id", "xianyang-rsj", "--year", "2024",
                                    "--content", str(content_copy)])
    assert imported.exit_code == 0, imported.output
    assert "按 2023 年度表样编排行次" in imported.output and "待补充：" in imported.output
    after = target.read_text(encoding="utf-8")
    assert after.split("\ntables:")[0] == before.split("\ntables:")[0]
    assert after.split("\nnarrative:")[1] == before.split("\nnarrative:")[1]
    fill_budgets(target)
    assert [e for e in errors(target) if "[cover-approvals]" not in e] == []  # left: the cover, until 审签
    assert same_figures(target, EXAMPLE)


# -- province profiles: Shanxi's four-group 06, one-row 09 and 公开10表 ----------------------------------

SHANXI_TABLES = [f"公开{n:02d}表" for n in range(1, 11)]


def shanxi_file(content: Path) -> Path:
    """The example under the Shanxi profile (``profile: shanxi`` in the file)."""
    target = content_file(content, EXAMPLE)
    target.write_text(target.read_text(encoding="utf-8").replace("year: 2023\n", "year: 2023\nprofile: shanxi\n", 1),
                      encoding="utf-8")
    return target


@pytest.fixture
def shanxi(content_copy) -> Path:
    return shanxi_file(content_copy)


@pytest.fixture
def shanxi_book(shanxi, tmp_path) -> Path:
    return export_workbook(shanxi, tmp_path / "shanxi.xlsx")


@pytest.mark.slow
def test_shanxi_workbook_imports_back_figure_for_figure(shanxi, shanxi_book, tmp_path):
    original = tmp_path / "original" / "2023"
    original.mkdir(parents=True)
    shutil.copy(shanxi, original / shanxi.name)  # no site.yaml there: the file's own profile decides
    result = import_workbook(shanxi_book, "xianyang-rsj", 2023, shanxi.parent.parent)
    assert [label for label, _ in result.tables] == SHANXI_TABLES
    assert not result.remaining and not result.notes
    assert figures(shanxi, original / shanxi.name) == figures(original / shanxi.name, shanxi)
    t10 = load_computed(shanxi)["t10"]
    assert {k: t10.value(k) for k in t10.figures} == \
        {k: f.value for k, f in load_computed(original / shanxi.name)["t10"].figures.items()}
    assert errors(shanxi) == []
    text = shanxi.read_text(encoding="utf-8")
    info = text.split("  info:", 1)[1].split("\n\n", 1)[0]
    assert info.splitlines() == [
        "  # 公开10表 部门决算公开相关信息统计表",
        "    procurement: {total: 3.51, services: 3.51}  # 一、政府采购情况",  # blank goods, works: not stated
        "    operating_costs: {total: 178.24}  # 二、机关运行经费",
    ]  # no vehicle or equipment: the 统计数 cells are blank where the department has none
    detail = text.split("  basic_detail:", 1)[1].split("  three_public:", 1)[0]
    assert "\n    313: 0  # 对社会保障基金补助" in detail and "\n    309:" not in detail and "\n    31101:" not in detail
    # 公开09表 prints no 会议费、培训费: the file's are kept
    assert "    budget: {total: 14.30, abroad: 0, vehicle: 8.40, vehicle_purchase: 0, vehicle_operation: 8.40, " \
           "reception: 5.90, meeting: 30.00, training: 120.00}  # 会议费、培训费：本省表样的公开09表不列，照原文件保留" in text


@pytest.mark.slow
def test_stated_10_figures_and_counts_come_back_as_stated(shanxi, tmp_path):
    text = shanxi.read_text(encoding="utf-8").replace("\ntables:", "\ntables:\n  info:\n"
                                                     "    procurement: {goods: 0, works: 0, services: 3.51}\n"
                                                     "    vehicles: {执法执勤用车: 2}\n", 1)
    shanxi.write_text(text.replace("  assets: {equipment: 0, purchased_vehicles: 0, purchased_equipment: 0}",
                                   "  assets: {vehicles: {执法执勤用车: 2}, equipment: 1}", 1),
                      encoding="utf-8")
    book = export_workbook(shanxi, tmp_path / "book.xlsx")
    import_workbook(book, "xianyang-rsj", 2023, shanxi.parent.parent)
    info = load_department(shanxi).tables.info
    assert info["vehicles.执法执勤用车"] == 2 and info["equipment"] == 1
    assert "vehicles.total" not in info  # the form prints no total of the vehicles
    assert isinstance(info["equipment"], int)
    assert errors(shanxi) == []


@pytest.mark.slow
@pytest.mark.parametrize("how", ["site", "option"])
def test_the_profile_comes_from_site_yaml_or_the_option(how, content_copy, tmp_path):
    target = content_file(content_copy, EXAMPLE)
    profile = "shanxi" if how == "option" else None
    if how == "site":
        with (content_copy / "site.yaml").open("a", encoding="utf-8") as site:
            site.write("profile: shanxi\n")
    before = load_computed(target, profile)
    book = export_workbook(target, tmp_path / "book.xlsx", profile)
    assert "公开10表" in openpyxl.load_workbook(book).sheetnames
    result = import_workbook(book, "xianyang-rsj", 2023, content_copy, profile=profile)
    assert [label for label, _ in result.tables] == SHANXI_TABLES and not result.remaining
    after = load_computed(target, profile)
    assert computed_figures(after, before) == computed_figures(before, after)
    assert [f.format() for f in check_files([target], settings=SettingsByRoot(profile=profile)).findings if f.severity == ERROR] == []


@pytest.mark.slow
def test_cli_export_and_import_with_profile_option(content_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = content_file(content_copy, EXAMPLE)
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(target), "--profile", "shanxi"])
    assert exported.exit_code == 0, exported.output
    args = ["import", "xianyang-rsj-2023.xlsx", "--id", "xianyang-rsj", "--year", "2023", "--content", str(content_copy)]
    national = runner.invoke(main, args)  # the file's profile is the default: a Shanxi 06 does not fit
    assert national.exit_code == 1 and "公开06表" in national.output
    imported = runner.invoke(main, [*args, "--profile", "shanxi"])
    assert imported.exit_code == 0, imported.output
    assert "公开01表—公开10表" in imported.output
    assert "\n  info:  # 公开10表" in target.read_text(encoding="utf-8")
    assert runner.invoke(main, ["check", str(target), "--profile", "shanxi"]).exit_code == 0


@pytest.mark.slow
def test_software_style_shanxi_workbook_imports_the_same_figures(shanxi, shanxi_book, tmp_path):
    """Without the 栏次 row Shanxi's 公开09表 is one row of amounts under its header; zeros blank or "0.00"."""
    ours = tmp_path / "ours"
    shutil.copytree(shanxi.parent.parent, ours)
    import_workbook(shanxi_book, "xianyang-rsj", 2023, ours)
    book = software_workbook(shanxi, tmp_path / "软件导出.xlsx")
    result = import_workbook(book, "xianyang-rsj", 2023, shanxi.parent.parent)
    assert [label for label, _ in result.tables] == SHANXI_TABLES
    assert stated(shanxi) == stated(content_file(ours, EXAMPLE))


@pytest.mark.slow
def test_a_bad_shanxi_workbook_is_located(shanxi, shanxi_book, tmp_path):
    def spoil(b):
        b["公开10表"]["C12"] = "一百"  # 2. 参照公务员法管理事业单位
        b["公开10表"]["C14"] = 1.5  # 1. 副部（省）级及以上领导用车
        b["公开06表"]["L12"] = 12.5  # 31101, printed “——” (the fourth column group, flowed)
        b["公开09表"]["B7"] = "x"
    messages = problems_of(bad(shanxi_book, tmp_path, spoil), shanxi.parent.parent)
    assert messages == [
        "bad.xlsx 公开06表!L12: 公开06表科目 31101 不适用于基本支出（表样此栏印“——”），不应有金额（应为——，实际为 “12.5”）",
        "bad.xlsx 公开09表!B7: 公开09表“预算数／因公出国（境）费”栏金额应为数字（应为数字，如 1,264.66 或 1264.66；零可留空，实际为 “x”）",
        "bad.xlsx 公开10表!C12: 公开10表“统计数”栏金额应为数字（应为数字，如 1,264.66 或 1264.66；零可留空，实际为 “一百”）",
        "bad.xlsx 公开10表!C14: 公开10表“统计数”栏数量应为不小于零的整数（应为如 2，实际为 “1.5”）",
    ]


@pytest.mark.slow
def test_a_missing_10_row_is_named(shanxi, shanxi_book, tmp_path):
    messages = problems_of(bad(shanxi_book, tmp_path, lambda b: b["公开10表"].delete_rows(18)), shanxi.parent.parent)
    assert messages == ["bad.xlsx 公开10表: 公开10表缺少“5. 执法执勤用车（辆）、12”行（应为5. 执法执勤用车（辆）、12，实际为 无）"]


@pytest.mark.slow
def test_a_shanghai_workbook_imports_back_figure_for_figure(content_copy, tmp_path):
    """The Shanghai form's sheets: codes in 类/款/项 columns, 合计 last, no 行次, 06 codes in 类/款 columns, 三公 as
    one row of pairs: a workbook exported from the Putuo example imports back to the same figures."""
    source = content_copy / "2024" / "putuo-czj.yaml"
    original = tmp_path / "original" / "2024"
    original.mkdir(parents=True)
    shutil.copy(source, original / source.name)
    book = export_workbook(source, tmp_path / "putuo.xlsx")
    result = import_workbook(book, "putuo-czj", 2024, content_copy)
    assert not result.remaining and not result.notes
    assert figures(source, original / source.name) == figures(original / source.name, source)
    assert errors(source) == []
