"""What the author wrote reaches the page, in the form's own words: 类-level 年初预算, 三公 usage and counts as given,
the author's own paragraphs, the form's “nothing to report” sentences, last year's figures a final build needs, and
a warning for every text a form does not print."""

from decimal import Decimal as D

import pytest
from conftest import EXAMPLE, build_page
from test_phrases import BASE

from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.model import ItemNote
from generator.forms.profiles import load_profile
from generator.forms.wording import NONE_WORDING, none_sentences, read_wording
from generator.pipeline.checking import check_files
from generator.source.shapes import Reader
from generator.source.yamlfile import Source

THREE_PUBLIC_TABLE = ("  three_public: {budget: {abroad: 3, vehicle_operation: 2, reception: 2, training: 1}, "
                      "actual: {abroad: 2.5, vehicle_operation: 1.8, reception: 1, training: 0.8}}\n")


def with_table(text: str) -> str:
    return text.replace("  fiscal_summary:", THREE_PUBLIC_TABLE + "  fiscal_summary:")


def section(page, key: str) -> str:
    return page.select_one(f"#s-{key}").get_text(" ", strip=True)


def rules(findings, rule: str) -> list:
    return [f for f in findings if f.rule == rule]


# -- 类-level 年初预算 ---------------------------------------------------------------------------------------------

def test_budgets_given_per_class_cover_their_items():
    dept = load_department(EXAMPLE)
    t05 = compute(dept, load_profile())["t05"]
    classes = {row.code: row for row in t05.rows if row.level == 1}
    # the document states 年初预算 per 类 only: each 类's total, no 项 budgets
    dept.narrative.items.clear()
    for code, row in classes.items():
        dept.narrative.items[code] = ItemNote(row.value("total"), "")
    dept.narrative.general_budget.pop("budget", None)
    c = compute(dept, load_profile())
    found = check_computed(c)
    assert not [f for f in found if f.rule.startswith("budget-")], [f.format() for f in found if f.rule.startswith("budget-")]
    s = c.narrative["general_budget"]
    assert s["budget_entered"] and s["budget"] == sum((row.value("total") for row in classes.values()), D(0))
    assert not any(item["budget_entered"] for item in s["entries"])  # no 项 prints a budget of its own
    assert all(group["budget"] == group["actual"] for group in s["by_class"])  # Shanxi's 五（三） by 类


def test_a_class_budget_beside_its_items_must_add_up():
    dept = load_department(EXAMPLE)
    first = next(iter(dept.narrative.items))
    dept.narrative.items[first[:3]] = ItemNote(D("1.00"), "")
    found = rules(check_computed(compute(dept, load_profile())), "budget-levels")
    assert [f.field for f in found] == [f"narrative.general_budget.items.{first[:3]}.budget"]


def test_an_item_without_any_budget_is_still_an_error():
    dept = load_department(EXAMPLE)
    code = next(iter(dept.narrative.items))
    dept.narrative.items[code] = ItemNote(None, "")
    assert [f.field for f in rules(check_computed(compute(dept, load_profile())), "budget-items")] == [
        f"narrative.general_budget.items.{code}"]


@pytest.mark.slow
def test_an_item_covered_by_its_class_prints_no_budget_of_its_own(tmp_path):
    page = build_page(tmp_path, BASE + "narrative:\n  general_budget:\n    items:\n      208: {budget: 75.00}\n")
    text = section(page, "general_budget")
    assert "年初预算 75.00 万元，支出决算 80.00 万元，完成年初预算的 106.67%" in text
    item = page.select_one("#item-2080101").get_text(" ", strip=True)
    assert "支出决算数为 80.00 万元。" in item and "年初预算" not in item  # never “年初预算数为 0.00 万元”


# -- 三公: usage, counts as given, amount and rate where the form prints them -----------------------------------

@pytest.mark.slow
def test_three_public_usage_and_counts_print_only_as_given(tmp_path):
    narrative = ("narrative:\n  general_budget:\n    items:\n      2080101: {budget: 80.00}\n"
                 "  three_public:\n    abroad: {groups: 1, purpose: 主要用于赴新加坡考察社保经办}\n"
                 "    reception: {domestic_people: 12}\n    training: {count: 2}\n")
    text = section(build_page(tmp_path, with_table(BASE + narrative)), "three_public")
    assert "全年因公出国（境）团组 1 个。主要用于赴新加坡考察社保经办。" in text  # 人次 not given: not printed
    assert "来宾 12 人次。" in text and "外宾接待支出" not in text  # the split was not given
    assert "全年组织培训 2 次。" in text
    assert "0 人次" not in text and "0 个" not in text and "保有量" not in text


