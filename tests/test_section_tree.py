"""The 情况说明 as a tree in the profile: sections and sub-sections, numbered per level, headings and 目录 following
the depth; Shanxi's ten sections as its 2023 disclosure prints them; a bad tree gives located messages."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from conftest import CONTENT

from generator.errors import ContentError
from generator.forms.profiles import load_profile
from generator.forms.sections import NUMBER_STYLES, walk
from generator.pipeline.build import build

SHANXI_SECTIONS = ["一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
                   "四、财政拨款收支决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
                   "六、一般公共预算财政拨款基本支出决算情况说明", "七、政府性基金预算财政拨款收支决算情况说明",
                   "八、国有资本经营预算财政拨款支出决算情况说明", "九、财政拨款“三公”经费支出决算情况说明",
                   "十、其他重要事项情况说明"]
SHANXI_OTHER_MATTERS = ["（一）机关运行经费支出情况说明", "（二）政府采购情况说明", "（三）国有资产占用情况说明",
                        "（四）预算绩效情况说明"]
SHANXI_PERFORMANCE = ["1、预算绩效管理工作开展情况", "2、其他需要说明的事项"]  # narrative.performance, narrative.other


def texts(tags) -> list[str]:
    return [t.get_text(strip=True) for t in tags]


def one_department(tmp_path: Path, site_yaml: str = "", profiles: dict[str, str] | None = None,
                   pdf: bool = False) -> BeautifulSoup:
    """The demo department of 2023 built alone (HTML only unless ``pdf``) with ``site_yaml`` and the site's own
    ``profiles``."""
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "2023" / "demo-tongji.yaml", content / "2023")
    (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    if profiles:
        (content / "profiles").mkdir()
        for name, text in profiles.items():
            (content / "profiles" / f"{name}.yaml").write_text(text, encoding="utf-8")
    build(content, tmp_path / "site", pdf=pdf)
    return BeautifulSoup((tmp_path / "site" / "2023" / "demo-tongji" / "index.html").read_text(encoding="utf-8"),
                         "lxml")


def explanation(soup: BeautifulSoup):
    return soup.select_one("#s-overall").parent  # the 情况说明 part, whatever its number and anchor


def toc_entries(soup: BeautifulSoup):
    """The 目录's entries of the 情况说明: every link to a section, with its nesting (0 for a first-level one)."""
    links = soup.select('nav.toc a[href^="#s-"]')
    return [(a.get_text(strip=True), len(a.find_parents("ol")) - len(links[0].find_parents("ol"))) for a in links]


# --- Shanxi -----------------------------------------------------------------------------------------------------------

def test_shanxi_profile_is_the_tree_of_its_2023_disclosure():
    headings = load_profile("shanxi").outline()
    assert [h.text for h in headings] == SHANXI_SECTIONS
    assert [h.text for h in headings[-1].sections] == SHANXI_OTHER_MATTERS
    assert [h.text for h in headings[-1].sections[-1].sections] == SHANXI_PERFORMANCE
    assert headings[-1].template == "" and headings[-1].sections[-1].template == ""  # groups: headings only
    keys = [h.key for h in walk(headings)]
    assert len(keys) == len(set(keys)) == 16 and {"performance", "other"} <= set(keys)  # nothing the author wrote lost


@pytest.fixture(scope="module")
def shanxi_page(tmp_path_factory):
    return one_department(tmp_path_factory.mktemp("shanxi"), "profile: shanxi\n")


def test_shanxi_page_prints_the_sections_and_sub_sections_in_order(shanxi_page):
    part = explanation(shanxi_page)
    assert texts(part.select(":scope > section.explanation > h3")) == SHANXI_SECTIONS
    other_matters = shanxi_page.select_one("#s-other_matters")
    assert texts(other_matters.select(":scope > section.explanation > h4")) == SHANXI_OTHER_MATTERS
    performance = shanxi_page.select_one("#s-budget_performance")
    assert texts(performance.select(":scope > section.explanation > h5")) == SHANXI_PERFORMANCE
    assert shanxi_page.select_one("#s-other").find_parent("section", id="s-budget_performance")
    assert [h.name for h in other_matters.find_all(["h3", "h4", "h5"], recursive=False)] == ["h3"]  # no text of its own


def test_shanxi_toc_lists_the_same_tree(shanxi_page):
    assert toc_entries(shanxi_page) == ([(t, 0) for t in SHANXI_SECTIONS] + [(t, 1) for t in SHANXI_OTHER_MATTERS[:3]]
                                        + [(SHANXI_OTHER_MATTERS[3], 1)] + [(t, 2) for t in SHANXI_PERFORMANCE])
    assert [a["href"] for a in shanxi_page.select('nav.toc a[href^="#s-"]')][-6:] == [
        "#s-operating_costs", "#s-procurement", "#s-assets", "#s-budget_performance", "#s-performance", "#s-other"]


