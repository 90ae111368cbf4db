"""The figures authors type into the 情况说明 (rules text-figures, text-figures-unmatched) and the claims extractor."""

from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, EXAMPLE, ROOT

from generator.checks.engine import Context
from generator.checks.findings import ERROR, WARNING
from generator.checks.prose import Known, judge, section_figures, section_scope, table_totals
from generator.checks.prose_claims import (
    AMOUNT,
    BUDGET,
    COMPLETION,
    PREVIOUS,
    RATE,
    SHARE,
    claims,
    clauses,
    problems,
    sentences,
)
from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.model import ItemNote
from generator.forms.profiles import load_profile
from generator.pipeline.checking import check_files

RULES = ("text-figures", "text-figures-unmatched")


def text_findings(dept):
    return [f for f in check_computed(compute(dept, load_profile(dept.profile_name or "shaanxi"))) if f.rule in RULES]


def operating_costs(actual, previous, reason):
    """The example with its 机关运行经费 (an author-entered section) set to ``actual`` against ``previous``."""
    dept = load_department(EXAMPLE)
    dept.narrative.operating_costs.update(actual=D(actual), previous=D(previous), reason=reason)
    return dept


REASON = "较上年减少 0.16 万元，下降 13.45%，主要是压减办公经费"


def test_a_reason_stating_the_computed_change_is_accepted():
    assert text_findings(operating_costs("1.03", "1.19", REASON)) == []


def test_a_reason_stating_the_opposite_direction_is_an_error():
    dept = operating_costs("1.19", "1.03", REASON)  # an increase of 0.16 (15.53%)
    found = text_findings(dept)
    errors = [f for f in found if f.severity == ERROR]
    assert [f.rule for f in errors] == ["text-figures"]
    assert "“较上年减少 0.16 万元”写的是减少" in errors[0].message and "较上年增加 0.16 万元" in errors[0].message
    assert errors[0].field == "narrative.operating_costs.reason"
    assert errors[0].line == dept.source.line(("narrative", "operating_costs", "reason"))
    assert errors[0].where == "情况说明 operating_costs.reason"
    # 13.45% is no figure of the section any more: only a warning, naming what was computed
    warnings = [f for f in found if f.severity == WARNING]
    assert [f.rule for f in warnings] == ["text-figures-unmatched"]
    assert "13.45%" in warnings[0].message and "较上年增长 15.53%" in warnings[0].message


@pytest.mark.parametrize("reason, problem", [
    ("较预算数减少42.19%万元", "单位重复：“%万元”"),
    ("较上年增长∞%", "“∞”不是数"),
    ("较上年增长NaN%", "“NaN”不是数"),
    ("较上年增长-5%", "“增长”后的数不应为负数"),
    ("较上年减少 -0.16 万元", "“减少”后的数不应为负数"),
    ("较上年增长%", "“增长%”缺少数字"),
    ("较上年减少 0.16 万元万元", "单位重复：“万元万元”"),
    ("较上年减少 0.1.6 万元", "“0.1.6”不是正确的数字写法"),
])
def test_malformed_figures_are_errors(reason, problem):
    found = text_findings(operating_costs("1.03", "1.19", reason))
    assert [(f.rule, f.severity) for f in found] == [("text-figures", ERROR)]
    assert problem in found[0].message and reason.replace("较上年", "")[:4] in found[0].message


def test_a_rate_of_a_zero_base_is_an_error():
    found = text_findings(operating_costs("5", "0", "较上年增加 5.00 万元，增长 0.00%"))
    assert [f.rule for f in found] == ["text-figures"]
    assert "上年数为零，增减幅度无法计算" in found[0].message


def test_an_amount_matching_nothing_is_a_warning():
    dept = operating_costs("1.03", "1.19", "其中办公费较上年减少 12.34 万元")
    found = text_findings(dept)
    assert [(f.rule, f.severity) for f in found] == [("text-figures-unmatched", WARNING)]
    assert "12.34 万元 不是本节计算出的数" in found[0].message and "较上年减少 0.16 万元" in found[0].message


def test_figures_are_matched_at_the_places_written_and_in_any_unit():
    # 0.16 万元 = 1600 元; 13.445…% written with one decimal; the 机关运行经费 itself, with a thousands separator
    reason = "较上年减少 1600 元，下降 13.4%，全年支出 1.03 万元"
    assert text_findings(operating_costs("1.03", "1.19", reason)) == []
    assert text_findings(operating_costs("1031.03", "1000", "较上年增长 3.10%，支出 1,031.03 万元")) == []


