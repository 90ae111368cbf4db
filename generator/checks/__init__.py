"""`juesuan check`: rules over the computed model, each with a stable id and a severity.

A rule is a function decorated with ``@rule``; its docstring is its documentation
(the rule reference page is generated from it). Rules yield Findings that name the
figure in the document's own words and the YAML line to fix.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from ..compute import Computed
from ..money import ZERO, round_cent
from ..yamlsource import dotted

ERROR, WARNING, NOTICE = "错误", "警告", "提示"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2}
DEFAULT_TOLERANCE = Decimal("0.01")


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
            text += f"（应为 {_plain(self.expected)}，实际为 {_plain(self.found)}，相差 {_plain(self.difference)}）"
        if self.hint:
            text += f" 提示：{self.hint}"
        return text

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "where": self.where, "message": self.message,
                "file": self.file, "line": self.line, "field": self.field,
                "expected": _plain(self.expected), "found": _plain(self.found),
                "difference": _plain(self.difference), "hint": self.hint}


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(round_cent(value) if value == round_cent(value) else value.normalize(), "f")


@dataclass
class Context:
    """What every rule sees: the department, tolerance, and last year's disclosure if any."""

    computed: Computed
    tolerance: Decimal = DEFAULT_TOLERANCE
    previous: Computed | None = None

    @property
    def dept(self):
        return self.computed.department

    @property
    def narrative(self) -> dict:
        return self.computed.narrative

    def allowed(self) -> Decimal:
        """How far a stated figure may be from its derivation: one 尾差 in 万元, exact in 元."""
        return ZERO if self.dept.unit == "元" else self.tolerance

    def finding(self, rule_id: str, where: str, message: str, path: tuple | None = None, *,
                expected: Decimal | None = None, found: Decimal | None = None, hint: str = "") -> Finding:
        source = self.dept.source
        return Finding(rule_id, RULES[rule_id].severity, where, message, source.name,
                       source.line(path) if path else None, _dotted(path), expected, found, hint)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    doc: str
    check: Callable[[Context], Iterable[Finding]] = field(compare=False)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str):
    """Register a rule; the function's docstring is its documentation."""

    def register(fn: Callable[[Context], Iterable[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, title, (fn.__doc__ or "").strip(), fn)
        return fn

    return register


def _dotted(path: tuple | None) -> str:
    return dotted(path) if path else ""


def load_rules() -> dict[str, Rule]:
    for module in ("tables", "narrative"):
        importlib.import_module(f"{__name__}.{module}")
    return RULES


def run_checks(ctx: Context, only: str | None = None) -> list[Finding]:
    rules = load_rules()
    selected = [rules[only]] if only else list(rules.values())
    findings = [f for r in selected for f in r.check(ctx)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
