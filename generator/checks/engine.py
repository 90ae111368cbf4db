"""The rule engine: what a rule sees (``Context``) and how rules register (``@rule``).

A rule is a function decorated with ``@rule``; its docstring is its documentation
(the rule reference page is generated from it). Rules yield Findings that name the
figure in the document's own words and the YAML line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from generator.checks.findings import DEFAULT_TOLERANCE, TAIL_RULE, Finding, plain
from generator.compute.figures import Computed
from generator.money import ZERO
from generator.source.yamlfile import dotted


@dataclass
class Context:
    """What every rule sees: the department, tolerance, and last year's disclosure if any."""

    computed: Computed
    tolerance: Decimal = DEFAULT_TOLERANCE
    previous: Computed | None = None
    page_text: str | None = None  # the department's page as text, where the caller rendered it (rule text-printed)
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