def outline_titles(items, depth: int = 0) -> list[tuple[str, int]]:
    """A PDF's bookmarks in order, each with its depth."""
    found = []
    for item in items:
        found += outline_titles(item, depth + 1) if isinstance(item, list) else [(item.title, depth)]
    return found


@pytest.mark.pdf
def test_shanxi_pdf_bookmarks_follow_the_tree(shanxi_pdf):
    bookmarks = outline_titles(PdfReader(shanxi_pdf).outline)
    start = [title for title, _ in bookmarks].index(SHANXI_SECTIONS[0])
    assert bookmarks[start:start + 16] == ([(t, 1) for t in SHANXI_SECTIONS] + [(t, 2) for t in SHANXI_OTHER_MATTERS]
                                           + [(t, 3) for t in SHANXI_PERFORMANCE])


# --- a site's own nested profile --------------------------------------------------------------------------------------

NESTED = """\
name: nested
title: 分级格式
extends: shaanxi
numbering: position
sections:
  - {key: overall, title: 总体情况}
  - key: money
    title: 收支情况
    sections:
      - {key: income, title: 收入}
      - {key: expenditure, title: 支出, numbered: false}
      - {key: fiscal, title: 财政拨款, number_style: （1）}
  - key: general_budget
    title: 一般公共预算
    number_style: "1."
    sections:
      - key: details
        title: 明细
        sections:
          - {key: basic, title: 基本支出}
          - {key: other, title: 其他}
"""


def test_a_nested_profile_numbers_each_level_among_its_siblings(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "nested.yaml").write_text(NESTED, encoding="utf-8")
    profile = load_profile("nested", tmp_path)
    assert [(h.text, h.depth, h.level) for h in walk(profile.outline())] == [
        ("一、总体情况", 1, 3), ("二、收支情况", 1, 3), ("（一）收入", 2, 4), ("支出", 2, 4), ("（3）财政拨款", 2, 4),
        ("3.一般公共预算", 1, 3), ("（一）明细", 2, 4), ("1、基本支出", 3, 5), ("2、其他", 3, 5)]
    assert profile.numbers()["fiscal"] == "3" and profile.numbers()["expenditure"] == ""  # position: 支出 keeps its place
    assert profile.section_keys == ("overall", "money", "income", "expenditure", "fiscal", "general_budget", "details",
                                    "basic", "other")
    assert set(NUMBER_STYLES) == {"一、", "（一）", "1、", "1.", "（1）"}


def test_a_nested_profile_renders_nested_headings_and_toc(tmp_path):
    soup = one_department(tmp_path, "profile: nested\n", {"nested": NESTED})
    part = explanation(soup)
    assert texts(part.select(":scope > section.explanation > h3")) == ["一、总体情况", "二、收支情况", "3.一般公共预算"]
    assert texts(soup.select("#s-money > section.explanation > h4")) == ["（一）收入", "支出", "（3）财政拨款"]
    assert texts(soup.select("#s-details > section.explanation > h5")) == ["1、基本支出", "2、其他"]
    # a group with a built-in key prints its own text before its sub-sections; one named its own way only its heading
    general = soup.select_one("#s-general_budget")
    assert general.find("p", recursive=False) and general.find("section", recursive=False)["id"] == "s-details"
    assert [c.name for c in soup.select_one("#s-money").find_all(recursive=False)] == ["h3", "section", "section",
                                                                                       "section"]
    assert toc_entries(soup) == [("一、总体情况", 0), ("二、收支情况", 0), ("（一）收入", 1), ("支出", 1), ("（3）财政拨款", 1),
                                 ("3.一般公共预算", 0), ("（一）明细", 1), ("1、基本支出", 2), ("2、其他", 2)]


def test_flat_profiles_keep_their_numbers():
    shaanxi, sichuan = load_profile("shaanxi"), load_profile("sichuan")
    assert all(not s.sections for s in shaanxi.sections + sichuan.sections[:-1])  # Sichuan's 其他重要事项 has five
    assert [h.label for h in shaanxi.outline()][-1] == "十四、" and {h.level for h in shaanxi.outline()} == {3}
    assert [h.label for h in sichuan.outline()] == ["", "", "", "四、", "五、", "六、", "七、", "八、", "", ""]


# --- bad trees --------------------------------------------------------------------------------------------------------

HEAD = "name: bad\ntitle: 有错的格式\nextends: shaanxi\nsections:\n"  # the sections start on line 5


