"""The example's PDF: every figure of the tables and the 情况说明, page sizes, outline, metadata, draft marks."""

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from io import BytesIO

import pytest
import reference as R
from conftest import CONTENT, EXAMPLE
from pypdf import PdfReader
from test_narrative import CORRECTIONS as TEXT_CORRECTIONS
from test_narrative import SECTION_TITLES, numbers, reference_section
from test_reference_tables import expected_coded

from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import PdfConfig, load_config
from generator.errors import ContentError
from generator.forms.profiles import load_profile
from generator.numerals import cn_number
from generator.render.charts.numbered import charts_for
from generator.render.html import render_print
from generator.render.pdf import chart_text, render_pdf

AS_PUBLISHED = EXAMPLE.parent.parent.parent / "tests" / "fixtures" / "xianyang-rsj-2023-as-published.yaml"
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
PAGE_NUMBER = re.compile(r"— \d+ —")
TABLE_LABELS = [f"公开0{n}表" for n in range(1, 10)]
BUILT_AT = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def final_pdf(built_site):
    return PdfReader(built_site / "2023" / "xianyang-rsj" / "xianyang-rsj-2023.pdf")


@pytest.fixture(scope="module")
def final_pages(final_pdf):
    return [page.extract_text() for page in final_pdf.pages]


@pytest.fixture(scope="module")
def draft_pdf():
    """The uncorrected transcription as a draft: it has check errors, so only a draft may be built."""
    c = compute(load_department(AS_PUBLISHED, "as-published.yaml"), load_profile())
    findings = check_computed(c)
    data = render_pdf(c, PdfConfig(), findings=findings, draft=True, built_at=BUILT_AT).data
    return PdfReader(BytesIO(data))


def table_pages(pages: list[str], label: str) -> list[str]:
    """The pages a table spans: from its label to the next table's (or 第四部分)."""
    starts = [i for i, text in enumerate(pages) if f"{label} 金额单位" in text.replace("\n", " ")]
    assert len(starts) == 1, f"{label} 应只开始一次"
    start = starts[0]
    end = start + 1
    while end < len(pages) and not any(f"{other} 金额单位" in pages[end].replace("\n", " ") for other in TABLE_LABELS) \
            and "第四部分 专业名词解释" not in pages[end]:
        end += 1
    return pages[start:end]


def printed_amounts(pages: list[str]) -> Counter:
    return Counter(AMOUNT.findall("\n".join(PAGE_NUMBER.sub("", p) for p in pages)))


def expected_amounts(table_id: str) -> Counter:
    if table_id in ("t02", "t03", "t05", "t07", "t08"):
        cells = [a for amounts in expected_coded(table_id).values() for a in amounts]
    elif table_id in ("t01", "t04"):
        cells = [a for amounts in R.two_sided(table_id).values() for a in amounts]
    elif table_id == "t06":
        cells = list(R.basic_detail().values())
    else:
        cells = [a for amounts in R.three_public().values() for a in amounts]
    return Counter(a for a in cells if a)


@pytest.mark.parametrize("number", range(1, 10))
def test_every_table_amount_is_in_the_pdf(final_pages, number):
    got = printed_amounts(table_pages(final_pages, f"公开0{number}表"))
    assert got == expected_amounts(f"t0{number}")


@pytest.mark.parametrize("key", sorted(SECTION_TITLES))
def test_explanation_figures_are_in_the_pdf(final_pages, example_charts, key):
    labels = {" ".join(text.split()) for chart in example_charts if chart.svg for text in chart_text(chart.svg).split("\n")}
    pages = [without_chart_labels(PAGE_NUMBER.sub("", p), labels) for p in final_pages]
    text = "\n".join(pages).replace("第二部分 2023 年度部门决算情况说明", "")
    titles = [f"{cn_number(i)}、{section.title}" for i, section in enumerate(load_profile().sections, 1)]
    keys = [section.key for section in load_profile().sections]
    index = keys.index(key)
    start = text.rindex(titles[index]) + len(titles[index])  # the last occurrence: the 目录 comes first
    body = text[start:text.index(titles[index + 1], start)]
    # The reference has no charts: add what ours put in the running text (captions, one-slice sentences).
    expected = numbers(reference_section(key)) + sum(
        (numbers(c.caption if c.svg else c.sentence) for c in example_charts if c.kind.section == key), Counter())
    for wrong, right in TEXT_CORRECTIONS.get(key, {}).items():
        expected[wrong.normalize()] -= 1
        expected[right.normalize()] += 1
    assert +numbers(body) == +expected


