"""Every data file the tool reads is checked like a department file: profiles (a site's own and the built-in ones),
their table layouts and glossaries, the layout files, charts.yaml and the code catalogues. A mistake is a located
Chinese message (file:line: 字段 …), all of a file's mistakes at once, never an internal error."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, EXAMPLE, ROOT

from generator.errors import ContentError
from generator.forms import catalogue, chartkinds, layouts
from generator.forms.glossary import GLOSSARY_DIR
from generator.forms.profiles import (
    PHRASES,
    PROFILE_DIR,
    RULES,
    available_profiles,
    load_profile,
)
from generator.forms.sections import SECTION_KEYS
from generator.resources import BUILTIN_TEMPLATES

# A site's own profile: lines 1–8, so that each test's mistake sits on a known line.
PROFILE = """\
name: xianyang
title: 咸阳市格式
extends: shaanxi
charts: [totals_change, income_structure]
sections:
  - {key: overall, title: 收支总体情况}
  - {key: general_budget, title: 一般公共预算支出情况}
  - {key: other, title: 其他情况, numbered: false}
"""

T09 = """\
tables:
  t09:
    label: 公开09表
    title: 财政拨款“三公”经费支出决算表
    header:
      - [{text: 预算数, colspan: 2}, {text: 决算数, colspan: 2}]
    body:
      kind: rows
      rows:
        - [{value: budget.total}, {value: budget.abroad}, {value: actual.total}, {value: actual.abroad}]
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A content directory with a profiles folder, the working directory its parent (messages name content/…)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "profiles").mkdir(parents=True)
    return tmp_path / "content"


def problems(site: Path, text: str, name: str = "xianyang") -> list[str]:
    """The messages of loading profile ``name`` written as ``text``."""
    (site / "profiles" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_profile(name, site)
    return [p.format() for p in caught.value.problems]


def test_the_example_profile_is_read(site):
    (site / "profiles" / "xianyang.yaml").write_text(PROFILE + T09, encoding="utf-8")
    profile = load_profile("xianyang", site)
    assert profile.section_keys == ("overall", "general_budget", "other")
    assert len(layouts.load_form(2023, profile).tables["t09"].header[0]) == 2


def test_a_section_without_key(site):
    text = PROFILE.replace("{key: overall, title: 收支总体情况}", "{title: 收支总体情况}")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:6: 字段 sections[1].key：缺少必填字段（应为文字，实际为 无）"]


def test_a_misspelt_section_key(site):
    text = PROFILE.replace("key: general_budget", "key: general_budegt")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:7: 字段 sections[2].key：没有这一节，是否应为 general_budget？（应为以下之一："
        + "、".join(SECTION_KEYS) + "，实际为 “general_budegt”）"]


def test_a_section_listed_twice(site):
    text = PROFILE.replace("key: other", "key: overall")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:8: 字段 sections[3].key：同一节列了两次（应为每节只出现一次，实际为 “overall”）"]


def test_a_misspelt_table_id(site):
    text = PROFILE + T09.replace("  t09:", "  t9:")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:10: 字段 tables.t9：没有这张表，是否应为 t09？"
        "（应为以下之一：t01、t02、t03、t04、t05、t06、t07、t08、t09、t10，实际为 “t9”）"]


def test_layout_cells_of_the_wrong_type(site):
    text = PROFILE + T09.replace("{text: 预算数, colspan: 2}", "{text: 预算数, colspan: two}") \
        .replace("{value: actual.abroad}]", "{value: actual.abroad, total: 1}, [a, b]]")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:14: 字段 tables.t09.header[1][1].colspan：合并的列数应为正整数（应为正整数，如 2，实际为 “two”）",
        "content/profiles/xianyang.yaml:18: 字段 tables.t09.body.rows[1][4].total：应为 true 或 false（应为true 或 false，实际为 “1”）",
        "content/profiles/xianyang.yaml:18: 字段 tables.t09.body.rows[1][5]：表格的格应为文字或一组字段"
        "（应为文字，或 {text: …}、{value: …} 形式的一组字段，实际为 一个列表）"]


