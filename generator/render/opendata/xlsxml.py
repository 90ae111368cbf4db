"""A small SpreadsheetML (XLSX) writer: just what the published workbook uses.

Cells are inline texts, numbers given as their exact text, or empty cells that only carry a
format. A cell format (``Look``) is a font (bold, size), thin borders, a built-in number
format and an alignment. Sheets have column widths, row heights, merged ranges, panes frozen
above a row, print title rows, the page orientation on A4, and fitting to the page's width.

The package is a zip of hand-built XML parts, elements in the order the schema requires. The
zip entries carry a fixed time and attributes, so the same workbook gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
A4 = 9  # paperSize
NO_SIDES = (False, False, False, False)  # left, right, top, bottom
ALL_SIDES = (True, True, True, True)
COMPRESSION = 1  # deflate level; 6 makes the workbook a tenth smaller but takes half as long again

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # what text() must change
_NOT_IN_SHEET_NAMES = re.compile(r"[\\/*?:\[\]]")


def text(value: str) -> str:
    """``value`` as XML character data, less the characters XML 1.0 cannot hold."""
    return escape(_ILLEGAL.sub("", value)) if _SPECIAL.search(value) else value


def attribute(value: str) -> str:
    return escape(_ILLEGAL.sub("", value), {'"': "&quot;"})


@cache
def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Look:
    """A cell format."""
    bold: bool = False
    size: int | None = None  # points; None keeps the default font's size
    sides: tuple[bool, bool, bool, bool] = NO_SIDES  # thin lines: left, right, top, bottom
    number_format: int = 0  # a built-in format id: 4 is #,##0.00
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    indent: int = 0


class Styles:
    """The workbook's cell formats, numbered as first asked for; format 0 is the default."""

    def __init__(self) -> None:
        self._looks: dict[Look, int] = {Look(): 0}
        self._fonts: dict[tuple[bool, int | None], int] = {(False, None): 0}
        self._borders: dict[tuple[bool, ...], int] = {NO_SIDES: 0}

    def index(self, look: Look) -> int:
        number = self._looks.get(look)
        if number is None:
            self._fonts.setdefault((look.bold, look.size), len(self._fonts))
            self._borders.setdefault(look.sides, len(self._borders))
            number = self._looks[look] = len(self._looks)
        return number

    def xml(self) -> str:
        fonts = "".join(_font(bold, size) for bold, size in self._fonts)
        borders = "".join(_border(sides) for sides in self._borders)
        xfs = "".join(self._xf(look) for look in self._looks)
        return (f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
                f'<fonts count="{len(self._fonts)}">{fonts}</fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                f'<borders count="{len(self._borders)}">{borders}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self._looks)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")

    def _xf(self, look: Look) -> str:
        font, border = self._fonts[look.bold, look.size], self._borders[look.sides]
        applied = "".join(f' {name}="1"' for name, used in (
            ("applyNumberFormat", look.number_format), ("applyFont", font), ("applyBorder", border),
            ("applyAlignment", look.horizontal or look.vertical or look.wrap or look.indent)) if used)
        head = f'<xf numFmtId="{look.number_format}" fontId="{font}" fillId="0" borderId="{border}" xfId="0"{applied}'
        alignment = "".join(f' {name}="{value}"' for name, value in (
            ("horizontal", look.horizontal), ("vertical", look.vertical), ("wrapText", "1" if look.wrap else None),
            ("indent", look.indent or None)) if value)
        return f"{head}><alignment{alignment}/></xf>" if alignment else f"{head}/>"


def _font(bold: bool, size: int | None) -> str:
    if not bold and size is None:
        return '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    return "<font>" + ('<b val="1"/>' if bold else "") + (f'<sz val="{size}"/>' if size else "") + "</font>"


def _border(sides: tuple[bool, ...]) -> str:
    return "<border>" + "".join(f'<{name} style="thin"/>' if on else f"<{name}/>" for name, on in
                                zip(("left", "right", "top", "bottom"), sides)) + "<diagonal/></border>"


