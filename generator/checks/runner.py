"""Running every rule over a computed department, in a fixed order."""

from __future__ import annotations

from decimal import Decimal

from generator.checks import document, evaluations, info, narrative, printed, prose, tables, tails
from generator.checks.engine import RULES, Context, Rule
from generator.checks.findings import DEFAULT_TOLERANCE, SEVERITY_ORDER, Finding
from generator.compute.figures import Computed

RULE_MODULES = (tables, info, narrative, prose, evaluations, tails, document, printed)


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


def check_computed(computed: Computed, previous: Computed | None = None, tolerance: Decimal = DEFAULT_TOLERANCE,
                   only: str | None = None, page_text: str | None = None) -> list[Finding]:
    """Every rule's findings on one computed department (with last year's beside it, if any; with its rendered
    page's text, the rule text-printed)."""
    return run_checks(Context(computed, tolerance, previous, page_text), only)
