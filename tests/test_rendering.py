"""Template overrides, safe Markdown, money formatting and the page's structure."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from generator.errors import ContentError
from generator.money import (
    format_amount,
    format_table_amount,
    ratio_percent,
    round_cent,
)
from generator.numerals import cn_number
from generator.pipeline.build import build
from generator.render.html import markdown


def test_rounding_is_half_up_and_explicit():
    assert round_cent(Decimal("674.005")) == Decimal("674.01")
    assert round_cent(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert ratio_percent(Decimal("1348.01"), Decimal("200")) == Decimal("674.01")
    assert ratio_percent(Decimal("1"), Decimal("0")) is None


def test_table_amounts_have_separators_and_blank_zero():
    assert format_table_amount(Decimal("7987.94")) == "7,987.94"
    assert format_table_amount(Decimal("0")) == ""
    assert format_table_amount(Decimal("0.004")) == ""
    assert format_table_amount(None) == ""
    assert format_amount(Decimal("9192.86")) == "9192.86"


def test_chinese_numerals():
    assert [cn_number(n) for n in (1, 9, 10, 11, 14, 20, 26)] == ["一", "九", "十", "十一", "十四", "二十", "二十六"]


def test_markdown_never_passes_raw_html():
    html = markdown("正文<script>alert(1)</script> **加粗**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>加粗</strong>" in html


@pytest.mark.slow
def test_prose_html_is_escaped_in_the_page(content_copy, tmp_path):
    path = content_copy / "2023" / "xianyang-rsj.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "reason: 人员经费交通补贴列入日常公用经费决算", "reason: 人员经费<b>交通补贴</b>列入日常公用经费决算")
    path.write_text(text, encoding="utf-8")
    build(content_copy, tmp_path / "site", pdf=False)
    html = (tmp_path / "site/2023/xianyang-rsj/index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;交通补贴&lt;/b&gt;" in html and "<b>交通补贴" not in html


@pytest.mark.slow
def test_user_templates_override_builtin_and_can_extend_them(content_copy, tmp_path):
    templates = tmp_path / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "cover.html").write_text(
        '<p class="local-banner">本地横幅</p>\n{% include "builtin/parts/cover.html" %}', encoding="utf-8")
    build(content_copy, tmp_path / "site", templates, pdf=False)
    page = BeautifulSoup((tmp_path / "site/2023/xianyang-rsj/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one(".local-banner").get_text() == "本地横幅"
    assert page.select_one(".cover h1").get_text() == "2023 年度部门决算"


@pytest.mark.slow
def test_template_errors_are_located_messages(content_copy, tmp_path):
    templates = tmp_path / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "cover.html").write_text("\n{{ dept.no_such_field }}", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", templates, pdf=False)
    problem = caught.value.problems[0]
    assert problem.line == 2 and "cover.html" in problem.file and "不存在的数据" in problem.message
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_page_is_a_careful_publication(example_page):
    assert example_page.html["lang"] == "zh-CN"
    assert example_page.select_one("a.skip-link")["href"] == "#main"
    assert [h.get_text() for h in example_page.select("h2")][1:] == [
        "第一部分 部门概况", "第二部分 2023 年度部门决算情况说明", "第三部分 2023 年度部门决算表",
        "第四部分 专业名词解释", "第五部分 附 件"]
    cover = example_page.select_one(".cover").get_text(" ", strip=True)
    assert "保密审查情况： 已审查" in cover and "主要负责人审签情况： 已审签" in cover
    for link in example_page.select("nav.toc a"):
        assert example_page.select_one(link["href"]) is not None, link["href"]
    for tbl in example_page.select("table.fin"):
        assert tbl.caption is not None and tbl.thead.find("th")["scope"] in ("col", "colgroup")
    # no external requests: every stylesheet, script and image is local
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for el in example_page.find_all(tag):
            assert not el.get(attr, "").startswith(("http:", "https:", "//"))


def test_overview_from_the_data(example_page):
    text = example_page.select_one("#part-1").get_text()
    assert "纳入 2023 年度本部门决算编制范围的单位共 12 个，包括本级及所属 11 个二级预算单位" in text
    assert ("本部门人员编制 181 人，其中行政编制 47 人、参公编制 104 人、事业编制 30 人；实有人员 173 人，"
            "其中行政 49 人（含工勤 4 名）、参公 95 人、事业 29 人。单位管理的离退休人员 0 人。") in text
    assert len(example_page.select("ol.duties > li")) == 3


def test_glossary_and_attachments(example_page):
    assert len(example_page.select("ol.glossary li")) == 8
    titles = [h.get_text() for h in example_page.select(".attachment:not(.evaluation) .attachment-title")]
    assert titles == ["企业军转干部生活困难补助资金绩效评价报告", "2023 年就业专项资金绩效评价报告"]
    assert example_page.select("#attachment-2 table")  # the report's tables render as tables


def test_table_cells_are_escaped_although_the_cell_loop_writes_them_as_markup():
    """grid.py escapes each cell's text once; the template writes it without escaping it again."""
    from generator.forms.layouts import TableLayout
    from generator.render.grid import Grid, GridCell, associate_headers
    from generator.render.html import environment

    header = [[GridCell("head", "项目"), GridCell("head", "金额")]]
    body = [[GridCell("label", "<b>其他</b> & 收入"), GridCell("amount", value=Decimal("1234.5"))]]
    header, body = associate_headers("t99", header, body)
    layout = TableLayout(id="t99", label="公开99表", title="测试表", toc_title="测试表", wide=False, header=(),
                         column_numbers=(), body=None, notes=())
    macro = environment(None).get_template("parts/table.html").module.render
    html = str(macro(Grid(layout, header, body, False, 2), {"display_name": "部门"}, {"unit_label": "万元"}))
    assert "&lt;b&gt;其他&lt;/b&gt; &amp; 收入" in html and "<b>" not in html
    assert ">1,234.50</td>" in html
