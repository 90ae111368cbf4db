"""Each rule of `juesuan check` against data that violates it and data that satisfies it."""

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import EXAMPLE
from test_evaluations import OVERALL, project, with_evaluations

from generator.checks.findings import ERROR
from generator.checks.runner import check_computed, load_rules
from generator.compute.tables import compute
from generator.content.department import load_department, read_department
from generator.content.evaluations import Mark
from generator.content.model import ItemNote, Row
from generator.content.siteconfig import load_config
from generator.forms.profiles import load_profile
from generator.pipeline.pagetext import page_text
from generator.source.yamlfile import load_yaml_text

FIXTURES = Path(__file__).parent / "fixtures"
STATED = FIXTURES / "xianyang-rsj-2023-stated.yaml"


def findings(dept, previous=None, rule=None):
    c = compute(dept, profile_of(dept))
    text = page_text(c, load_config(EXAMPLE.parent.parent), None) if rule == "text-printed" else None
    return check_computed(c, compute(previous, profile_of(previous)) if previous else None, only=rule, page_text=text)


def profile_of(dept):
    """The profile the file names (as ``profile:``), or one only these tests know."""
    if dept.profile_name == STRICT_SHANXI:
        return dataclasses.replace(load_profile("shanxi"), rules=(("operating_costs_equals_public", True),))
    return load_profile(dept.profile_name or "shaanxi")


STRICT_SHANXI = "strict-shanxi"


def example():
    return load_department(EXAMPLE)


def stated():
    return load_department(STATED)


def shanxi():
    """The example under the Shanxi profile (it prints 公开10表)."""
    dept = example()
    dept.profile_name = "shanxi"
    return dept


def strict_shanxi():
    """A profile that requires 机关运行经费 = 公开06表公用经费: the example's differ (178.24 vs 189.68)."""
    dept = example()
    dept.profile_name = STRICT_SHANXI
    return dept


def bump(mapping, key, by="0.10"):
    mapping[key] = mapping.get(key, D(0)) + D(by)


def from_yaml(text: str):
    return read_department(load_yaml_text(text, "t.yaml"), "t")


SMALL = """\
year: 2023
unit: {unit}
department: {{name: 测试局}}
cover: {{secrecy_review: 已审查, head_approval: 已审签}}
overview: {{duties: [职责], units: [测试局（本级）], staff: {{retired: 0}}}}
tables:
  income:
    2080101: {{fiscal: {a}, business: {a}, other: {a}}}
  fiscal_summary:
    income: {{general: {a}}}
"""

