"""All tables of a department as one XLSX workbook, one sheet per table, laid out like the print.

Each sheet, from the top: row 1 the title; row 2 "部门：…", the label and the unit; from row 3
the header rows with the layout's merged cells, the 栏次 row last where the layout has one;
then the body rows; then the 注 lines. The panes are frozen below the header, so the
frozen row marks where the body starts. Printed (A4), the header rows repeat on every page and the
table is fitted to the page's width, as many pages down as it needs.

Amounts are numbers formatted ``#,##0.00``; a zero is an empty cell, as printed, that keeps
its borders. Each amount is written as its exact printed text with the numeric cell type: the
XML holds ``<v>573.94</v>``, never a float's digits. Codes and 行次 are text cells.

Each column is as wide as its widest single-column cell (wide characters counting twice, an
amount with its thousands separators) plus 2, at least 8; header text, which wraps, counts up
to 16 characters, body text up to 40. A 注 line that wraps across the sheet gets a taller row.

The XML is written directly (``xlsxml``), not through openpyxl, whose cell and style objects
cost more than the rest of a department's build, nor XlsxWriter, which makes the open-data
stage about twice as slow (bench/xlsx.py, bench/REPORT.md); openpyxl, pandas and python-calamine
read it back.

The document properties name the disclosure (title), the department (author), the site's
jurisdiction (company, when site.yaml gives one) and the build (created, modified and the zip
entries' times): SOURCE_DATE_EPOCH when it is set, so the same input gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from decimal import Decimal

from generator.buildtime import build_time
from generator.compute.figures import Computed
from generator.content.siteconfig import SiteInfo
from generator.money import round_cent
from generator.render.grid import Grid, GridCell, place
from generator.render.opendata.xlsxml import (
    ALL_SIDES,
    Book,
    Look,
    Properties,
    Sheet,
    package,
)

AMOUNT_FORMAT = 4  # the built-in #,##0.00
TITLE_ROW, META_ROW, HEADER_ROW = 1, 2, 3
MIN_WIDTH, HEADER_WIDTH, BODY_WIDTH = 8, 16, 40  # characters; header text wraps, body text does not
FIXED_TIME = datetime(1980, 1, 1)  # UTC; the earliest time a zip entry can carry
SUBJECT = "部门决算公开"
TITLE = Look(bold=True, size=14, horizontal="center", vertical="center")
LEFT, CENTER, RIGHT = (Look(horizontal=h, vertical="center") for h in ("left", "center", "right"))
NOTE = Look(horizontal="left", vertical="center", wrap=True)


def workbook_bytes(c: Computed, grids: list[Grid], built_at: datetime | None = None,
                   site: SiteInfo | None = None) -> bytes:
    """The workbook's bytes; ``built_at`` dates it (default: ``build_time()``), ``site`` names the publisher."""
    writer = _Writer(c)
    for grid in grids:
        writer.sheet(grid)
    d = c.department
    properties = Properties(title=f"{d.name}{c.form.title_format.format(year=d.year)}", creator=d.name,
                            language="zh-CN", moment=_utc(built_at or build_time()), subject=SUBJECT,
                            company=site.jurisdiction if site else "")
    return package(writer.book, properties)


