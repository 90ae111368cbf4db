"""`juesuan import` reads a workbook once, streaming, within bounds: a zip bomb, a huge file, a million rows,
content far right or far down, control characters are each refused quickly with a located message; rows
formatted but empty below the tables cost neither time nor memory.

The workbooks are written by hand (raw SpreadsheetML streamed into a zip), so that the big ones take a
fraction of a second to make."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from generator.authoring.spreadsheet import reading
from generator.authoring.spreadsheet.reading import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    read_workbook,
)
from generator.authoring.spreadsheet.workbooks import import_workbook
from generator.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


# -- writing workbooks by hand ------------------------------------------------------------------

# Cell formats: 0 and 1 plain, 2 a date (numFmtId 14).
STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
          '</cellStyleXfs><cellXfs count="3"><xf/><xf/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')

def letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(number: int, *values: object) -> str:
    cells = "".join(cell(f"{letter(i + 1)}{number}", v) for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}">{cells}</row>'


def xlsx(path: Path, sheets: dict[str, Iterable[str]], *, strings: Iterable[str] = (), dimension: str = "A1",
         tail: str = "", level: int = 1) -> Path:
    """An .xlsx of ``sheets`` (name → its <row> elements, streamed) and shared ``strings``."""
    sheets, strings = dict(sheets), list(strings)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{OFFICE}.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    overrides += f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/>'
    if strings:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{OFFICE}.sharedStrings+xml"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        entries = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, name in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
                                      f'xmlns:r="{RELS}"><sheets>{entries}</sheets></workbook>')
        links = "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(sheets) + 1))
        links += f'<Relationship Id="rIdStyles" Type="{RELS}/styles" Target="styles.xml"/>'
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http:'
                                                 f'//schemas.openxmlformats.org/package/2006/relationships">{links}'
                                                 '</Relationships>')
        if strings:
            items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>')
        for i, rows in enumerate(sheets.values(), 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}" xmlns:x="{MAIN}" '
                           f'xmlns:r="{RELS}">'
                           f'<dimension ref="{dimension}"/><sheetData>'.encode())
                chunk: list[str] = []
                for text in rows:
                    chunk.append(text)
                    if len(chunk) == 10_000:
                        part.write("".join(chunk).encode())
                        chunk.clear()
                part.write(("".join(chunk) + f"</sheetData>{tail}</worksheet>").encode())
    return path


def million_rows() -> Iterable[str]:
    """A row of numbers on each of a million rows (as a sheet of 1,000,000 rows, 40 MB of XML)."""
    return (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1_000_001))


def table_rows(count: int = 3) -> list[str]:
    return [row(1, "公开03表"), row(2, "科目代码", "科目名称", "合计"), *(row(r, 2080101 + r, "行政运行", r) for r in
                                                                   range(3, 3 + count))]


def problems(book: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        import_workbook(book, "dept", 2023, tmp_path / "content", name="某部门")
    return [p.format().replace(f"{book.parent}/", "") for p in caught.value.problems]


def refused(book: Path) -> tuple[list[str], float]:
    """The problems reading ``book`` gives, and how long it took to say so."""
    start = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        read_workbook(book, book.name)
    return [p.format() for p in caught.value.problems], time.perf_counter() - start


# -- before opening: the file and its parts ----------------------------------------------------------

@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = "<row><c><v>1</v></c></row>" * 40_000  # a megabyte, compressing a thousandfold
    book = xlsx(tmp_path / "bomb.xlsx", {"公开03表": [bomb] * (MAX_UNPACKED_BYTES // len(bomb) + 2)}, level=9)
    assert book.stat().st_size < MAX_UNPACKED_BYTES / 300
    messages, seconds = refused(book)
    assert len(messages) == 1 and messages[0].startswith("bomb.xlsx: 工作簿解压后过大，可能是“压缩炸弹”，未读取")
    assert "应为解压后合计不超过 100.0 MB" in messages[0] and "xl/worksheets/sheet1.xml 为 10" in messages[0]
    assert seconds < 1


def test_a_part_compressed_beyond_any_workbook_is_refused(tmp_path):
    bomb = "<row><c><v>1</v></c></row>" * 40_000
    book = xlsx(tmp_path / "dense.xlsx", {"公开03表": [bomb] * 20}, level=9)
    messages, seconds = refused(book)
    assert len(messages) == 1 and "dense.xlsx: 工作簿中 xl/worksheets/sheet1.xml 的压缩比异常" in messages[0]
    assert "应为压缩比不超过 200 倍" in messages[0] and seconds < 1


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    book = tmp_path / "big.xlsx"
    with book.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    messages, seconds = refused(book)
    assert messages == ["big.xlsx: 工作簿文件过大，未读取（部门决算各表的工作簿一般不足 1 MB）（应为不超过 20.0 MB，实际为 20.0 MB）"]
    assert seconds < 0.5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    messages, seconds = refused(tmp_path / "pipe.xlsx")
    assert messages == ["pipe.xlsx: 不是普通文件，无法作为工作簿读取（应为.xlsx 文件，实际为 目录、管道或设备）"]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken", "zip"])
def test_what_is_not_a_workbook_is_said_so(tmp_path, content):
    book = tmp_path / "x.xlsx"
    if content == "zip":
        with zipfile.ZipFile(book, "w") as z:
            z.writestr("readme.txt", "a zip, but no workbook in it")
    else:
        book.write_bytes(content)
    messages, _ = refused(book)
    assert messages == ["x.xlsx: 不是可以读取的 Excel 工作簿（应为.xlsx、.xls 或 .ods 文件（扩展名与内容相符），"
                        "实际为 其他格式、已加密或已损坏的文件）"]


@pytest.mark.parametrize("name", ["x.xls", "x.ods"])
def test_what_is_not_an_xls_or_ods_is_said_so(tmp_path, name):
    book = tmp_path / name
    book.write_bytes(b"not a spreadsheet")
    kind = {"x.xls": "Excel 97–2003 工作簿", "x.ods": "OpenDocument 电子表格"}[name]
    assert refused(book)[0] == [f"{name}: 不是可以读取的 {kind}（应为.xlsx、.xls 或 .ods 文件（扩展名与内容相符），"
                                "实际为 其他格式、已加密或已损坏的文件）"]


def test_an_xls_with_two_cells_far_apart_is_refused_without_taking_the_memory(tmp_path):
    """A1 and IV65536 (tests/data/far-apart.xls, 6 KB, made with xlwt): calamine would lay out 16 million cells,
    a gigabyte; the child process reading it hits its memory cap, this one never holds them."""
    messages, seconds = refused(ROOT / "tests" / "data" / "far-apart.xls")
    assert messages == ["far-apart.xls: 工作簿的内容范围过大（内容相距过远的单元格），读取所需的内存超出限制，未读取"
                        "（应为各工作表的内容在前 20,000 行、CV 列以内，实际为 超出）"]
    assert seconds < 3


# -- .ods: calamine would expand a repeated cell, so the file is measured first ----------------------------

def ods(path: Path, rows: str) -> Path:
    """An .ods whose one sheet 公开03表 holds ``rows`` (<table:table-row> elements)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="公开03表">{rows}</table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