def test_a_layout_without_title_or_with_the_wrong_body(site):
    text = PROFILE + T09.replace("    title: 财政拨款“三公”经费支出决算表\n", "").replace("kind: rows", "kind: codes")
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:10: 字段 tables.t09.title：缺少必填字段（应为文字，实际为 无）",
        "content/profiles/xianyang.yaml:15: 字段 tables.t09.body.kind：这张表的表体类型只能是 rows（应为rows，实际为 “codes”）"]


def test_an_unknown_chart(site):
    text = PROFILE.replace("income_structure]", "income_structur]")
    assert problems(site, text)[0].startswith(
        "content/profiles/xianyang.yaml:4: 字段 charts[2]：没有这种图，是否应为 income_structure？（应为以下之一：totals_change、")


def test_an_unknown_top_level_key(site):
    assert problems(site, PROFILE + "colour: red\nsection: []\n") == [
        "content/profiles/xianyang.yaml:9: 字段 colour：未知字段 colour（应为以下之一：name、title、extends、sections、"
        "charts、tables、phrases、rules、glossary、numbering、cover、parts、overview、table_style、toc_depth、wording、vehicle_names，实际为 colour）",
        "content/profiles/xianyang.yaml:10: 字段 section：未知字段 section，是否应为 sections？（应为以下之一：name、title、"
        "extends、sections、charts、tables、phrases、rules、glossary、numbering、cover、parts、overview、table_style、toc_depth、wording、vehicle_names，实际为 section）"]


def test_a_wrong_numbering(site):
    assert problems(site, PROFILE + "numbering: wrong\n") == [
        "content/profiles/xianyang.yaml:9: 字段 numbering：章节编号方式不正确（应为以下之一：numbered-only、position，实际为 “wrong”）"]


def test_extends_names_no_profile(site):
    assert problems(site, PROFILE.replace("extends: shaanxi", "extends: nosuch")) == [
        "content/profiles/xianyang.yaml:3: 字段 extends：没有名为 nosuch 的省份格式"
        "（应为以下之一：shaanxi、shanghai、shanxi、sichuan、xianyang，实际为 “nosuch”）"]
    assert problems(site, PROFILE.replace("extends: shaanxi", "extends: shanxii")) == [
        "content/profiles/xianyang.yaml:3: 字段 extends：没有名为 shanxii 的省份格式，是否应为 shanxi？"
        "（应为以下之一：shaanxi、shanghai、shanxi、sichuan、xianyang，实际为 “shanxii”）"]


def test_a_profile_extending_itself_in_a_circle(site):
    (site / "profiles" / "other.yaml").write_text("extends: xianyang\n", encoding="utf-8")
    assert problems(site, PROFILE.replace("extends: shaanxi", "extends: other")) == [
        "content/profiles/other.yaml:1: 字段 extends：省份格式循环继承（应为不循环的继承关系，实际为 xianyang → other → xianyang）"]


def test_the_parents_problems_come_with_the_childs(site):
    (site / "profiles" / "base.yaml").write_text("title: 基础\nsections: [{key: overall}]\n", encoding="utf-8")
    assert problems(site, PROFILE.replace("extends: shaanxi", "extends: base") + "numbering: wrong\n") == [
        "content/profiles/base.yaml:2: 字段 sections[1].title：缺少必填字段（应为文字，实际为 无）",
        "content/profiles/xianyang.yaml:9: 字段 numbering：章节编号方式不正确（应为以下之一：numbered-only、position，实际为 “wrong”）"]


