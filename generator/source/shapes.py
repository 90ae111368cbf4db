"""Reading YAML data against a declared shape, collecting located problems.

A shape is a dict of field name → kind, where a kind is one of the strings below,
a nested shape (dict), or ``MapOf(kind)`` for free keys (e.g. 人员 categories).
Every problem names the file, line and field, what was expected and what was found.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal

from generator.errors import Problem, show
from generator.money import UNITS, NotAnAmount, parse_amount, to_wan
from generator.source.markdown import images
from generator.source.yamlfile import Source

AMOUNT = "amount"  # money in the file's unit, converted to 万元
NUMBER = "number"  # a plain decimal (a score, a rate) — never converted
COUNT = "count"  # a whole number ≥ 0 (people, vehicles)
TEXT = "text"  # one line of plain text
MARKDOWN = "markdown"  # prose, rendered with raw HTML disabled, without images
TEXTS = "texts"  # a list of Markdown strings
FLAG = "flag"  # true / false

EXPECTED = {
    AMOUNT: "金额（数字，如 1264.66）",
    NUMBER: "数字",
    COUNT: "非负整数",
    TEXT: "文字",
    MARKDOWN: "文字（Markdown）",
    TEXTS: "文字列表（每项以“- ”开头）",
    FLAG: "true 或 false",
}

# Amounts (in 万元) and numbers are smaller than LIMIT, far above any budget, and unless zero at least SMALLEST:
# between those, no sum, ratio or rounding overflows Decimal's exponent or (see money.round_cent) its precision.
LIMIT = Decimal("1e15")
SMALLEST = Decimal("0.000001")
_LIMITS = {unit: LIMIT * factor for unit, factor in UNITS.items()}  # LIMIT in each unit
RANGE = "绝对值小于 10¹⁵（一千万亿）且不为 0 时不小于 0.000001"


def in_range(value: Decimal, unit: str = "万元") -> bool:
    """Whether ``value`` (in ``unit``) is below LIMIT in 万元 and, unless zero, at least SMALLEST; compared without
    arithmetic, which could overflow."""
    magnitude = value.copy_abs()
    return magnitude < _LIMITS[unit] and (magnitude >= SMALLEST or not magnitude)


@dataclass(frozen=True)
class MapOf:
    """Free keys (labels chosen by the author), each with the same kind of value."""

    kind: object


class Reader:
    """Reads values out of one Source, converting units and collecting problems."""

    def __init__(self, source: Source, unit: str = "万元"):
        self.source = source
        self.unit = unit
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str, expected: str | None = None, found: str | None = None) -> None:
        self.problems.append(self.source.problem(path, message, expected, found))

    # -- scalars -----------------------------------------------------------
    def amount(self, path: tuple, value: object) -> Decimal | None:
        if value is None:
            return None
        try:
            amount = parse_amount(value)
        except NotAnAmount:
            self.problem(path, "金额不是数字", EXPECTED[AMOUNT], show(value))
            return None
        if not in_range(amount, self.unit):
            self.problem(path, "金额超出范围", f"{RANGE}的金额（按万元计）", show(value))
            return None
        return to_wan(amount, self.unit)

    def number(self, path: tuple, value: object) -> Decimal | None:
        if value is None:
            return None
        try:
            number = parse_amount(value)
        except NotAnAmount:
            self.problem(path, "不是数字", EXPECTED[NUMBER], show(value))
            return None
        if not in_range(number):
            self.problem(path, "数值超出范围", f"{RANGE}的数", show(value))
            return None
        return number

    def count(self, path: tuple, value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(path, "应为人数、个数等非负整数", EXPECTED[COUNT], show(value))
            return None
        return value

    def flag(self, path: tuple, value: object) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(path, "应为 true 或 false", EXPECTED[FLAG], show(value))
            return None
        return value

    def text(self, path: tuple, value: object, required: bool = False) -> str:
        if value is None:
            if required:
                self.problem(path, "缺少必填内容", EXPECTED[TEXT], "空值")
            return ""
        if isinstance(value, (dict, list, bool)):
            self.problem(path, "应为文字", EXPECTED[TEXT], show(value))
            return ""
        return str(value).strip()

    def texts(self, path: tuple, value: object) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "应为列表", EXPECTED[TEXTS], show(value))
            return []
        return [self.markdown(path + (i,), item, required=True) for i, item in enumerate(value)]

    def markdown(self, path: tuple, value: object, required: bool = False) -> str:
        """Prose: text, which may not hold images (the page would fetch them from anywhere, the PDF not at all)."""
        text = self.text(path, value, required)
        for address in images(text):
            self.problem(path, "Markdown 文字中不支持插入图片，请改用文字描述图片的内容", "不含图片（![说明](地址)）的文字",
                         show(f"![…]({address})"))
        return text

    # -- structure ---------------------------------------------------------
    def mapping(self, path: tuple, value: object, what: str = "一组字段") -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"应为{what}（“键: 值”的形式）", what, show(value))
            return {}
        return value

    def unknown_keys(self, path: tuple, data: dict, allowed) -> None:
        for key in data:
            if key not in allowed:
                self.problem(path + (key,), f"未知字段 {key}{suggestion(key, allowed)}", one_of(allowed), str(key))

    def shaped(self, path: tuple, value: object, shape: dict, required: tuple = ()) -> dict:
        """Read a mapping against ``shape``; returns the converted values (absent → None)."""
        data = self.mapping(path, value)
        self.unknown_keys(path, data, shape)
        result = {}
        for key, kind in shape.items():
            if key in required and data.get(key) is None:
                self.problem(path + (key,), "缺少必填字段", EXPECTED.get(kind, "一组字段") if isinstance(kind, str) else "一组字段", "无")
            result[key] = self.read(path + (key,), data.get(key), kind)
        return result

    def read(self, path: tuple, value: object, kind) -> object:
        if kind is None:  # read elsewhere by the caller
            return None
        if isinstance(kind, dict):
            return self.shaped(path, value, kind)
        if isinstance(kind, MapOf):
            data = self.mapping(path, value)
            for key in [k for k, v in data.items() if v is None]:  # a label the author named must say its figure
                self.problem(path + (key,), "此项没有填写内容", EXPECTED.get(kind.kind, "一组字段")
                             if isinstance(kind.kind, str) else "一组字段", "空值")
            return {str(k): self.read(path + (k,), v, kind.kind) for k, v in data.items() if v is not None}
        reader = {AMOUNT: self.amount, NUMBER: self.number, COUNT: self.count,
                  TEXT: self.text, MARKDOWN: self.markdown, TEXTS: self.texts, FLAG: self.flag}[kind]
        return reader(path, value)


def flatten(values: dict, prefix: str = "") -> dict[str, object]:
    """``{"budget": {"abroad": 1}}`` → ``{"budget.abroad": 1}``, dropping absent values."""
    flat: dict[str, object] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif value is not None:
            flat[name] = value
    return flat


def kind_of(value: object) -> str:
    """What a found value is, without quoting it (for a file that may not be the author's, e.g. a symlink's target)."""
    if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
        return show(value)
    return "一个数" if isinstance(value, (int, Decimal)) else "一段文字"


def suggestion(value: object, allowed) -> str:
    """``，是否应为 x？`` for the allowed value closest to a misspelt one, else nothing."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f"，是否应为 {close[0]}？" if close else ""


def one_of(allowed) -> str:
    return "以下之一：" + "、".join(str(a) for a in allowed)