class Book:
    """A workbook being written: its sheets, and the cell formats and texts they share."""

    def __init__(self) -> None:
        self.styles = Styles()
        self.texts = _InlineTexts()  # the same text recurs from sheet to sheet
        self.sheets: list[Sheet] = []
        self._edges: dict[tuple[bool, ...], int] = {}  # sides → format of a merged range's edge cell

    def sheet(self, name: str) -> Sheet:
        if not name or _NOT_IN_SHEET_NAMES.search(name):
            raise ValueError(f"not a sheet name Excel accepts: {name!r}")
        self.sheets.append(Sheet(name, self))
        return self.sheets[-1]

    def style(self, look: Look) -> int:
        return self.styles.index(look)

    def edge_style(self, sides: tuple[bool, ...]) -> int:
        if sides not in self._edges:
            self._edges[sides] = self.style(Look(sides=sides))
        return self._edges[sides]


class _InlineTexts(dict):
    """text → its inline string element, each escaped once."""

    def __missing__(self, value: str) -> str:
        space = ' xml:space="preserve"' if value != value.strip() else ""
        element = self[value] = f"<is><t{space}>{text(value)}</t></is>"
        return element


class Sheet:
    """One worksheet, rows and columns counted from 1. Set each cell once."""

    def __init__(self, name: str, book: Book) -> None:
        self.name = name
        self.widths: list[int] = []  # column 1 first
        self.heights: dict[int, int] = {}  # row → points
        self.frozen_row: int | None = None  # the first row below the frozen panes
        self.print_rows: tuple[int, int] | None = None  # repeated at the top of each printed page
        self.landscape = False
        self.fit_width = False  # printed one page wide, as many pages down as needed
        self._book, self._texts = book, book.texts
        self._rows: dict[int, dict[int, str]] = {}  # row → column → the cell's XML
        self._merged: list[str] = []

    def style(self, look: Look) -> int:
        return self._book.style(look)

    def string(self, row: int, column: int, value: str, style: int) -> None:
        """A text cell; an empty text gives an empty cell."""
        if not value:
            return self.empty(row, column, style)
        self._rows.setdefault(row, {})[column] = \
            f'<c r="{column_letter(column)}{row}" s="{style}" t="inlineStr">{self._texts[value]}</c>'

    def number(self, row: int, column: int, value: str, style: int) -> None:
        """A numeric cell holding exactly ``value``, a decimal number's text."""
        self._rows.setdefault(row, {})[column] = f'<c r="{column_letter(column)}{row}" s="{style}"><v>{value}</v></c>'

    def empty(self, row: int, column: int, style: int) -> None:
        self._rows.setdefault(row, {})[column] = f'<c r="{column_letter(column)}{row}" s="{style}"/>'

    def merge(self, top: int, left: int, bottom: int, right: int, framed: bool = False) -> None:
        """Merge a range whose first cell is set. A framed range has thin lines round it: Excel draws a
        merged range's border from the cells along its edges, so those get the sides they lie on."""
        self._merged.append(f"{column_letter(left)}{top}:{column_letter(right)}{bottom}")
        if not framed:
            return
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                sides = (column == left, column == right, row == top, row == bottom)
                if (row, column) != (top, left) and any(sides):
                    self.empty(row, column, self._book.edge_style(sides))

    def xml(self) -> str:
        rows = []
        for r in sorted(self._rows):
            cells = self._rows[r]
            height = f' ht="{self.heights[r]}" customHeight="1"' if r in self.heights else ""
            rows.append(f'<row r="{r}"{height}>{"".join(map(cells.__getitem__, sorted(cells)))}</row>')
        last_row = max(self._rows, default=1)
        last_column = max((max(cells) for cells in self._rows.values()), default=1)
        columns = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                          for c, w in enumerate(self.widths, start=1))
        merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in self._merged)
        orientation = "landscape" if self.landscape else "portrait"
        fit = ' fitToWidth="1" fitToHeight="0"' if self.fit_width else ""
        return (f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
                + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.fit_width else "")
                + f'<dimension ref="A1:{column_letter(last_column)}{last_row}"/>'
                f"<sheetViews>{self._view()}</sheetViews>"
                '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
                + (f"<cols>{columns}</cols>" if columns else "")
                + f'<sheetData>{"".join(rows)}</sheetData>'
                + (f'<mergeCells count="{len(self._merged)}">{merged}</mergeCells>' if merged else "")
                + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                f'<pageSetup paperSize="{A4}"{fit} orientation="{orientation}"/></worksheet>')

    def _view(self) -> str:
        if not self.frozen_row or self.frozen_row <= 1:
            return '<sheetView workbookViewId="0"/>'
        return (f'<sheetView workbookViewId="0"><pane ySplit="{self.frozen_row - 1}" topLeftCell="A{self.frozen_row}" '
                'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
                "</sheetView>")


