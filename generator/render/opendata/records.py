"""A laid-out table as tidy records: one row of column names, then one row per line.

The records are read off the same grid the page prints (``grid.build_grid``), so every
figure is the one the HTML shows. Column names flatten the printed header: the texts
of the header cells above a column, top down, joined with "/" ("本年支出/基本支出").
Identifier columns (科目代码, 科目名称, 行次, 项目) keep only their innermost header text. A column of
amounts states their unit: "本年收入合计（万元）", "本年支出/基本支出（万元）"; a column that also holds
numbers of things (公开10表's 统计数: vehicles, sets of equipment; each row's label names its unit) does not.

Each body kind of the layout has its own record form:

- codes (公开02/03/05/07/08表): 科目代码, 科目名称, 级次 (合计/类/款/项), then one column
  per amount column; the 合计 row has an empty 科目代码.
- two_sided (公开01/04表): one row per printed line, 收入 side then 支出 side: 收支, 行次,
  项目, then the amount columns of both sides, named without their side; columns of the
  same name are shared (公开01表 has one 决算数 column), a column a side lacks is empty.
  Padding lines without a 项目 are left out.
- groups (公开06表): the side-by-side groups one after another, one row per 经济分类
  code (科目代码, 科目名称, 级次 类/款, 决算数), then the footer totals (人员经费合计,
  公用经费合计) with 级次 合计.
- rows (公开09表): the printed rows as they are (项目 预算数/决算数 and its columns).

Amounts are ``Decimal`` rounded to 0.01 (as printed); ``None`` marks a cell that has no
figure (not applicable), which is different from zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from generator.forms.layouts import Codes, Groups, Rows, TwoSided
from generator.money import round_cent
from generator.render.grid import Grid, GridCell, Spanning, place

SEPARATOR = "/"
AMOUNT_UNIT = "万元"  # every amount of the model is in 万元 (see generator.money), and printed so
CODE_COLUMN = "科目代码"
LEVEL_COLUMN = "级次"
SIDE_COLUMN = "收支"
LEVELS = {0: "合计", 1: "类", 2: "款", 3: "项"}

Value = str | Decimal | None


@dataclass(frozen=True)
class Records:
    columns: list[str]
    rows: list[list[Value]]


def column_paths(header: Sequence[Sequence[Spanning]]) -> list[tuple[str, ...]]:
    """For every printed column, the non-empty header texts above it, top down."""
    width = sum(cell.colspan for cell in header[0]) if header else 0
    paths: list[list[str]] = [[] for _ in range(width)]
    for _r, col, cell in place(header):
        if cell.text:
            for j in range(col, col + cell.colspan):
                paths[j].append(cell.text)
    return [tuple(p) for p in paths]


def joined(path: Sequence[str]) -> str:
    return SEPARATOR.join(path)


def in_unit(name: str) -> str:
    """An amount column's name with the unit of its amounts: 决算数（万元）."""
    return f"{name}（{AMOUNT_UNIT}）"


def innermost(path: Sequence[str]) -> str:
    return path[-1] if path else ""


def amount(cell: GridCell) -> Decimal | None:
    return None if cell.value is None else round_cent(cell.value)


def records(grid: Grid) -> Records:
    return _RECORDS[type(grid.layout.body)](grid)


def code_column(paths: Sequence[tuple[str, ...]]) -> str:
    """The name of the code column: its innermost header, or for a code printed in 类/款/项 columns the header
    over all of them ("科目编码")."""
    if len(paths) == 1:
        return innermost(paths[0])
    shared = [texts[0] for texts in zip(*paths) if len(set(texts)) == 1]
    return shared[-1] if shared else CODE_COLUMN


def _codes(grid: Grid) -> Records:
    width = grid.layout.body.code_columns
    paths = column_paths(grid.layout.header)
    name_path, amount_paths = paths[width], paths[width + 1:]
    columns = [code_column(paths[:width]), innermost(name_path), LEVEL_COLUMN,
               *(in_unit(joined(p)) for p in amount_paths)]
    rows: list[list[Value]] = []
    for cells in grid.body:
        ident = [c for c in cells if c.kind != "amount"]
        code = "".join(c.text for c in ident if c.kind == "code")  # 类/款/项 columns joined; "" for 合计
        rows.append([code, ident[-1].text, LEVELS[ident[0].level], *(amount(c) for c in cells if c.kind == "amount")])
    return Records(columns, rows)


