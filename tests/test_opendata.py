"""Open data files (CSV per table, XLSX workbook, JSON model) carry exactly the printed figures."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime, timedelta, timezone
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import reference as R
from openpyxl.cell.cell import MergedCell
from test_forms_and_units import MINIMAL
from test_reference_tables import HEADERS, expected_coded

from generator.compute.figures import CodedTable, Computed, Figure, FlatTable
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import SiteInfo
from generator.forms.layouts import Cell, Rows, load_form
from generator.forms.profiles import load_profile
from generator.money import round_cent
from generator.render.grid import build_grids, place
from generator.render.opendata.files import data_links, open_data_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "2023" / "xianyang-rsj.yaml"
STEM = "xianyang-rsj-2023"
CODED = ("t02", "t03", "t05", "t07", "t08")
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")


@pytest.fixture(scope="module")
def computed() -> Computed:
    return compute(load_department(EXAMPLE), load_profile())


@pytest.fixture(scope="module")
def files(computed) -> dict[str, bytes]:
    return open_data_files(computed)


@pytest.fixture(scope="module")
def book(files):
    return openpyxl.load_workbook(io.BytesIO(files[f"{STEM}.xlsx"]))


def read_csv(files, table_id: str, stem: str = STEM) -> pd.DataFrame:
    data = files[f"{stem}-{table_id}.csv"]
    return pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)


def printed(text: str) -> Decimal:
    """A reference cell as the figure it shows (blank is zero)."""
    value = R.amount(text)
    return value if value is not None else Decimal(0)


def csv_amounts(row, columns) -> list[Decimal]:
    return [Decimal(row[col]) for col in columns]


# ---- names -----------------------------------------------------------------------------------


def test_file_names_are_stable_ascii_and_linked(computed, files):
    tables = [f"t0{n}" for n in range(1, 10)]
    assert sorted(files) == sorted([f"{STEM}-{t}.csv" for t in tables] + [f"{STEM}.xlsx", f"{STEM}.json"])
    assert all(name.isascii() for name in files)
    links = data_links(computed)
    assert links.tables == {t: f"{STEM}-{t}.csv" for t in tables}
    assert (links.xlsx, links.json) == (f"{STEM}.xlsx", f"{STEM}.json")


# ---- CSV -------------------------------------------------------------------------------------


def test_csv_files_are_utf8_with_bom(files):
    for name, data in files.items():
        if name.endswith(".csv"):
            assert data.startswith(b"\xef\xbb\xbf"), name
            assert "\r\n" in data.decode("utf-8-sig")
            assert not data[3:].startswith(b"\xef\xbb\xbf")


def test_coded_csv_header_flattens_the_printed_header(files):
    assert list(read_csv(files, "t05").columns) == [
        "科目代码", "科目名称", "级次", "本年支出/小计（万元）", "本年支出/基本支出（万元）", "本年支出/项目支出（万元）"]
    assert list(read_csv(files, "t02").columns)[3:5] == ["本年收入合计（万元）", "财政拨款收入（万元）"]


def test_every_amount_column_of_every_csv_states_its_unit(files):
    identifiers = {"科目代码", "科目名称", "级次", "收支", "行次", "项目"}
    for table_id in (f"t0{n}" for n in range(1, 10)):
        columns = list(read_csv(files, table_id).columns)
        amounts = [c for c in columns if c not in identifiers]
        assert amounts and all(c.endswith("（万元）") for c in amounts), (table_id, columns)
        assert not any(c.endswith("（万元）") for c in columns if c in identifiers)


def test_a_column_of_amounts_and_counts_states_no_unit():
    """Shanxi's 公开10表: its 统计数 column holds amounts and numbers of vehicles; each row's label names the unit."""
    shanxi = compute(load_department(EXAMPLE), load_profile("shanxi"))
    df = read_csv(open_data_files(shanxi), "t10")
    assert list(df.columns) == ["项目", "行次", "统计数"]
    assert "机关运行经费合计（万元）" in list(df["项目"])


@pytest.mark.parametrize("table_id", CODED)
def test_coded_csv_matches_the_model(computed, files, table_id):
    df = read_csv(files, table_id)
    table = computed[table_id]
    columns = computed.form.tables[table_id].body.columns
    assert len(df) == len(table.rows)
    for (_, got), row in zip(df.iterrows(), table.rows):
        assert got["科目代码"] == ("" if row.code == "合计" else row.code)
        assert got["科目名称"] == row.name
        assert got["级次"] == ("合计", "类", "款", "项")[row.level]
        assert csv_amounts(got, df.columns[3:]) == [round_cent(row.value(col)) for col in columns]
        assert all(AMOUNT.match(got[col]) for col in df.columns[3:])


@pytest.mark.parametrize("table_id", CODED)
def test_coded_csv_matches_the_reference(files, table_id):
    df = read_csv(files, table_id)
    got = {(r["科目代码"] or r["科目名称"]): csv_amounts(r, df.columns[3:]) for _, r in df.iterrows()}
    expected = {code: [printed(a) for a in amounts] for code, amounts in expected_coded(table_id).items()}
    assert got == expected


def test_csv_codes_stay_text(files):
    df = read_csv(files, "t03")
    codes = list(df["科目代码"])
    assert "2080101" in codes and "20801" in codes and "208" in codes
    assert all(re.fullmatch(r"\d{3}|\d{5}|\d{7}", code) for code in codes[1:])
    assert "30101" in list(read_csv(files, "t06")["科目代码"])


@pytest.mark.parametrize("table_id", ["t01", "t04"])
def test_two_sided_csv_is_one_record_per_line(computed, files, table_id):
    df = read_csv(files, table_id)
    labels = R.two_sided_labels(table_id)
    reference = R.two_sided(table_id)
    left = computed.form.tables[table_id].body.left
    assert list(df["行次"]) == [str(n) for n in sorted(n for n in labels if labels[n])]
    for _, row in df.iterrows():
        line = int(row["行次"])
        assert row["项目"] == labels[line]
        assert row["收支"] == ("收入" if line <= left[-1].line else "支出")
        amounts = [row[c] for c in df.columns[3:] if row[c] != ""]
        assert [Decimal(a) for a in amounts] == [printed(a) for a in reference[line]]
    blank_lines = [n for n in labels if not labels[n]]
    assert blank_lines and all(reference[n] == [""] * len(reference[n]) for n in blank_lines)


def test_two_sided_csv_columns(files):
    assert list(read_csv(files, "t01").columns) == ["收支", "行次", "项目", "决算数（万元）"]
    t04 = read_csv(files, "t04")
    assert list(t04.columns) == ["收支", "行次", "项目", "决算数（万元）", "合计（万元）", "一般公共预算财政拨款（万元）",
                                 "政府性基金预算财政拨款（万元）", "国有资本经营预算财政拨款（万元）"]
    income = t04[t04["收支"] == "收入"]
    assert (income["合计（万元）"] == "").all() and (income["决算数（万元）"] != "").all()
    total = t04[t04["行次"] == "64"].iloc[0]
    assert total["项目"] == "总计" and total["合计（万元）"] == "8057.93" and total["决算数（万元）"] == ""


def test_two_sided_csv_matches_the_model(computed, files):
    df = read_csv(files, "t01").set_index("行次")
    body = computed.form.tables["t01"].body
    for line in (*body.left, *body.right):
        if line.key:
            assert Decimal(df.loc[str(line.line), "决算数（万元）"]) == round_cent(computed["t01"].value(line.key))


def test_basic_detail_csv_is_long(computed, files):
    df = read_csv(files, "t06")
    assert list(df.columns) == ["科目代码", "科目名称", "级次", "决算数（万元）"]
    reference = R.basic_detail()
    codes = [code for group in computed.form.tables["t06"].body.groups for code in group]
    assert list(df["科目代码"]) == codes + ["", ""]
    assert list(df["科目名称"])[-2:] == ["人员经费合计", "公用经费合计"]
    for _, row in df.iterrows():
        key = row["科目代码"] or {"人员经费合计": "personnel", "公用经费合计": "public"}[row["科目名称"]]
        assert Decimal(row["决算数（万元）"]) == printed(reference[key])
        assert Decimal(row["决算数（万元）"]) == round_cent(computed["t06"].value(key))
    assert df.set_index("科目代码").loc["30101", "决算数（万元）"] == "744.79"


def test_three_public_csv(computed, files):
    df = read_csv(files, "t09")
    assert list(df["项目"]) == ["预算数", "决算数"]
    assert df.columns[3] == "财政拨款“三公”经费/公务用车购置及运行维护费/小计（万元）"
    reference = R.three_public()
    keys = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training")
    for (_, row), prefix in zip(df.iterrows(), ("budget", "actual")):
        amounts = csv_amounts(row, df.columns[1:])
        assert amounts == [printed(a) for a in reference[row["项目"]]]
        assert amounts == [round_cent(computed["t09"].value(f"{prefix}.{k}")) for k in keys]


# ---- XLSX ------------------------------------------------------------------------------------


def header_cells(ws, first: int, count: int) -> list[list[tuple[str, int, int]]]:
    """Header rows as (text, colspan, rowspan), as the HTML thead would show them."""
    spans = {(r.min_row, r.min_col): (r.max_col - r.min_col + 1, r.max_row - r.min_row + 1)
             for r in ws.merged_cells.ranges}
    rows = []
    for r in range(first, first + count):
        row = []
        for cell in ws[r]:
            if not isinstance(cell, MergedCell):
                row.append((cell.value or "", *spans.get((r, cell.column), (1, 1))))
        rows.append(row)
    return rows


def test_workbook_sheets_follow_the_form(computed, files, book):
    assert book.sheetnames == [layout.label for layout in computed.form.tables.values()]
    assert pd.ExcelFile(io.BytesIO(files[f"{STEM}.xlsx"])).sheet_names == book.sheetnames


@pytest.mark.parametrize("table_id", sorted(HEADERS))
def test_sheet_layout(computed, book, table_id):
    layout = computed.form.tables[table_id]
    ws = book[layout.label]
    height = len(HEADERS[table_id])
    assert ws["A1"].value == layout.title and ws["A1"].font.b
    assert ws["A2"].value == "部门：咸阳市人力资源和社会保障局（汇总）"
    assert [c.value for c in ws[2] if c.value][-1] == "金额单位：万元"
    assert header_cells(ws, 3, height) == HEADERS[table_id]
    assert ws.freeze_panes == f"A{3 + height}"
    body_end = ws.max_row - len(layout.notes)
    assert [ws.cell(body_end + 1 + i, 1).value for i in range(len(layout.notes))] == list(layout.notes)
    numbers = [c for row in ws.iter_rows(min_row=3 + height, max_row=body_end) for c in row if c.data_type == "n"
               and c.value is not None]
    assert all(c.number_format == "#,##0.00" for c in numbers)
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABC")


def sheet_rows(book, computed, table_id):
    layout = computed.form.tables[table_id]
    ws = book[layout.label]
    first = 3 + len(layout.header) + (1 if layout.column_numbers else 0)
    return ws, list(ws.iter_rows(min_row=first, max_row=ws.max_row - len(layout.notes)))


def figure_of(cell) -> Decimal:
    return Decimal(0) if cell.value is None else Decimal(str(cell.value))


@pytest.mark.parametrize("table_id", CODED)
def test_coded_sheet_amounts_are_the_printed_figures(computed, book, table_id):
    ws, rows = sheet_rows(book, computed, table_id)
    got = {row[0].value: [figure_of(c) for c in row[2:]] for row in rows}
    expected = {code: [printed(a) for a in amounts] for code, amounts in expected_coded(table_id).items()}
    assert got == expected
    for row in rows[1:]:
        assert row[0].data_type == "s" and isinstance(row[0].value, str)  # codes are text cells
    total = rows[0]
    assert total[0].value == "合计" and all(c.font.b for c in total if not isinstance(c, MergedCell))
    assert f"A{total[0].row}:B{total[0].row}" in {r.coord for r in ws.merged_cells.ranges}  # spans code and name


@pytest.mark.parametrize("table_id", ["t01", "t04"])
def test_two_sided_sheet_amounts(computed, book, table_id):
    _ws, rows = sheet_rows(book, computed, table_id)
    reference = R.two_sided(table_id)
    left_width = 2 + len(computed.form.tables[table_id].body.left_columns)
    got = {}
    for row in rows:
        for side in (row[:left_width], row[left_width:]):
            if side[1].value:
                assert side[1].data_type == "s"  # 行次 is text
                got[int(side[1].value)] = [figure_of(c) for c in side[2:]]
    assert got == {line: [printed(a) for a in amounts] for line, amounts in reference.items()}


def test_basic_detail_sheet_amounts(computed, book):
    _ws, rows = sheet_rows(book, computed, "t06")
    got = {}
    for row in rows[:-1]:
        for g in range(3):
            code, _name, value = row[3 * g:3 * g + 3]
            if code.value:
                got[code.value] = figure_of(value)
    footer = [c for c in rows[-1] if c.data_type == "n" and c.value is not None]
    got["personnel"], got["public"] = map(figure_of, footer)
    assert got == {key: printed(a) for key, a in R.basic_detail().items()}


def test_three_public_sheet_amounts(computed, book):
    _ws, rows = sheet_rows(book, computed, "t09")
    got = {row[0].value: [figure_of(c) for c in row[1:]] for row in rows}
    assert got == {k: [printed(a) for a in v] for k, v in R.three_public().items()}


def test_xlsx_xml_holds_exact_decimals(files):
    with zipfile.ZipFile(io.BytesIO(files[f"{STEM}.xlsx"])) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    values = [v for xml in sheets for v in re.findall(r"<v>([^<]*)</v>", xml)]
    assert values and all(AMOUNT.match(v) for v in values), [v for v in values if not AMOUNT.match(v)][:5]
    assert {"7987.94", "9192.86", "744.79", "0.70"} <= set(values)


# ---- JSON ------------------------------------------------------------------------------------


def same(model, data, where="") -> None:
    """The JSON value equals the model's: Decimals exactly (as strings), no floats anywhere."""
    assert not isinstance(data, float), where
    if isinstance(model, Decimal):
        assert isinstance(data, str) and Decimal(data) == model, where
    elif dataclasses.is_dataclass(model):
        for f in dataclasses.fields(model):
            same(getattr(model, f.name), data[f.name], f"{where}.{f.name}")
    elif isinstance(model, dict):
        assert sorted(map(str, model)) == sorted(data), where
        for key, value in model.items():
            same(value, data[str(key)], f"{where}.{key}")
    elif isinstance(model, (list, tuple)):
        assert len(model) == len(data), where
        for i, (m, d) in enumerate(zip(model, data)):
            same(m, d, f"{where}[{i}]")
    else:
        assert model == data, where


