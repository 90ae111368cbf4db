"""The document's top-level shape as profile data: cover wording, the parts (第一部分…) and the 概况 sections."""

import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, EXAMPLE, ROOT, fixed_epoch

from generator.buildtime import build_time
from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import Parts, PdfConfig
from generator.errors import ContentError
from generator.forms.document import DEFAULT_PARTS, OVERVIEW_KEYS, PART_ANCHORS, PART_KEYS
from generator.forms.profiles import load_profile
from generator.pipeline.build import build
from generator.render.html import render_print

SHANXI_PARTS = ["第一部分 概况", "第二部分 决算表", "第三部分 情况说明", "第四部分 名词解释", "第五部分 附件"]
DEFAULT_TITLES = ["第一部分 部门概况", "第二部分 2023 年度部门决算情况说明", "第三部分 2023 年度部门决算表",
                  "第四部分 专业名词解释", "第五部分 附 件"]


def page(site, year="2023", dept="xianyang-rsj") -> BeautifulSoup:
    return BeautifulSoup((site / year / dept / "index.html").read_text(encoding="utf-8"), "lxml")


def part_titles(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select("article.disclosure > section.part > h2")]


def toc_parts(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("nav.toc ol.toc-parts > li > a")]


def overview_titles(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select("#part-1 > section > h3")]


def toc_overview(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select('nav.toc a[href="#part-1"] + ol > li > a')]


@pytest.fixture(scope="module")
def shanxi_page(example_site):
    return page(example_site("shanxi"))


def test_the_default_shape_is_unchanged(example_page):
    assert part_titles(example_page) == DEFAULT_TITLES == toc_parts(example_page)
    assert overview_titles(example_page) == ["一、部门主要职责及内设机构", "二、部门决算单位构成", "三、部门人员情况"]
    assert toc_overview(example_page) == overview_titles(example_page)
    assert example_page.select_one(".cover-department").get_text() == "咸阳市人力资源和社会保障局"
    assert example_page.select_one(".cover-title").get_text() == "2023 年度部门决算"
    assert load_profile("sichuan").parts == DEFAULT_PARTS


def test_shanxi_has_the_parts_of_the_real_document_in_its_order(shanxi_page):
    assert part_titles(shanxi_page) == SHANXI_PARTS == toc_parts(shanxi_page)
    # each part keeps its anchor wherever it stands: the 决算表 come second, the 情况说明 third
    parts = shanxi_page.select("article.disclosure > section.part")
    assert [p["id"] for p in parts] == ["part-1", "part-3", "part-2", "part-4", "part-5"]
    assert [a["href"] for a in shanxi_page.select("nav.toc ol.toc-parts > li > a")] == \
        ["#part-1", "#part-3", "#part-2", "#part-4", "#part-5"]
    assert shanxi_page.select_one("#part-3 table.fin") and shanxi_page.select_one("#part-2 section.explanation")


def test_shanxi_overview_has_only_duties_and_organization(shanxi_page):
    assert overview_titles(shanxi_page) == ["一、本部门（单位）职责", "二、机构设置情况"] == toc_overview(shanxi_page)
    overview = shanxi_page.find(id="part-1")
    assert overview.select("ol.duties > li") and not overview.find("h4")
    assert "内设" in overview.find(id="overview-organization").get_text()
    assert not shanxi_page.find(id="overview-units") and not shanxi_page.find(id="overview-staff")
    assert "决算单位构成" not in overview.get_text() and "人员情况" not in shanxi_page.select_one("nav.toc").get_text()


def test_shanxi_cover_and_no_charts(shanxi_page):
    assert shanxi_page.select_one(".cover-department").get_text() == "咸阳市人力资源和社会保障局"
    assert shanxi_page.select_one(".cover-title").get_text() == "2023年度单位决算公开"
    assert "下载决算表 Excel（十张表）" in shanxi_page.select_one(".cover .downloads").get_text()  # 公开10表 too
    assert load_profile("shanxi").charts == ()
    assert not shanxi_page.select("figure.chart")


# -- a site's own profile -------------------------------------------------------------------------------------------

REORDERED = """name: reordered
title: 重排格式
extends: shaanxi
cover: {title: "{department}{year}年度部门决算"}
parts:
  - {key: tables, title: "{department}{year}年度部门决算表"}
  - {key: overview, title: "{department}概况"}
  - {key: explanation, title: 情况说明}
  - {key: attachments, title: 附件}
overview:
  - {key: units, title: 部门决算单位构成}
  - {key: duties, title: 主要职能}
"""
REORDERED_PARTS = ["第一部分 咸阳市人力资源和社会保障局2023年度部门决算表", "第二部分 咸阳市人力资源和社会保障局概况",
                   "第三部分 情况说明", "第四部分 附件"]


