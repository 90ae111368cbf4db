"""The 情况说明's words follow the figures: directions, zero bases, empty tables."""

from decimal import Decimal as D

from bs4 import BeautifulSoup
from conftest import build_page

from generator.compute.narrative import change, completion

BASE = """\
year: 2023
department: {name: 测试局}
cover: {secrecy_review: 已审查, head_approval: 已审签}
overview: {duties: [职责], units: [测试局（本级）], staff: {retired: 0}}
tables:
  income:
    2080101: {fiscal: 100.00}
    2120899: {fiscal: 20.00}
  expenditure:
    2080101: {basic: 80.00}
    2120899: {project: 12.00}
  general_budget:
    2080101: {basic: 80.00}
  gov_fund:
    2120899: {opening: 5.00, income: 20.00, project: 12.00}
  basic_detail:
    30101: 80.00
  fiscal_summary:
    income: {general: 100.00}
"""


def page_for(tmp_path, narrative: str) -> BeautifulSoup:
    return build_page(tmp_path, BASE + narrative)


def test_change_words_follow_the_figures():
    assert change(D("110"), D("100")).direction == "增加" and change(D("110"), D("100")).rate == D("10.00")
    assert change(D("90"), D("100")).verb == "下降"
    assert change(D("100.001"), D("100")).direction == "持平"  # equal at printed precision
    assert change(D("5"), D("0")).rate is None  # never "增长∞%"


def test_completion_words_follow_the_figures():
    assert completion(D("231.51"), D("225")).comparison == "大于"
    assert completion(D("0.7"), D("0.70")).comparison == "等于"
    assert completion(D("10.46"), D("0")).rate is None


def test_last_year_zero_has_no_growth_rate(tmp_path):
    page = page_for(tmp_path, """\
narrative:
  overall: {previous_total: 0, reason: 本年新设部门}
  general_budget:
    items:
      2080101: {budget: 80.00}
""")
    text = page.select_one("#s-overall").get_text()
    assert "增加 120.00 万元（上年为零，不计算增减幅度）" in text
    assert "∞" not in page.get_text() and "inf" not in page.get_text().lower()


def test_equal_budget_needs_no_reason_and_says_so(tmp_path):
    page = page_for(tmp_path, """\
narrative:
  overall: {previous_total: 120.00}
  general_budget:
    items:
      2080101: {budget: 80.00}
""")
    assert "与上年相比收入、支出总计持平" in page.select_one("#s-overall").get_text()
    item = page.select_one("#item-2080101").get_text()
    assert "完成年初预算的 100.00%，决算数与预算数持平。" in item


def test_a_fund_table_with_figures_is_described(tmp_path):
    page = page_for(tmp_path, """\
narrative:
  general_budget:
    items:
      2080101: {budget: 80.00}
  gov_fund: {reason: 土地出让收入安排的项目支出}
""")
    text = page.select_one("#s-gov_fund").get_text()
    assert "年初结转和结余 5.00 万元，本年收入 20.00 万元，本年支出 12.00 万元" in text
    assert "年末结转和结余 13.00 万元" in text
    assert "已公开空表" not in text
    index = [td.get_text() for td in page.select("table.table-index tbody tr")[6].find_all("td")]
    assert index[2] == "否"


def test_an_empty_fund_table_after_a_year_with_spending_says_what_changed(tmp_path):
    page = page_for(tmp_path, """\
narrative:
  general_budget:
    items:
      2080101: {budget: 80.00}
  soe_capital: {previous: 30.00, reason: 上年的国有资本经营预算项目已完成}
""")
    text = " ".join(page.select_one("#s-soe_capital").get_text().split())
    assert "无国有资本经营预算财政拨款收支，已公开空表。" in text
    assert "本年支出与上年相比减少 30.00 万元，下降 100.00%。主要原因是上年的国有资本经营预算项目已完成。" in text
