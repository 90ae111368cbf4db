"""The built-in Sichuan profile: reference 001's 情况说明 (遂宁市安居区人力资源和社会保障局 2023), applied to the example.

001 prints its first three sections without numbers, then 四、…八、, then two more without numbers; it writes
the 科目 as "208（类）01（款）01（项）", lists income by fund source and the 一般公共预算 spending by 类 with
shares, numbers its charts 图1–图7 and has its own 名词解释. The figures are the example's, as on the Shaanxi
page: only the wording and the arrangement differ.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE

from generator.authoring.newfile import FormFields
from generator.errors import ContentError
from generator.forms.glossary import GLOSSARY_DIR
from generator.forms.profiles import load_profile
from generator.forms.sections import walk
from generator.pipeline.build import build
from generator.pipeline.checking import load_computed

# 001's 第二部分, headings as printed (h3 sections, h4 their (一)(二)…).
SECTIONS_001 = [
    "收入支出决算总体情况说明",
    "收入决算情况说明",
    "支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明",
    "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明",
    "七、财政拨款“三公”经费支出决算情况说明",
    "八、政府性基金预算支出决算情况说明",
    "国有资本经营预算支出决算情况说明",
    "其他重要事项的情况说明",
]
SUBSECTIONS_001 = {
    "general_budget": ["（一）一般公共预算财政拨款支出决算总体情况", "（二）一般公共预算财政拨款支出决算结构情况",
                       "（三）一般公共预算财政拨款支出决算具体情况"],
    "three_public": ["（一）“三公”经费财政拨款支出决算总体情况说明", "（二）“三公”经费财政拨款支出决算具体情况说明"],
    # the example also has 其他需要说明的情况, which 001 lacks: it follows as (五)
    "other_matters": ["（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况", "（四）预算绩效管理情况",
              "（五）其他需要说明的情况"],
}
CHARTS_001 = [  # caption title, section
    ("图1：收、支决算总计变动情况图", "overall"),
    ("图2：收入决算结构图", "income"),
    ("图3：支出决算结构图", "expenditure"),
    ("图4：财政拨款收、支决算总计变动情况", "fiscal"),
    ("图5：一般公共预算财政拨款支出决算变动情况", "general_budget"),
    ("图6：一般公共预算财政拨款支出决算结构", "general_budget"),
    ("图7：“三公”经费财政拨款支出结构", "three_public"),
]
GLOSSARY_001 = ["财政拨款收入", "基本支出", "项目支出", "“三公”经费", "机关运行经费"]
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SHARE = re.compile(r"([^：；，]+?) (\d+\.\d{2}) 万元，占 (\d+\.\d{2})%")


def page(site: Path, dept: str = "xianyang-rsj", year: int = 2023) -> BeautifulSoup:
    return BeautifulSoup((site / str(year) / dept / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def sichuan_site(example_site):
    return example_site("sichuan")


@pytest.fixture(scope="module")
def sichuan_page(sichuan_site):
    return page(sichuan_site)


def section(soup: BeautifulSoup, key: str):
    return soup.find("section", id=f"s-{key}")


def text(el) -> str:
    return el.get_text("", strip=True)


def test_sections_numbered_and_titled_as_in_001(sichuan_page):
    part = sichuan_page.find(id="part-2")
    assert [text(h) for h in part.find_all("h3")] == SECTIONS_001
    toc = sichuan_page.find("a", href="#part-2").find_next("ol")
    assert [text(a) for a in toc.find_all("a")] == SECTIONS_001
    for key, titles in SUBSECTIONS_001.items():
        s = section(sichuan_page, key)  # its own h4s, or its sub-sections' (其他重要事项)
        headings = s.find_all("h4", recursive=False) or [sub.h4 for sub in s.find_all("section", recursive=False)]
        assert [text(h) for h in headings] == titles


def test_position_numbering_counts_unnumbered_sections_and_shaanxi_keeps_its_own():
    sichuan = load_profile("sichuan")
    assert sichuan.numbering == "position"
    assert [sichuan.numbers()[s.key] for s in sichuan.sections] == ["", "", "", "四", "五", "六", "七", "八", "", ""]
    shaanxi = load_profile()
    assert shaanxi.numbering == "numbered-only"
    assert list(shaanxi.numbers().values())[:3] == ["一", "二", "三"] and list(shaanxi.numbers().values())[-1] == "十四"
    assert sichuan.charts and "staff_structure" not in sichuan.charts
    assert sichuan.phrase("code_style") == "类款项" and shaanxi.phrase("code_style") == ""


def test_unknown_numbering_is_a_located_error(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "odd.yaml").write_text("extends: sichuan\nnumbering: roman\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_profile("odd", tmp_path)
    problem = err.value.problems[0]
    assert problem.field == "numbering" and "position" in problem.expected and problem.found == "“roman”"  # as the Reader shows a found value


def test_items_use_001_code_style_with_the_shaanxi_figures(sichuan_page, example_page):
    items = section(sichuan_page, "general_budget").select("ol.budget-items > li")
    assert text(sichuan_page.find(id="item-2080101")) == (
        "社会保障和就业208（类）01（款）01（项）：支出决算为 1264.66 万元，完成预算 91.17%，"
        "决算数小于预算数的主要原因是人员经费年初部门预算编制略大。")
    assert text(sichuan_page.find(id="item-2080502")) == (
        "社会保障和就业208（类）05（款）02（项）：支出决算为 0.70 万元，完成预算 100.00%，决算数与预算数持平。")
    assert text(sichuan_page.find(id="item-2019999")).startswith(
        "一般公共服务201（类）99（款）99（项）：支出决算为 10.46 万元，决算数大于预算数的主要原因是")
    assert text(sichuan_page.find(id="item-2210201")).startswith("住房保障221（类）02（款）01（项）：支出决算为 154.38 万元")
    shaanxi = {li["id"]: li for li in example_page.select("ol.budget-items > li")}
    assert [li["id"] for li in items] == list(shaanxi)
    for li in items:
        # Shaanxi: 年初预算数 …，支出决算数 …，完成年初预算的 …%; Sichuan leaves out the budget amount
        mine = NUMBER.findall(text(li).split("：", 1)[1])
        theirs = NUMBER.findall(text(shaanxi[li["id"]].find_all("p")[1]))[1:]
        assert mine == theirs, li["id"]
    lead = text(section(sichuan_page, "general_budget").find_all("h4")[2].find_next("p"))
    assert lead == "2023 年度一般公共预算支出决算数为 8019.96 万元，完成预算 198.54%。其中："


def test_general_budget_by_class_with_shares_adding_up(sichuan_page):
    c = load_computed(EXAMPLE)
    t05 = c["t05"]
    paragraph = text(section(sichuan_page, "general_budget").find_all("h4")[1].find_next("p"))
    assert paragraph.startswith("2023 年度一般公共预算财政拨款支出 8019.96 万元，主要用于以下方面：")
    listed = SHARE.findall(paragraph.split("主要用于以下方面：", 1)[1])
    assert [name for name, _, _ in listed] == [row.name for row in t05.rows if row.level == 1]
    assert [Decimal(a) for _, a, _ in listed] == [row.value("total") for row in t05.rows if row.level == 1]
    # the example states 208 as published (7771.07; its 项 add up to 7771.06): a 尾差 of 0.01 per 类 at most
    assert t05.total.value("total") == Decimal("8019.96")
    assert abs(sum(Decimal(a) for _, a, _ in listed) - t05.total.value("total")) <= Decimal("0.01") * len(listed)
    shares = [Decimal(s) for _, _, s in listed]
    assert abs(sum(shares) - 100) <= Decimal("0.01") * len(shares)
    assert ("社会保障和就业支出", "7771.07", "96.90") in listed


def test_income_and_expenditure_list_every_line_as_001(sichuan_page):
    income = text(section(sichuan_page, "income").p)
    assert income == (
        "2023 年度本年收入合计 9099.99 万元，其中：一般公共预算财政拨款收入 7987.94 万元，占 87.78%；"
        "政府性基金预算财政拨款收入 0.00 万元，占 0.00%；国有资本经营预算财政拨款收入 0.00 万元，占 0.00%；"
        "上级补助收入 0.00 万元，占 0.00%；事业收入 0.00 万元，占 0.00%；经营收入 0.00 万元，占 0.00%；"
        "附属单位上缴收入 0.00 万元，占 0.00%；其他收入 1112.04 万元，占 12.22%。")
    assert [name for name, _, _ in SHARE.findall(text(section(sichuan_page, "expenditure").p))] == [
        "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    assert text(section(sichuan_page, "overall").p) == (
        "2023 年度收、支总计均为 9192.86 万元。与 2022 年度相比，收、支总计各增加 390.86 万元，增长 4.44%。"
        "主要变动原因是其他收入中的公务人员录用考试及事业单位招聘考试工作经费收支增加。")


def test_three_public_as_001_without_meeting_and_training(sichuan_page):
    s = section(sichuan_page, "three_public")
    body = text(s)
    assert "会议费" not in body and "培训费" not in body
    assert ("2023 年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算 0.00 万元，占 0.00%；"
            "公务用车购置及运行维护费支出决算 0.00 万元，占 0.00%；公务接待费支出决算 1.96 万元，占 100.00%。") in body
    assert "公务接待费支出决算比 2022 年度增加 0.76 万元，增长 63.33%。增加主要原因是" in body
    assert "国内公务接待 13 批次，69 人次（不包括陪同人员），共计支出 1.96 万元。" in body


def test_other_matters_gather_the_shaanxi_sections(sichuan_page):
    s = section(sichuan_page, "other_matters")
    assert text(s.find_all("h4")[0].find_next("p")) == (
        "2023 年度，咸阳市人力资源和社会保障局机关运行经费支出 178.24 万元，比 2022 年度增加 94.50 万元，增长 112.85%。"
        "主要原因是人员经费交通补贴列入日常公用经费决算。")
    assert "政府采购服务支出 3.51 万元" in text(s.find_all("h4")[1].find_next("p"))
    for key in ("operating_costs", "procurement", "assets", "performance", "other"):  # sub-sections of 其他重要事项
        assert section(sichuan_page, key).find_parent("section", class_="explanation")["id"] == "s-other_matters"


def test_the_optional_fifth_is_printed_only_when_written(tmp_path):
    """（五）其他需要说明的情况 is optional in the Sichuan form: a department that wrote none has （一）—（四）."""
    profile = load_profile("sichuan")
    written = [h.text for h in walk(profile.outline(frozenset({"performance"}))) if h.depth == 2]
    assert written[-2:] == ["（三）国有资产占有使用情况", "（四）预算绩效管理情况"]
    assert [h.text for h in walk(profile.outline(frozenset({"other"})))][-1] == "（五）其他需要说明的情况"
    # a new file for the form offers every sub-section's fields (they are nested in 其他重要事项)
    fields = FormFields.of(profile, 2024, None)
    assert {"operating_costs", "procurement", "assets", "performance", "other"} <= fields.sections


def test_charts_numbered_in_001_order_under_their_sections(sichuan_page):
    captions = [(fig.figcaption.get_text().split("（单位")[0], fig.find_parent("section", class_="explanation")["id"][2:])
                for fig in sichuan_page.find_all("figure", class_="chart")]
    # the example's “三公” spending is all 公务接待费: a one-slice pie is a sentence, not 图7
    assert captions == CHARTS_001[:6]
    note = section(sichuan_page, "three_public").find("p", class_="chart-note")
    assert note and "全部为公务接待费" in text(note)
    assert "人员结构图" not in sichuan_page.get_text()


@pytest.mark.slow
def test_seventh_chart_when_three_public_has_two_items(tmp_path):
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    source = EXAMPLE.read_text(encoding="utf-8")
    changed = re.sub(r"(    actual:  # 决算数\n(?:      .*\n)*?      vehicle_operation: )0\.00", r"\g<1>1.00", source)
    assert changed != source
    (content / "2023" / EXAMPLE.name).write_text(changed, encoding="utf-8")
    build(content, tmp_path / "site", pdf=False, profile="sichuan", draft=True)
    soup = page(tmp_path / "site")
    captions = [(fig.figcaption.get_text().split("（单位")[0], fig.find_parent("section", class_="explanation")["id"][2:])
                for fig in soup.find_all("figure", class_="chart")]
    assert captions == CHARTS_001


@pytest.mark.slow
def test_glossary_is_001s_for_departments_on_the_default_terms(sichuan_site, sichuan_page, tmp_path):
    terms = [t["term"] for t in yaml.safe_load((GLOSSARY_DIR / "sichuan.yaml").read_text(encoding="utf-8"))["terms"]]
    assert terms == GLOSSARY_001
    # demo-tongji extends the default glossary: the Sichuan terms replace the default ones, its own follow
    demo = [text(li.strong) for li in page(sichuan_site, "demo-tongji").select("ol.glossary > li")]
    assert demo[:len(GLOSSARY_001)] == GLOSSARY_001 and "上级补助收入" not in demo
    # the example replaces the glossary with its own: kept
    assert text(sichuan_page.select("ol.glossary > li")[0].strong) == "基本支出"
    # without its own glossary, the example shows exactly 001's terms, with 001's text
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    source = EXAMPLE.read_text(encoding="utf-8")
    trimmed = re.sub(r"\nglossary:.*?\n(?=\S)", "\n", source, flags=re.S)
    assert "专业名词解释\n  mode" not in trimmed and "attachments:" in trimmed
    (content / "2023" / EXAMPLE.name).write_text(trimmed, encoding="utf-8")
    build(content, tmp_path / "site", pdf=False, profile="sichuan")
    items = page(tmp_path / "site").select("ol.glossary > li")
    assert [text(li.strong) for li in items] == GLOSSARY_001
    assert text(items[0]) == "财政拨款收入：指单位从同级财政部门取得的财政预算资金。"


def test_nine_tables_as_in_the_default_profile(sichuan_page, example_page):
    assert str(sichuan_page.find(id="part-3")) == str(example_page.find(id="part-3"))


@pytest.mark.slow
def test_code_style_is_a_phrase_of_the_profile(tmp_path):
    """A profile built on Sichuan without the code_style phrase writes the 科目 the Shaanxi way."""
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    (content / "2023" / EXAMPLE.name).write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (content / "profiles").mkdir()
    (content / "profiles" / "plain.yaml").write_text("extends: sichuan\nphrases: {}\n", encoding="utf-8")
    build(content, tmp_path / "site", pdf=False, profile="plain")
    assert text(page(tmp_path / "site").find(id="item-2080101")).startswith(
        "社会保障和就业支出（208）人力资源和社会保障管理事务（01）行政运行（01）：支出决算为 1264.66 万元")