# rule id → (how to load a department, how to break it)
VIOLATIONS = {
    "coded-hierarchy": (stated, lambda d: bump(d.tables.expenditure["20805"].values, "basic")),
    "coded-row-identity": (stated, lambda d: bump(d.tables.expenditure["2080101"].values, "total")),
    "summary-01": (stated, lambda d: bump(d.tables.summary, "income_grand_total")),
    "fiscal-04": (stated, lambda d: bump(d.tables.fiscal_summary, "208.general")),
    "fiscal-income-match": (example, lambda d: bump(d.tables.fiscal_summary, "general", "1")),
    "fiscal-within-total": (example, lambda d: bump(d.tables.general_budget["2080103"].values
                                                    if "2080103" in d.tables.general_budget else
                                                    d.tables.general_budget["2080101"].values, "basic", "20")),
    "basic-detail-06": (example, lambda d: bump(d.tables.basic_detail["30101"].values, "amount", "1")),
    "three-public-09": (stated, lambda d: bump(d.tables.three_public, "budget.total")),
    "three-public-floor": (example, lambda d: d.tables.basic_detail.__setitem__(
        "30215", Row("30215", None, {"amount": D("40.00")}, ("tables", "basic_detail", "30215")))),
    "budget-total": (example, lambda d: d.narrative.general_budget.__setitem__("budget", D("4106.46"))),
    "basic-detail-printed": (example, lambda d: d.tables.basic_detail.__setitem__(
        "31302", Row("31302", None, {"amount": D("1.00")}, ("tables", "basic_detail", "30101")))),
    "info-10": (shanxi, lambda d: d.tables.info.__setitem__("procurement.total", D("999.00"))),
    "operating-costs-public": (strict_shanxi, lambda d: None),
    "cover-approvals": (example, lambda d: setattr(d, "head_approval", "")),
    "reason-without-figure": (example, lambda d: d.narrative.three_public["previous"].pop("reception")),
    "overview-empty": (example, lambda d: d.overview.units.clear()),
    "tables-empty": (example, lambda d: [getattr(d.tables, k).clear() for k in ("income", "expenditure")]),
    "overview-printed": (shanxi, lambda d: None),  # the example states 决算单位构成 and 人员情况, Shanxi prints neither
    "evaluation-rate": (lambda: with_evaluations([project(funds=[{"label": "总额", "budget": 10, "actual": 5,
                                                                  "rate": "60%", "weight": 10, "score": 9}])]), lambda d: None),
    "evaluation-rate-rounding": (  # 196.93 ÷ 200 = 98.465%: 98.47 rounded, 98.46 cut
        lambda: with_evaluations([project(funds=[{"label": "总额", "budget": 200, "actual": "196.93", "rate": "98.46%",
                                                  "weight": 10, "score": 9}])]), lambda d: None),
    "evaluation-score-cap": (lambda: with_evaluations([project()]),
                             lambda d: d.evaluations.projects[0].indicators.__setitem__(
                                 0, dataclasses.replace(d.evaluations.projects[0].indicators[0], score=Mark("30", D(30))))),
    "evaluation-total": (lambda: with_evaluations([project(total={"weight": 100, "score": 99})]), lambda d: None),
    "evaluation-level1": (lambda: with_evaluations([project()]),
                          lambda d: d.evaluations.projects[0].indicators.__setitem__(
                              0, dataclasses.replace(d.evaluations.projects[0].indicators[0], level1_weight=D(60)))),
    "evaluation-funds": (lambda: with_evaluations([], {**OVERALL, "tasks_total": {**OVERALL["tasks_total"],
                                                                                  "weight": 10, "score": 9,
                                                                                  "budget": {"total": 12}}}),
                         lambda d: None),
    "evaluation-accounts": (example, lambda d: setattr(d.evaluations, "overall", dataclasses.replace(
        d.evaluations.overall, tasks_total=dataclasses.replace(
            d.evaluations.overall.tasks_total, actual={**d.evaluations.overall.tasks_total.actual,
                                                       "total": D("8990.21")})))),
    "report-scores": (example, lambda d: d.attachments[0].scores.rows.__setitem__(
        0, dataclasses.replace(d.attachments[0].scores.rows[0], rate_stated="86%"))),
    "budget-items": (example, lambda d: setattr(d.narrative.items["2080101"], "budget", None)),
    "budget-extra": (example, lambda d: d.narrative.items.__setitem__("2080107", ItemNote(D("10"), ""))),
    # a 类 budget beside its 项' budgets that does not add up
    "budget-levels": (example, lambda d: d.narrative.items.__setitem__("208", ItemNote(D("1.00"), ""))),
    "budget-reason": (example, lambda d: setattr(d.narrative.items["2080101"], "reason", "")),
    "reason-direction": (example, lambda d: d.narrative.overall.__setitem__("reason", "其他收入减少")),
    "text-figures": (example, lambda d: d.narrative.overall.__setitem__("reason", "较预算数减少42.19%万元")),
    "text-figures-unmatched": (example, lambda d: d.narrative.overall.__setitem__("reason", "其他收入增加 123.45 万元")),
    "unit-magnitude": (lambda: from_yaml(SMALL.format(unit="万元", a="50000000")), lambda d: None),
    "staff-totals": (example, lambda d: setattr(d.overview.staff, "establishment_stated", 180)),
    "procurement-parts": (example, lambda d: d.narrative.procurement["sme"].__setitem__("services", D("5"))),
    "reception-split": (example, lambda d: d.narrative.three_public["reception"].__setitem__("foreign", D("3"))),
    "shares-rounding": (lambda: from_yaml(SMALL.format(unit="万元", a="1")), lambda d: None),
    "previous-year": (example, lambda d: d.narrative.overall.__setitem__("previous_total", D("8802.00"))),
    "empty-fund-table": (example, lambda d: d.narrative.gov_fund.__setitem__("reason", "新增专项债券项目")),
    "previous-missing": (example, lambda d: d.narrative.overall.pop("previous_total")),
    # no 因公出国（境）费 this year: the section says so, and a reason against the budget has nowhere to go
    "text-printed": (example, lambda d: d.narrative.three_public["abroad"].__setitem__("reason_budget", "出访计划调整")),
    "tail-difference": (example, lambda d: d.tail_differences.pop("tables.basic_detail.301")),
    "tail-registration": (example, lambda d: d.tail_differences.__setitem__("tables.basic_detail.30399", D("0.01"))),
}