def test_what_no_profile_of_the_chain_says(site):
    (site / "profiles" / "bare.yaml").write_text("extends: shaanxi\n", encoding="utf-8")
    assert load_profile("bare", site).sections == load_profile("shaanxi").sections  # inherited
    assert problems(site, "name: alone\ncharts: []\n", "alone") == [
        "content/profiles/alone.yaml:1: 字段 title：缺少必填字段（应为文字（本格式和它继承的格式都没有），实际为 无）",
        "content/profiles/alone.yaml:1: 字段 sections：缺少必填字段（应为情况说明各节的列表（本格式和它继承的格式都没有），实际为 无）"]


def test_unknown_rules_and_phrases(site):
    text = PROFILE + "rules: {operating_costs_equals_publik: true}\nphrases: {code_style: 类款目}\n"
    assert problems(site, text) == [
        "content/profiles/xianyang.yaml:9: 字段 rules.operating_costs_equals_publik：没有这个规则开关，"
        "是否应为 operating_costs_equals_public？（应为以下之一：evaluations_match_accounts、operating_costs_equals_public，"
        "实际为 “operating_costs_equals_publik”）",
        "content/profiles/xianyang.yaml:10: 字段 phrases.code_style：措辞变体 code_style 没有这种写法，是否应为 类款项？（应为以下之一：类款项，实际为 “类款目”）"]


def test_a_missing_glossary_is_located_on_the_profiles_field(site):
    assert problems(site, PROFILE + "glossary: xianyang-terms.yaml\n") == [
        "content/profiles/xianyang.yaml:9: 字段 glossary：名词解释文件不存在"
        "（应为已有的名词解释文件，路径相对于本格式文件所在的目录，实际为 “xianyang-terms.yaml”）"]


def test_a_glossary_entry_without_text(site):
    (site / "profiles" / "xianyang-glossary.yaml").write_text(
        "terms:\n  - term: 基本支出\n    text: 指人员经费和公用经费。\n  - term: 项目支出\n  - {term: 基本支出, text: 又一条}\n",
        encoding="utf-8")
    assert problems(site, PROFILE + "glossary: xianyang-glossary.yaml\n") == [
        "content/profiles/xianyang-glossary.yaml:4: 字段 terms[2].text：缺少必填字段（应为文字，实际为 无）",
        "content/profiles/xianyang-glossary.yaml:5: 字段 terms[3].term：名词重复（应为每个名词只解释一次，实际为 第 1 项已有 “基本支出”）"]


def test_a_glossary_beside_a_site_profile_is_no_profile(site):
    (site / "profiles" / "xianyang-glossary.yaml").write_text("terms:\n  - {term: 基本支出, text: 指人员经费和公用经费。}\n",
                                                             encoding="utf-8")
    (site / "profiles" / "xianyang.yaml").write_text(PROFILE + "glossary: xianyang-glossary.yaml\n", encoding="utf-8")
    assert available_profiles(site) == ["shaanxi", "shanghai", "shanxi", "sichuan", "xianyang"]
    assert Path(load_profile("xianyang", site).glossary) == (site / "profiles" / "xianyang-glossary.yaml").resolve()
    with pytest.raises(ContentError) as caught:
        load_profile("xianyang-glossary", site)
    assert caught.value.problems[0].message == "没有名为 xianyang-glossary 的省份格式"


def test_built_in_glossaries_are_out_of_the_profiles_folder():
    assert available_profiles() == ["shaanxi", "shanghai", "shanxi", "sichuan"]
    assert not list(PROFILE_DIR.glob("*glossary*")) and (GLOSSARY_DIR / "sichuan.yaml").is_file()
    assert Path(load_profile("sichuan").glossary) == GLOSSARY_DIR / "sichuan.yaml"


# -- the command line ---------------------------------------------------------------------------

def juesuan(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "juesuan"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd)


def no_internal_error(run: subprocess.CompletedProcess) -> bool:
    return "内部错误" not in run.stderr and "Traceback" not in run.stderr