@pytest.fixture(scope="module")
def example_charts():
    return charts_for(compute(load_department(EXAMPLE), load_profile()), load_config(CONTENT))


def without_chart_labels(page: str, labels: set[str]) -> str:
    """Drop the lines a chart draws (pypdf puts a drawing's text at the end of its page)."""
    def drawn(line: str) -> bool:
        rest = " ".join(line.split())
        while rest:
            label = next((t for t in labels if t and rest.startswith(t)), None)
            if label is None:
                return False
            rest = rest[len(label):].lstrip()
        return True
    return "\n".join(line for line in page.split("\n") if not line.strip() or not drawn(line))


def test_every_chart_label_is_drawn_on_the_page_of_its_caption(final_pages, example_charts):
    drawn = [c for c in example_charts if c.svg]
    assert [c.number for c in drawn] == list(range(1, 8))
    for chart in drawn:
        page = " ".join(next(p for p in final_pages if chart.caption in p).split())
        for label in chart_text(chart.svg).split("\n"):
            assert " ".join(label.split()) in page, (chart.caption, label)


def test_wide_tables_are_on_landscape_pages(final_pdf, final_pages):
    landscape = {i for i, page in enumerate(final_pdf.pages) if page.mediabox.width > page.mediabox.height}
    for number in range(1, 10):
        label = f"公开0{number}表"
        first = next(i for i, text in enumerate(final_pages) if f"{label} 金额单位" in text.replace("\n", " "))
        assert (first in landscape) == (number in (1, 2, 3, 4, 6, 7, 9)), label
    portrait = [page for i, page in enumerate(final_pdf.pages) if i not in landscape]
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in portrait)


def test_a_table_over_two_pages_repeats_its_header(final_pages):
    pages = table_pages(final_pages, "公开02表")
    assert len(pages) == 2
    assert all("本年收入合计 财政拨款收入 上级补助收入" in p.replace("\n", " ") for p in pages)


def test_outline_has_parts_sections_and_tables(final_pdf):
    outline = final_pdf.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["目 录", "第一部分 部门概况", "第二部分 2023 年度部门决算情况说明", "第三部分 2023 年度部门决算表",
                   "第四部分 专业名词解释", "第五部分 附 件"]
    children = [item for item in outline if isinstance(item, list)]
    sections = [item.title for item in children[1]]
    assert sections[0] == "一、收入支出决算总体情况说明" and len(sections) == 14
    tables = [item.title for item in children[2]]
    assert tables[0] == "收入支出决算总表" and len(tables) == 9


