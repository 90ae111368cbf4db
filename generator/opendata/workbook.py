"""All tables of a department as one XLSX workbook, one sheet per table, laid out like the print.

Each sheet, from the top: row 1 the title; row 2 "部门：…", the label and the unit; from row 3
the header rows with the layout's merged cells, the 栏次 row last where the layout has one;
then the body rows; then the 注 lines. The panes are frozen below the header, so the
frozen row marks where the body starts.

Amounts are numbers formatted ``#,##0.00``; a zero is an empty cell, as printed. openpyxl
writes a ``Decimal`` or ``float`` through ``"%.16g"``, which turns 573.94 into
573.9400000000001, so each amount is given as its exact printed text with the numeric cell
type: the XML holds ``<v>573.94</v>``. Codes and 行次 are text cells.

The bytes are reproducible: the workbook's created/modified times and the zip entries'
times are SOURCE_DATE_EPOCH when it is set, else the fixed 1980-01-01 00:00 UTC.
"""

from __future__ import annotations

import os
from copy import copy
import unicodedata
from datetime import datetime, timezone
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..compute import Computed
from ..grid import Grid, GridCell, place
from ..money import ZERO, round_cent

AMOUNT_FORMAT = "#,##0.00"
TITLE_ROW, META_ROW, HEADER_ROW = 1, 2, 3
FIXED_TIME = datetime(1980, 1, 1)  # UTC; the earliest time a zip entry can carry

_thin = Side(style="thin")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


def workbook_bytes(c: Computed, grids: list[Grid]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    styles: dict = {}  # one workbook's cell looks (see _table)
    for grid in grids:
        write_sheet(book.create_sheet(grid.layout.label), grid, c, styles)
    moment = _source_date()
    d = c.department
    book.properties.title = f"{d.name}{c.form.title_format.format(year=d.year)}"
    book.properties.creator = d.name
    book.properties.language = "zh-CN"
    book.properties.created = book.properties.modified = moment
    return _reproducible(_save(book), moment.timetuple()[:6])


def write_sheet(ws: Worksheet, grid: Grid, c: Computed, styles: dict) -> None:
    layout, width = grid.layout, grid.column_count
    _line(ws, TITLE_ROW, 1, width, layout.title, TITLE_FONT, "center")
    middle = (width + 1) // 2 if width >= 3 else width
    _line(ws, META_ROW, 1, max(middle - 1, 1), f"部门：{c.department.display_name}", None, "left")
    if middle < width:
        _line(ws, META_ROW, middle, middle, layout.label, None, "center")
    _line(ws, META_ROW, width, width, c.form.unit_label, None, "right")
    body_row = HEADER_ROW + len(grid.header)
    _table(ws, HEADER_ROW, grid.header, styles)
    _table(ws, body_row, grid.body, styles)
    note_row = body_row + len(grid.body)
    for i, note in enumerate(layout.notes):
        _line(ws, note_row + i, 1, width, note, None, "left", wrap=True)
    ws.freeze_panes = ws.cell(body_row, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{body_row - 1}"
    ws.page_setup.orientation = "landscape" if layout.wide else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    _column_widths(ws, grid)
    _note_heights(ws, note_row, layout.notes)


def _line(ws: Worksheet, row: int, first: int, last: int, text: str, font: Font | None, align: str,
          wrap: bool = False) -> None:
    cell = ws.cell(row, first, text or None)
    if font:
        cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _table(ws: Worksheet, top: int, rows: list[list[GridCell]], styles: dict) -> None:
    """Header or body rows of the grid, spans merged; styles are set before merging (borders).

    Setting a style through openpyxl's attributes hashes it against the workbook's style tables, which
    dominated the build; a cell whose look was seen before takes a copy of that cell's style array.
    """
    for r, col, cell in place(rows):
        target = ws.cell(top + r, col + 1)
        _value(target, cell)
        look = (cell.kind, cell.total, cell.colspan > 1, cell.level)
        if look in styles:
            target._style = copy(styles[look])
        else:
            _style(target, cell)
            styles[look] = copy(target._style)
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(start_row=top + r, start_column=col + 1,
                           end_row=top + r + cell.rowspan - 1, end_column=col + cell.colspan)


def _value(target, cell: GridCell) -> None:
    if cell.kind != "amount":
        target.value = cell.text or None  # codes and 行次 stay text
        return
    printed = round_cent(cell.value) if cell.value is not None else ZERO
    if printed != ZERO:
        target.value = f"{printed:.2f}"  # exact text of the figure ...
        target.data_type = "n"  # ... stored as a number


def _style(target, cell: GridCell) -> None:
    target.border = BORDER
    if cell.total or cell.kind == "head":
        target.font = BOLD
    if cell.kind == "amount":
        target.number_format = AMOUNT_FORMAT
        target.alignment = Alignment(horizontal="right", vertical="center")
    elif cell.kind == "head":
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif cell.kind == "label":
        target.alignment = Alignment(horizontal="center" if cell.colspan > 1 else "left", vertical="center",
                                     indent=max(cell.level - 1, 0))
    else:
        target.alignment = Alignment(horizontal="center", vertical="center")


def _text_width(text: str) -> int:
    """Display width in Excel character units: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(ws: Worksheet, grid: Grid) -> None:
    widths = [8] * grid.column_count
    for rows, cap in ((grid.header, 16), (grid.body, 40)):  # header text wraps; body text does not
        for _r, col, cell in place(rows):
            if cell.colspan == 1:
                text = f"{cell.value:,.2f}" if cell.value is not None else cell.text
                widths[col] = max(widths[col], min(_text_width(text), cap) + 2)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _note_heights(ws: Worksheet, first: int, notes: tuple[str, ...]) -> None:
    total = sum(ws.column_dimensions[get_column_letter(col)].width for col in range(1, ws.max_column + 1))
    for i, note in enumerate(notes):
        lines = -(-_text_width(note) // max(int(total), 1))
        if lines > 1:
            ws.row_dimensions[first + i].height = 15 * lines


def _source_date() -> datetime:
    """SOURCE_DATE_EPOCH or the fixed time, as naive UTC (what openpyxl expects)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc).replace(tzinfo=None) if epoch else FIXED_TIME
    return max(moment, FIXED_TIME)


def _save(book: Workbook) -> bytes:
    """Like ``Workbook.save``, which would stamp the current time as the modification time."""
    buffer = BytesIO()
    ExcelWriter(book, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    return buffer.getvalue()


def _reproducible(data: bytes, stamp: tuple) -> bytes:
    """The same zip with every entry's time and attributes fixed."""
    out = BytesIO()
    with ZipFile(BytesIO(data)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
