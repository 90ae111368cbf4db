"""Province profiles: table sets, 06 and 09 structures, 公开10表, section numbering, a site's own profile."""

import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, EXAMPLE, ROOT
from test_spreadsheet import figures

from generator.authoring.pdf.importing import import_pdf
from generator.checks.findings import ERROR
from generator.errors import ContentError
from generator.forms.profiles import available_profiles, load_profile
from generator.pipeline.build import build
from generator.pipeline.checking import check_files

SHAANXI_ORDER = ["一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
                 "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
                 "六、一般公共预算财政拨款基本支出决算情况说明", "七、政府性基金预算财政拨款收入支出决算情况说明",
                 "八、国有资本经营预算财政拨款支出决算情况说明", "九、财政拨款“三公”经费及会议费、培训费支出决算情况说明",
                 "十、机关运行经费支出情况说明", "十一、政府采购支出情况说明", "十二、国有资产占用及购置情况说明",
                 "十三、预算绩效情况说明", "十四、其他需要说明的情况"]


def page(site, year="2023", dept="xianyang-rsj") -> BeautifulSoup:
    return BeautifulSoup((site / year / dept / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def shanxi_site(example_site):
    return example_site("shanxi")


def headings(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select("#part-2 > section.explanation > h3")]


def test_built_in_profiles():
    assert {"shaanxi", "shanghai", "shanxi", "sichuan"} <= set(available_profiles())


def test_default_profile_keeps_the_national_tables_and_shaanxi_order(example_page):
    assert [t["data-table"] for t in example_page.select("table.fin")] == [f"t0{i}" for i in range(1, 10)]
    assert headings(example_page) == SHAANXI_ORDER
    t09 = example_page.find("table", attrs={"data-table": "t09"})
    assert len(t09.select("tbody tr")) == 2 and "会议费" in t09.thead.get_text()


@pytest.mark.slow
def test_shanxi_prints_ten_tables_and_its_section_order(shanxi_site):
    soup = page(shanxi_site)
    assert [t["data-table"] for t in soup.select("table.fin")] == [f"t0{i}" for i in range(1, 10)] + ["t10"]
    assert [td.get_text() for td in soup.select(".table-index td:nth-of-type(2)")][-1] == "部门决算公开相关信息统计表"
    titles = headings(soup)
    assert titles[6].startswith("七、政府性基金") and titles[8] == "九、财政拨款“三公”经费支出决算情况说明"
    assert len(titles) == 10  # the sub-sections of 十 in tests/test_section_tree.py


def test_shanxi_06_has_four_groups_with_309_311_313(shanxi_site):
    t06 = page(shanxi_site).find("table", attrs={"data-table": "t06"})
    assert [th.get_text() for th in t06.thead.find_all("th")].count("科目代码") == 4
    codes = {td.get_text(): td.find_next_sibling("th") or td.find_next_sibling("td") for td in t06.select("td.code")}
    assert {"309", "311", "313", "31302"} <= set(codes)
    row = t06.find("td", string="309").find_parent("tr")
    cells = row.find_all(["td", "th"])
    at = [c.get_text() for c in cells].index("309")
    assert cells[at + 2].get_text() == "——"
    footer = t06.select("tbody tr")[-1].get_text()
    assert "人员经费合计" in footer and "2,736.02" in footer and "189.68" in footer


def test_shanxi_06_runs_its_codes_down_four_columns_under_personnel_and_public(shanxi_site):
    """The real Shanxi form: one code list flowing down four column groups of equal height (a column continues
    where the one before it is full), under a header row 人员经费 | 公用经费."""
    t06 = page(shanxi_site).find("table", attrs={"data-table": "t06"})
    first = [(th.get_text(), int(th.get("colspan", 1))) for th in t06.thead.find("tr").find_all("th")]
    assert first == [("人员经费", 3), ("公用经费", 9)]
    body = load_profile("shanxi").tables["t06"]["body"]
    codes = [code for group in body["groups"] for code in group]
    rows = [tr for tr in t06.select("tbody tr") if tr.select("td.code")]
    height = -(-len(codes) // 4)
    assert len(rows) == height
    columns = [[tr.select("td.code")[g].get_text() for tr in rows if len(tr.select("td.code")) > g] for g in range(4)]
    assert [code for column in columns for code in column] == codes
    assert columns[0][-1] == codes[height - 1] and columns[1][0] == codes[height]


def test_shanxi_10_has_items_line_numbers_and_counts_blank_where_nothing(shanxi_site):
    t10 = page(shanxi_site).find("table", attrs={"data-table": "t10"})
    assert [th.get_text() for th in t10.thead.find_all("th")] == ["项目", "行次", "统计数"]
    lines = [tr.find_all(["th", "td"])[1].get_text() for tr in t10.select("tbody tr")]
    assert [n for n in lines if n] == [str(i) for i in range(1, 17)]
    assert "车辆数合计" not in t10.get_text()


def test_shanxi_09_is_one_row_without_meeting_and_training(shanxi_site):
    t09 = page(shanxi_site).find("table", attrs={"data-table": "t09"})
    rows = t09.select("tbody tr")
    assert len(rows) == 1 and len(rows[0].find_all("td")) == 12
    assert "会议费" not in t09.get_text() and "培训费" not in t09.get_text()
    values = [td.get_text() for td in rows[0].find_all("td")]
    assert values[0] == "14.30" and values[6] == "1.96" and values[11] == "1.96"  # 预算 合计, 决算 合计, 决算 接待


def test_shanxi_10_takes_its_figures_from_the_explanation(shanxi_site):
    t10 = page(shanxi_site).find("table", attrs={"data-table": "t10"})
    cells = {tr.find_all(["th", "td"])[0].get_text(): tr.find_all(["th", "td"])[-1].get_text()
             for tr in t10.select("tbody tr")}
    assert cells["机关运行经费合计（万元）"] == "178.24"
    assert cells["政府采购支出合计（万元）"] == "3.51" and cells["3. 服务（万元）"] == "3.51"
    assert "车辆数合计" not in cells  # the form prints no computed total of its own
    assert cells["1. 副部（省）级及以上领导用车（辆）"] == "" and cells["单价100万元（含）以上设备（台、套）"] == ""
    data = (shanxi_site / "2023" / "xianyang-rsj" / "xianyang-rsj-2023-t10.csv").read_text(encoding="utf-8-sig")
    assert "机关运行经费合计" in data and "178.24" in data


INFO = """\
  info:  # 公开10表
    procurement: {total: 120.00, goods: 80.00, works: 0, services: 40.00}
    operating_costs: {total: 178.24, administrative: 100.24, civil_service: 78.00}
    vehicles: {total: 2, 执法执勤用车: 2}
    equipment: 0
"""


@pytest.fixture
def shanxi_department(tmp_path):
    """A Shanxi-profile department stating its 公开10表, its 情况说明 十一、十二 saying the same."""
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("year: 2023\n", "year: 2023\nprofile: shanxi\n", 1).replace("\ntables:", "\ntables:\n" + INFO, 1)
    text = text.replace("    goods: 0\n    works: 0\n    services: 3.51\n", "    goods: 80.00\n    works: 0\n    services: 40.00\n", 1)
    text = text.replace("  assets: {equipment: 0, purchased_vehicles: 0, purchased_equipment: 0}",
                        "  assets: {vehicles: {执法执勤用车: 2}}", 1)
    path = content / "2023" / "demo-shanxi.yaml"
    path.write_text(text, encoding="utf-8")
    return content, path


@pytest.mark.pdf
def test_synthetic_shanxi_department_builds_html_pdf_and_open_data(shanxi_department, tmp_path):
    content, path = shanxi_department
    assert [f.format() for f in check_files([path]).findings if f.severity == ERROR] == []
    out = tmp_path / "site"
    build(content, out)
    t10 = page(out, dept="demo-shanxi").find("table", attrs={"data-table": "t10"})
    cells = {tr.find_all(["th", "td"])[0].get_text(): tr.find_all(["th", "td"])[-1].get_text()
             for tr in t10.select("tbody tr")}
    assert (cells["政府采购支出合计（万元）"], cells["1. 货物（万元）"], cells["1. 行政单位（万元）"],
            cells["5. 执法执勤用车（辆）"]) == ("120.00", "80.00", "100.24", "2")
    folder = out / "2023" / "demo-shanxi"
    data = (folder / "demo-shanxi-2023-t10.csv").read_text(encoding="utf-8-sig")
    assert "政府采购支出合计" in data and "120.00" in data and "100.24" in data
    pdf = subprocess.run(["pdftotext", str(folder / "demo-shanxi-2023.pdf"), "-"], capture_output=True, text=True)
    assert "部门决算公开相关信息统计表" in pdf.stdout and "公开10表" in pdf.stdout and "100.24" in pdf.stdout
    # the published PDF imports back figure for figure, 公开10表 included (juesuan import FILE.pdf); the file's
    # 会议费、培训费 are not among them: Shanxi's 公开09表 does not print them
    again = import_pdf(folder / "demo-shanxi-2023.pdf", "demo-shanxi", 2023, tmp_path / "again", profile="shanxi")
    assert [label for label, _ in again.tables][-1] == "公开10表"
    unprinted = {("t09", f"{row}.{item}") for row in ("budget", "actual") for item in ("meeting", "training")}
    read, stated = (({k: v for k, v in figures(a, b).items() if k not in unprinted})
                    for a, b in ((again.target, path), (path, again.target)))
    assert read == stated and len(read) > 1000
    # a broken 公开10表 identity is an 错误 naming the table and the figure
    path.write_text(path.read_text(encoding="utf-8").replace("procurement: {total: 120.00,", "procurement: {total: 121.00,", 1),
                    encoding="utf-8")
    broken = [f for f in check_files([path]).findings if f.severity == ERROR]
    assert [(f.rule, f.where, str(f.difference)) for f in broken] == [("info-10", "公开10表 政府采购支出合计", "1.00")]
    path.write_text(path.read_text(encoding="utf-8").replace("vehicles: {total: 2,", "vehicles: {total: 3,", 1),
                    encoding="utf-8")
    assert ("info-10", "公开10表 车辆数合计") in [(f.rule, f.where) for f in check_files([path]).findings]


@pytest.mark.slow
def test_a_site_adds_its_own_profile(content_copy, tmp_path):
    profiles = content_copy / "profiles"
    profiles.mkdir()
    (profiles / "xianyang.yaml").write_text(
        "name: xianyang\ntitle: 咸阳市格式\nextends: shaanxi\ncharts: [totals_change]\n"
        "phrases: {}\nsections:\n"
        "  - {key: overall, title: 收支总体情况}\n"
        "  - {key: general_budget, title: 一般公共预算支出情况, template: sections/xy_general.html}\n"
        "  - {key: other, title: 其他情况, numbered: false}\n", encoding="utf-8")
    theme = content_copy / "theme" / "sections"
    theme.mkdir(parents=True)
    (theme / "xy_general.html").write_text("<p>一般公共预算财政拨款支出 {{ n.general_budget.actual|amount }} 万元。</p>\n"
                                           "{% include \"builtin/sections/general_budget.html\" %}\n", encoding="utf-8")
    (content_copy / "site.yaml").write_text("profile: xianyang\ntemplates: theme\n", encoding="utf-8")
    out = tmp_path / "site"
    build(content_copy, out, pdf=False)
    soup = page(out)
    assert headings(soup) == ["一、收支总体情况", "二、一般公共预算支出情况", "其他情况"]
    assert "一般公共预算财政拨款支出 8019.96 万元。" in soup.select_one("#s-general_budget").get_text()
    assert [f.get("id") for f in soup.select("figure.chart")] == ["figure-1"]
    # a department file may name another profile; --profile overrides both
    dept = content_copy / "2024" / "demo-yibao.yaml"
    text = dept.read_text(encoding="utf-8")
    dept.write_text(re.sub(r"^profile: .*$", "profile: shanxi", text, count=1, flags=re.M), encoding="utf-8")
    build(content_copy, out, pdf=False)
    assert page(out, "2024", "demo-yibao").find("table", attrs={"data-table": "t10"})
    assert not page(out).find("table", attrs={"data-table": "t10"})
    build(content_copy, out, pdf=False, profile="shaanxi")
    assert headings(page(out)) == SHAANXI_ORDER


@pytest.mark.slow
def test_unknown_profile_is_a_located_message(content_copy):
    (content_copy / "site.yaml").write_text("profile: hunan\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content_copy, content_copy.parent / "site", pdf=False)
    assert "site.yaml:1: 字段 profile：没有这个省份格式" in caught.value.problems[0].format()
    cli = subprocess.run([sys.executable, "-m", "generator", "check", "--profile", "hunan", str(EXAMPLE)],
                         capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 2 and "没有名为 hunan 的省份格式" in cli.stderr


def test_profile_documentation_lists_the_steps():
    readme = (ROOT / "docs" / "webmasters" / "profiles.md").read_text(encoding="utf-8")
    assert "profiles/" in readme and "extends" in readme and "--profile" in readme
    assert load_profile("shanxi").tables["t10"]["label"] == "公开10表"


@pytest.mark.slow
def test_code_style_of_a_profile_derived_from_the_default_takes_effect(content_copy, tmp_path):
    (content_copy / "profiles").mkdir()
    (content_copy / "profiles" / "codes.yaml").write_text(
        "name: codes\ntitle: 科目写法\nextends: shaanxi\nphrases: {code_style: 类款项}\n", encoding="utf-8")
    out = tmp_path / "site"
    build(content_copy, out, pdf=False, profile="codes")
    titles = [p.get_text() for p in page(out).select("#s-general_budget .item-title")]
    assert titles and "社会保障和就业208（类）01（款）01（项）" in titles
