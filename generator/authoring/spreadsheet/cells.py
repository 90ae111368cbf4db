"""A workbook's cells: the Sheet grid (merged ranges filled), exact amounts, codes as text, located problems.

openpyxl gives a numeric cell as ``int`` or ``float``. A float's ``repr`` is the shortest text
that reads back as the same double, so ``Decimal(repr(7987.94))`` is exactly ``7987.94``
whatever digits the file stored (``7987.94`` or Excel's ``7987.9399999999996``). Excel keeps
15 significant digits, so a float with more (a formula result such as ``1581.3500000000001``)
is first rounded to 15 significant digits, as Excel shows it. What remains must have at most
two decimals in the sheet's unit; anything finer is reported, never rounded away.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Context, Decimal, InvalidOperation
from functools import cached_property
from typing import NamedTuple

from generator.errors import ContentError, Problem, show
from generator.money import CENT, NotAnAmount, parse_amount

EXCEL_DIGITS = Context(prec=15)
BLANK_MARKS = {"", "-", "--", "—", "——", "/"}  # printed for "nothing here"
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”\"‘’'「」")


def column_letter(number: int) -> str:
    """A spreadsheet column's letters: 1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def norm(value: object) -> str:
    """Text as compared with the layout: NFKC, no spaces or line breaks, no quote marks."""
    if value is None:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", plain_text(value))).translate(_QUOTES)


def plain_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", other numbers by their shortest repr."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class NotExact(ValueError):
    """An amount with more than two decimals."""


def exact_amount(value: object) -> Decimal | None:
    """The amount in a cell, exactly; None for a blank. Raises NotAnAmount or NotExact."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        raise NotAnAmount(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # openpyxl gives numeric cells as floats; NaN/inf are not amounts
            raise NotAnAmount(value)
        amount = Decimal(repr(value))
        if len(amount.as_tuple().digits) > 15:
            amount = EXCEL_DIGITS.plus(amount)
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value))).replace("\u2212", "-")
        if text in BLANK_MARKS:
            return None
        amount = parse_amount(text)
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - absurdly large numbers
        raise NotAnAmount(value) from exc
    if cents != amount:
        raise NotExact(value)
    return cents


def code_text(value: object) -> str:
    """A code or 行次 as text, whether the cell holds 2080101, 2080101.0 or " 2080101 "."""
    if isinstance(value, bool):
        return str(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", plain_text(value)))


class Fault(NamedTuple):
    """Something wrong found in reading a sheet, reported if the sheet is one of the tables."""

    row: int | None
    col: int | None
    message: str
    expected: str
    found: str


@dataclass
class Sheet:
    """One worksheet as a grid of values (0-based), merged ranges filled with their first cell's value."""

    name: str
    values: list[list[object]]
    covered: set[tuple[int, int]] = field(default_factory=set)  # inside a merged range, not its first cell
    formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas without a saved result
    faults: list[Fault] = field(default_factory=list)
    complete: bool = True  # False: reading stopped at a fault (beyond the bounds), the rest is not here

    @property
    def height(self) -> int:
        return len(self.values)

    @cached_property
    def width(self) -> int:  # asked for every row; the grid is complete when the Sheet is made
        return max((len(row) for row in self.values), default=0)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.values) and 0 <= col < len(self.values[row]):
            return self.values[row][col]
        return None

    def own_value(self, row: int, col: int) -> object:
        """The cell's own value: None inside a merged range (an amount is never spread over cells)."""
        return None if (row, col) in self.covered else self.value(row, col)

    def text(self, row: int, col: int) -> str:
        return norm(self.value(row, col))

    def is_blank_row(self, row: int) -> bool:
        return all(self.text(row, c) == "" for c in range(self.width))

    def first_text(self, row: int) -> str:
        return next((t for c in range(self.width) if (t := self.text(row, c))), "")

    def cell(self, row: int, col: int) -> str:
        """Excel notation of a cell with its sheet, as messages give it: 公开03表!D12."""
        return f"{sheet_ref(self.name)}!{column_letter(col + 1)}{row + 1}"


def sheet_ref(name: str) -> str:
    if re.search(r"[\s'!\-(),;]", name):
        return "'" + name.replace("'", "''") + "'"
    return name


class Problems:
    """Problems found in one workbook, each located as “book.xlsx 公开03表!D12”."""

    def __init__(self, book: str):
        self.book = book
        self.items: list[Problem] = []

    def at(self, sheet: Sheet | None, row: int | None, col: int | None, message: str,
           expected: str | None = None, found: str | None = None) -> None:
        where = self.book
        if sheet is not None:
            where += " " + (sheet.cell(row, col) if row is not None and col is not None else sheet_ref(sheet.name))
        self.items.append(Problem(where, None, "", message, expected, found))

    def amount(self, sheet: Sheet, row: int, col: int, what: str = "") -> Decimal | None:
        """The amount at a cell, or None (blank) after recording why it cannot be read.

        ``what`` names the column in the message, e.g. “基本支出”栏."""
        if (row, col) in sheet.formulas:
            self.at(sheet, row, col, f"{what}金额是没有保存计算结果的公式", "数字（在 Excel 中打开并保存后再导入，或改为数值）",
                    show(sheet.value(row, col)))
            return None
        value = sheet.own_value(row, col)
        try:
            return exact_amount(value)
        except NotExact:
            self.at(sheet, row, col, f"{what}金额最多保留两位小数", "如 1264.66", show(plain_text(value)))
        except NotAnAmount:
            self.at(sheet, row, col, f"{what}金额应为数字", "数字，如 1,264.66 或 1264.66；零可留空", show(plain_text(value)))
        return None

    def count(self, sheet: Sheet, row: int, col: int, what: str = "") -> int | None:
        """A number of things (vehicles, sets of equipment) at a cell, or None (blank) after recording
        why it cannot be read: a whole number ≥ 0 (``2``, ``2.0`` or "2"), never rounded."""
        if (row, col) in sheet.formulas:
            return self.amount(sheet, row, col, what)  # reported as a formula without its result
        value = sheet.own_value(row, col)
        try:
            number = exact_amount(value)
            whole = number is None or (number == number.to_integral_value() and number >= 0)
        except NotExact:  # more than two decimals: not whole either
            whole = False
        except NotAnAmount:
            self.at(sheet, row, col, f"{what}数量应为数字", "不小于零的整数，如 2", show(plain_text(value)))
            return None
        if not whole:
            self.at(sheet, row, col, f"{what}数量应为不小于零的整数", "如 2", show(plain_text(value)))
            return None
        return None if number is None else int(number)

    def readable(self, sheet: Sheet) -> bool:
        """Record the faults found in reading a table's sheet; whether the sheet was read to its end."""
        for fault in sheet.faults:
            self.at(sheet, *fault)
        return sheet.complete

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)