@pytest.mark.slow
def test_sichuan_three_public_prints_no_counts_that_were_not_given(tmp_path):
    text = section(build_page(tmp_path, "profile: sichuan\n" + with_table(BASE)), "three_public")
    assert "团组" not in text and "0 人" not in text and "0 辆" not in text and "批次" not in text
    assert "外事接待支出" not in text  # the split was not given


@pytest.mark.slow
def test_the_three_public_change_prints_amount_and_rate_where_the_form_says_so(tmp_path):
    narrative = ("narrative:\n  general_budget:\n    items:\n      2080101: {budget: 80.00}\n"
                 "  three_public:\n    previous: {total: 6.56, abroad: 2.66}\n"
                 "    abroad: {reason_previous: 出访团组减少}\n")
    site = tmp_path / "default"
    site.mkdir()
    default = section(build_page(site, with_table(BASE + narrative)), "three_public")
    assert "决算数较上年减少的主要原因是出访团组减少。" in default and "下降" not in default  # Shaanxi: the reason
    profiles = tmp_path / "content" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "changes.yaml").write_text("extends: shaanxi\ntitle: 测试\nphrases: {three_public_change: 增减额和幅度}\n",
                                           encoding="utf-8")
    text = section(build_page(tmp_path, "profile: changes\n" + with_table(BASE + narrative)), "three_public")
    assert "与上年相比减少 0.16 万元，下降 6.02%，主要原因是出访团组减少。" in text  # 2.50 against 2.66
    assert "与上年相比减少 1.26 万元，下降 19.21%" in text  # the total: 5.30 against 6.56


# -- the author's own paragraphs --------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_author_may_write_a_section_or_an_item_in_their_own_words(tmp_path):
    narrative = ("narrative:\n  income:\n    text: 本年收入全部为财政拨款收入 **100.00** 万元。\n"
                 "  general_budget:\n    items:\n      2080101: {budget: 80.00, text: 行政运行全年支出 80.00 万元，与年初预算持平。}\n"
                 "  three_public:\n    training: {text: 本年度培训费支出 0.80 万元，用于业务培训。}\n")
    page = build_page(tmp_path, with_table(BASE + narrative))
    income = page.select_one("#s-income")
    assert income.select_one(".own-text strong").get_text() == "100.00"
    assert "其中：" not in income.get_text()  # the generated list is replaced, not added to
    item = page.select_one("#item-2080101").get_text(" ", strip=True)
    assert "行政运行全年支出 80.00 万元，与年初预算持平。" in item and "年初预算数为" not in item
    three = section(page, "three_public")
    assert "本年度培训费支出 0.80 万元，用于业务培训。" in three and "安排培训费预算" not in three


# -- the form's “nothing to report” sentences -----------------------------------------------------------------

def test_a_profile_words_its_none_sentences_and_keeps_the_others():
    shanghai = load_profile("shanghai").none_sentences("普陀区财政局", 2024)
    assert shanghai["general_budget"] == "普陀区财政局2024年度无一般公共预算财政拨款支出。"
    assert shanghai["abroad"] == NONE_WORDING["abroad"]  # not named: the built-in wording
    assert load_profile().none_sentences("测试局", 2023)["procurement"] == "本部门 2023 年度无政府采购支出。"
    assert none_sentences({}, "x", 2023).keys() == NONE_WORDING.keys()


def test_a_none_sentence_names_only_the_department_and_the_year():
    source = Source("p.yaml", {"wording": {"procurement": "无采购 {amount} 万元", "nothing": "x"}},
                    {("wording", "procurement"): 3, ("wording", "nothing"): 4})
    r = Reader(source)
    assert read_wording(r, source.data["wording"]) == {}
    messages = [p.format() for p in r.problems]
    assert any("p.yaml:3" in m and "{department}" in m and "无采购 {amount} 万元" in m for m in messages), messages
    assert any("p.yaml:4" in m and "没有这句措辞" in m for m in messages), messages


