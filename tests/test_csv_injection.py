"""Open data against formula injection: a text cell a spreadsheet would run as a formula is published with a
leading ' in the CSV (OWASP's rule); amounts are numbers and keep their sign; the workbook holds text as text."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from conftest import EXAMPLE

from generator.compute.figures import CodedTable, Computed, Figure
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.forms.profiles import load_profile
from generator.render.opendata.files import csv_text, open_data_files
from generator.render.opendata.records import Records

STEM = "xianyang-rsj-2023"
HYPERLINK = '=HYPERLINK("http://evil.example/x","点此查看")'
LEADING = ["=", "+", "-", "@", "\t", "\r"]


@pytest.fixture(scope="module")
def computed() -> Computed:
    return compute(load_department(EXAMPLE), load_profile())


def with_row(c: Computed, name: str, amount: Decimal) -> Computed:
    """``c`` whose 公开02表 line 2019999 is called ``name`` and has ``amount`` in every column."""
    table: CodedTable = c.tables["t02"]
    rows = [dataclasses.replace(row, name=name, figures={col: Figure(amount) for col in table.columns})
            if row.code == "2019999" else row for row in table.rows]
    return dataclasses.replace(c, tables={**c.tables, "t02": CodedTable(table.columns, rows)}, views={})


def csv_rows(files: dict[str, bytes], table_id: str) -> list[list[str]]:
    text = files[f"{STEM}-{table_id}.csv"].decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_row(files: dict[str, bytes], code: str) -> list[str]:
    [row] = [r for r in csv_rows(files, "t02") if r[0] == code]
    return row


@pytest.mark.parametrize("start", LEADING, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_a_name_that_starts_like_a_formula_gets_a_quote_and_a_negative_amount_stays(computed, start):
    name = f"{start}1+2 其他一般公共服务支出"
    files = open_data_files(with_row(computed, name, Decimal("-12.5")))
    row = csv_row(files, "2019999")
    assert row[1] == "'" + name
    assert row[3:] and set(row[3:]) == {"-12.50"}  # numbers, written as numbers: no quote


def test_a_hyperlink_formula_is_text_in_the_csv_with_its_quotes_and_comma_kept(computed):
    files = open_data_files(with_row(computed, HYPERLINK, Decimal("10.46")))
    raw = files[f"{STEM}-t02.csv"].decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil.example/x"",""点此查看"")"' in raw  # quoted whole: one cell
    assert not re.search(r"(^|,)=", raw, re.MULTILINE)  # no cell anywhere starts with "="
    assert csv_row(files, "2019999")[1] == "'" + HYPERLINK


def test_ordinary_names_codes_and_amounts_are_unchanged(computed):
    files = open_data_files(computed)
    row = csv_row(files, "2019999")
    assert row[:3] == ["2019999", "其他一般公共服务支出", "项"] and "10.46" in row
    assert not any(cell.startswith("'") for table in ("t01", "t02", "t04", "t06", "t09")
                   for r in csv_rows(files, table) for cell in r)


def test_a_formula_in_a_header_or_a_flat_table_label_gets_a_quote_too():
    table = Records(["项目", "@合计"], [["-其他", Decimal("-0.50")], ["+1", None], ["合计", Decimal("0")]])
    assert list(csv.reader(io.StringIO(csv_text(table), newline=""))) == [
        ["项目", "'@合计"], ["'-其他", "-0.50"], ["'+1", ""], ["合计", "0.00"]]


def test_a_name_from_a_department_file_reaches_the_csv_neutralised(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    entered = "    2019999: {fiscal: 10.46}\n"
    assert entered in text
    path = tmp_path / "2023" / "xianyang-rsj.yaml"
    path.parent.mkdir()
    path.write_text(text.replace(entered, f"    2019999: {{name: '{HYPERLINK}', fiscal: 10.46}}\n", 1), encoding="utf-8")
    files = open_data_files(compute(load_department(path), load_profile()))
    assert csv_row(files, "2019999")[1] == "'" + HYPERLINK


def test_the_workbook_keeps_such_a_name_as_plain_text_not_a_formula(computed):
    files = open_data_files(with_row(computed, HYPERLINK, Decimal("-12.5")))
    data = files[f"{STEM}.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
    [cell] = [c for s in sheets for c in re.findall(r'<c [^>]*t="inlineStr"><is><t[^>]*>=HYPERLINK[^<]*</t>', s)]
    assert "&quot;" in cell or '"' in cell
    ws = openpyxl.load_workbook(io.BytesIO(data))["公开02表"]
    found = [c for row in ws.iter_rows() for c in row if c.value == HYPERLINK]
    assert found and all(c.data_type == "s" for c in found)  # the exact name, as a string (import reads it back)
    assert -12.5 in [c.value for row in ws.iter_rows() for c in row]
