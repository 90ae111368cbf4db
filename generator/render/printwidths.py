"""Column widths of the printed tables, so that WeasyPrint can lay them out with ``table-layout: fixed``.

WeasyPrint's automatic table layout measures each cell's narrowest and widest width by
breaking its text at every opportunity — in Chinese text, at every character — before it
lays a single row out; for the example's nine tables and 绩效自评表 that was a third of
its PDF time. Here the same rule (CSS 2.1 §17.5.2.2, as browsers apply it) is worked out
from the cells' text: each column gets the widest unbreakable piece of its cells as its
minimum and its widest line as its maximum; a spanning cell widens the columns it spans
when they fall short; the table's width goes to the columns in proportion to their maxima
if they all fit, else each column gets its minimum plus a share of the rest in proportion
to how much more it could use. The widths are percentages of the table's width, written
as ``<col>`` elements that print.css uses with ``table-layout: fixed``.

Widths are in em of the table's font, estimated from the characters (a CJK character is
1 em, a Latin letter or digit 0.55 em); they are geometry, not money, so floats are fine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from generator.render.grid import GridCell, place

# The width the table has on its page, in em of its font: the page's content box (print.css
# @page sizes and margins) divided by the table's font size. Only used to decide whether all
# columns fit at their widest, so an overridden stylesheet with other margins still works.
PORTRAIT_9PT = 52.9  # A4 portrait, 168 mm, 9 pt (the nine tables)
PORTRAIT_8_5PT = 56.0  # 168 mm, 8.5 pt (绩效自评表)
LANDSCAPE_8_5PT = 89.0  # A4 landscape, 267 mm, 8.5 pt (wide tables)



@dataclass(frozen=True)
class Geometry:
    """The print layout's cell geometry, defined once: print.css writes these values (the template variable
    ``geometry``), and the column widths below are estimated from them."""

    cell_padding: str = "2.2pt 3.5pt"  # every table cell: vertical, horizontal
    level_2_indent: str = "1.2em"  # padding-left of a 款 row's name in the coded tables
    level_3_indent: str = "2.2em"  # padding-left of a 项 row's name
    # The first cell of every 绩效自评表 row, so that row-group labels (年度资金预算情况…, 产出指标…) do not
    # shrink to a character; a row's first cell is not always in column 1.
    evaluation_first_cell: str = "4.6em"


GEOMETRY = Geometry()
# The same values as widths in em of the table's font, rounded up: a cell's 3.5 pt each side and its border
# at 8.5–9 pt; the 款/项 indents beyond the usual padding.
CELL_PADDING = 0.9
LEVEL_INDENT = {2: 0.9, 3: 2.0}
EVALUATION_FIRST_CELL = float(GEOMETRY.evaluation_first_cell.removesuffix("em"))

NARROW, WIDE, THIN = 0.55, 1.0, 0.3
THIN_CHARACTERS = frozenset(".,:;'|!il ")
# A line may not start with these: the character before them cannot be left alone on a line.
CLOSING = frozenset("，。、；：？！）》」』】〕”’%％")
UNBREAKABLE = re.compile(r"[\x21-\x7e]+|\s|.")


@dataclass(frozen=True)
class Measure:
    """A cell's narrowest and widest width in em, padding included, and its spans."""

    least: float
    most: float
    colspan: int = 1
    rowspan: int = 1


def char_width(ch: str) -> float:
    if ch in THIN_CHARACTERS:
        return THIN
    return WIDE if unicodedata.east_asian_width(ch) in "WFA" else NARROW


def text_width(text: str) -> float:
    return sum(map(char_width, text))


def least_width(text: str) -> float:
    """The widest piece a line break cannot split: a Latin word or number, or one CJK character
    with the closing punctuation that must follow it onto the same line."""
    widest, previous = 0.0, 0.0
    for piece in UNBREAKABLE.findall(text):
        width = text_width(piece)
        if piece in CLOSING:
            width += previous
        widest, previous = max(widest, width), width
    return widest