def test_json_round_trips_the_model(computed, files):
    data = json.loads(files[f"{STEM}.json"].decode("utf-8"))
    d = computed.department
    assert {k: data["department"][k] for k in ("id", "year", "name", "scope", "amount_unit")} == {
        "id": "xianyang-rsj", "year": 2023, "name": "咸阳市人力资源和社会保障局", "scope": "汇总", "amount_unit": "万元"}
    for tid, table in computed.tables.items():
        got = data["tables"][tid]
        assert got["label"] == computed.form.tables[tid].label
        if isinstance(table, CodedTable):
            assert [r["code"] for r in got["rows"]] == [r.code for r in table.rows]
            for row, out in zip(table.rows, got["rows"]):
                assert (out["name"], out["level"]) == (row.name, row.level)
                assert {c: Decimal(v) for c, v in out["values"].items()} == {c: row.value(c) for c in table.columns}
        else:
            assert all(Decimal(got["values"][k]) == f.value for k, f in table.figures.items())
    same(computed.narrative, data["narrative"], "narrative")
    assert data["tables"]["t02"]["rows"][0]["values"]["fiscal"] == "7987.94"
    assert data["tables"]["t06"]["values"]["personnel"] == "2736.02"
    assert data["tables"]["t06"]["computed"]["personnel"] == "2736.03"  # registered 尾差
    assert data["tables"]["t01"]["labels"]["income_grand_total"] == "总计"
    assert [g["term"] for g in data["glossary"]] == [t.term for t in d.glossary]
    assert [a["title"] for a in data["attachments"]] == [a.title for a in d.attachments]