def test_a_glossary_is_not_offered_as_a_profile_on_the_command_line():
    run = juesuan("check", "--profile", "sichuan-glossary", "content/2023/xianyang-rsj.yaml", cwd=ROOT)
    assert run.returncode == 2 and no_internal_error(run)
    assert "--profile: 没有名为 sichuan-glossary 的省份格式（应为以下之一：shaanxi、shanghai、shanxi、sichuan" in run.stderr


@pytest.fixture
def bad_site(site):
    """One department and a site profile whose first section has no key."""
    (site / "2023").mkdir()
    shutil.copy(EXAMPLE, site / "2023" / EXAMPLE.name)
    shutil.copy(CONTENT / "site.yaml", site / "site.yaml")
    (site / "profiles" / "broken.yaml").write_text(PROFILE.replace("{key: overall, ", "{"), encoding="utf-8")
    return site


BROKEN = "content/profiles/broken.yaml:6: 字段 sections[1].key：缺少必填字段（应为文字，实际为 无）"


def test_check_with_a_bad_profile_says_where(bad_site):
    run = juesuan("check", "--profile", "broken", f"content/2023/{EXAMPLE.name}", cwd=bad_site.parent)
    assert run.returncode == 2 and no_internal_error(run) and BROKEN in run.stderr


def test_build_with_a_bad_profile_says_where(bad_site):
    (bad_site / "site.yaml").write_text("profile: broken\n", encoding="utf-8")
    run = juesuan("build", "--no-pdf", "--content", "content", "--out", "site", cwd=bad_site.parent)
    assert run.returncode == 1 and no_internal_error(run) and BROKEN in run.stderr