@dataclass(frozen=True)
class Properties:
    title: str
    creator: str
    language: str
    moment: datetime  # created and modified, naive UTC
    subject: str = ""
    company: str = ""


def package(book: Book, properties: Properties) -> bytes:
    """The .xlsx file; every zip entry is dated ``properties.moment``."""
    sheets = book.sheets
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _relationships([
            ("officeDocument", DOC_RELS, "xl/workbook.xml"),
            ("metadata/core-properties", PACKAGE_RELS, "docProps/core.xml"),
            ("extended-properties", DOC_RELS, "docProps/app.xml")]),
        "docProps/core.xml": _core(properties),
        "docProps/app.xml": _app(properties),
        "xl/workbook.xml": _workbook(sheets),
        "xl/_rels/workbook.xml.rels": _relationships(
            [("worksheet", DOC_RELS, f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
            + [("styles", DOC_RELS, "styles.xml")]),
        "xl/styles.xml": book.styles.xml(),
        **{f"xl/worksheets/sheet{n}.xml": sheet.xml() for n, sheet in enumerate(sheets, start=1)},
    }
    stamp = properties.moment.timetuple()[:6]
    out = BytesIO()
    with ZipFile(out, "w", ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            entry = ZipInfo(name, date_time=stamp)
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, xml.encode("utf-8"), compresslevel=COMPRESSION)
    return out.getvalue()


def _content_types(sheet_count: int) -> str:
    overrides = [("/xl/workbook.xml", f"{OFFICE}.spreadsheetml.sheet.main+xml"),
                 ("/xl/styles.xml", f"{OFFICE}.spreadsheetml.styles+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", f"{OFFICE}.extended-properties+xml")]
    overrides += [(f"/xl/worksheets/sheet{n}.xml", f"{OFFICE}.spreadsheetml.worksheet+xml")
                  for n in range(1, sheet_count + 1)]
    return (f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{content}"/>' for part, content in overrides)
            + "</Types>")


def _relationships(targets: list[tuple[str, str, str]]) -> str:
    """(type, the namespace it is under, target) → a relationships part, ids rId1, rId2, … in order."""
    items = "".join(f'<Relationship Id="rId{n}" Type="{ns}/{kind}" Target="{target}"/>'
                    for n, (kind, ns, target) in enumerate(targets, start=1))
    return f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{items}</Relationships>'


def _app(p: Properties) -> str:
    company = f"<Company>{text(p.company)}</Company>" if p.company else ""
    return (f'{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Application>juesuan</Application>{company}</Properties>')


def _core(p: Properties) -> str:
    moment = p.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"{DECLARATION}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text(p.title)}</dc:title>"
            + (f"<dc:subject>{text(p.subject)}</dc:subject>" if p.subject else "")
            + f"<dc:creator>{text(p.creator)}</dc:creator>"
            f"<dc:language>{text(p.language)}</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
            "</cp:coreProperties>")


def _workbook(sheets: list[Sheet]) -> str:
    entries = "".join(f'<sheet name="{attribute(s.name)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, s in enumerate(sheets, start=1))
    titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
                     f"{text(_quoted(s.name))}!${s.print_rows[0]}:${s.print_rows[1]}</definedName>"
                     for n, s in enumerate(sheets) if s.print_rows)
    return (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{entries}</sheets>"
            + (f"<definedNames>{titles}</definedNames>" if titles else "")
            + "</workbook>")


def _quoted(sheet_name: str) -> str:
    """A sheet name as a formula refers to it."""
    return "'" + sheet_name.replace("'", "''") + "'"
