"""Mutation test: any single stated amount changed by 0.02 is reported as an 错误.

The example department in fully-stated form (every figure of the nine tables stated,
as a spreadsheet import gives them) has no 错误; changing any one of its amount cells
by +0.02 or -0.02 must produce an 错误 that names that table and cell, or an
identity that involves the cell's table.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from generator.checks.findings import ERROR
from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.forms.profiles import load_profile

STATED = Path(__file__).parent / "fixtures" / "xianyang-rsj-2023-stated.yaml"
TABLE_LABELS = {"income": "公开02表", "expenditure": "公开03表", "general_budget": "公开05表", "gov_fund": "公开07表",
                "soe_capital": "公开08表", "basic_detail": "公开06表", "three_public": "公开09表",
                "summary": "公开01表", "fiscal_summary": "公开04表"}


def amount_cells(dept):
    """(table key, mapping, key, field path) for every amount the file states."""
    t = dept.tables
    for key in ("income", "expenditure", "general_budget", "gov_fund", "soe_capital", "basic_detail"):
        for row in getattr(t, key).values():
            for column in row.values:
                yield key, row.values, column, row.path + ((column,) if key != "basic_detail" else ())
    for key in ("three_public", "summary", "fiscal_summary"):
        mapping = getattr(t, key)
        for name in mapping:
            yield key, mapping, name, ("tables", key) + tuple(name.split("."))


# The only cells no change can be caught in: 公开09表 会议费、培训费 are in no identity of the nine
# tables (公开06表 30215/30216 are 基本支出 only, so at most a lower bound), nothing can contradict them.
# The published 尾差 are registered in the fixture's tail_differences, so the cells next to them are
# checked exactly and need no exception.
NO_IDENTITY = {(f"tables.three_public.{row}.{item}", d) for row in ("budget", "actual")
               for item in ("meeting", "training") for d in ("0.02", "-0.02")}


@pytest.mark.slow
def test_every_stated_amount_is_guarded():
    dept = load_department(STATED)
    assert [f for f in check_computed(compute(dept, load_profile())) if f.severity == ERROR] == []
    cells = list(amount_cells(dept))
    assert len(cells) > 900  # all of them: the nine tables of reference 000
    missed = []
    for table, mapping, key, path in cells:
        original = mapping[key]
        for delta in (Decimal("0.02"), Decimal("-0.02")):
            mapping[key] = original + delta
            errors = [f for f in check_computed(compute(dept, load_profile())) if f.severity == ERROR]
            label = TABLE_LABELS[table]
            named = [f for f in errors if f.field == ".".join(map(str, path)) or label in f.where + f.message]
            if not named:
                missed.append((".".join(map(str, path)), str(delta), [f.format() for f in errors]))
        mapping[key] = original
    unexplained = [m for m in missed if (m[0], m[1]) not in NO_IDENTITY]
    assert unexplained == [], f"{len(unexplained)} 处改动未被发现，例如 {unexplained[:3]}"
    assert {(m[0], m[1]) for m in missed} == NO_IDENTITY  # the exception above stays true


def test_registered_tail_differences_are_checked_exactly():
    """A change that turns the registered 尾差 -0.01 into +0.01 is an 错误; unregistered it is only a 提示."""
    dept = load_department(STATED)
    dept.tables.basic_detail["30101"].values["amount"] -= Decimal("0.02")  # Σ 2636.70 vs stated 2636.71
    errors = [f for f in check_computed(compute(dept, load_profile())) if f.severity == ERROR]
    assert [f.field for f in errors] == ["tables.basic_detail.301"]
    assert "登记的尾差 -0.01" in errors[0].message
    dept.tail_differences.clear()
    findings = check_computed(compute(dept, load_profile()))
    assert not [f for f in findings if f.severity == ERROR]
    assert ("tail-difference", "0.01") in {(f.rule, str(f.difference)) for f in findings
                                           if f.field == "tables.basic_detail.301"}