NUMBER = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def test_an_ods_cell_repeated_over_millions_is_refused_unexpanded(tmp_path):
    repeated = NUMBER.replace("<table:table-cell ", '<table:table-cell table:number-columns-repeated="2000" ')
    book = ods(tmp_path / "x.ods", f'<table:table-row table:number-rows-repeated="20000">{repeated}</table:table-row>')
    messages, seconds = refused(book)
    assert messages == ["x.ods 公开03表!A1: 工作簿中有内容的单元格超过 200,000 个（部门决算各表合计不过数万个），其后不再读取"
                        "（应为不超过 200,000 个，实际为 读到此处已超过）"]
    assert seconds < 0.5  # calamine would take seconds and gigabytes to expand the 40 million cells


def test_ods_content_beyond_the_rows_or_columns_is_located(tmp_path):
    far_down = ods(tmp_path / "down.ods", f'<table:table-row table:number-rows-repeated="{MAX_ROWS}"><table:table-cell/>'
                                          f"</table:table-row><table:table-row>{NUMBER}</table:table-row>")
    assert refused(far_down)[0] == [f"down.ods 公开03表!A{MAX_ROWS + 1}: 工作表的内容超出第 20,000 行（部门决算各表不过数百行），"
                                    "其后各行不再读取（应为内容在前 20,000 行以内，实际为 第 20,001 行有内容）"]
    far_right = ods(tmp_path / "right.ods", f'<table:table-row><table:table-cell table:number-columns-repeated='
                                            f'"{MAX_COLUMNS}"/>{NUMBER}</table:table-row>')
    assert refused(far_right)[0] == ["right.ods 公开03表!CW1: 工作表的内容超出 CV 列（第 100 列），其后不再读取"
                                     "（应为内容在 A–CV 列以内，实际为 CW 列有内容）"]