# -- the tool's own data files --------------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """The built-in layouts, charts.yaml and catalogues copied to tmp_path and read from there."""
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(layouts.LAYOUT_DIR, data / "layouts")
    shutil.copytree(catalogue.CATALOGUE_DIR, data / "catalogue")
    shutil.copy(chartkinds.CATALOGUE, data / "charts.yaml")
    monkeypatch.setattr(layouts, "LAYOUT_DIR", data / "layouts")
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", data / "catalogue")
    monkeypatch.setattr(chartkinds, "CATALOGUE", data / "charts.yaml")
    caches = (layouts._national, layouts._form, catalogue.catalogue, chartkinds.chart_kinds)
    for cache in caches:
        cache.cache_clear()
    yield data
    for cache in caches:
        cache.cache_clear()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(call) -> list[str]:
    with pytest.raises(ContentError) as caught:
        call()
    return [p.format() for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


def test_a_layout_file_is_located(data_copy):
    form = data_copy / "layouts" / "2023.yaml"
    edit(form, "{blank: [9, 26]}", "{blank: [26, 9]}")
    edit(form, "{key: fund, label: 二、政府性基金预算财政拨款, line: 2}", "{key: fund, label: 二、政府性基金预算财政拨款}")
    edit(form, "  - {code: \"202\", label: 二、外交支出}", "  - {code: \"202\", lable: 二、外交支出}")
    blank = (f"data/layouts/2023.yaml:{line_of(form, '[26, 9]')}: 字段 tables.t01.body.left[9].blank：空行的范围应为起止两个行次"
             "（应为两个正整数，前一个不大于后一个，如 [9, 26]，实际为 一个列表）")
    assert messages(lambda: layouts.load_form(2024)) == [  # 2024 replaces t01, but 2023's own is wrong all the same
        f"data/layouts/2023.yaml:{line_of(form, 'lable')}: 字段 classes[2].lable：未知字段 lable，是否应为 label？"
        "（应为以下之一：code、label，实际为 lable）",
        f"data/layouts/2023.yaml:{line_of(form, 'lable')}: 字段 classes[2].label：缺少必填字段（应为文字，实际为 无）",
        blank,
        f"data/layouts/2023.yaml:{line_of(form, '{key: fund,')}: 字段 tables.t04.body.left[2].line：缺少必填字段"
        "（应为行次（正整数），实际为 无）",
    ]
    edit(form, "{code: \"202\", lable:", "{code: \"202\", label:")
    edit(form, "{key: fund, label: 二、政府性基金预算财政拨款}", "{key: fund, label: 二、政府性基金预算财政拨款, line: 2}")
    assert messages(lambda: layouts.load_form(2023)) == [blank]


def test_a_form_extending_no_form(data_copy):
    edit(data_copy / "layouts" / "2024.yaml", "extends: 2023", "extends: 2022")
    assert messages(lambda: layouts.load_form(2024)) == [
        "data/layouts/2024.yaml:2: 字段 extends：没有这一年度的表样，是否应为 2023？（应为以下之一：2023，实际为 “2022”）",
        "data/layouts/2024.yaml:2: 字段 title_format：缺少必填字段（应为文字，实际为 无）",
        "data/layouts/2024.yaml:2: 字段 empty_reason：缺少必填字段（应为文字，实际为 无）",
        "data/layouts/2024.yaml:2: 字段 unit_label：缺少必填字段（应为文字，实际为 无）",
        "data/layouts/2024.yaml:2: 字段 classes：缺少必填字段（应为各类的列表（code、label），实际为 无）",
        "data/layouts/2024.yaml:5: 字段 tables：缺少全国统一的表（应为t01、t02、t03、t04、t05、t06、t07、t08、t09，"
        "实际为 缺 t02、t03、t04、t05、t06、t07、t08、t09）",
    ]


def test_charts_yaml_is_located(data_copy):
    charts = data_copy / "charts.yaml"
    edit(charts, "  section: income\n", "  section: incom\n")
    edit(charts, "  kind: pie\n  subject: 本年支出\n", "  kind: donut\n  subject: 本年支出\n")
    section, donut = line_of(charts, "section: incom\n"), line_of(charts, "donut")
    assert messages(chartkinds.chart_kinds) == [
        f"data/charts.yaml:{section}: 字段 income_structure.section：没有这一节，是否应为 income？（应为以下之一："
        "staff、" + "、".join(SECTION_KEYS) + "，实际为 “incom”）",
        f"data/charts.yaml:{donut}: 字段 expenditure_structure.kind：没有这种图形（应为以下之一：bars、pie，实际为 “donut”）",
    ]


def test_a_catalogue_is_located(data_copy):
    functional = data_copy / "catalogue" / "functional.yaml"
    edit(functional, '"202": 外交支出', '"20a": 外交支出\n"203x":')
    assert messages(lambda: catalogue.catalogue("functional", 2023)) == [
        f"data/catalogue/functional.yaml:{line_of(functional, '20a')}: 字段 20a：科目代码应为 3、5 或 7 位数字"
        "（应为如 \"2080101\"，实际为 “20a”）",
        f"data/catalogue/functional.yaml:{line_of(functional, '203x')}: 字段 203x：科目代码应为 3、5 或 7 位数字"
        "（应为如 \"2080101\"，实际为 “203x”）",
        f"data/catalogue/functional.yaml:{line_of(functional, '203x')}: 字段 203x：缺少必填内容（应为文字，实际为 空值）",
    ]


# -- the vocabularies the readers check against, kept in step with their users ---------------------

def test_section_keys_are_the_built_in_section_templates():
    assert set(SECTION_KEYS) == {p.stem for p in (BUILTIN_TEMPLATES / "sections").glob("*.html")}


def test_rules_and_phrases_are_those_asked_for():
    checks = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator" / "checks").rglob("*.py"))
    assert set(re.findall(r"\.rule\(\"(\w+)\"\)", checks)) == set(RULES)
    templates = "".join(p.read_text(encoding="utf-8") for p in BUILTIN_TEMPLATES.rglob("*.html"))
    render = "".join(p.read_text(encoding="utf-8") for folder in ("render", "compute")
                     for p in (ROOT / "generator" / folder).rglob("*.py"))
    assert set(re.findall(r"\.phrase\(\"(\w+)\"", templates + render)) == set(PHRASES)
