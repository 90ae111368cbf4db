"""Laying a table out: layout (data) + computed figures → a grid of cells.

One template renders every grid, whatever the table: header rows with spans, the
栏次 row, body rows and 注 lines. Cells carry Decimal values; formatting is the
template's filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Protocol, Sequence

from markupsafe import Markup, escape

from generator.compute.figures import CodedTable, Computed, FlatTable
from generator.forms.catalogue import catalogue
from generator.forms.layouts import Cell, Codes, Groups, Rows, TableLayout, TwoSided
from generator.money import format_table_amount


@dataclass(slots=True)
class GridCell:
    """One printed cell. Built fresh for each grid; ``associate_headers`` fills ``id`` and ``headers``."""

    kind: str  # head | label | code | line | amount | blank
    text: str = ""
    value: Decimal | None = None
    colspan: int = 1
    rowspan: int = 1
    total: bool = False
    level: int = 0
    id: str = ""  # header cells: what data cells name in ``headers``
    headers: str = ""  # data cells: ids of every header cell that describes them
    # What the template writes, set by ``finish`` once the ids are known (plain fields: the template
    # reads them for every one of a document's ~2,000 cells).
    css: str = ""  # class attribute
    tag_attributes: Markup = Markup("")  # class, spans, id, headers
    printed: Markup = Markup("")  # the text, or the amount as tables print it, escaped

    @property
    def spans(self) -> Markup:
        """colspan and rowspan attributes, for overriding templates that write their own cells."""
        return Markup(self._spans())

    @property
    def attributes(self) -> Markup:
        """Spans, id and headers (``tag_attributes`` less the class)."""
        return known_safe(self.tag_attributes.removeprefix(f' class="{self.css}"'))

    def _spans(self) -> str:
        text = f' colspan="{self.colspan}"' if self.colspan > 1 else ""
        return text + f' rowspan="{self.rowspan}"' if self.rowspan > 1 else text

    def finish(self, ids_safe: bool = False, shown: dict | None = None, zeros: bool = False) -> None:
        """Fill ``css``, ``tag_attributes`` and ``printed`` from the cell's kind, spans, associations and content.

        ``ids_safe``: the ids hold no character to escape (their table's id has none). ``shown``: the printed
        form of each amount and text met so far in the document, which recur from table to table.
        """
        kind = self.kind
        key = (kind, self.total, self.level)
        self.css, text = _CLASSES.get(key) or _CLASSES.setdefault(key, _classes(*key))
        if self.colspan > 1 or self.rowspan > 1:
            text += self._spans()
        if self.id:
            text += f' id="{self.id if ids_safe else escape(self.id)}"'
        if self.headers:
            text += f' headers="{self.headers if ids_safe else escape(self.headers)}"'
        self.tag_attributes = known_safe(text)
        content = self.value if kind == "amount" else self.text
        if not content and not (zeros and content is not None and kind == "amount"):
            self.printed = _NOTHING
        elif shown is None:
            self.printed = _printed(content, zeros)
        else:
            printed = shown.get(content)
            self.printed = printed if printed is not None else shown.setdefault(content, _printed(content, zeros))

    @property
    def is_row_header(self) -> bool:
        return self.kind == "label" and bool(self.text)


def _classes(kind: str, total: bool, level: int) -> tuple[str, str]:
    css = kind + (" total" if total else "") + (f" level-{level}" if level else "")
    return css, f' class="{css}"'


def _printed(content: str | Decimal, zeros: bool = False) -> Markup:
    if isinstance(content, str):
        return escape(content)
    return known_safe(format_table_amount(content, zeros))  # digits, separators and a sign: nothing to escape


_CLASSES: dict[tuple[str, bool, int], tuple[str, str]] = {}  # (kind, total, level) → css, class attribute
_NOTHING = Markup("")
# Markup(text) for a text known to be safe: str's own constructor, without Markup's Python-level checks
# (a third of the time; two of these per cell).
known_safe = partial(str.__new__, Markup)


@dataclass
class Grid:
    layout: TableLayout
    header: list[list[GridCell]]
    body: list[list[GridCell]]
    empty: bool
    column_count: int = field(default=0)
    notes: tuple[str, ...] = ()  # the 注 lines printed under the table: the layout's, and its empty_notes if empty


def build_grid(layout: TableLayout, table: CodedTable | FlatTable, year: int, shown: dict | None = None,
               zeros: bool = False, department: str = "") -> Grid:
    """``zeros``: zero amounts and counts are printed (0.00, 0), not left blank. ``department``: the name an
    empty table's note prints."""
    header = [[_head(c) for c in row] for row in layout.header]
    if layout.column_numbers:
        header.append([_head(c) for c in layout.column_numbers])
    body = _BODY[type(layout.body)](layout.body, table, year, zeros)
    width = sum(c.colspan for c in header[0]) if header else 0
    header, body = associate_headers(layout.id, header, body, shown, zeros)
    empty = table.is_empty()
    notes = layout.notes + (tuple(note.format(department=department) for note in layout.empty_notes) if empty else ())
    return Grid(layout, header, body, empty, width, notes)


def associate_headers(table_id: str, header: list[list[GridCell]], body: list[list[GridCell]],
                      shown: dict | None = None,
                      zeros: bool = False) -> tuple[list[list[GridCell]], list[list[GridCell]]]:
    """Give header cells ids and every data cell the ids of its column and row headers.

    The printed tables have two- and three-row headers and side-by-side groups
    (公开01/04/06表), where ``scope`` alone cannot say which header a cell belongs to.
    """
    columns: dict[int, list[str]] = {}
    counts = [0] * len(header)
    for r, col, cell in place(header):
        counts[r] += 1
        if not cell.text:  # the blank 栏次 cell over a 行次 column heads nothing: a plain cell (see parts/table.html)
            continue
        cell.id = f"{table_id}-h{r}-{counts[r] - 1}"
        for c in range(col, col + cell.colspan):
            columns.setdefault(c, []).append(cell.id)
    column_ids = {c: " ".join(ids) for c, ids in columns.items()}
    for r, row in enumerate(body):
        row_header, start = "", 0
        for i, cell in enumerate(row):  # body rows span columns only, never rows
            if cell.kind == "label" and cell.text:  # is_row_header
                cell.id = row_header = f"{table_id}-r{r}-{i}"
            elif cell.kind != "blank" and (cell.text or cell.value is not None):
                if cell.colspan == 1:
                    ids = column_ids.get(start, "")
                else:
                    ids = " ".join(dict.fromkeys(h for c in range(start, start + cell.colspan)
                                                 for h in columns.get(c, ())))
                if row_header and cell.kind in ("amount", "count", "dash"):
                    ids = f"{ids} {row_header}" if ids else row_header
                cell.headers = ids
            start += cell.colspan
    ids_safe = escape(table_id) == table_id
    for rows in (header, body):
        for row in rows:
            for cell in row:
                cell.finish(ids_safe, shown, zeros)
    return header, body


class Spanning(Protocol):
    text: str
    colspan: int
    rowspan: int


def place(rows: Sequence[Sequence[Spanning]]) -> list[tuple[int, int, Spanning]]:
    """Each cell with its (row, column) position, as an HTML table lays spanning cells out.

    Only the columns that rowspans hold in the rows below are remembered, not every position taken.
    """
    placed = []
    held: dict[int, set[int]] = {}  # row → columns held by cells from the rows above
    for r, row in enumerate(rows):
        taken, col = held.pop(r, ()), 0
        for cell in row:
            while col in taken:
                col += 1
            placed.append((r, col, cell))
            if cell.rowspan > 1:
                for below in range(r + 1, r + cell.rowspan):
                    held.setdefault(below, set()).update(range(col, col + cell.colspan))
            col += cell.colspan
    return placed


def grids_of(c: Computed) -> list[Grid]:
    """Every table laid out, built once per computed department for the page, the PDF and open data."""
    if "grids" not in c.views:
        c.views["grids"] = build_grids(c)
    return c.views["grids"]


def build_grids(c: Computed) -> list[Grid]:
    shown: dict = {}  # see GridCell.finish
    zeros = c.profile.table_style.zero == "zero"
    name = c.department.name
    return [build_grid(layout, c[tid], c.department.year, shown, zeros, name) for tid, layout in c.form.tables.items()]


def _head(cell: Cell) -> GridCell:
    return GridCell("head", cell.text, colspan=cell.colspan, rowspan=cell.rowspan)


def _two_sided(body: TwoSided, table: FlatTable, year: int, zeros: bool) -> list[list[GridCell]]:
    rows = []
    for i in range(max(len(body.left), len(body.right))):
        cells = []
        for lines, columns in ((body.left, body.left_columns), (body.right, body.right_columns)):
            line = lines[i] if i < len(lines) else None
            if line is None:
                cells += [GridCell("blank")] * (body.ident_columns + len(columns))
                continue
            cells.append(GridCell("label", line.label, total=line.total))
            if body.line_numbers:
                cells.append(GridCell("line", str(line.line)))
            for col in columns:
                if line.key is None:
                    cells.append(GridCell("amount"))
                else:
                    key = line.key if col == "amount" else f"{line.key}.{col}"
                    cells.append(GridCell("amount", value=table.value(key), total=line.total))
        rows.append(cells)
    return rows


def _codes(body: Codes, table: CodedTable, year: int, zeros: bool) -> list[list[GridCell]]:
    rows = []
    for row in table.rows:
        total = row.level == 0
        first = [GridCell("label", "合计", colspan=body.code_columns + 1, total=True)] if total else [
            *_code_cells(row.code, row.level, body.code_columns), GridCell("label", row.name, level=row.level)]
        rows.append(first + [GridCell("amount", value=row.value(col), total=total, level=row.level)
                             for col in body.columns])
    if body.total == "last" and rows:
        rows.append(rows.pop(0))
    return rows


# Where each level's digits are in a 功能分类 (类 3, 款 2, 项 2) or 经济分类 (类 3, 款 2) code.
CODE_PARTS = ((0, 3), (3, 5), (5, 7))


def _code_cells(code: str, level: int, columns: int) -> list[GridCell]:
    """A code in one cell, or split by level into ``columns`` cells (类/款/项), each printing its own digits."""
    if columns == 1:
        return [GridCell("code", code, level=level)]
    return [GridCell("code", code[a:b], level=level) for a, b in CODE_PARTS[:columns]]


def _groups(body: Groups, table: FlatTable, year: int, zeros: bool) -> list[list[GridCell]]:
    rows = []
    groups = body.printed()
    height = max(len(g) for g in groups)
    names = catalogue("economic", year)
    width = body.width
    for i in range(height):
        cells = []
        for group in groups:
            if i < len(group):
                code = group[i]
                level = 1 if len(code) == 3 else 2
                amount = GridCell("dash", "——", level=level) if code in body.dashed else \
                    GridCell("amount", value=table.value(code), level=level)
                cells += [*_code_cells(code, level, body.code_columns),
                          GridCell("label", names.get(code, ""), level=level), amount]
            else:
                cells += [GridCell("blank")] * width
        rows.append(cells)
    rows += _fixed(body.footer, table, zeros)
    return rows


def _fixed(rows: tuple[tuple[Cell, ...], ...], table: FlatTable, zeros: bool) -> list[list[GridCell]]:
    return [[_fixed_cell(c, table, zeros) for c in row] for row in rows]


def _fixed_cell(c: Cell, table: FlatTable, zeros: bool) -> GridCell:
    if not c.value:
        return GridCell("label", c.text, colspan=c.colspan, total=c.total)
    if c.count:  # vehicles, sets of equipment: whole numbers
        value = table.value(c.value)
        return GridCell("count", f"{value:.0f}" if value or zeros else "", colspan=c.colspan, total=c.total)
    return GridCell("amount", value=table.value(c.value), colspan=c.colspan, total=c.total)


def _rows(body: Rows, table: FlatTable, year: int, zeros: bool) -> list[list[GridCell]]:
    return _fixed(body.rows, table, zeros)


_BODY = {TwoSided: _two_sided, Codes: _codes, Groups: _groups, Rows: _rows}