class _Writer:
    """Writes one department's sheets into a workbook, remembering the format of each look of a
    table cell and the width of each text, which recur from sheet to sheet."""

    def __init__(self, c: Computed) -> None:
        self.c = c
        self.book = Book()
        self.formats = _Formats(self.book)
        self.text_widths = _TextWidths()

    def sheet(self, grid: Grid) -> None:
        sheet, layout, width = self.book.sheet(grid.layout.name), grid.layout, grid.column_count
        _line(sheet, TITLE_ROW, 1, width, layout.title, TITLE)
        middle = (width + 1) // 2 if width >= 3 else width
        _line(sheet, META_ROW, 1, max(middle - 1, 1), f"部门：{self.c.department.display_name}", LEFT)
        if middle < width:
            _line(sheet, META_ROW, middle, middle, layout.label, CENTER)
        _line(sheet, META_ROW, width, width, self.c.form.unit_label, RIGHT)
        body_row = HEADER_ROW + len(grid.header)
        widths = [MIN_WIDTH] * width
        self.table(sheet, HEADER_ROW, grid.header, widths, HEADER_WIDTH)
        self.table(sheet, body_row, grid.body, widths, BODY_WIDTH)
        note_row = body_row + len(grid.body)
        for i, note in enumerate(grid.notes):
            _line(sheet, note_row + i, 1, width, note, NOTE)
        sheet.frozen_row = body_row
        sheet.print_rows = (HEADER_ROW, body_row - 1)
        sheet.fit_width = True
        sheet.landscape = layout.wide
        sheet.widths = widths
        sheet.heights = _note_heights(sum(widths), note_row, grid.notes)

    def table(self, sheet: Sheet, top: int, rows: list[list[GridCell]], widths: list[int], cap: int) -> None:
        """Header or body rows of the grid, spans merged and framed; a single-column cell widens its
        column, to at most ``cap``. One pass, as this is most of the work."""
        formats, text_widths = self.formats, self.text_widths
        for r, col, cell in place(rows):
            row, column, kind = top + r, col + 1, cell.kind
            style = formats[kind, cell.total, cell.colspan > 1, cell.level]
            if kind != "amount":
                text = cell.text
                sheet.string(row, column, text, style)  # codes and 行次 stay text
            elif text := _printed(cell.value):
                sheet.number(row, column, text, style)
            else:
                sheet.empty(row, column, style)
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge(row, column, row + cell.rowspan - 1, col + cell.colspan, framed=True)
            if text and cell.colspan == 1:  # 0.00 and blanks are narrower than the least width
                width = text_widths[text] + _separators(text) if kind == "amount" else text_widths[text]
                if width + 2 > widths[col]:
                    widths[col] = min(width, cap) + 2


class _Formats(dict):
    """(kind, total, spanning columns, level) of a table cell → the workbook's format for it."""

    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book

    def __missing__(self, key: tuple) -> int:
        style = self[key] = self.book.style(_look(*key))
        return style


def _line(sheet: Sheet, row: int, first: int, last: int, text: str, look: Look) -> None:
    sheet.string(row, first, text, sheet.style(look))
    if last > first:
        sheet.merge(row, first, row, last)


def _printed(value: Decimal | None) -> str:
    """An amount's exact printed text, without separators; empty for zero, which prints blank."""
    if not value:  # None or zero
        return ""
    printed = round_cent(value)
    return str(printed) if printed else ""  # str keeps round_cent's two decimals, never an exponent


def _separators(printed: str) -> int:
    """How many thousands separators the amount shows: 1234567.89 is shown 1,234,567.89."""
    digits = len(printed) - 3 - printed.startswith("-")
    return (digits - 1) // 3


def _look(kind: str, total: bool, spanning: bool, level: int) -> Look:
    bold = total or kind == "head"
    if kind == "amount":
        return Look(bold, sides=ALL_SIDES, number_format=AMOUNT_FORMAT, horizontal="right", vertical="center")
    if kind == "head":
        return Look(bold, sides=ALL_SIDES, horizontal="center", vertical="center", wrap=True)
    if kind == "label":
        return Look(bold, sides=ALL_SIDES, horizontal="center" if spanning else "left", vertical="center",
                    indent=max(level - 1, 0))
    return Look(bold, sides=ALL_SIDES, horizontal="center", vertical="center")


def _text_width(text: str) -> int:
    """Display width in Excel character units: East Asian wide characters count twice."""
    return len(text) if text.isascii() else sum(map(_CHAR_WIDTHS.__getitem__, text))


class _CharWidths(dict):
    """character → 2 if East Asian wide, else 1 (a property of the character, kept for every workbook)."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


class _TextWidths(dict):
    """text → its ``_text_width``, each measured once."""

    def __missing__(self, text: str) -> int:
        width = self[text] = _text_width(text)
        return width


def _note_heights(total_width: int, first: int, notes: tuple[str, ...]) -> dict[int, int]:
    """Room for each 注 line that wraps across the sheet's width."""
    heights = {}
    for i, note in enumerate(notes):
        lines = -(-_text_width(note) // max(total_width, 1))
        if lines > 1:
            heights[first + i] = 15 * lines
    return heights


def _utc(moment: datetime) -> datetime:
    """``moment`` as naive UTC to the second, no earlier than a zip entry can be dated."""
    return max(moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0), FIXED_TIME)
