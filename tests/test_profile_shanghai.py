"""The built-in Shanghai profile reproduces a real publication: 上海市普陀区财政局 2024 年度部门决算.

``content/2024/putuo-czj.yaml`` holds the bureau's figures as printed; ``tests/data/putuo-czj-2024.yaml`` every
table cell, header and 目录 line read from ``../shared/reference/shanghai/putuo-czj-2024.pdf``. The page built
with the ``shanghai`` profile must print the same tables, cell for cell, in the same order and under the same
titles, with no 公开NN表 labels, 行次, 栏次 or 部门 line, and the 目录's parts and sections as the PDF lists them.
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import CONTENT

from generator.errors import ContentError
from generator.forms.profiles import load_profile
from generator.pipeline.build import build
from generator.pipeline.checking import check_files

EXPECTED = yaml.safe_load((Path(__file__).parent / "data" / "putuo-czj-2024.yaml").read_text(encoding="utf-8"))
SOURCE = CONTENT / "2024" / "putuo-czj.yaml"
PDF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "shanghai" / "putuo-czj-2024.pdf"
CODE_HEADS = ["类", "款", "项"]


@pytest.fixture(scope="module")
def page(html_site):
    return BeautifulSoup((html_site / "2024" / "putuo-czj" / "index.html").read_text(encoding="utf-8"), "lxml")


def blocks(page):
    return page.select("#part-3 section.table-block")


def block(page, title):
    return next(b for b in blocks(page) if b.select_one("h3.table-title").get_text(strip=True) == title)


def body(tbl) -> list[list[str]]:
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in tbl.tbody.find_all("tr")]


def printed_rows(title: str) -> list[list[str]]:
    """The PDF's rows, with a 合计 row whose label spans the 类/款/项 columns as one cell.

    In 收入决算表 and 支出决算表 the 类/款/项 heads sit in the 合计 row's code cells; the page prints them in the
    header's last row, so that row's leading 类/款/项 are dropped here (the header test checks they are printed).
    """
    rows = []
    for row in EXPECTED["tables"][title]["rows"]:
        if row[:3] == CODE_HEADS or (row[:3] == ["", "", ""] and row[3] == "合计"):
            row = row[3:]
        rows.append(row)
    return rows


def test_the_tables_are_the_pdfs_in_its_order_without_labels(page):
    assert [b.select_one("h3.table-title").get_text(strip=True) for b in blocks(page)] == list(EXPECTED["tables"])
    part = page.select_one("#part-3")
    assert not part.select(".table-label, .table-department, td.line, tr.column-numbers, table.table-index")
    assert {b.select_one(".table-unit").get_text(strip=True) for b in blocks(page)} == {"单位：万元"}


@pytest.mark.parametrize("title", list(EXPECTED["tables"]))
def test_every_cell_is_the_pdfs(page, title):
    assert body(block(page, title).select_one("table")) == printed_rows(title)


@pytest.mark.parametrize("title", list(EXPECTED["tables"]))
def test_headers_print_the_pdfs_words(page, title):
    """The same header words (the PDF wraps some of them over lines, so only the characters are compared)."""
    head = block(page, title).select_one("table thead")
    got = Counter("".join(th.get_text(strip=True) for th in head.find_all("th")))
    expected = EXPECTED["tables"][title]
    words = [cell for row in expected["header"] for cell in row]
    if expected["rows"] and expected["rows"][0][:3] == CODE_HEADS:
        words += CODE_HEADS  # printed in the 合计 row by the PDF, in the header by the page
    assert got == Counter("".join(words))


@pytest.mark.parametrize("title", [t for t, spec in EXPECTED["tables"].items() if spec.get("note")])
def test_an_empty_table_says_so_as_the_pdf(page, title):
    notes = [p.get_text(strip=True) for p in block(page, title).select("p.table-note")]
    assert notes == [EXPECTED["tables"][title]["note"]]


def test_the_toc_lists_the_pdfs_parts_and_sections(page):
    toc = page.select_one("nav.toc > ol")
    lines = []
    for part in toc.find_all("li", recursive=False):
        lines.append(part.a.get_text(strip=True))
        sub = part.find("ol")
        if sub:
            lines += [li.a.get_text(strip=True) for li in sub.find_all("li", recursive=False)]
    assert [re.sub(r"\s+", "", line) for line in lines] == [re.sub(r"\s+", "", line) for line in EXPECTED["toc"]]


def test_cover_and_overview_as_the_pdf(page):
    cover = page.select_one("section.cover")
    assert cover.select_one(".cover-department").get_text(strip=True) == "上海市普陀区财政局"
    assert cover.select_one("h1").get_text(strip=True) == "2024年度部门决算"
    assert not cover.select(".cover-review")  # no 保密审查 / 审签 lines
    overview = page.select_one("#part-1")
    assert [h.get_text(strip=True) for h in overview.select("h3")] == ["一、主要职能", "二、部门决算单位构成"]


def test_the_glossary_is_the_pdfs_eleven_terms(page):
    terms = [li.strong.get_text(strip=True) for li in page.select("#part-4 ol.glossary > li")]
    assert terms == ["财政拨款收入", "事业收入", "经营收入", "其他收入", "年初结转和结余", "年末结转和结余", "基本支出",
                     "项目支出", "经营支出", "“三公”经费", "机关运行经费"]


def test_the_file_checks_clean():
    report = check_files([SOURCE])
    assert [f for f in report.findings if f.severity != "提示"] == []


@pytest.mark.skipif(not PDF.exists() or not shutil.which("pdftotext"), reason="needs ../shared and pdftotext")
@pytest.mark.parametrize("title", list(EXPECTED["tables"]))
def test_the_committed_cells_are_the_pdfs(title):
    """The transcription holds every amount printed on the table's pages, and no other."""
    spec = EXPECTED["tables"][title]
    titles = list(EXPECTED["tables"])
    following = [EXPECTED["tables"][t]["page"] for t in titles[titles.index(title) + 1:]]
    last = (following[0] - 1) if following else spec["page"]
    text = subprocess.run(["pdftotext", "-f", str(spec["page"]), "-l", str(last), "-layout", str(PDF), "-"],
                          capture_output=True, text=True, check=True).stdout
    amount = re.compile(r"^-?[\d,]+\.\d\d$")
    printed = Counter(word for word in text.split() if amount.match(word))
    committed = Counter(cell for row in spec["rows"] for cell in row if amount.match(cell))
    assert committed == printed


