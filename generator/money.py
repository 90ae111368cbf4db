"""Exact money: parsing, unit conversion, explicit rounding and formatting.

Every amount is a ``Decimal`` from the YAML loader to the printed page. Amounts are
kept internally in 万元 at full precision (a file in 元 is divided by 10 000, which
is exact in decimal); rounding happens only when a figure is printed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

UNITS = {"万元": Decimal(1), "元": Decimal(10000)}
_ROOMY = Context(prec=60)  # for rounding only (round_cent)

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


class NotAnAmount(ValueError):
    """Raised when a value cannot be read as an exact amount."""


def parse_amount(value: object) -> Decimal:
    """Read an amount from what the YAML loader produced (Decimal, int or text).

    Text may carry thousands separators ("7,987.94"), as pasted from a printed table.
    Booleans and anything else are refused.
    """
    if isinstance(value, bool):
        raise NotAnAmount(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotAnAmount(value)
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            try:
                return Decimal(text.replace(",", ""))
            except InvalidOperation as exc:  # pragma: no cover - regex guards this
                raise NotAnAmount(value) from exc
    raise NotAnAmount(value)


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount stated in ``unit`` to 万元, exactly."""
    return amount / UNITS[unit]


def round_cent(value: Decimal) -> Decimal:
    """Round to 0.01 (two decimals), half-up, as published tables do. With room for more digits than the default
    context's 28: a ratio of bounded inputs (see source.shapes.LIMIT) may have more before its decimal point."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_ROOMY)


def format_table_amount(value: Decimal | None, zeros: bool = False) -> str:
    """Table cell: thousands separators, two decimals; blank when absent, and for zero unless ``zeros``."""
    if value is None:
        return ""
    rounded = round_cent(value)
    if rounded == ZERO:
        return "0.00" if zeros else ""
    return f"{rounded:,.2f}"


def format_amount(value: Decimal | None, grouped: bool = False) -> str:
    """Amount inside prose: two decimals, no separators ("9192.86"), or with ``grouped`` thousands separators
    ("9,192.86", a profile's ``phrases: {amount_style: 千分位}``)."""
    return f"{round_cent(value or ZERO):,.2f}" if grouped else f"{round_cent(value or ZERO):.2f}"


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` as a percentage rounded half-up to two decimals.

    Returns None when ``whole`` is zero: the caller decides the wording.
    """
    if whole == ZERO:
        return None
    return round_cent(part * HUNDRED / whole)


def format_percent(value: Decimal | None) -> str:
    """A percentage figure with two decimals ("87.78"); zero when undefined."""
    return f"{(value if value is not None else ZERO):.2f}"


def format_plain(value: Decimal | None) -> str:
    """A score or count as written: 94, 91.27 (no forced decimals, no separators)."""
    if value is None:
        return ""
    text = f"{round_cent(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