def test_a_completion_rate_and_a_share_are_compared_with_their_own_kind():
    dept = load_department(EXAMPLE)
    entry = next(i for i in compute(dept, load_profile()).narrative["general_budget"]["entries"]
                 if i["code"] == "2080101")
    rate = entry["completion"].rate
    dept.narrative.items["2080101"].reason = f"完成预算的 {rate}%，决算{entry['completion'].comparison}预算 " \
                                             f"{entry['completion'].difference:.2f} 万元"
    assert text_findings(dept) == []
    dept.narrative.items["2080101"].reason = f"完成预算的 {rate + 1}%"
    found = text_findings(dept)
    assert [f.rule for f in found] == ["text-figures-unmatched"]
    assert found[0].field == "narrative.general_budget.items.2080101.reason"
    assert f"完成预算的 {rate:.2f}%" in found[0].message


def test_every_text_field_is_read_including_ones_added_later():
    dept = load_department(EXAMPLE)
    dept.narrative.overall["text"] = "本年收入总计较上年增长∞%。"
    dept.narrative.three_public["reception"]["a_field_added_later"] = "较上年增长-5%"
    dept.narrative.items["2080101"].purpose = "主要用于人员经费 123 万元%"
    dept.narrative.other = "个别数据合计项较上年增长 NaN%。"
    fields = {f.field for f in text_findings(dept) if f.severity == ERROR}
    assert fields == {"narrative.overall.text", "narrative.three_public.reception.a_field_added_later",
                      "narrative.general_budget.items.2080101.purpose", "narrative.other"}


def test_free_prose_is_checked_for_malformed_figures_only():
    """绩效 and 其他说明 cite project budgets and results outside the tables: no warning for those."""
    dept = load_department(EXAMPLE)
    dept.narrative.other = "追回资金 7208.44 元，帮扶就业率达到 92.08%，养老金 14.25 亿元。"
    assert text_findings(dept) == []


def test_the_example_content_has_no_text_figure_findings():
    report = check_files(sorted(CONTENT.glob("*/*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml")))
    assert [f.format() for f in report.findings if f.rule in RULES] == []


# -- the extractor ------------------------------------------------------------------------------

def test_claims_read_amounts_rates_directions_and_bases():
    found = claims("本年支出 1,234.56 万元，较上年减少 0.16 万元，下降 13.45%；决算数大于年初预算数 12 万元，"
                   "完成预算的 98.5%，占本年支出合计的 12.34%。违规资金 45208.33 元，共计 4.65 亿元。")
    assert [(c.text, c.value, c.unit, c.places) for c in found] == [
        ("1,234.56 万元", D("1234.56"), "万元", 2), ("0.16 万元", D("0.16"), "万元", 2),
        ("13.45%", D("13.45"), "%", 2), ("12 万元", D("12"), "万元", 0), ("98.5%", D("98.5"), "%", 1),
        ("12.34%", D("12.34"), "%", 2), ("45208.33 元", D("45208.33"), "元", 2), ("4.65 亿元", D("4.65"), "亿元", 2)]
    assert [(c.direction, c.word, c.basis, c.measure) for c in found] == [
        (None, None, None, None), ("减少", "减少", PREVIOUS, None), ("减少", "下降", PREVIOUS, None),
        ("增加", "大于", BUDGET, None), (None, None, None, COMPLETION), (None, None, None, SHARE),
        (None, None, None, None), (None, None, None, None)]
    assert found[1].phrase == "较上年减少 0.16 万元" and found[6].wan == D("4.520833") and found[7].wan == D("46500")


def test_claims_follow_enumerations_and_fillers():
    found = claims("会议费、培训费分别增长 5%、6%，比上年度增加了 12.34 万元，增长幅度为 5.6%")
    assert [(c.value, c.direction) for c in found] == [(D(5), "增加"), (D(6), "增加"), (D("12.34"), "增加"),
                                                       (D("5.6"), "增加")]
    assert all(c.basis == PREVIOUS for c in found[2:])
    # a direction far from the figure does not govern it
    assert claims("减少的主要原因是人员经费 12 万元")[0].direction is None


def test_problems_name_what_no_correct_document_prints():
    text = "较预算数减少42.19%万元，增长∞%，增长-5%，减少-3万元，增长%，1,23.4 万元，None万元，增长∞"
    assert [c.problem[:c.problem.index("”") + 1] for c in problems(text)] == [
        "单位重复：“%万元”", "“∞”", "“增长”", "“减少”", "“增长%”", "“1,23.4”", "“None”", "“∞”"]
    assert problems("2023 年收入 10 万元，较上年增长 5%，结余 -3 万元") == ()  # a negative balance is no typo


