"""Running every rule over a computed department, in a fixed order."""

from __future__ import annotations

from generator.checks import evaluations, info, narrative, tables, tails
from generator.checks.engine import RULES, Context, Rule
from generator.checks.findings import SEVERITY_ORDER, Finding

RULE_MODULES = (tables, info, narrative, evaluations, tails)


def load_rules() -> dict[str, Rule]:
    """Every rule, in a fixed order (module by module, as defined)."""
    order = {m.__name__: i for i, m in enumerate(RULE_MODULES)}
    ranked = sorted(RULES.values(), key=lambda r: (order[r.check.__module__], r.check.__code__.co_firstlineno))
    if list(RULES) != [r.id for r in ranked]:
        RULES.clear()
        RULES.update((r.id, r) for r in ranked)
    return RULES


def run_checks(ctx: Context, only: str | None = None) -> list[Finding]:
    # All rules always run: tail-registration reads what the identity rules found.
    findings = [f for r in load_rules().values() for f in r.check(ctx) if only in (None, f.rule)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