def test_metadata(final_pdf):
    info = final_pdf.metadata
    assert info.title == "咸阳市人力资源和社会保障局 2023 年度部门决算"
    assert info.author == "咸阳市人力资源和社会保障局"
    assert info.subject.startswith("咸阳市人力资源和社会保障局2023年度部门决算公开")
    assert final_pdf.trailer["/Root"]["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in final_pdf.trailer["/Root"]  # tagged: the default is PDF/A-3a
    assert b"pdfaid:part>3" in final_pdf.trailer["/Root"]["/Metadata"].get_object().get_data() or \
        b'pdfaid:part="3"' in final_pdf.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_toc_shows_page_numbers(final_pages):
    toc = final_pages[1]
    assert re.search(r"目\s+录", toc)
    first_table = next(i for i, text in enumerate(final_pages) if "公开01表 金额单位" in text.replace("\n", " "))
    assert re.search(rf"一、收入支出决算总表 *\.+ *{first_table + 1}\n", toc)


def test_final_pdf_has_no_draft_marks(final_pages):
    text = "".join(final_pages)
    assert "仅供内部审核" not in text and "草稿" not in text


def watermark(page) -> bytes | None:
    """The name of the XObject painted first on the page as an /Artifact (a page background), if any."""
    content = page.get_contents().get_data()
    found = re.match(rb"[^B]*?q\n/Artifact\nBMC\n[^B]*?/(\w+) Do\nEMC", content)
    return found and found.group(1)


@pytest.mark.pdf
def test_draft_pdf_is_stamped_and_lists_the_problems(draft_pdf):
    pages = [p.extract_text() for p in draft_pdf.pages]
    assert all("草稿 · 2023-11-15 06:13 生成" in p for p in pages)  # footer, China Standard Time
    assert "审核发现 4 个问题" in pages[1]
    assert "公开03表 第20805行" in pages[1]
    # The stamp is the page background: an artifact, outside the tagged content.
    assert all(watermark(page) for page in draft_pdf.pages)
    stamp = draft_pdf.pages[3]["/Resources"]["/XObject"]["/" + watermark(draft_pdf.pages[3]).decode()]
    assert stamp.get_object()["/Subtype"] == "/Form"


def test_final_pdf_has_no_watermark(final_pdf):
    assert not any(watermark(page) for page in final_pdf.pages)


@pytest.mark.pdf
def test_missing_glyph_fails_with_a_located_message(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: 咸阳市人力资源和社会保障局", "name: 咸阳市人力资源和社会保障局😀", 1)
    path = tmp_path / "2023" / "xianyang-rsj.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    c = compute(load_department(path, str(path)), load_profile())
    with pytest.raises(ContentError) as caught:
        render_pdf(c, PdfConfig())
    [problem] = caught.value.problems
    assert problem.line == next(n for n, line in enumerate(text.splitlines(), 1) if "😀" in line)
    assert "U+1F600" in problem.found and "空框" in problem.message


@pytest.mark.pdf
def test_unknown_font_family_is_named():
    c = compute(load_department(EXAMPLE), load_profile())
    with pytest.raises(ContentError) as caught:
        render_pdf(c, PdfConfig(body_fonts=("方正小标宋不存在",)))
    assert "字体“方正小标宋不存在”未安装" in caught.value.problems[0].message


@pytest.mark.pdf
def test_pdf_command_reproduces_the_built_pdf(built_site, tmp_path):
    """`juesuan pdf` in a fresh process, same SOURCE_DATE_EPOCH: the same bytes as the build's PDF."""
    out = tmp_path / "preview.pdf"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    result = subprocess.run([sys.executable, "-m", "generator", "pdf", str(EXAMPLE), "-o", str(out)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "已生成正式 PDF" in result.stdout and "页" in result.stdout
    assert out.read_bytes() == (built_site / "2023" / "xianyang-rsj" / "xianyang-rsj-2023.pdf").read_bytes()


@pytest.mark.slow
def test_pdf_command_refuses_a_final_pdf_with_check_errors(tmp_path):
    out = tmp_path / "final.pdf"
    result = subprocess.run([sys.executable, "-m", "generator", "pdf", str(AS_PUBLISHED), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "不能生成正式 PDF" in result.stderr and "--draft" in result.stderr
    assert "公开03表 第20805行" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_print_stylesheet_can_be_overridden_and_extended(tmp_path):
    """A site's templates/assets/print.css is used instead of the built-in one and can include it."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "print.css").write_text(
        '{% include "builtin/assets/print.css" %}\n.cover-title { color: #123456; }\n', encoding="utf-8")
    c = compute(load_department(EXAMPLE), load_profile())
    html = render_print(c, PdfConfig(), BUILT_AT, str(tmp_path))
    assert ".cover-title { color: #123456; }" in html
    assert "@page landscape" in html  # the built-in rules are still there
