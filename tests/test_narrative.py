"""The 情况说明 figures of sections 一–六, 九 and 十 equal the reference's."""

import re
from collections import Counter
from decimal import Decimal

import pytest
import reference as R

SECTION_TITLES = {
    "overall": "一、收入支出决算总体情况说明",
    "income": "二、收入决算情况说明",
    "expenditure": "三、支出决算情况说明",
    "fiscal": "四、财政拨款收入支出决算总体情况说明",
    "general_budget": "五、一般公共预算财政拨款支出决算情况说明",
    "basic": "六、一般公共预算财政拨款基本支出决算情况说明",
    "three_public": "九、财政拨款“三公”经费及会议费、培训费支出决算情况说明",
    "operating_costs": "十、机关运行经费支出情况说明",
}
NEXT_TITLE = {
    "overall": "二、收入决算情况说明", "income": "三、支出决算情况说明", "expenditure": "四、财政拨款收入支出决算总体情况说明",
    "fiscal": "五、一般公共预算财政拨款支出决算情况说明", "general_budget": "六、一般公共预算财政拨款基本支出决算情况说明",
    "basic": "七、政府性基金预算财政拨款收入支出情况说明", "three_public": "十、机关运行经费支出情况说明",
    "operating_costs": "十一、政府采购支出情况说明",
}
# Figures the published text gets wrong, and the corrected values the page prints.
CORRECTIONS = {
    "general_budget": {
        # 年初预算 total: printed 4106.46, but the 26 items it lists add up to 4039.37,
        # which moves the completion rate from 195.30% to 198.54%.
        Decimal("4106.46"): Decimal("4039.37"),
        Decimal("195.30"): Decimal("198.54"),
        # 2080704: 1348.01 / 200 = 674.005% → 674.01% rounded half-up (printed "674%").
        Decimal("674"): Decimal("674.01"),
    },
}
NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?")
LIST_MARKER = re.compile(r"^\s*\**\s*\d+\.\s*(?!\d)", re.M)


def numbers(text: str) -> Counter:
    text = LIST_MARKER.sub("", text)
    return Counter(Decimal(n.replace(",", "")).normalize() for n in NUMBER.findall(text))


def reference_section(key: str) -> str:
    text = R.REFERENCE.read_text(encoding="utf-8")
    part_two = text.index("第二部分 2023 年度部门决算情况说明", text.index("第二部分 2023 年度部门决算情况说明") + 1)
    start = text.index(SECTION_TITLES[key], part_two)
    end = text.index(NEXT_TITLE[key], start)
    return text[start + len(SECTION_TITLES[key]):end]


@pytest.mark.parametrize("key", sorted(SECTION_TITLES))
def test_section_figures_equal_reference(example_page, key):
    expected = numbers(reference_section(key))
    for wrong, right in CORRECTIONS.get(key, {}).items():
        wrong, right = wrong.normalize(), right.normalize()
        assert expected[wrong] >= 1, f"reference no longer prints {wrong}"
        expected[wrong] -= 1
        expected[right] += 1
    section = example_page.select_one(f"#s-{key}")
    text = "\n".join(p.get_text() for p in section.find_all(["p", "h4", "h5"])  # the reference has no charts
                     if not p.find_parent("figure") and "chart-note" not in p.get("class", []))
    got = numbers(text)
    assert +got == +expected


def test_shares_are_computed_from_exact_values(example_page):
    text = example_page.select_one("#s-income").get_text()
    assert "财政拨款收入 7987.94 万元，占 87.78%" in text
    assert "其他收入 1112.04 万元，占 12.22%" in text


def test_empty_fund_tables_say_so(example_page):
    assert example_page.select_one("#s-gov_fund p").get_text() == "本部门 2023 年度无政府性基金预算财政拨款收支，已公开空表。"
    assert example_page.select_one("#s-soe_capital p").get_text() == "本部门 2023 年度无国有资本经营预算财政拨款收支，已公开空表。"


def test_basic_expenditure_lists_the_economic_items_spent(example_page):
    text = example_page.select_one("#s-basic").get_text()
    assert "主要包括：基本工资、津贴补贴、奖金、绩效工资" in text
    assert "伙食补助费" not in text  # nothing spent on it