def previous_for(rule_id):
    """Last year's disclosure for the previous-year rule: the example itself, as 2022."""
    if rule_id != "previous-year":
        return None
    last = example()
    last.year = 2022
    return last


def test_every_rule_has_a_violation_case():
    assert set(VIOLATIONS) == set(load_rules())


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS))
def test_rule_catches_its_violation(rule_id):
    load, breaks = VIOLATIONS[rule_id]
    dept = load()
    breaks(dept)
    found = findings(dept, previous_for(rule_id), rule_id)
    assert found, f"{rule_id} 未发现问题"
    assert all(f.rule == rule_id and f.file and f.where and f.message for f in found)
    assert found[0].line, "每个问题都应指向文件中的行"


def satisfied_previous(dept):
    """This year's 上年 figures set to exactly what last year's file publishes."""
    last = example()
    last.year = 2022
    c = compute(last, load_profile())
    n = dept.narrative
    n.overall["previous_total"] = c["t01"].value("income_grand_total")
    n.fiscal["previous_total"] = c["t04"].value("income_grand_total")
    n.general_budget["previous"] = c["t05"].total.value("total")
    n.operating_costs["previous"] = last.narrative.operating_costs["actual"]
    n.three_public["previous"] = {k: c["t09"].value(f"actual.{k}") for k in ("total", "reception", "meeting", "training")}
    return last


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS))
def test_rule_is_satisfied_by_the_corrected_example(rule_id):
    dept = example()
    previous = satisfied_previous(dept) if rule_id == "previous-year" else None
    assert findings(dept, previous, rule_id) == []


def test_small_department_in_yuan_satisfies_the_unit_rule():
    dept = from_yaml(SMALL.format(unit="元", a="500000"))
    assert findings(dept, rule="unit-magnitude") == []
    assert findings(from_yaml(SMALL.format(unit="元", a="3")), rule="unit-magnitude")


def test_corrected_example_and_stated_fixture_have_no_errors():
    assert findings(example()) == []
    assert findings(stated()) == []


def test_as_published_reference_errors_are_all_found():
    found = findings(load_department(FIXTURES / "xianyang-rsj-2023-as-published.yaml"))
    errors = {(f.rule, f.where.split("（")[0], f.field) for f in found if f.severity == ERROR}
    assert ("coded-hierarchy", "公开03表 第20805行", "tables.expenditure.20805.basic") in errors
    assert ("fiscal-within-total", "公开03表 第2080502行", "tables.expenditure.2080502.basic") in errors
    assert ("budget-total", "情况说明五 一般公共预算财政拨款支出年初预算", "narrative.general_budget.budget") in errors
    assert all(f.severity == ERROR for f in found)


def test_yuan_data_is_checked_exactly():
    text = SMALL.format(unit="元", a="500000")
    dept = from_yaml(text.replace("{fiscal: 500000, business: 500000, other: 500000}",
                                  "{fiscal: 500000, business: 500000, other: 500000, total: 1500001}"))
    found = findings(dept, rule="coded-row-identity")
    assert found and found[0].found - found[0].expected == D("0.0001")  # one 元, in 万元


def test_three_public_floor_accepts_basic_spending_within_the_09_figure():
    dept = example()
    dept.tables.basic_detail["30215"] = Row("30215", None, {"amount": D("28.97")}, ("tables", "basic_detail", "30215"))
    assert findings(dept, rule="three-public-floor") == []
