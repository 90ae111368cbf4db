"""Reads the published figures of reference 000 (咸阳市人社局 2023) out of its text.

The reference is a plain-text conversion of the published PDF: each table is a run
of tab-separated lines after its label (公开NN表) and before its 注 line. Values are
returned as the printed strings ("7,987.94", "" for a blank cell).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).parent / "data" / "reference-000.txt"
AMOUNT_COLUMNS = {"t02": 7, "t03": 6, "t05": 3, "t07": 6, "t08": 3}


def amount(text: str) -> Decimal | None:
    """A printed cell as a Decimal; None for a blank cell."""
    text = text.strip().replace(",", "")
    return Decimal(text) if text else None


@lru_cache(maxsize=None)
def table_lines(table_id: str) -> tuple[tuple[str, ...], ...]:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    label = f"公开{table_id[1:]}表"
    start = next(i for i, line in enumerate(lines) if line.strip() == label and i > 1000)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("注："):
            break
        if "\t" in line:
            rows.append(tuple(line.split("\t")))
    return tuple(rows)


def coded(table_id: str) -> dict[str, list[str]]:
    """公开02/03/05/07/08表: code (or 合计) → printed amounts, one per amount column."""
    width = AMOUNT_COLUMNS[table_id]
    result = {}
    for cells in table_lines(table_id):
        key = cells[0].strip()
        if key == "合计" or key.isdigit():
            amounts = list(cells[2:2 + width]) + [""] * width
            result[key] = [a.strip() for a in amounts[:width]]
    return result


def names(table_id: str) -> dict[str, str]:
    return {cells[0].strip(): cells[1].strip() for cells in table_lines(table_id) if cells[0].strip().isdigit()}


def two_sided(table_id: str) -> dict[int, list[str]]:
    """公开01/04表: 行次 → printed amounts on that line (left: 1 value; right: 1 or 4)."""
    result: dict[int, list[str]] = {}
    right_width = 1 if table_id == "t01" else 4
    for cells in table_lines(table_id):
        cells = list(cells) + [""] * 9
        if cells[1].strip().isdigit():
            result[int(cells[1])] = [cells[2].strip()]
        if cells[4].strip().isdigit():
            result[int(cells[4])] = [c.strip() for c in cells[5:5 + right_width]]
    return result


def two_sided_labels(table_id: str) -> dict[int, str]:
    result = {}
    for cells in table_lines(table_id):
        cells = list(cells) + [""] * 9
        if cells[1].strip().isdigit():
            result[int(cells[1])] = cells[0].strip()
        if cells[4].strip().isdigit():
            result[int(cells[4])] = cells[3].strip()
    return result


def basic_detail() -> dict[str, str]:
    """公开06表: 经济分类 code → printed amount, plus personnel / public footers."""
    result = {}
    for cells in table_lines("t06"):
        cells = list(cells) + [""] * 9
        if "人员经费合计" in cells:
            result["personnel"] = cells[2].strip()
            result["public"] = [c for c in cells if c.strip()][-1].strip()
            continue
        for g in range(3):
            code = cells[g * 3].strip()
            if code.isdigit():
                result[code] = cells[g * 3 + 2].strip()
    return result


def three_public() -> dict[str, list[str]]:
    """公开09表: 预算数 / 决算数 → eight printed amounts."""
    return {cells[0]: [c.strip() for c in (list(cells[1:]) + [""] * 8)[:8]]
            for cells in table_lines("t09") if cells[0] in ("预算数", "决算数")}
