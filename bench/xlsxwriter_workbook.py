"""The published workbook written with XlsxWriter: the candidate bench/xlsx.py measures against the site's own writer
(``generator.render.opendata.workbook``), which it matches sheet for sheet. Not used by the site: it makes the
open-data stage about twice as slow (bench/REPORT.md).

Each sheet, from the top: row 1 the title; row 2 "部门：…", the label and the unit; from row 3
the header rows with the layout's merged cells, the 栏次 row last where the layout has one;
then the body rows; then the 注 lines. The panes are frozen below the header, so the
frozen row marks where the body starts; printed, the header rows repeat on every page, the
table is fitted to the page's width (as many pages down as it needs), on A4.

Amounts are numbers formatted ``#,##0.00``; a zero is an empty cell, as printed, that keeps
its borders. Each amount is given to XlsxWriter as its printed ``Decimal``, which it writes
with its own digits: the XML holds ``<v>573.94</v>``, never a float's. Codes and 行次 are text.

Each column is as wide as its widest single-column cell (wide characters counting twice, an
amount with its thousands separators) plus 2, at least 8; header text, which wraps, counts up
to 16 characters, body text up to 40. A 注 line that wraps across the sheet gets a taller row.

The document properties name the disclosure (title), the department (author), the site's
jurisdiction (company, when site.yaml gives one) and the build time (created): SOURCE_DATE_EPOCH when it is
set, so the same input gives the same bytes (XlsxWriter dates the zip entries 1980-01-01).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from decimal import Decimal
from io import BytesIO

import xlsxwriter

from generator.buildtime import build_time
from generator.compute.figures import Computed
from generator.content.siteconfig import SiteInfo
from generator.money import round_cent
from generator.render.grid import Grid, GridCell, place

AMOUNT_FORMAT = "#,##0.00"
A4 = 9  # XlsxWriter's paper index
TITLE_ROW, META_ROW, HEADER_ROW = 0, 1, 2  # 0-based, as XlsxWriter counts
MIN_WIDTH, HEADER_WIDTH, BODY_WIDTH = 8, 16, 40  # characters; header text wraps, body text does not
LINE_HEIGHT = 15  # points, one line of a 注
THIN = 1  # XlsxWriter's border index of a thin line
TITLE = {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
LEFT, CENTER, RIGHT = ({"align": a, "valign": "vcenter"} for a in ("left", "center", "right"))
NOTE = {"align": "left", "valign": "vcenter", "text_wrap": True}
_NOT_IN_SHEET_NAMES = re.compile(r"[\\/*?:\[\]]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0


def workbook_bytes(c: Computed, grids: list[Grid], built_at: datetime | None = None,
                   site: SiteInfo | None = None) -> bytes:
    """The workbook's bytes; ``built_at`` dates it (default: ``build_time()``), ``site`` names the publisher."""
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    book.set_properties(_properties(c, built_at or build_time(), site))
    writer = _Writer(c, book)
    for grid in grids:
        writer.sheet(grid)
    book.close()
    return out.getvalue()


def _properties(c: Computed, built_at: datetime, site: SiteInfo | None) -> dict:
    d = c.department
    company = site.jurisdiction if site else ""
    moment = built_at.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    return {"title": f"{d.name}{c.form.title_format.format(year=d.year)}", "subject": "部门决算公开",
            "author": d.name, "company": company, "created": moment, "comments": "由 juesuan 生成"}


