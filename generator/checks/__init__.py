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


@dataclass
class Context:
    """What every rule sees: the department, tolerance, and last year's disclosure if any."""

    computed: Computed
    tolerance: Decimal = DEFAULT_TOLERANCE
    previous: Computed | None = None
    # Every nonzero difference an identity found, by field: what tail-registration looks at.
    differences: dict[str, list[Decimal]] = field(default_factory=dict)

    @property
    def dept(self):
        return self.computed.department

    @property
    def narrative(self) -> dict:
        return self.computed.narrative

    def allowed(self) -> Decimal:
        """How far a stated figure may be from its derivation: one 尾差 in 万元, exact in 元."""
        return ZERO if self.dept.unit == "元" else self.tolerance

    def mismatch(self, rule_id: str, where: str, message: str, path: tuple | None, *, expected: Decimal,
                 found: Decimal, hint: str = "") -> Iterable[Finding]:
        """One identity on the figure at ``path``: exact where the file registers its 尾差, else within tolerance.

        A registered 尾差 (``tail_differences``) must be met exactly; an unregistered difference within
        the tolerance is a 提示 so the officer can register it; anything beyond is the rule's finding.
        """
        difference = found - expected
        if difference == ZERO:
            return
        name = _dotted(path)
        self.differences.setdefault(name, []).append(difference)
        registered = self.dept.tail_differences.get(name) if name else None
        if registered is not None:
            if difference != registered:
                yield self.finding(rule_id, where, f"{message}，且与登记的尾差 {plain(registered)} 不符", path,
                                   expected=expected, found=found, hint=hint)
        elif abs(difference) > self.allowed():
            yield self.finding(rule_id, where, message, path, expected=expected, found=found, hint=hint)
        else:
            register = f"“{name}: {plain(difference)}”" if name else "该差额"
            yield self.finding(TAIL_RULE, where, f"{message}，相差在尾差允许范围内", path, expected=expected,
                               found=found, hint=f"如确属四舍五入尾差，在 tail_differences 中登记{register}，此后按登记数精确核对")

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


RULE_MODULES = ("tables", "info", "narrative", "evaluations", "tails")


def load_rules() -> dict[str, Rule]:
    """Every rule, in a fixed order (module by module, as defined) whatever imported them first."""
    for module in RULE_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    order = {f"{__name__}.{m}": i for i, m in enumerate(RULE_MODULES)}
    ranked = sorted(RULES.values(), key=lambda r: (order[r.check.__module__], r.check.__code__.co_firstlineno))
    if list(RULES) != [r.id for r in ranked]:
        RULES.clear()
        RULES.update((r.id, r) for r in ranked)
    return RULES


def run_checks(ctx: Context, only: str | None = None) -> list[Finding]:
    # All rules always run: tail-registration reads what the identity rules found.
    findings = [f for r in load_rules().values() for f in r.check(ctx) if only in (None, f.rule)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