def test_json_is_sorted_and_compact(files):
    text = files[f"{STEM}.json"].decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


# ---- exactness, data-driven tables, determinism ----------------------------------------------



def test_full_precision_amounts_round_half_up_for_print_and_stay_exact_in_json(tmp_path):
    path = tmp_path / "2023" / "d.yaml"
    path.parent.mkdir()
    path.write_text(MINIMAL, encoding="utf-8")
    files = open_data_files(compute(load_department(path), load_profile()))
    rows = read_csv(files, "t02", "d-2023").set_index("科目代码")
    assert rows.loc["2080101", "本年收入合计（万元）"] == "1264.67"  # 1264.665 万元, half-up
    assert rows.loc["2080102", "本年收入合计（万元）"] == "1264.66"  # 1264.6649 万元
    ws = openpyxl.load_workbook(io.BytesIO(files["d-2023.xlsx"]))["公开02表"]
    assert {str(c.value) for c in ws["C"] if isinstance(c.value, float)} >= {"1264.67", "1264.66", "2529.33"}
    rows = {r["code"]: r["values"] for r in json.loads(files["d-2023.json"])["tables"]["t02"]["rows"]}
    assert rows["2080101"]["total"] == "1264.665" and rows["合计"]["total"] == "2529.3299"


def test_a_further_table_in_the_form_gets_its_files(computed):
    """Tables come from the form's layout data: a 公开10表 needs no code."""
    t10 = dataclasses.replace(
        computed.form.tables["t09"], id="t10", label="公开10表", title="部门决算公开相关信息统计表", column_numbers=None,
        header=((Cell("项目"), Cell("合计"), Cell("货物")),),
        body=Rows(((Cell("政府采购"), Cell(value="total"), Cell(value="goods")),)), notes=("注：测试。",))
    form = dataclasses.replace(computed.form, tables={**computed.form.tables, "t10": t10})
    table = FlatTable({"total": Figure(Decimal("12.345")), "goods": Figure(Decimal("-0.001"))})
    files = open_data_files(dataclasses.replace(computed, form=form, tables={**computed.tables, "t10": table}, views={}))
    assert read_csv(files, "t10").to_dict("records") == [{"项目": "政府采购", "合计（万元）": "12.35", "货物（万元）": "0.00"}]
    assert openpyxl.load_workbook(io.BytesIO(files[f"{STEM}.xlsx"])).sheetnames[-1] == "公开10表"
    assert json.loads(files[f"{STEM}.json"])["tables"]["t10"]["labels"] == {"total": "政府采购/合计",
                                                                           "goods": "政府采购/货物"}