def _side_name(paths: Sequence[tuple[str, ...]]) -> str:
    """The header text over a whole side (收入/支出), or "" when the side has none."""
    tops = {p[0] if len(p) > 1 else "" for p in paths}
    return tops.pop() if len(tops) == 1 else ""


def _two_sided(grid: Grid) -> Records:
    body: TwoSided = grid.layout.body
    paths = column_paths(grid.layout.header)
    sides = []  # (first column, side name, names of the side's columns without the side)
    start = 0
    ident = body.ident_columns
    for width in (ident + len(body.left_columns), ident + len(body.right_columns)):
        own = paths[start:start + width]
        side = _side_name(own)
        sides.append((start, side, [joined(p[1:] if side else p) for p in own]))
        start += width
    label_name = sides[0][2][0]
    line_name = sides[0][2][1] if body.line_numbers else ""
    amount_names = list(dict.fromkeys(name for _s, _n, names in sides for name in names[ident:]))
    rows: list[list[Value]] = []
    for first, side, names in sides:
        for cells in grid.body:
            label, *rest = cells[first:first + len(names)]
            if label.kind != "label" or not label.text:
                continue  # padding line, printed with its 行次 only
            line, figures = (rest[0].text, rest[1:]) if body.line_numbers else (None, rest)
            values: dict[str, Value] = {name: amount(c) for name, c in zip(names[ident:], figures)}
            rows.append([side, *([line] if body.line_numbers else []), label.text,
                         *(values.get(name) for name in amount_names)])
    line_columns = [line_name] if body.line_numbers else []
    return Records([SIDE_COLUMN, *line_columns, label_name, *map(in_unit, amount_names)], rows)


def _groups(grid: Grid) -> Records:
    body: Groups = grid.layout.body
    width = body.width  # each group is (code or 类/款, name, amount) in the grid
    paths = column_paths(grid.layout.header)
    name_path, amount_path = paths[width - 2], paths[width - 1]
    columns = [code_column(paths[:width - 2]), innermost(name_path), LEVEL_COLUMN, in_unit(joined(amount_path))]
    coded = [cells for cells in grid.body if any(c.kind == "code" for c in cells)]
    footer = [cells for cells in grid.body if not any(c.kind == "code" for c in cells)]
    rows: list[list[Value]] = []
    printed = max((len(cells) for cells in coded), default=0) // width
    for g in range(printed):
        for cells in coded:
            group = cells[width * g:width * (g + 1)]
            if group and group[0].kind == "code":
                code = "".join(c.text for c in group[:-2])
                rows.append([code, group[-2].text, LEVELS[group[0].level], amount(group[-1])])
    for cells in footer:
        label = ""
        for cell in cells:
            if cell.kind == "label" and cell.text:
                label = cell.text
            elif cell.kind == "amount":
                rows.append(["", label, LEVELS[0], amount(cell)])
    return Records(columns, rows)


def _rows(grid: Grid) -> Records:
    columns = [joined(p) for p in column_paths(grid.layout.header)]
    rows: list[list[Value]] = []
    kinds: list[set[str]] = [set() for _ in columns]  # the kinds of each column's figures and labels
    for cells in grid.body:
        row: list[Value] = [None] * len(columns)
        for _r, col, cell in place([cells]):
            row[col] = amount(cell) if cell.kind == "amount" else cell.text
            if cell.kind != "label" or cell.text:  # a count left blank is still a count
                kinds[col].add(cell.kind)
        rows.append(row)
    return Records([in_unit(name) if kinds[c] == {"amount"} else name for c, name in enumerate(columns)], rows)


_RECORDS = {Codes: _codes, TwoSided: _two_sided, Groups: _groups, Rows: _rows}