def test_an_ods_sheet_keeps_its_merged_ranges_and_exact_values(tmp_path):
    merged = '<table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>项目</text:p>' \
             "</table:table-cell><table:covered-table-cell/>"
    amount = '<table:table-cell office:value-type="float" office:value="7987.94"><text:p>7,987.94</text:p></table:table-cell>'
    book = ods(tmp_path / "x.ods", f"<table:table-row>{merged}{amount}</table:table-row>"
                                   f'<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
                                   f"<table:table-row>{amount}</table:table-row>")
    [sheet] = read_workbook(book, "x.ods")
    assert sheet.values[0] == ["项目", "项目", 7987.94] and sheet.covered == {(0, 1)}
    assert sheet.values[4] == [7987.94] and sheet.height == 5


# -- rows and columns ------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_million_rows_stop_at_the_row_bound_with_a_located_message(tmp_path):
    book = xlsx(tmp_path / "rows.xlsx", {"公开03表": million_rows()}, dimension="A1:A1000000")
    start = time.perf_counter()
    messages = problems(book, tmp_path)
    assert time.perf_counter() - start < 2
    assert f"rows.xlsx 公开03表!A{MAX_ROWS + 1}: 工作表的内容超出第 20,000 行（部门决算各表不过数百行），其后各行不再读取" \
           f"（应为内容在前 20,000 行以内，实际为 第 20,001 行有内容）" in messages


@pytest.mark.slow
def test_rows_formatted_but_empty_below_the_table_neither_count_nor_cost(tmp_path):
    empty = (f'<row r="{r}" spans="1:8" s="1" customFormat="1"><c r="A{r}" s="1"/></row>' for r in range(6, 1_048_577))
    book = xlsx(tmp_path / "formatted.xlsx", {"公开03表": [*table_rows(), *empty]}, dimension="A1:XFD1048576")
    start = time.perf_counter()
    [sheet] = read_workbook(book, book.name)
    assert time.perf_counter() - start < 2.5
    assert (sheet.height, sheet.width, sheet.faults) == (5, 3, [])
    assert sheet.value(4, 2) == 5


def test_content_beyond_the_column_bound_is_located(tmp_path):
    far = f'<row r="4">{cell("A4", 2080101)}{cell(letter(MAX_COLUMNS + 1) + "4", "备注")}</row>'
    formatted = f'<row r="5">{cell("A5", 2080102)}<c r="XFD5" s="1"/></row>'  # a format only: not content
    book = xlsx(tmp_path / "wide.xlsx", {"公开03表": [row(1, "公开03表"), far, formatted]})
    assert "wide.xlsx 公开03表!CW4: 工作表的内容超出 CV 列（第 100 列），其后不再读取（应为内容在 A–CV 列以内，" \
           "实际为 CW 列有内容）" in problems(book, tmp_path)
    [sheet] = read_workbook(xlsx(tmp_path / "narrow.xlsx", {"公开03表": [row(1, "公开03表"), formatted]}), "narrow.xlsx")
    assert (sheet.width, sheet.faults) == (1, [])