def test_2024_form_numbers_the_lines_by_its_layout(computed):
    c = dataclasses.replace(computed, form=load_form(2024), views={})
    df = read_csv(open_data_files(c), "t01")
    assert df[df["项目"] == "总计"]["行次"].tolist() == ["30", "60"]


HASHES = """
import hashlib, json, sys
from pathlib import Path
from generator.compute.tables import compute
from generator.render.opendata.files import open_data_files
from generator.content.department import load_department
from generator.content.siteconfig import SiteInfo
from generator.forms.profiles import load_profile
files = open_data_files(compute(load_department(Path(sys.argv[1])), load_profile()))
print(json.dumps({name: hashlib.sha256(data).hexdigest() for name, data in files.items()}))
"""


def run_hashes(env: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", HASHES, str(EXAMPLE)], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout)


@pytest.mark.slow
def test_same_input_gives_the_same_bytes(monkeypatch):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the workbook is dated by the build
    first, second = run_hashes({**env, "PYTHONHASHSEED": "1"}), run_hashes({**env, "PYTHONHASHSEED": "2"})
    assert first == second and len(first) == 11
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    here = open_data_files(compute(load_department(EXAMPLE), load_profile()))
    assert {name: hashlib.sha256(data).hexdigest() for name, data in here.items()} == first


def test_the_build_time_and_the_site_go_into_the_document_properties(computed):
    built_at = datetime(2024, 6, 30, 9, 30, 16, 123, tzinfo=timezone(timedelta(hours=8)))  # 01:30:16 UTC
    data = open_data_files(computed, built_at, SiteInfo(title="咸阳市部门决算公开", jurisdiction="咸阳市"))[f"{STEM}.xlsx"]
    properties = openpyxl.load_workbook(io.BytesIO(data)).properties
    assert properties.created == properties.modified == datetime(2024, 6, 30, 1, 30, 16)
    assert (properties.title, properties.subject, properties.creator) == \
        ("咸阳市人力资源和社会保障局2023 年度部门决算", "部门决算公开", "咸阳市人力资源和社会保障局")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<Company>咸阳市</Company>" in archive.read("docProps/app.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(2024, 6, 30, 1, 30, 16)}  # a zip time has even seconds
    with zipfile.ZipFile(io.BytesIO(open_data_files(computed, built_at)[f"{STEM}.xlsx"])) as archive:
        assert "Company" not in archive.read("docProps/app.xml").decode()  # no site: no company