def test_sentences_and_clauses():
    assert sentences("甲。乙；丙\n丁") == [(0, "甲"), (2, "乙"), (4, "丙"), (6, "丁")]
    assert clauses("收入 1,234.56 万元，较上年增加") == [(0, "收入 1,234.56 万元"), (15, "较上年增加")]


def test_a_class_entry_is_checked_against_its_row_and_the_items_under_it():
    dept = load_department(EXAMPLE)
    total = compute(dept, load_profile())["t05"].row("208").value("total")
    dept.narrative.items["208"] = ItemNote(None, f"社会保障和就业支出 {total:.2f} 万元")
    assert text_findings(dept) == []
    dept.narrative.items["208"] = ItemNote(None, f"社会保障和就业支出 {total + 1:.2f} 万元")
    assert [f.field for f in text_findings(dept)] == ["narrative.general_budget.items.208.reason"]


def test_an_own_paragraph_is_checked_like_the_generated_one():
    """A ``text`` written in place of the generated 收入支出总体情况 paragraph, with its real figures."""
    dept = load_department(EXAMPLE)
    n = compute(dept, load_profile()).narrative
    total, change = n["overall"]["total"], n["overall"]["change"]
    income = n["income"]["parts"][0]
    paragraph = (f"2023年度收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。与上年相比，收、支总计各"
                 f"{change.direction}{change.amount:.2f}万元，{change.verb}{change.rate}%。其中{income.label}"
                 f"{income.amount:.2f}万元，占本年收入合计的{income.share}%。")
    dept.narrative.overall["text"] = paragraph
    assert text_findings(dept) == []
    flipped = {"增加": "减少", "减少": "增加"}[change.direction]
    dept.narrative.overall["text"] = paragraph.replace(f"各{change.direction}", f"各{flipped}") \
        .replace(change.verb, {"增长": "下降", "下降": "增长"}[change.verb])
    found = text_findings(dept)
    assert [(f.rule, f.field) for f in found] == [("text-figures", "narrative.overall.text")] * 2
    assert f"计算结果为较上年{change.direction} {change.amount:.2f} 万元" in found[0].message


def test_thresholds_and_estimates_are_not_figures_of_the_accounts():
    dept = load_department(EXAMPLE)
    dept.narrative.assets["note"] = "本部门无单价 100 万元（含）以上设备；年内处置资产约 12 万元。"
    assert text_findings(dept) == []
    assert [c.approximate for c in claims("单价100万元以上(含)的设备，约 12 万元，较上年增长 5%")] == [True, True, False]


def test_a_rate_of_an_undefined_share_is_an_error():
    undefined = Known(None, RATE, measure=SHARE, label="所占的总额为零，占比无法计算")
    verdict = judge(claims("占 0.00%")[0], [undefined], D("0.01"))
    assert verdict.severity == ERROR and "占比无法计算，不应写百分比" in verdict.message
    assert judge(claims("占 0.00%")[0], [undefined, Known(D(0), RATE, measure=SHARE)], D("0.01")) is None


def test_the_generated_sentences_state_their_sections_figures(html_site):
    """What an audit of a published document does: read each 情况说明 section of each example page and find every
    figure it states among that section's computed figures (every profile's sentences, every example)."""
    report = check_files(sorted(CONTENT.glob("*/*.yaml")))
    read, flagged = 0, []
    for computed, _ in report.results:
        dept = computed.department
        page = BeautifulSoup((html_site / str(dept.year) / dept.id / "index.html").read_text(encoding="utf-8"), "lxml")
        ctx = Context(computed)
        totals = table_totals(ctx)
        for section in page.select("section.explanation"):
            scope = section_scope(ctx, (section["id"].removeprefix("s-"),))
            if scope is None:  # 绩效, 其他说明: the author's own prose
                continue
            figures = totals + list(section_figures(scope))
            for block in section.find_all(["p", "li", "td"]):
                for claim in claims(block.get_text()):
                    read += 1
                    if judge(claim, figures, ctx.allowed()) is not None:
                        flagged.append(claim.phrase)
    assert read > 500
    assert flagged == []


def test_amounts_are_compared_exactly_in_a_department_in_yuan():
    change = Known(D("0.16"), AMOUNT, PREVIOUS, direction="减少", label="较上年减少 0.16 万元")
    assert judge(claims("较上年减少 1,600.00 元")[0], [change], D(0)) is None
    assert judge(claims("较上年减少 1,601.00 元")[0], [change], D(0)).severity == WARNING
    assert judge(claims("较上年减少 1,601.00 元")[0], [change], D("0.01")) is None  # one 尾差 in 万元 is 100 元