@pytest.fixture
def reordered_site(tmp_path):
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    (content / "profiles").mkdir()
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    shutil.copy(EXAMPLE, content / "2023" / EXAMPLE.name)
    (content / "profiles" / "reordered.yaml").write_text(REORDERED, encoding="utf-8")
    return content


def test_a_site_profile_reorders_the_parts_in_page_toc_and_pdf(reordered_site, tmp_path):
    out = tmp_path / "site"
    with fixed_epoch():
        build(reordered_site, out, pdf=False, profile="reordered", force=True)
    soup = page(out)
    assert part_titles(soup) == REORDERED_PARTS == toc_parts(soup)
    assert not soup.find(id="part-4")  # no 名词解释: the parts left out are not printed
    assert overview_titles(soup) == ["一、部门决算单位构成", "二、主要职能"] == toc_overview(soup)
    assert soup.select_one(".cover-title").get_text() == "咸阳市人力资源和社会保障局2023年度部门决算"
    assert soup.select_one(".cover-department").get_text() == "咸阳市人力资源和社会保障局"  # the default line
    # no 人员情况 section: no 人员 chart, and the charts inherited from shaanxi are numbered from 图1
    captions = [f.figcaption.get_text() for f in soup.select("figure.chart")]
    assert captions and captions[0].startswith("图1：") and not any("人员" in c for c in captions)
    assert not list((out / "2023" / "xianyang-rsj" / "charts").glob("*staff*"))
    profile = load_profile("reordered", reordered_site)
    printed = BeautifulSoup(render_print(compute(load_department(EXAMPLE), profile), PdfConfig(), build_time(),
                                         show=Parts()), "lxml")
    assert part_titles(printed) == REORDERED_PARTS == toc_parts(printed)


def test_a_part_the_site_hides_keeps_the_others_numbers(reordered_site):
    profile = load_profile("shanxi")
    printed = BeautifulSoup(render_print(compute(load_department(EXAMPLE), profile), PdfConfig(), build_time(),
                                         show=Parts(glossary=False)), "lxml")
    assert part_titles(printed) == [t for t in SHANXI_PARTS if "名词解释" not in t] == toc_parts(printed)


def test_every_part_has_its_anchor():
    assert set(PART_ANCHORS) == {p.key for p in DEFAULT_PARTS}
    assert sorted(PART_ANCHORS.values()) == [f"part-{i}" for i in range(1, 6)]


# -- problems, located ----------------------------------------------------------------------------------------------