def test_source_date_epoch_dates_the_workbook(monkeypatch, computed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = open_data_files(computed)[f"{STEM}.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert "2023-11-14T22:13:20Z" in archive.read("docProps/core.xml").decode()
    assert openpyxl.load_workbook(io.BytesIO(data)).properties.created.year == 2023


def test_pandas_reads_every_sheet_back_as_the_printed_grid(computed, files):
    """Each sheet, read with pandas, holds every amount of the page's grid at the printed position."""
    sheets = pd.read_excel(io.BytesIO(files[f"{STEM}.xlsx"]), sheet_name=None, header=None, dtype=object)
    checked = 0
    for grid in build_grids(computed):
        frame = sheets[grid.layout.label]
        first_body_row = 2 + len(grid.header)  # title, 部门 line, then the header rows (0-based)
        for r, col, cell in place(grid.body):
            if cell.kind != "amount" or cell.value is None:
                continue
            found = frame.iat[first_body_row + r, col]
            expected = round_cent(cell.value)
            if expected == 0:
                assert pd.isna(found), (grid.layout.label, r, col, found)
            else:
                assert Decimal(repr(found)).quantize(Decimal("0.01")) == expected == Decimal(repr(found)), \
                    (grid.layout.label, r, col, found, expected)
                checked += 1
    assert checked > 350  # every nonzero amount of the nine tables (367 in the example)


# ---- XLSX: formats and package ---------------------------------------------------------------


def sides(cell) -> tuple:
    return tuple(getattr(cell.border, side).style for side in ("left", "right", "top", "bottom"))


def test_workbook_cells_carry_the_print_formats(computed, book):
    """Fonts, borders, number formats and alignments, as the print has them; a zero amount is an empty
    cell that keeps its borders and format."""
    thin = ("thin",) * 4
    zeros = 0
    for grid in build_grids(computed):
        ws = book[grid.layout.label]
        title = ws["A1"]
        assert (title.font.b, title.font.sz, title.alignment.horizontal) == (True, 14, "center")
        assert not ws["A2"].font.b and ws["A2"].alignment.horizontal == "left"
        body_row = 3 + len(grid.header)
        for r, col, cell in place(grid.header):
            target = ws.cell(3 + r, col + 1)
            assert target.font.b and sides(target) == thin, (grid.layout.label, target.coordinate)
            assert (target.alignment.horizontal, target.alignment.vertical, target.alignment.wrap_text) == \
                ("center", "center", True)
        for r, col, cell in place(grid.body):
            target = ws.cell(body_row + r, col + 1)
            assert sides(target) == thin and target.font.b == cell.total, (grid.layout.label, target.coordinate)
            assert target.alignment.vertical == "center"
            if cell.kind == "amount":
                assert target.number_format == "#,##0.00" and target.alignment.horizontal == "right"
                if cell.value is None or round_cent(cell.value) == 0:
                    assert target.value is None
                    zeros += 1
            elif cell.kind == "label" and cell.colspan == 1:
                assert (target.alignment.horizontal, target.alignment.indent) == ("left", max(cell.level - 1, 0))
        for i in range(len(grid.layout.notes)):
            assert ws.cell(body_row + len(grid.body) + i, 1).alignment.wrap_text
    assert zeros > 100


def test_workbook_sheets_print_as_the_tables(computed, book):
    for grid in build_grids(computed):
        ws = book[grid.layout.label]
        assert ws.print_title_rows.replace("$", "") == f"3:{2 + len(grid.header)}"
        assert ws.page_setup.orientation == ("landscape" if grid.layout.wide else "portrait")
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide, as many pages down as needed
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert f"A1:{openpyxl.utils.get_column_letter(grid.column_count)}1" in {r.coord for r in ws.merged_cells.ranges}
        assert len(ws.column_dimensions) == grid.column_count
        assert all(8 <= d.width <= 42 for d in ws.column_dimensions.values())
    assert book["公开02表"].column_dimensions["B"].width > 30  # the 科目名称 column
    d = computed.department
    assert (book.properties.title, book.properties.creator, book.properties.language) == \
        (f"{d.name}2023 年度部门决算", d.name, "zh-CN")


def test_merged_table_cells_are_boxed_on_every_edge_cell(files):
    """Excel draws a merged range's border from the cells along its edges, so those cells carry it too."""
    data = io.BytesIO(files[f"{STEM}.xlsx"])
    merged = {ws.title: ws.merged_cells.ranges for ws in openpyxl.load_workbook(data)}
    raw = openpyxl.load_workbook(data, read_only=True)  # the cells as written: merges not applied
    boxed = 0
    for name, ranges in merged.items():
        cells = {(c.row, c.column): c for row in raw[name].iter_rows() for c in row if hasattr(c, "row")}
        for r in ranges:
            if sides(cells[r.min_row, r.min_col]) != ("thin",) * 4:
                continue  # title, 部门 and 注 lines have no borders
            boxed += 1
            for row in range(r.min_row, r.max_row + 1):
                for col in range(r.min_col, r.max_col + 1):
                    if (row, col) != (r.min_row, r.min_col):
                        expected = (col == r.min_col, col == r.max_col, row == r.min_row, row == r.max_row)
                        assert sides(cells[row, col]) == tuple("thin" if e else None for e in expected), (name, r)
    assert boxed > 20


SCHEMA_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "mergeCells",
                "pageMargins", "pageSetup"]


def test_workbook_package_is_complete_and_in_schema_order(files):
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(files[f"{STEM}.xlsx"])) as archive:
        names = archive.namelist()
        parts = {n: ElementTree.fromstring(archive.read(n)) for n in names}  # every part is well-formed XML
        infos = archive.infolist()
    assert {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml"} <= set(names)
    declared = {o.get("PartName") for o in parts["[Content_Types].xml"] if o.get("PartName")}
    assert declared == {f"/{n}" for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
    sheets = [n for n in names if n.startswith("xl/worksheets/")]
    assert len(sheets) == 9
    for name in sheets:
        tags = [child.tag.split("}")[1] for child in parts[name]]
        assert tags == sorted(tags, key=SCHEMA_ORDER.index), (name, tags)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    first_xf = parts["xl/styles.xml"].find(f"{main}cellXfs")[0]
    assert (first_xf.get("numFmtId"), first_xf.get("fontId"), first_xf.get("borderId")) == ("0", "0", "0")
    assert all((i.compress_type, i.create_system, i.external_attr) == (zipfile.ZIP_DEFLATED, 3, 0o644 << 16)
               for i in infos)


@pytest.mark.slow
def test_the_xlsxwriter_candidate_of_the_benchmark_writes_the_same_sheets(computed, book):
    """bench/xlsx.py measures XlsxWriter against the site's writer on the same work: the same cells, merged ranges,
    number formats, frozen panes, print titles and document properties."""
    from bench.xlsxwriter_workbook import workbook_bytes as with_xlsxwriter

    other = openpyxl.load_workbook(io.BytesIO(with_xlsxwriter(computed, build_grids(computed))))
    assert other.sheetnames == book.sheetnames
    for ws in book:
        twin = other[ws.title]
        assert [[c.value for c in row] for row in twin.iter_rows()] == [[c.value for c in row] for row in ws.iter_rows()]
        assert {r.coord for r in twin.merged_cells.ranges} == {r.coord for r in ws.merged_cells.ranges}
        assert (twin.freeze_panes, twin.print_title_rows) == (ws.freeze_panes, ws.print_title_rows)
        assert [c.number_format for row in twin.iter_rows() for c in row] == \
            [c.number_format for row in ws.iter_rows() for c in row]
    assert (other.properties.title, other.properties.creator) == (book.properties.title, book.properties.creator)


def test_workbook_text_is_escaped_and_kept(computed):
    """Markup characters survive, characters XML 1.0 cannot hold are dropped, edge spaces are kept."""
    from generator.render.opendata.workbook import workbook_bytes

    header = ((Cell("项目"), Cell(" 合计 ")),)
    body = Rows(((Cell("R&D <1>"), Cell(value="total")),))
    t10 = dataclasses.replace(computed.form.tables["t09"], id="t10", label="公开10表", column_numbers=None,
                              title="A & B <表> \"q\" 'a'\x01", header=header, body=body, notes=())
    form = dataclasses.replace(computed.form, tables={"t10": t10})
    c = dataclasses.replace(computed, form=form, tables={"t10": FlatTable({"total": Figure(Decimal("1234.5"))})}, views={})
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(c, build_grids(c))))["公开10表"]
    assert ws["A1"].value == "A & B <表> \"q\" 'a'"
    assert (ws["B3"].value, ws["A4"].value, ws["B4"].value) == (" 合计 ", "R&D <1>", 1234.5)