class _Writer:
    """Writes one department's sheets into a workbook, remembering the format of each look of a
    table cell and the width of each text, which recur from sheet to sheet."""

    def __init__(self, c: Computed, book) -> None:
        self.c, self.book = c, book
        self.formats = _Formats(book)
        self.lines = {name: book.add_format(look) for name, look in
                      (("title", TITLE), ("left", LEFT), ("center", CENTER), ("right", RIGHT), ("note", NOTE))}
        self.text_widths = _TextWidths()

    def sheet(self, grid: Grid) -> None:
        name = grid.layout.name
        if not name or _NOT_IN_SHEET_NAMES.search(name):
            raise ValueError(f"not a sheet name Excel accepts: {name!r}")
        ws, layout, width = self.book.add_worksheet(name), grid.layout, grid.column_count
        lines = self.lines
        _line(ws, TITLE_ROW, 0, width - 1, layout.title, lines["title"])
        middle = (width + 1) // 2 if width >= 3 else width  # 1-based, as the layout counts columns
        _line(ws, META_ROW, 0, max(middle - 2, 0), f"部门：{self.c.department.display_name}", lines["left"])
        if middle < width:
            _line(ws, META_ROW, middle - 1, middle - 1, layout.label, lines["center"])
        _line(ws, META_ROW, width - 1, width - 1, self.c.form.unit_label, lines["right"])
        body_row = HEADER_ROW + len(grid.header)
        widths = [MIN_WIDTH] * width
        self.table(ws, HEADER_ROW, grid.header, widths, HEADER_WIDTH)
        self.table(ws, body_row, grid.body, widths, BODY_WIDTH)
        note_row = body_row + len(grid.body)
        for i, note in enumerate(grid.notes):
            _line(ws, note_row + i, 0, width - 1, note, lines["note"])
        for row, height in _note_heights(sum(widths), note_row, grid.notes).items():
            ws.set_row(row, height)
        for col, column_width in enumerate(widths):
            ws.set_column(col, col, column_width)
        ws.freeze_panes(body_row, 0)
        ws.repeat_rows(HEADER_ROW, body_row - 1)
        if layout.wide:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)  # one page wide, as many pages down as the rows need

    def table(self, ws, top: int, rows: list[list[GridCell]], widths: list[int], cap: int) -> None:
        """Header or body rows of the grid, spans merged and framed; a single-column cell widens its
        column, to at most ``cap``. One pass, as this is most of the work."""
        formats, text_widths = self.formats, self.text_widths
        for r, col, cell in place(rows):
            row, kind = top + r, cell.kind
            style = formats[kind, cell.total, cell.colspan > 1, cell.level]
            value: str | Decimal | None
            if kind != "amount":
                value = text = _legal(cell.text)  # codes and 行次 stay text
            else:
                text = _printed(cell.value)
                value = Decimal(text) if text else None
            if cell.colspan > 1 or cell.rowspan > 1:  # every cell of the range framed, as Excel draws its edges
                ws.merge_range(row, col, row + cell.rowspan - 1, col + cell.colspan - 1, value or "", style)
            elif isinstance(value, Decimal):
                ws.write_number(row, col, value, style)
            elif value:
                ws.write_string(row, col, value, style)
            else:
                ws.write_blank(row, col, None, style)
            if text and cell.colspan == 1:  # 0.00 and blanks are narrower than the least width
                width = text_widths[text] + _separators(text) if kind == "amount" else text_widths[text]
                if width + 2 > widths[col]:
                    widths[col] = min(width, cap) + 2


class _Formats(dict):
    """(kind, total, spanning columns, level) of a table cell → the workbook's format for it."""

    def __init__(self, book) -> None:
        super().__init__()
        self.book = book

    def __missing__(self, key: tuple) -> object:
        style = self[key] = self.book.add_format(_look(*key))
        return style


def _legal(text: str) -> str:
    """``text`` less the characters XML 1.0 cannot hold (XlsxWriter would write them as _x0001_ escapes)."""
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


def _line(ws, row: int, first: int, last: int, text: str, style) -> None:
    text = _legal(text)
    if last > first:
        ws.merge_range(row, first, row, last, text, style)
    else:
        ws.write_string(row, first, text, style)


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


def _look(kind: str, total: bool, spanning: bool, level: int) -> dict:
    look = {"bold": total or kind == "head", "border": THIN, "valign": "vcenter"}
    if kind == "amount":
        return look | {"num_format": AMOUNT_FORMAT, "align": "right"}
    if kind == "head":
        return look | {"align": "center", "text_wrap": True}
    if kind == "label":
        return look | {"align": "center" if spanning else "left", "indent": max(level - 1, 0)}
    return look | {"align": "center"}


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
    """Room for each 注 line that wraps across the sheet's width (0-based row → points)."""
    heights = {}
    for i, note in enumerate(notes):
        lines = -(-_text_width(note) // max(total_width, 1))
        if lines > 1:
            heights[first + i] = LINE_HEIGHT * lines
    return heights