def problems(tmp_path, monkeypatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)  # messages name the file as the user sees it, from the working directory
    content = tmp_path / "content"
    (content / "profiles").mkdir(parents=True, exist_ok=True)
    (content / "profiles" / "bad.yaml").write_text("name: bad\ntitle: 坏格式\nextends: shaanxi\n" + text,
                                                   encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_profile("bad", content)
    return [p.format() for p in caught.value.problems]


BAD = {
    "an unknown part": ("parts:\n  - {key: overview, title: 概况}\n  - {key: tabels, title: 决算表}\n",
                        ["content/profiles/bad.yaml:6: 字段 parts[2].key：没有这一部分，是否应为 tables？"
                         "（应为以下之一：overview、explanation、tables、glossary、attachments，实际为 “tabels”）"]),
    "a part without a title": ("parts:\n  - {key: overview}\n",
                               ["content/profiles/bad.yaml:5: 字段 parts[1].title：缺少必填字段（应为文字，实际为 无）"]),
    "a part listed twice": ("parts:\n  - {key: tables, title: 决算表}\n  - {key: tables, title: 表}\n",
                            ["content/profiles/bad.yaml:6: 字段 parts[2].key：同一部分列了两次"
                             "（应为每项只出现一次，实际为 “tables”）"]),
    "no parts": ("parts: []\n", ["content/profiles/bad.yaml:4: 字段 parts：各部分至少要有一项（应为各部分的列表，实际为 空列表）"]),
    "parts not a list": ("parts: {overview: 概况}\n",
                         ["content/profiles/bad.yaml:4: 字段 parts：应为列表"
                          "（应为各部分的列表，每项 {key: …, title: …}，实际为 一组字段）"]),
    "an unknown overview section": ("overview:\n  - {key: staf, title: 人员}\n",
                                    ["content/profiles/bad.yaml:5: 字段 overview[1].key：概况没有这一节，是否应为 staff？"
                                     "（应为以下之一：duties_and_organization、duties、organization、units、staff，"
                                     "实际为 “staf”）"]),
    "an overview section twice": ("overview:\n  - {key: units, title: 单位}\n  - {key: units, title: 单位}\n",
                                  ["content/profiles/bad.yaml:6: 字段 overview[2].key：同一节列了两次"
                                   "（应为每项只出现一次，实际为 “units”）"]),
    "duties twice over": ("overview:\n  - {key: duties_and_organization, title: 职责}\n  - {key: duties, title: 职责}\n",
                          ["content/profiles/bad.yaml:5: 字段 overview[1].key：duties_and_organization 已含duties，"
                           "二者不能同时列出（应为或列 duties_and_organization，或分别列 duties、organization，"
                           "实际为 “duties”）"]),
    "a cover with a wrong placeholder": ('cover: {title: "{yaer}年度单位决算公开"}\n',
                                         ["content/profiles/bad.yaml:4: 字段 cover.title：文字中只能用 {department} "
                                          "代表部门名称、{year} 代表年度（应为如 “{year}年度单位决算公开”，"
                                          "实际为 “{yaer}年度单位决算公开”）"]),
    "an unknown cover line": ("cover: {subtitle: 决算}\n",
                              ["content/profiles/bad.yaml:4: 字段 cover.subtitle：未知字段 subtitle，是否应为 title？"
                               "（应为以下之一：department、title、approvals，实际为 subtitle）"]),
    "a table order without 公开08表": ("table_style:\n  order: [t01, t02, t03, t04, t05, t06, t07, t09]\n",
                                   ["content/profiles/bad.yaml:5: 字段 table_style.order：表的印制顺序应列出每一张表"
                                    "（全国统一的九张和本格式增加的）（应为t01、t02、t03、t04、t05、t06、t07、t08、t09，"
                                    "实际为 缺 t08）"]),
    "a toc depth of 5": ("toc_depth: 5\n", ["content/profiles/bad.yaml:4: 字段 toc_depth：目录列出情况说明的级数不正确"
                                           "（应为整数 1 到 3（1：只列一、二、……），实际为 “5”）"]),
    "a misspelt figure in a fixed row": (
        "tables:\n  t09:\n    title: 三公\n    header: [[预算数]]\n    body:\n      kind: rows\n      rows:\n"
        "        - [{value: budget.nothing}]\n",
        ["content/profiles/bad.yaml:11: 字段 tables.t09.body.rows[1][1].value：这张表没有这个数（写错的数会印成空白）"
         "（应为actual.abroad、actual.meeting、actual.reception、actual.total、actual.training、actual.vehicle、"
         "actual.vehicle_operation、actual.vehicle_purchase、budget.abroad、budget.meeting、budget.reception、"
         "budget.total、budget.training、budget.vehicle、budget.vehicle_operation、budget.vehicle_purchase，"
         "实际为 “budget.nothing”）"]),
    "a coded table's columns, code columns and total": (
        "tables:\n  t05:\n    title: 表\n    header: [[类]]\n"
        "    body: {kind: codes, columns: [total, basik], code_columns: 4, total: end}\n",
        ["content/profiles/bad.yaml:8: 字段 tables.t05.body.total：合计行的位置只能是 first（首行）或 last（末行）"
         "（应为以下之一：first、last，实际为 “end”）",
         "content/profiles/bad.yaml:8: 字段 tables.t05.body.columns[2]：这张表没有这一栏，是否应为 basic？"
         "（应为以下之一：total、basic、project，实际为 “basik”）",
         "content/profiles/bad.yaml:8: 字段 tables.t05.body.code_columns：科目代码所占的列数不正确"
         "（应为整数 1 或 3（3：分列印类、款、项），实际为 “4”）"]),
    "a part title with a stray brace": ('parts:\n  - {key: overview, title: "概况{"}\n',
                                        ["content/profiles/bad.yaml:5: 字段 parts[1].title：文字中只能用 {department} "
                                         "代表部门名称、{year} 代表年度（应为如 “{year}年度单位决算公开”，实际为 “概况{”）"]),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_shape_data_is_reported_with_file_line_and_field(tmp_path, monkeypatch, case):
    text, expected = BAD[case]
    assert problems(tmp_path, monkeypatch, text) == expected


def test_every_shape_key_is_documented():
    doc = (ROOT / "docs" / "webmasters" / "profiles.md").read_text(encoding="utf-8")
    for key in ("cover", "parts", "overview", *PART_KEYS, *OVERVIEW_KEYS):
        assert f"| `{key}` |" in doc, key


def test_overview_fields_the_form_does_not_print_are_warned_of_not_dropped_silently():
    dept = load_department(EXAMPLE)
    shanxi = [f for f in check_computed(compute(dept, load_profile("shanxi"))) if f.rule == "overview-printed"]
    assert sorted((f.field, f.line is not None) for f in shanxi) == [
        ("overview.staff", True), ("overview.units", True),  # Shanxi's 概况 has no 人员, 单位; its 公开09表 no 会议费、培训费
        ("tables.three_public.budget.meeting", True), ("tables.three_public.budget.training", True)]
    assert all("shanxi" in f.message and f.severity == "警告" for f in shanxi)
    default = [f for f in check_computed(compute(dept, load_profile())) if f.rule == "overview-printed"]
    assert default == []
