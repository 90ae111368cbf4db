"""Reading a workbook (.xlsx, .xls, .ods) into Sheets: once, within bounds that no department's tables come near.

An .xls (Excel 97–2003) or .ods (OpenDocument) file is read with python-calamine, which lays each sheet out as one
dense grid: its size is checked first, then an .ods file's parts (as below) and its content.xml, scanned for the
extent of every sheet's filled cells (a cell repeated a million times is one element there) before calamine expands
it; an .xls file, which cannot be measured so, is read in a child process with capped memory (``isolated``). Then
each sheet's cells and merged ranges are taken row by row; content beyond ``MAX_ROWS`` or ``MAX_COLUMNS`` stops the
sheet with a fault at its first cell out of bounds (in an .ods file, in any sheet). Both formats store a formula's
result with it, so there is no formula without one to report there.

An .xlsx file is read as follows, streaming.

A workbook is a zip of XML parts. Before anything is unpacked, the file's size and the sizes its parts
declare uncompressed are checked (Python's zipfile never yields more than a part declares), so a zip
bomb is refused without being inflated. openpyxl then reads the workbook's own parts (sheet names,
shared strings, date formats) in read-only mode, and each worksheet's XML is parsed once, row by row,
each row dropped when read: only cells holding something are kept. Rows holding nothing are cut out
of the XML before it is parsed, so a sheet formatted down to row 1,048,576 costs neither time nor
memory. Content beyond ``MAX_ROWS`` or ``MAX_COLUMNS`` stops its sheet with a fault located at that
cell, reported if the sheet is one of the tables; more than ``MAX_CELLS`` filled cells in the workbook
stop the import there.

openpyxl's read-only sheets cannot tell a formula without a saved result from a blank cell (the
import reports the one, reads the other as zero), so rows are parsed here, and each cell's value is
taken by openpyxl's own cell parser (with the workbook's shared strings and date formats).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from io import BytesIO
from pathlib import Path

import python_calamine
from lxml import etree

from generator.authoring.spreadsheet.cells import Fault, Problems, Sheet, column_letter
from generator.authoring.spreadsheet.isolated import TooBig, read_isolated
from generator.errors import ContentError, Problem
from generator.source.yamlfile import CONTROL, NotRegular, TooLarge, Unreadable, read_regular

MB = 1 << 20
MAX_FILE_BYTES = 20 * MB  # the .xlsx file as stored
MAX_UNPACKED_BYTES = 100 * MB  # all its parts uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for a part over RATIO_FLOOR; deflate cannot exceed about 1,030
RATIO_FLOOR = MB
MAX_ROWS = 20_000  # a sheet's content (row number of its last filled cell); the tables have a few hundred rows
MAX_COLUMNS = 100  # and its columns (CV); the widest table has a dozen
MAX_CELLS = 200_000  # filled cells in the whole workbook; the tables together have some tens of thousands at most

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _MERGE, _FORMULA = f"{_MAIN}row", f"{_MAIN}mergeCell", f"{_MAIN}f"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel writes a character XML cannot hold: _x001B_
_FIRST_ROW = re.compile(rb"<((?:\w+:)?)row[\s/>][^>]*>")


CALAMINE_SUFFIXES = (".xls", ".ods")  # read with python-calamine; everything else as .xlsx


def read_workbook(path: Path, shown: str) -> list[Sheet]:
    """Every worksheet of an .xlsx, .xls or .ods file; ContentError if it is not one, or is too big to be one."""
    data = _file_bytes(path, shown)
    if path.suffix.lower() in CALAMINE_SUFFIXES:
        return _read_with_calamine(data, path.suffix.lower(), shown)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = archive.infolist()
    except Exception:  # zipfile reports a file that is not a zip in several ways
        raise _not_a_workbook(shown) from None
    _check_sizes(parts, shown)
    try:
        import openpyxl  # a third of a second to import: only `juesuan import` needs it

        with warnings.catch_warnings():  # openpyxl warns of parts it drops (extensions, validations): not ours
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
            try:
                _check_names([ws.title for ws in book.worksheets], shown)
                return _read_sheets(book, shown)
            finally:
                book.close()
    except ContentError:
        raise
    except Exception:  # openpyxl and lxml report a broken or foreign file in many ways
        raise _not_a_workbook(shown) from None


def _not_a_workbook(shown: str, kind: str = ".xlsx") -> ContentError:
    return ContentError([Problem(shown, None, "", f"不是可以读取的{_KINDS[kind]}", ".xlsx、.xls 或 .ods 文件（扩展名与内容相符）",
                                 "其他格式、已加密或已损坏的文件")])


_KINDS = {".xlsx": " Excel 工作簿", ".xls": " Excel 97–2003 工作簿", ".ods": " OpenDocument 电子表格"}


def _read_with_calamine(data: bytes, kind: str, shown: str) -> list[Sheet]:
    """Every worksheet of an .xls or .ods file's bytes, read with python-calamine within the bounds."""
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    if kind == ".ods":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                parts = archive.infolist()
                _check_sizes(parts, shown)
                with archive.open("content.xml") as content:
                    merges = _ods_extent(content, shown)
        except ContentError:
            raise
        except Exception:  # zipfile and lxml report a file that is not an .ods in several ways
            raise _not_a_workbook(shown, kind) from None
    try:
        if kind == ".xls":
            read = read_isolated(data, MAX_ROWS, MAX_COLUMNS)
            taken = [(s["name"], s["start_col"], s["rows"], [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2)
                                                            in s["merges"]]) for s in read]
        else:
            book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
            names = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            taken = [(ws.name, ws.start[1] if ws.start else 0, ws.iter_rows() if ws.end else (), merges.get(name, []))
                     for name in names for ws in (book.get_sheet_by_name(name),)]
    except TooBig:
        raise ContentError([Problem(shown, None, "", "工作簿的内容范围过大（内容相距过远的单元格），读取所需的内存超出限制，未读取",
                                    f"各工作表的内容在前 {MAX_ROWS:,} 行、{column_letter(MAX_COLUMNS)} 列以内",
                                    "超出")]) from None
    except Exception:  # NotReadable, or calamine reporting a broken, encrypted or foreign file in its many ways
        raise _not_a_workbook(shown, kind) from None
    _check_names([name for name, *_ in taken], shown)
    sheets, room = [], MAX_CELLS
    for name, start_col, rows, merged in taken:
        sheet, room = _calamine_sheet(name, start_col, rows, merged, room)
        sheets.append(_within_bounds(sheet, room, shown))
    return sheets