def problems(tmp_path: Path, sections: str, monkeypatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "profiles").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / "profiles" / "bad.yaml").write_text(HEAD + sections, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_profile("bad", tmp_path / "content")
    return [p.format() for p in caught.value.problems]


def test_a_key_used_twice_anywhere_in_the_tree(tmp_path, monkeypatch):
    assert problems(tmp_path, "  - {key: other, title: 其他}\n"
                              "  - key: matters\n    title: 重要事项\n    sections:\n"
                              "      - {key: assets, title: 资产}\n      - {key: other, title: 又一次}\n", monkeypatch) == [
        "content/profiles/bad.yaml:10: 字段 sections[2].sections[2].key：同一节列了两次（应为每节只出现一次，实际为 “other”）"]


def test_an_unknown_key_or_field_in_a_sub_section(tmp_path, monkeypatch):
    assert problems(tmp_path, "  - key: matters\n    title: 重要事项\n    sections:\n"
                              "      - {key: asets, title: 资产}\n      - {key: income, title: 收入, colour: red}\n",
                    monkeypatch) == [
        "content/profiles/bad.yaml:8: 字段 sections[1].sections[1].key：没有这一节，是否应为 assets？（应为以下之一："
        "overall、income、expenditure、fiscal、general_budget、basic、gov_fund、soe_capital、three_public、"
        "operating_costs、procurement、assets、performance、other，实际为 “asets”）",
        "content/profiles/bad.yaml:9: 字段 sections[1].sections[2].colour：未知字段 colour（应为以下之一：key、title、"
        "toc_title、template、numbered、number_style、optional、sections，实际为 colour）"]


def test_a_tree_too_deep_a_missing_title_a_bad_style_or_group_key(tmp_path, monkeypatch):
    assert problems(tmp_path, "  - key: a\n    title: 一级\n    sections:\n"
                              "      - key: b\n        title: 二级\n        sections:\n"
                              "          - key: c\n            number_style: 一)\n            sections:\n"
                              "              - {key: income, title: 四级}\n"
                              "  - {key: 其他事项, title: 组, sections: [{key: assets, title: 资产}]}\n"
                              "  - {key: overall, title: 空组, sections: []}\n", monkeypatch) == [
        "content/profiles/bad.yaml:11: 字段 sections[1].sections[1].sections[1].title：缺少必填字段（应为文字，实际为 无）",
        "content/profiles/bad.yaml:12: 字段 sections[1].sections[1].sections[1].number_style：没有这种编号样式"
        "（应为以下之一：一、、（一）、1、、1.、（1），实际为 “一)”）",
        "content/profiles/bad.yaml:13: 字段 sections[1].sections[1].sections[1].sections：情况说明最多分 3 级"
        "（一、（一）、1、）（应为第 3 级的节不再写 sections，实际为 第 4 级的节）",
        "content/profiles/bad.yaml:15: 字段 sections[2].key：含下级节的一节，键应为内置的节或自己起的名字"
        "（应为内置的节，或小写字母开头的字母、数字和下划线（如 other_matters），实际为 “其他事项”）",
        "content/profiles/bad.yaml:16: 字段 sections[3].sections：下级节的列表为空（应为至少一节；没有下级节时不写 sections，"
        "实际为 空列表）"]


def test_shanxi_three_public_has_its_two_parts_and_no_training_or_meeting(shanxi_page):
    section = shanxi_page.select_one("#s-three_public")
    assert texts(section.select("h4")) == ["（一）“三公”经费财政拨款支出决算总体情况", "（二）“三公”经费财政拨款支出决算具体情况"]
    text = section.get_text()
    assert "培训费" not in text and "会议费" not in text
    assert [p.get_text().split("。")[0] for p in section.select("p")[1:]] == [
        "1. 因公出国（境）费", "2. 公务用车购置费", "3. 公务用车运行维护费", "4. 公务接待费"]


def test_shanxi_procurement_is_not_numbered_again_inside_its_own_number(shanxi_page):
    text = shanxi_page.select_one("#s-procurement").get_text()
    assert "（一）" not in text and "政府采购支出总额" in text


def test_shanxi_general_budget_has_its_three_parts_with_the_classes(shanxi_page):
    section = shanxi_page.select_one("#s-general_budget")
    assert texts(section.select("h4")) == ["（一）一般公共预算财政拨款支出决算总体情况",
                                           "（二）一般公共预算财政拨款支出决算结构情况",
                                           "（三）一般公共预算财政拨款支出决算具体情况"]
    detail = [p.get_text() for p in section.select("h4")[2].find_next_siblings("p")]
    assert detail and all(re.match(r"\d+\. .+（类）支出决算 [\d.]+ 万元", p) for p in detail)