def test_the_filled_cells_of_the_whole_workbook_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELLS", 1_000)
    rows = [row(r, *range(10)) for r in range(1, 60)]  # 590 cells a sheet
    messages, _ = refused(xlsx(tmp_path / "cells.xlsx", {"说明": rows, "附表": rows}))
    assert messages == ["cells.xlsx 附表!A42: 工作簿中有内容的单元格超过 1,000 个（部门决算各表合计不过数万个），其后不再读取"
                        "（应为不超过 1,000 个，实际为 读到此处已超过）"]


@pytest.mark.slow
def test_a_workbook_full_of_cells_is_refused_in_little_time(tmp_path):
    columns = [letter(c) for c in range(1, 61)]

    def rows():
        for r in range(1, 10_001):
            yield f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in columns) + "</row>"

    messages, seconds = refused(xlsx(tmp_path / "full.xlsx", {"表": rows()}))
    assert messages[0].startswith(f"full.xlsx 表!A{MAX_CELLS // 60 + 1}: 工作簿中有内容的单元格超过 200,000 个")
    assert seconds < 3


def test_a_sheet_that_is_not_a_table_may_go_beyond_the_bounds(tmp_path):
    rows = [row(1, "说明"), row(MAX_ROWS + 5, "附注")]
    book = xlsx(tmp_path / "extra.xlsx", {"公开03表": table_rows(), "说明": rows})
    assert not [m for m in problems(book, tmp_path) if "超出" in m]


# -- cells -------------------------------------------------------------------------------------------

def test_control_characters_in_cells_are_located(tmp_path):
    rows = [row(1, "公开03表"), row(2, "部门：某部门\x9b31m"),
            '<row r="3"><c r="B3" t="s"><v>0</v></c><c r="C3" t="s"><v>1</v></c></row>']
    book = xlsx(tmp_path / "ctl.xlsx", {"公开03表": rows}, strings=["社会保障_x001B_[2J", "换行\n和制表\t可以"])
    messages = problems(book, tmp_path)
    assert [m for m in messages if "控制字符" in m] == [
        "ctl.xlsx 公开03表!A2: 单元格中有控制字符（不可见的字符，会混入网页和图表）（应为不含控制字符的文字，实际为 U+009B（第 7 个字符））",
        "ctl.xlsx 公开03表!B3: 单元格中有控制字符（不可见的字符，会混入网页和图表）（应为不含控制字符的文字，实际为 U+001B（写作 _x001B_））",
    ]


def test_control_characters_in_a_sheet_name_are_refused(tmp_path):
    book = xlsx(tmp_path / "name.xlsx", {"公开03表\x85": table_rows()})
    messages, _ = refused(book)
    assert messages == ["name.xlsx: 工作表名称中有控制字符（不可见的字符，会混入网页和终端）（应为不含控制字符的名称，实际为 公开03表<U+0085>）"]


def test_cells_are_placed_merged_dated_and_formulas_found_in_one_pass(tmp_path):
    rows = ['<row r="2"><c r="B2" t="inlineStr"><is><t>项目</t></is></c><c r="D2"><v>1.5</v></c></row>',
            '<row><c><v>7</v></c><c r="C3" s="1"/><c><f>SUM(A1)</f></c><c><f>1+1</f><v>2</v></c></row>',
            '<row r="4"><c r="A4" s="2"><v>45000</v></c></row>']
    book = xlsx(tmp_path / "cells.xlsx", {"表": rows}, tail='<mergeCells count="1"><mergeCell ref="B2:C3"/></mergeCells>')
    [sheet] = read_workbook(book, book.name)
    assert sheet.values == [[], [None, "项目", "项目", 1.5], [7, "项目", "项目", None, 2], [datetime(2023, 3, 15)]]
    assert sheet.covered == {(1, 2), (2, 1), (2, 2)}
    assert sheet.formulas == {(2, 3)}  # D3: a formula without a saved result; E3 has its result