@pytest.mark.slow
def test_a_profile_may_print_prose_amounts_with_thousands_separators(content_copy, tmp_path):
    profiles = content_copy / "profiles"
    profiles.mkdir()
    (profiles / "grouped.yaml").write_text("name: grouped\ntitle: 千分位\nextends: shanghai\n"
                                           "phrases: {amount_style: 千分位}\n", encoding="utf-8")
    out = tmp_path / "site"
    build(content_copy, out, pdf=False, profile="grouped")
    page = BeautifulSoup((out / "2024" / "putuo-czj" / "index.html").read_text(encoding="utf-8"), "lxml")
    prose = page.select_one("#s-overall").get_text()
    assert "收入支出总计2,995.39万元" in prose


def test_prose_amounts_have_no_separators_by_default(page):
    assert "收入支出总计2995.39万元" in page.select_one("#s-overall").get_text()


def test_vehicle_kinds_print_under_the_forms_names(tmp_path):
    """Shanghai prints three national vehicle kinds under its own names: profile data (vehicle_names), used by the
    page and by the PDF import (tests/test_pdf_reading.py reads them back from the real Putuo PDF)."""
    assert dict(load_profile("shanghai").vehicle_names)["主要负责人用车"] == "主要领导干部用车"
    (tmp_path / "content" / "profiles").mkdir(parents=True)
    (tmp_path / "content" / "profiles" / "bad.yaml").write_text(
        "extends: shanghai\nvehicle_names: {领导用车: 领导干部用车}\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_profile("bad", tmp_path / "content")
    assert "vehicle_names.领导用车" in str(raised.value) and "不是全国统一的车辆类别" in str(raised.value)