@pytest.mark.slow
def test_a_site_profile_rewords_a_none_sentence(tmp_path):
    profiles = tmp_path / "content" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "ours.yaml").write_text("extends: shaanxi\ntitle: 测试\nwording:\n"
                                        "  procurement: \"{department}{year}年度未发生政府采购。\"\n", encoding="utf-8")
    page = build_page(tmp_path, "profile: ours\n" + BASE + "narrative:\n  procurement: {goods: 0, works: 0, services: 0}\n")
    assert "测试局2023年度未发生政府采购。" in section(page, "procurement")


# -- last year's figures a final build needs --------------------------------------------------------------------

def test_last_years_figures_are_required_where_the_form_compares_with_them():
    dept = load_department(EXAMPLE)
    dept.narrative.fiscal.pop("previous_total")
    found = rules(check_computed(compute(dept, load_profile())), "previous-missing")
    assert [(f.severity, f.field) for f in found] == [("错误", "narrative.fiscal.previous_total")]
    # a null written on purpose (the document states no such figure) is not asked for; a key left empty is
    line = dept.source.lines[("narrative", "fiscal", "previous_total")]
    for written, asked in (("previous_total: null  # 公开文本未印", False), ("{previous_total: ~, reason: x}", False),
                           ("previous_total:", True), ("previous_total:  # 上年数", True)):
        lines = dept.source.text.splitlines()
        lines[line - 1] = "    " + written
        dept.source.text = "\n".join(lines)
        assert bool(rules(check_computed(compute(dept, load_profile())), "previous-missing")) == asked, written


def test_an_item_without_spending_needs_no_last_year_figure():
    dept = load_department(EXAMPLE)  # no 因公出国（境）费 in 2023, and no 上年数 for it
    assert dept.narrative.three_public["previous"].get("abroad") is None
    assert not rules(check_computed(compute(dept, load_profile())), "previous-missing")


# -- every text the author wrote reaches the page -----------------------------------------------------------------

def checked(tmp_path, text: str) -> list:
    content = tmp_path / "content" / "2023"
    content.mkdir(parents=True)
    (content / "t.yaml").write_text(text, encoding="utf-8")
    return check_files([content / "t.yaml"]).findings


def test_a_text_the_form_does_not_print_is_warned_of(tmp_path):
    narrative = ("narrative:\n  general_budget:\n    items:\n      2080101: {budget: 80.00}\n"
                 "  three_public:\n    training: {reason_budget: 部分培训采用线上方式开展}\n"
                 "  performance: \"1\\\\. 项目绩效自评综述：**全部**完成\"\n")
    found = rules(checked(tmp_path / "sichuan", "profile: sichuan\n" + with_table(BASE + narrative)), "text-printed")
    # Sichuan's 情况说明 does not speak of 培训费; the Markdown of the 绩效 text is not a difference
    assert [(f.severity, f.field) for f in found] == [("警告", "narrative.three_public.training.reason_budget")]
    assert "部分培训采用线上方式开展" in found[0].message
    assert not rules(checked(tmp_path / "default", with_table(BASE + narrative)), "text-printed")


def test_the_example_prints_every_text_it_was_given():
    found = check_files(sorted((EXAMPLE.parent.parent).glob("*/*.yaml"))).findings
    assert not rules(found, "text-printed"), [f.format() for f in rules(found, "text-printed")]


def test_an_own_paragraph_is_held_to_its_tables_as_the_audit_holds_a_pdf():
    dept = load_department(EXAMPLE)
    dept.narrative.overall["text"] = ("2023 年度收入、支出总计均为 9000.00 万元，与上年相比增加 390.86 万元，增长 4.45%。")
    found = [f for f in check_computed(compute(dept, load_profile())) if f.rule == "text-figures"]
    messages = " ".join(f.message for f in found)
    assert all(f.field == "narrative.overall.text" for f in found) and len(found) == 2, messages
    assert "9192.86 万元不符" in messages and "幅度应为 4.54%，文中为 4.45%" in messages  # 390.86 over 9000 - 390.86


def test_equipment_alone_prints_no_vehicle_counts():
    dept = load_department(EXAMPLE)
    dept.narrative.assets.clear()
    dept.narrative.assets.update({"equipment": 1})
    assets = compute(dept, load_profile()).narrative["assets"]
    assert not assets["vehicles_entered"] and assets["equipment_entered"]
