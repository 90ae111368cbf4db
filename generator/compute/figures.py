"""What computing a department gives: printed figures with their derivations, tables, the whole result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from generator.content.model import Department
from generator.forms.glossary import Term
from generator.forms.layouts import Form
from generator.forms.profiles import Profile
from generator.money import ZERO


@dataclass
class Figure:
    """One printed figure: the value shown, how it was derived, and what the file stated."""

    value: Decimal
    computed: Decimal | None = None  # None for a figure the author entered
    stated: Decimal | None = None
    path: tuple | None = None  # the field in the department file (where it would be stated, if it is not)


def figure(computed: Decimal, stated: Decimal | None, path: tuple | None = None) -> Figure:
    return Figure(stated if stated is not None else computed, computed, stated, path)


@dataclass
class CodedRow:
    code: str  # "合计" for the total row
    name: str
    level: int  # 0 合计, 1 类, 2 款, 3 项
    figures: dict[str, Figure]

    def value(self, column: str) -> Decimal:
        fig = self.figures.get(column)
        return fig.value if fig else ZERO


@dataclass
class CodedTable:
    """A 功能分类 table: 合计 first, then each 类 with its 款 and 项 in code order."""

    columns: tuple[str, ...]
    rows: list[CodedRow]
    index: dict[str, CodedRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {row.code: row for row in self.rows}

    def row(self, code: str) -> CodedRow | None:
        return self.index.get(code)

    def value(self, code: str, column: str) -> Decimal:
        row = self.index.get(code)
        return row.value(column) if row else ZERO

    @property
    def total(self) -> CodedRow:
        return self.index["合计"]

    def items(self) -> list[CodedRow]:
        return [row for row in self.rows if row.level == 3]

    def is_empty(self) -> bool:
        return all(f.value == ZERO for row in self.rows for f in row.figures.values())


@dataclass
class FlatTable:
    """A table of named figures (公开01/04/06/09表)."""

    figures: dict[str, Figure]

    def value(self, key: str) -> Decimal:
        fig = self.figures.get(key)
        return fig.value if fig else ZERO

    def is_empty(self) -> bool:
        return all(f.value == ZERO for f in self.figures.values())


@dataclass
class Computed:
    """Every table of one department, ready to lay out and to describe, with the profile it was computed for.

    ``views`` holds what later stages derive from it once and share (the laid-out tables: see
    ``render.grid.grids_of``); ``slim()`` drops them.
    """

    department: Department  # what the author wrote, unchanged
    profile: Profile  # the province profile in force (see ``Settings.profile_for``)
    form: Form
    tables: dict[str, CodedTable | FlatTable]
    narrative: dict = field(default_factory=dict)  # the 情况说明 figures (see ``narrative.describe``)
    glossary: tuple[Term, ...] = ()  # the 名词解释 as printed: the profile's default terms, then the file's own
    views: dict = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, table_id: str):
        return self.tables[table_id]

    def slim(self) -> "Computed":
        """The figures without the views rendering keeps on them (grids: thousands of cells), for a memo of last
        year's figures: the previous-year rules read only tables, narrative and the department."""
        return replace(self, views={})
