"""The figures each chart draws, taken from the computed 情况说明 (``Computed.narrative``).

A series function returns Bars or a Pie, or None when there is nothing to draw
(last year unknown, every value zero). The arithmetic lives here, not in the drawing.
"""

from __future__ import annotations

from decimal import Decimal

from generator.compute.figures import Computed
from generator.money import ZERO, ratio_percent, round_cent
from generator.render.charts.svg import Bars, Pie, Slice


def _years(c: Computed) -> tuple[str, str]:
    year = c.department.year
    return f"{year - 1} 年", f"{year} 年"


def _change_bars(c: Computed, groups: tuple[str, ...], change) -> Bars | None:
    """Last year against this year for totals that are equal on both sides (收、支总计)."""
    if change is None or (round_cent(change.current) == ZERO and round_cent(change.previous) == ZERO):
        return None
    values = (round_cent(change.previous), round_cent(change.current))
    return Bars(tuple((label, values) for label in groups), _years(c))


def _pie(parts: list[tuple[str, Decimal]]) -> Pie:
    kept = [(label, round_cent(value)) for label, value in parts if round_cent(value) > ZERO]
    whole = sum((value for _, value in kept), ZERO)
    return Pie(tuple(Slice(label, value, ratio_percent(value, whole) or ZERO) for label, value in kept))


def totals_change(c: Computed) -> Bars | None:
    return _change_bars(c, ("收入总计", "支出总计"), c.narrative["overall"]["change"])


def fiscal_change(c: Computed) -> Bars | None:
    return _change_bars(c, ("财政拨款收入总计", "财政拨款支出总计"), c.narrative["fiscal"]["change"])


def general_budget_change(c: Computed) -> Bars | None:
    return _change_bars(c, ("一般公共预算财政拨款支出",), c.narrative["general_budget"]["change"])


def income_structure(c: Computed) -> Pie:
    return _pie([(p.label, p.amount) for p in c.narrative["income"]["parts"]])


def expenditure_structure(c: Computed) -> Pie:
    return _pie([(p.label, p.amount) for p in c.narrative["expenditure"]["parts"]])


def general_budget_structure(c: Computed) -> Pie:
    return _pie([(row.name, row.value("total")) for row in c["t05"].rows if row.level == 1])


def three_public_structure(c: Computed) -> Pie:
    t = c.narrative["three_public"]
    return _pie([("因公出国（境）费", t["abroad"]["actual"]), ("公务用车购置及运行维护费", t["vehicle"]["actual"]),
                 ("公务接待费", t["reception"]["actual"])])


def staff_structure(c: Computed) -> Pie:
    actual = c.department.overview.staff.actual
    total = sum(actual.values())
    return Pie(tuple(Slice(label, Decimal(count), ratio_percent(Decimal(count), Decimal(total)) or ZERO)
                     for label, count in actual.items() if count > 0))


SERIES = {f.__name__: f for f in (totals_change, income_structure, expenditure_structure, fiscal_change,
                                   general_budget_change, general_budget_structure, three_public_structure,
                                   staff_structure)}