@pytest.mark.parametrize("written", ["numbered", "with a prefix", "without numbers"])
def test_rows_are_read_however_written_and_empty_ones_skipped(tmp_path, written):
    rows = {"numbered": ['<row r="1"><c r="A1" t="inlineStr"><is><t>公开03表</t></is></c></row>', '<row r="2" s="1"/>',
                         '<row r="3"><c r="A3" s="1"/></row><row r="4"><c r="A4" s="1"/><c r="B4"><v>5</v></c></row>'],
            "with a prefix": ['<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>公开03表</x:t></x:is></x:c></x:row>',
                              '<x:row r="2" s="1"/><x:row r="3"><x:c r="A3" s="1"/></x:row>',
                              '<x:row r="4"><x:c r="A4" s="1"/><x:c r="B4"><x:v>5</x:v></x:c></x:row>'],
            "without numbers": ['<row><c t="inlineStr"><is><t>公开03表</t></is></c></row><row/><row><c/></row>',
                                '<row><c s="1"/><c><v>5</v></c></row>']}[written]
    [sheet] = read_workbook(xlsx(tmp_path / "rows.xlsx", {"公开03表": rows}), "rows.xlsx")
    assert sheet.values == [["公开03表"], [], [], [None, 5]]


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_entities_expanding_a_billionfold_are_refused(tmp_path, part):
    book = xlsx(tmp_path / "laughs.xlsx", {"公开03表": ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']}, strings=["x"])
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9))
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name).decode() for name in z.namelist()}
    declaration, root = parts[part].split("?>", 1)
    root = root.replace("<t>x</t>", "<t>&j;</t>").replace("<sheetData>", '<sheetData><row r="2"><c r="A2" '
                                                                          't="inlineStr"><is><t>&j;</t></is></c></row>')
    parts[part] = f"{declaration}?><!DOCTYPE {root[1:root.index(' ')]} [{entities}]>{root}"
    with zipfile.ZipFile(book, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    messages, seconds = refused(book)
    assert messages[0].startswith("laughs.xlsx: 不是可以读取的 Excel 工作簿") and seconds < 1


def test_overlapping_merged_ranges_stop_the_sheet(tmp_path):
    merges = '<mergeCells count="3"><mergeCell ref="A1:B2"/><mergeCell ref="A1:XFD1048576"/><mergeCell ref="B1:B2"/></mergeCells>'
    book = xlsx(tmp_path / "merged.xlsx", {"公开03表": [row(1, "公开03表", 1), row(2, 2, 3)]}, tail=merges)
    [sheet] = read_workbook(book, book.name)
    assert not sheet.complete and sheet.faults[-1].message == "合并单元格相互重叠"
    assert sheet.values == [["公开03表", "公开03表"], ["公开03表", "公开03表"]]  # each range within the cells read


# -- memory, in a fresh process ------------------------------------------------------------------------

PEAK = """
import sys
from pathlib import Path
from generator.authoring.spreadsheet.reading import read_workbook
from generator.errors import ContentError

def peak(book):  # the most memory the process has held (VmHWM: a fork's ru_maxrss includes its parent's)
    try:
        read_workbook(Path(book), "book")
    except ContentError:
        pass
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

small = peak(sys.argv[1])
print(peak(sys.argv[2]) - small)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
@pytest.mark.parametrize("kind", ["million rows", "formatted rows", "zip bomb"])
def test_big_workbooks_are_read_in_little_memory(tmp_path, kind):
    rows = {"million rows": million_rows,
            "formatted rows": lambda: [*table_rows(), *(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>'
                                                        for r in range(6, 1_048_577))],
            "zip bomb": lambda: ["<row><c><v>1</v></c></row>" * 40_000] * 150}[kind]()
    small, book = xlsx(tmp_path / "small.xlsx", {"公开03表": table_rows()}), xlsx(tmp_path / "big.xlsx", {"公开03表": rows})
    run = subprocess.run([sys.executable, "-c", PEAK, small, book], capture_output=True, text=True, cwd=ROOT,
                         check=True, timeout=60)
    assert int(run.stdout) < 60_000, run.stdout  # kilobytes more than reading a small workbook
