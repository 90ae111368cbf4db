"""What a check finds: a figure located in the document's words and in the YAML, with a severity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.money import round_cent

ERROR, WARNING, NOTICE = "错误", "警告", "提示"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2}
DEFAULT_TOLERANCE = Decimal("0.01")
TAIL_RULE = "tail-difference"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: str  # the figure in the document's words: "公开03表 第2080502行 基本支出"
    message: str
    file: str
    line: int | None
    field: str = ""
    expected: Decimal | None = None
    found: Decimal | None = None
    hint: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.found is None:
            return None
        return self.found - self.expected

    def format(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{place}: {self.severity} [{self.rule}] {self.where}：{self.message}"
        if self.expected is not None and self.found is not None:
            text += f"（应为 {plain(self.expected)}，实际为 {plain(self.found)}，相差 {plain(self.difference)}）"
        if self.hint:
            text += f" 建议：{self.hint}"
        return text

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "where": self.where, "message": self.message,
                "file": self.file, "line": self.line, "field": self.field,
                "expected": plain(self.expected), "found": plain(self.found),
                "difference": plain(self.difference), "hint": self.hint}


def plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(round_cent(value) if value == round_cent(value) else value.normalize(), "f")