def _calamine_sheet(name: str, start_col: int, rows, merges: list[tuple[int, int, int, int]],
                    room: int) -> tuple[Sheet, int]:
    """A calamine sheet's rows (from row 1, each from column ``start_col`` + 1, blanks as "") as a Sheet, taken one
    by one only as far as the bounds allow; and the room left. ``merges``: 1-based first and last row and column."""
    grid = _Grid(name, None, room)
    for number, row in enumerate(rows, start=1):
        filled = [(c, value, False) for c, value in enumerate(row[:MAX_COLUMNS + 1 - start_col], start=start_col + 1)
                  if value != ""]
        if not grid.add_filled(number, filled):  # a cell just beyond the columns is enough to be stopped at
            break
    grid.merges.extend(merges)
    return grid.sheet(), grid.room


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_extent(content, shown: str) -> dict[str, list[tuple[int, int, int, int]]]:
    """An .ods file's content.xml, scanned before calamine expands it: every sheet's filled cells within the bounds
    (a cell repeated over a million rows is one element in the file, and millions of cells in memory), else a
    located ContentError; and each sheet's merged ranges (1-based, first and last row and column)."""
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    name, row, rows, col, room = "", 0, 1, 0, MAX_CELLS
    tags = (f"{_TABLE}table", f"{_TABLE}table-row", f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    for event, element in etree.iterparse(content, events=("start", "end"), tag=tags, resolve_entities=False,
                                          no_network=True):
        tag = element.tag[len(_TABLE):]
        if event == "start":
            if tag == "table":
                name, row = element.get(f"{_TABLE}name", ""), 0
                merges[name] = []
            elif tag == "table-row":
                rows, col = int(element.get(f"{_TABLE}number-rows-repeated", "1")), 0
            continue
        if tag == "table-row":
            row += rows
        elif tag != "table":
            repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
            if element.get(f"{_OFFICE}value-type") is not None or len(element):
                room -= repeat * rows if row < MAX_ROWS else 0
                last = row + rows  # 1-based, the block's last row
                at = row + 1 if last <= MAX_ROWS else max(row + 1, MAX_ROWS + 1)
                if fault := beyond_bounds(at, col + 1, col + repeat, room):
                    problems = Problems(shown)
                    problems.at(Sheet(name, []), *fault)
                    problems.raise_if_any()
            across = int(element.get(f"{_TABLE}number-columns-spanned", "1"))
            down = int(element.get(f"{_TABLE}number-rows-spanned", "1"))
            if across > 1 or down > 1:
                merges[name].append((row + 1, col + 1, row + down, col + across))
            col += repeat
        element.clear(keep_tail=True)
    return merges


def _file_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, if it is a regular file no larger than MAX_FILE_BYTES (a FIFO would never end)."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except NotRegular:
        raise ContentError([Problem(shown, None, "", "不是普通文件，无法作为工作簿读取", ".xlsx 文件", "目录、管道或设备")]) from None
    except TooLarge as exc:
        raise ContentError([Problem(shown, None, "", "工作簿文件过大，未读取（部门决算各表的工作簿一般不足 1 MB）",
                                    f"不超过 {_size(MAX_FILE_BYTES)}", f"{_size(exc.size)}")]) from None
    except Unreadable as exc:
        raise ContentError([Problem(shown, None, "", f"无法读取文件：{exc}")]) from None


def _check_sizes(parts: list[zipfile.ZipInfo], shown: str) -> None:
    """Refuse a zip bomb by what its parts declare, before unpacking any."""
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        largest = max(parts, key=lambda part: part.file_size)
        raise ContentError([Problem(shown, None, "", "工作簿解压后过大，可能是“压缩炸弹”，未读取",
                                    f"解压后合计不超过 {_size(MAX_UNPACKED_BYTES)}",
                                    f"解压后 {_size(total)}，其中 {visible(largest.filename)} 为 {_size(largest.file_size)}")])
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise ContentError([Problem(shown, None, "", f"工作簿中 {visible(part.filename)} 的压缩比异常，可能是“压缩炸弹”，未读取",
                                        f"压缩比不超过 {MAX_RATIO} 倍",
                                        f"{ratio} 倍（{_size(part.compress_size)} 解压为 {_size(part.file_size)}）")])


def _check_names(names: list[str], shown: str) -> None:
    bad = [name for name in names if CONTROL.search(name)]
    if bad:
        raise ContentError([Problem(shown, None, "", "工作表名称中有控制字符（不可见的字符，会混入网页和终端）",
                                    "不含控制字符的名称", "、".join(visible(name) for name in bad))])


def _size(count: int) -> str:
    return f"{count / MB:,.1f} MB" if count >= MB else f"{count:,} 字节"


def visible(text: str) -> str:
    """``text`` with its control characters written as code points, shortened for a message."""
    text = CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return text if len(text) <= 60 else text[:60] + "…"


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (itself or as Excel escapes it), described; None if none."""
    if match := CONTROL.search(text):
        return f"U+{ord(match.group()):04X}（第 {match.start() + 1} 个字符）"
    for match in _ESCAPED.finditer(text):
        if CONTROL.fullmatch(chr(int(match.group(1), 16))):
            return f"U+{match.group(1).upper()}（写作 {match.group()}）"
    return None


def _read_sheets(book, shown: str) -> list[Sheet]:
    """The worksheets, while the workbook's filled cells stay within MAX_CELLS (else a located ContentError)."""
    sheets, room = [], MAX_CELLS
    for ws in book.worksheets:
        sheet, room = _read_sheet(book, ws, room)
        sheets.append(_within_bounds(sheet, room, shown))
    return sheets


def _within_bounds(sheet: Sheet, room: int, shown: str) -> Sheet:
    """The sheet, unless the workbook's filled cells ran past MAX_CELLS with it (then its fault, located)."""
    if room < 0:
        problems = Problems(shown)
        problems.at(sheet, *sheet.faults[-1])
        problems.raise_if_any()
    return sheet


def _read_sheet(book, ws, room: int) -> tuple[Sheet, int]:
    """One worksheet (openpyxl read-only) as a Sheet: its cells, merged ranges filled, formulas and faults;
    and the room left for filled cells (below zero: the sheet stopped there)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    cells = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=book.epoch,
                            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    grid = _Grid(ws.title, cells, room)
    with ws._get_source() as source:
        rows = _WithoutEmptyRows(source)
        for _, element in etree.iterparse(rows, tag=(_ROW, _MERGE), resolve_entities=False, no_network=True):
            going = grid.add_row(element) if element.tag == _ROW else grid.add_merge(element.get("ref", ""))
            element.clear(keep_tail=True)
            while element.getprevious() is not None:  # rows read are dropped from the tree too
                del element.getparent()[0]
            if not going:
                break
    return grid.sheet(), grid.room


class _WithoutEmptyRows:
    """A worksheet part's bytes (``read``) less the rows that hold nothing: no cell, or cells with a format only.

    A format given to whole rows can fill a sheet with such rows down to row 1,048,576; a regular
    expression drops them many times faster than they are parsed as XML. Rows are dropped only in a
    sheet whose first row carries its number (r="…"), so that no row after them is renumbered; rows
    written some other way (spaces between cells) are left to the parser, which skips them too."""

    CHUNK = 1 << 20

    def __init__(self, source):
        self.source = source
        self.pending = b""  # read, not yet looked at: from the last ">" on, a row may go on there
        self.out, self.given = b"", 0  # looked at, and how much of it was given
        self.empty: re.Pattern | None | bool = None  # the empty rows' pattern, once the first row is seen

    def read(self, size: int = -1) -> bytes:
        while self.given == len(self.out):
            data = self.source.read(self.CHUNK)
            if not data:
                self.out, self.given, self.pending = self.pending, 0, b""
                break
            data = self.pending + data
            cut = data.rfind(b">") + 1
            head, self.pending = data[:cut], data[cut:]
            if self.empty is None:
                self.empty = _empty_rows(head)
            self.out, self.given = self.empty.sub(b"", head) if self.empty else head, 0
        end = len(self.out) if size is None or size < 0 else self.given + size
        chunk = self.out[self.given:end]
        self.given += len(chunk)
        return chunk


def _empty_rows(head: bytes) -> re.Pattern | None | bool:
    """The pattern of a row holding nothing, with the sheet's prefix (``<x:row``); None before the first row
    is seen, False when it has no number."""
    first = _FIRST_ROW.search(head)
    if first is None:
        return None
    if not re.search(rb"\sr=[\"']", first.group(0)):
        return False
    p = re.escape(first.group(1))
    return re.compile(b"<" + p + b"row [^>]*(?:/>|>(?:<" + p + b"c [^>]*(?:/>|></" + p + b"c>))*</" + p + b"row>)")


def beyond_bounds(row: int, first: int, widest: int, room: int) -> Fault | None:
    """Why row ``row`` (1-based), filled from column ``first`` to ``widest`` (1-based), with ``room`` left for filled
    cells after it, is beyond the bounds (located at its first cell out of them); None if it is within them."""
    if row > MAX_ROWS:
        return Fault(row - 1, first - 1, f"工作表的内容超出第 {MAX_ROWS:,} 行（部门决算各表不过数百行），其后各行不再读取",
                     f"内容在前 {MAX_ROWS:,} 行以内", f"第 {row:,} 行有内容")
    if room < 0:
        return Fault(row - 1, first - 1, f"工作簿中有内容的单元格超过 {MAX_CELLS:,} 个（部门决算各表合计不过数万个），其后不再读取",
                     f"不超过 {MAX_CELLS:,} 个", "读到此处已超过")
    if widest > MAX_COLUMNS:
        return Fault(row - 1, widest - 1, f"工作表的内容超出 {column_letter(MAX_COLUMNS)} 列（第 {MAX_COLUMNS} 列），其后不再读取",
                     f"内容在 A–{column_letter(MAX_COLUMNS)} 列以内", f"{column_letter(widest)} 列有内容")
    return None


class _Grid:
    """A sheet's filled cells as they are read, row by row, within MAX_ROWS × MAX_COLUMNS."""

    def __init__(self, name: str, cells, room: int):
        self.name, self.cells = name, cells  # cells: openpyxl's WorkSheetParser, for its parse_cell
        self.room = room  # for filled cells, in the workbook
        self.values: list[list[object]] = []
        self.formulas: list[tuple[int, int]] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.faults: list[Fault] = []
        self.complete = True
        self.row = 0

    def add_row(self, element) -> bool:
        """Keep a row's filled cells; False when the sheet goes beyond the bounds (a fault recorded)."""
        ref = element.get("r")
        number = int(ref) if ref is not None else self.row + 1
        if number < 1:
            raise ValueError(f"row {ref}")
        self.row = number
        return self.add_filled(number, self._filled(element))

    def add_filled(self, number: int, filled: list[tuple[int, object, bool]]) -> bool:
        """Keep row ``number``'s filled cells, (column, value, formula without a saved result) by column; False
        when the sheet goes beyond the bounds (a fault recorded)."""
        self.row = number
        if not filled:
            return True
        widest = filled[-1][0]
        if self.row <= MAX_ROWS:
            self.room -= len(filled)
        if fault := beyond_bounds(self.row, filled[0][0], widest, self.room):
            self.faults.append(fault)
            self.complete = False
            return False
        while len(self.values) < self.row:
            self.values.append([])
        values = self.values[self.row - 1]
        if len(values) < widest:
            values.extend([None] * (widest - len(values)))
        for column, value, formula in filled:
            values[column - 1] = value
            if formula:
                self.formulas.append((self.row - 1, column - 1))
            if isinstance(value, str) and (found := control_character(value)):
                self.faults.append(Fault(self.row - 1, column - 1, "单元格中有控制字符（不可见的字符，会混入网页和图表）",
                                         "不含控制字符的文字", found))
        return True

    def _filled(self, element) -> list[tuple[int, object, bool]]:
        """(column, value, formula without a saved result) of the row's cells holding something, by column.

        A cell with no child holds nothing (only a format): it is skipped without being parsed."""
        cells, found, column, skipped = self.cells, [], 0, None
        for cell in element:
            ref = cell.get("r")
            if ref is None and skipped is not None:  # placed after a skipped cell: where was that?
                column, skipped = _column_of(skipped), None
            if len(cell) == 0:
                if ref is None:
                    column += 1
                else:
                    skipped = ref
                continue
            skipped = None
            cells.row_counter, cells.col_counter = self.row, column  # where openpyxl places a cell without "r"
            parsed = cells.parse_cell(cell)
            column = parsed["column"]
            formula = parsed["value"] is None and cell.find(_FORMULA) is not None
            if parsed["value"] is not None or formula:
                found.append((column, parsed["value"], formula))
        return sorted(found, key=lambda item: item[0])

    def add_merge(self, ref: str) -> bool:
        corners = [_REF.fullmatch(part) for part in ref.split(":")]
        if not 1 <= len(corners) <= 2 or not all(corners):
            raise ValueError(f"merged range {ref!r}")
        (c1, r1), (c2, r2) = [(_number(m.group(1)), int(m.group(2))) for m in (corners[0], corners[-1])]
        if min(r1, r2) < 1:
            raise ValueError(f"merged range {ref!r}")
        self.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        return True

    def sheet(self) -> Sheet:
        sheet = Sheet(self.name, self.values, faults=self.faults, complete=self.complete)
        self._fill_merges(sheet)
        sheet.formulas = {(r, c) for r, c in self.formulas if sheet.value(r, c) is None}
        return sheet

    def _fill_merges(self, sheet: Sheet) -> None:
        """Each merged range's covered cells get its first cell's value, within the cells read (beyond
        them a copy is never needed); ranges that overlap, which Excel refuses, are a fault."""
        height, width = sheet.height, sheet.width
        area = height * width
        for r1, c1, r2, c2 in self.merges:
            first = sheet.value(r1 - 1, c1 - 1)
            for r in range(r1 - 1, min(r2, height)):
                row = sheet.values[r]
                last = min(c2, width)
                if len(row) < last:
                    row.extend([None] * (last - len(row)))
                for c in range(c1 - 1, last):
                    if (r, c) != (r1 - 1, c1 - 1):
                        row[c] = first
                        sheet.covered.add((r, c))
                area -= max(0, last - c1 + 1)
            if area < 0:
                sheet.faults.append(Fault(r1 - 1, c1 - 1, "合并单元格相互重叠", "不重叠的合并单元格",
                                          f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2} 等"))
                sheet.complete = False
                return


def _column_of(ref: str) -> int:
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(f"cell {ref!r}")
    return _number(match.group(1))


def _number(letters: str) -> int:
    """A column's number: A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number
