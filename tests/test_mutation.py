"""Mutation test: any single stated amount changed by 0.02 is reported as an 错误.

The example department in fully-stated form (every figure of the nine tables stated,
as a spreadsheet import gives them) has no 错误; changing any one of its amount cells
by +0.02 or -0.02 must produce an 错误 that names that table and cell, or an
identity that involves the cell's table.
"""

from decimal import Decimal
from pathlib import Path

from generator.check import check_computed
from generator.checks import ERROR
from generator.compute import compute
from generator.schema import load_department

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


# Cells no 0.02 change can be told apart from rounding, and why. Everything else must be caught.
# - 公开06表 款 of 301/302, and 人员经费合计: their only identity already carries the published
#   尾差 of -0.01 (301: 2636.71 vs Σ 2636.72; 302: 189.68 vs Σ 189.69); a -0.02 change turns it into +0.01.
# - 公开03/05表 2080111 项目支出 +0.02: both identities it is in carry +0.01 (536.13, 2309.88).
# - 公开09表 会议费、培训费: no identity includes them; nothing in the tables can contradict them.
TAIL_DIFFERENCE = {("tables.basic_detail." + code, "-0.02") for code in (
    "30101 30102 30103 30106 30107 30108 30109 30110 30111 30112 30113 30114 30199 "
    "30201 30202 30203 30204 30205 30206 30207 30208 30209 30211 30212 30213 30214 30215 30216 30217 30218 "
    "30224 30225 30226 30227 30228 30229 30231 30239 30240 30299").split()} | {
    ("tables.basic_detail.personnel", "0.02"), ("tables.expenditure.2080111.project", "0.02")}
NO_IDENTITY = {(f"tables.three_public.{row}.{item}", d) for row in ("budget", "actual")
               for item in ("meeting", "training") for d in ("0.02", "-0.02")}


def test_every_stated_amount_is_guarded():
    dept = load_department(STATED)
    assert [f for f in check_computed(compute(dept)) if f.severity == ERROR] == []
    cells = list(amount_cells(dept))
    assert len(cells) > 900  # all of them: the nine tables of reference 000
    missed = []
    for table, mapping, key, path in cells:
        original = mapping[key]
        for delta in (Decimal("0.02"), Decimal("-0.02")):
            mapping[key] = original + delta
            errors = [f for f in check_computed(compute(dept)) if f.severity == ERROR]
            label = TABLE_LABELS[table]
            named = [f for f in errors if f.field == ".".join(map(str, path)) or label in f.where + f.message]
            if not named:
                missed.append((".".join(map(str, path)), str(delta), [f.format() for f in errors]))
        mapping[key] = original
    unexplained = [m for m in missed if (m[0], m[1]) not in TAIL_DIFFERENCE | NO_IDENTITY]
    assert unexplained == [], f"{len(unexplained)} 处改动未被发现，例如 {unexplained[:3]}"
    assert {(m[0], m[1]) for m in missed} == TAIL_DIFFERENCE | NO_IDENTITY  # the list above stays true


def test_changes_beyond_the_tail_difference_are_caught():
    """The 尾差-adjacent cells are caught as soon as the change exceeds what rounding allows."""
    dept = load_department(STATED)
    for table, mapping, key, path in amount_cells(dept):
        if (".".join(map(str, path)), "-0.02") in TAIL_DIFFERENCE or (".".join(map(str, path)), "0.02") in TAIL_DIFFERENCE:
            original = mapping[key]
            for delta in (Decimal("0.03"), Decimal("-0.03")):
                mapping[key] = original + delta
                assert [f for f in check_computed(compute(dept)) if f.severity == ERROR], (path, delta)
            mapping[key] = original