def measure(lines: Iterable[str], wraps: bool, indent: float = 0.0, colspan: int = 1, rowspan: int = 1) -> Measure:
    lines = list(lines) or [""]
    most = max(map(text_width, lines))
    least = max(map(least_width, lines)) if wraps else most
    extra = CELL_PADDING + indent
    return Measure(least + extra, most + extra, colspan, rowspan)


def column_percentages(rows: Sequence[Sequence[Measure]], available: float) -> list[str]:
    """Each column's share of the table's width, in percent with two decimals."""
    placed = place(rows)
    count = max(col + cell.colspan for _r, col, cell in placed)
    least, most = [0.0] * count, [0.0] * count
    for _r, col, cell in placed:
        if cell.colspan == 1:
            least[col] = max(least[col], cell.least)
            most[col] = max(most[col], cell.most)
    for _r, col, cell in sorted((p for p in placed if p[2].colspan > 1), key=lambda p: p[2].colspan):
        span = range(col, col + cell.colspan)
        _widen(most, span, cell.most, most)
        _widen(least, span, cell.least, most)
    widths = _share(least, most, available)
    total = sum(widths)
    return [f"{100 * w / total:.2f}" for w in widths]


def _widen(widths: list[float], span: range, wanted: float, weights: list[float]) -> None:
    """Give the columns of ``span`` what a spanning cell needs beyond their sum, in proportion to ``weights``."""
    short = wanted - sum(widths[c] for c in span)
    if short <= 0:
        return
    weight = sum(weights[c] for c in span)
    for c in span:
        widths[c] += short * (weights[c] / weight if weight else 1 / len(span))


def _share(least: list[float], most: list[float], available: float) -> list[float]:
    if sum(most) <= available:
        return most  # all fit at their widest; the percentages spread the rest in proportion
    room = available - sum(least)
    give = [m - n for n, m in zip(least, most)]
    wanted = sum(give)
    if room <= 0 or not wanted:
        return least
    return [n + room * g / wanted for n, g in zip(least, give)]


def grid_percentages(header: Sequence[Sequence[GridCell]], body: Sequence[Sequence[GridCell]], wide: bool) -> list[str]:
    """Widths of one of the nine tables (or a province's further table) as laid out by ``grid``."""
    rows = [[fin_measure(c) for c in row] for row in (*header, *body)]
    return column_percentages(rows, LANDSCAPE_8_5PT if wide else PORTRAIT_9PT)


def fin_measure(c: GridCell) -> Measure:
    if c.kind == "amount":  # ``printed``: the amount as the table prints it (digits, separators, sign)
        return measure([str(c.printed)], False, 0.0, c.colspan, c.rowspan)
    indent = LEVEL_INDENT.get(c.level, 0.0) if c.kind == "label" else 0.0
    return measure([c.text], c.kind in ("head", "label"), indent, c.colspan, c.rowspan)


def evaluation_percentages(rows: Sequence[Sequence[GridCell]], wide: bool) -> list[str]:
    """Widths of a 绩效自评表 as ``evalgrid`` lays it out."""
    measured = [[evaluation_measure(c) for c in row] for row in rows]
    floor = EVALUATION_FIRST_CELL + CELL_PADDING
    for row in measured:
        first = row[0]
        row[0] = Measure(max(first.least, floor), max(first.most, floor), first.colspan, first.rowspan)
    return column_percentages(measured, LANDSCAPE_8_5PT if wide else PORTRAIT_8_5PT)


def evaluation_measure(c: GridCell) -> Measure:
    if c.kind == "amount":  # ``printed``: two decimals, as evalgrid prints it
        return measure([str(c.printed)], False, 0.0, c.colspan, c.rowspan)
    return measure(c.text.splitlines(), True, 0.0, c.colspan, c.rowspan)


def print_widths(grids, evaluation_groups) -> dict[str, list[str]]:
    """Column percentages of every table the PDF prints, by table or 自评表 id."""
    widths = {g.layout.id: grid_percentages(g.header, g.body, g.layout.wide) for g in grids}
    for group in evaluation_groups:
        for item in group.tables:
            widths[item["id"]] = evaluation_percentages(item["rows"], item["evaluation"].funds_layout == "tasks")
    return widths
