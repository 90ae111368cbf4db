"""绩效自评表: reading, layout with rowspans, computed 执行率, the check rules both ways, 十三's summary."""

import copy
import dataclasses
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import CONTENT, EXAMPLE

from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department, read_department
from generator.forms.profiles import load_profile
from generator.pipeline.build import build
from generator.render.evalgrid import evaluation_rows
from generator.render.html import environment, evaluation_groups
from generator.source.yamlfile import load_yaml_text

FIXTURES = Path(__file__).parent / "fixtures"

PROJECT = """\
name: 人社事务工作经费
title: 人社事务工作经费项目绩效自评表
period: 2023 年度
department: 咸阳市人力资源和社会保障局
unit_name: 咸阳市人力资源和社会保障局
funds:
  - {label: 年度资金总额, initial: 25.00, budget: 25.00, actual: 24.05, weight: 10, score: 9}
  - {label: "其中:当年财政拨款", initial: 25.00, budget: 25.00, actual: 24.05, weight: "—", score: "—"}
  - {label: 上年结转资金, weight: "—", score: "—"}
goals: {expected: 做好人社业务工作。, actual: 稳就业取得阶段性成效。}
indicators:
  - {level1: 产出指标, level1_weight: 50, level2: 数量指标, name: 城镇新增就业人数, target: ≥4.5 万人, actual: 5.15 万人, weight: 25, score: 25}
  - {level1: 产出指标, level1_weight: 50, level2: 数量指标, name: 新增人才规模, target: ≥6000 人, actual: ≥6500 人, weight: 15, score: 15}
  - {level1: 产出指标, level1_weight: 50, level2: 成本指标, name: 财政资金, target: 25 万, actual: 24.05 万, weight: 10, score: 9}
  - {level1: 效益指标, level1_weight: 30, level2: 社会效益指标, name: 群众社保待遇, target: 提高, actual: 提高, weight: 30, score: 27}
  - {level1: 满意度指标, level1_weight: 10, level2: 服务对象满意度指标, name: 群众满意度, target: ≥95%, actual: ≥95%, weight: 10, score: 9}
total: {weight: 100, score: 94}
"""


def without_evaluations(text: str) -> str:
    """A department file's text without its own 绩效自评表 (to put another set in their place)."""
    if "\nevaluations:" not in text:
        return text
    start = text.index("\nevaluations:")
    rest = text[start + 1:]
    end = re.search(r"\n(?=[^\s#])", rest)
    return text[:start] + ("\n" + rest[end.end():] if end else "\n")


def evaluations_text(projects: list[dict], overall: dict | None = None) -> str:
    """The example department's file with these 绩效自评表 instead of its own."""
    text = without_evaluations(EXAMPLE.read_text(encoding="utf-8"))
    block = {"evaluations": {"projects": projects, **({"overall": overall} if overall else {})}}
    return text.replace("\ntail_differences:", "\n" + yaml.safe_dump(block, allow_unicode=True, sort_keys=False) +
                        "tail_differences:", 1)


def with_evaluations(projects: list[dict], overall: dict | None = None):
    """The example department with these 绩效自评表 instead of its own."""
    return read_department(load_yaml_text(evaluations_text(projects, overall), "t.yaml"), "xianyang-rsj")


def project(**changes) -> dict:
    data = yaml.safe_load(PROJECT)
    for key, value in changes.items():
        data[key] = value
    return data


def findings(dept, rule):
    return [f for f in check_computed(compute(dept, load_profile()), only=rule)]


def test_project_table_layout_groups_indicators_by_level():
    dept = with_evaluations([project()])
    rows = evaluation_rows(dept.evaluations.projects[0])
    texts = [[c.text for c in row] for row in rows]
    assert texts[0] == ["项目名称", "人社事务工作经费"]
    assert rows[2][0].text == "项目资金（万元）" and rows[2][0].rowspan == 4
    fund = rows[3]
    assert [c.value for c in fund[1:4]] == [D("25.00"), D("25.00"), D("24.05")] and fund[5].text == "96.20%"
    header = next(i for i, r in enumerate(rows) if r and r[0].text == "绩效指标")
    first = rows[header + 1]
    assert (first[0].text, first[0].rowspan, first[1].text, first[1].rowspan) == ("产出指标（50分）", 3, "数量指标", 2)
    assert rows[header + 3][0].text == "成本指标"  # the third 产出 row only starts its 二级 group
    assert [c.text for c in rows[-1]][-3:] == ["100", "94", ""]


def test_cells_are_escaped_once_although_the_template_writes_them_as_markup():
    """evalgrid.py escapes each cell's text (and each line of prose) once; the template adds nothing."""
    dept = with_evaluations([project(name="<b>人社</b> & 事务", goals={"expected": "第一行 <i>\n第二行 & 完", "actual": "好"})])
    rows = evaluation_rows(dept.evaluations.projects[0])
    html = str(environment(None).get_template("parts/evaluations.html").render(
        evaluation_groups=[type("Group", (), {"title": "项目支出绩效自评表", "tables": [
            {"id": "evaluation-project-1", "evaluation": dept.evaluations.projects[0], "rows": rows}]})],
        column_widths={}))
    page = BeautifulSoup(html, "html.parser")
    assert '<td class="text" colspan="8">&lt;b&gt;人社&lt;/b&gt; &amp; 事务</td>' in html and "<b>" not in html
    assert '<td class="prose" colspan="4"><p>第一行 &lt;i&gt;</p><p>第二行 &amp; 完</p></td>' in html
    assert [td.get_text() for td in page.select("td.amount")][:3] == ["25.00", "25.00", "24.05"]
    assert page.select_one("th.head").get("scope") == "col" and page.select("th.label")[0].get("scope") == "row"


def test_rules_are_satisfied_by_a_consistent_table():
    dept = with_evaluations([project()])
    for rule in ("evaluation-rate", "evaluation-score-cap", "evaluation-total", "evaluation-level1", "evaluation-funds"):
        assert findings(dept, rule) == [], rule


@pytest.mark.parametrize("rule, broken", [
    ("evaluation-rate", lambda p: p["funds"][0].__setitem__("rate", "96.5%")),
    ("evaluation-score-cap", lambda p: p["indicators"][0].__setitem__("score", 26)),
    ("evaluation-total", lambda p: p["total"].__setitem__("score", 95)),
    ("evaluation-level1", lambda p: p["indicators"][3].__setitem__("weight", 20)),
])
def test_each_rule_catches_its_violation(rule, broken):
    data = project()
    broken(data)
    found = findings(with_evaluations([data]), rule)
    assert found and all(f.rule == rule and f.line and "人社事务工作经费项目绩效自评表" in f.where for f in found)


def test_rate_is_compared_at_the_printed_precision():
    data = project()
    data["funds"][0]["rate"] = "96.2%"  # 24.05 / 25 = 96.2%
    assert findings(with_evaluations([data]), "evaluation-rate") == []
    data["funds"][0]["rate"] = "100%"  # the published error: 年初预算 used as the denominator, or no division at all
    [finding] = findings(with_evaluations([data]), "evaluation-rate")
    assert (finding.expected, finding.found) == (D("96"), D("100"))


OVERALL = {
    "title": "部门整体支出绩效自评表", "unit_name": "测试局", "funds_layout": "tasks",
    "tasks": [{"name": "任务 1", "content": "人员经费", "completion": "100%",
               "budget": {"total": 10, "fiscal": 8, "other": 2}, "actual": {"total": 9, "fiscal": 8, "other": 1}}],
    "tasks_total": {"budget": {"total": 10, "fiscal": 8, "other": 2}, "actual": {"total": 9, "fiscal": 8, "other": 1},
                    "weight": 10, "score": 9},
    "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "指标 1", "target": "≥1", "actual": "1",
                    "weight": 90, "score": 85}],
    "total": {"weight": 100, "score": 94},
}


def test_task_layout_sums_are_checked():
    good = with_evaluations([], copy.deepcopy(OVERALL))
    assert findings(good, "evaluation-funds") == [] and findings(good, "evaluation-total") == []
    bad = copy.deepcopy(OVERALL)
    bad["tasks"][0]["budget"]["total"] = 11
    found = findings(with_evaluations([], bad), "evaluation-funds")
    assert {f.where for f in found} == {"部门整体支出绩效自评表 任务 1 全年预算数", "部门整体支出绩效自评表 金额合计 全年预算数"}


@pytest.mark.slow
def test_page_shows_the_tables_in_part_five_and_the_summary_in_thirteen(tmp_path):
    text = without_evaluations(EXAMPLE.read_text(encoding="utf-8"))
    block = yaml.safe_dump({"evaluations": {"overall": copy.deepcopy(OVERALL), "projects": [project()]}},
                           allow_unicode=True, sort_keys=False)
    folder = tmp_path / "content" / "2023"
    folder.mkdir(parents=True)
    (folder / "xianyang-rsj.yaml").write_text(text.replace("\ntail_differences:", "\n" + block + "tail_differences:", 1),
                                              encoding="utf-8")
    build(tmp_path / "content", tmp_path / "site", pdf=False, draft=True)  # the made-up tables do not match the accounts
    soup = BeautifulSoup((tmp_path / "site/2023/xianyang-rsj/index.html").read_text(encoding="utf-8"), "lxml")
    tables = soup.select("#part-5 section.evaluation table.evaluation-table")
    assert len(tables) == 2
    assert [h.get_text() for h in soup.select("#part-5 h3.attachment-group")][:2] == \
        ["一、部门整体支出绩效自评表", "二、项目支出绩效自评表"]
    assert "人社事务工作经费项目绩效自评表" in [a.get_text() for a in soup.select("nav.toc a")]
    cell = tables[1].find("th", string="产出指标（50分）")
    assert cell["rowspan"] == "3"
    summary = soup.select_one("#s-performance .evaluation-summary").get_text()
    assert "自评得分 94 分" in summary and "对 1 个项目" in summary and "全年执行数 24.05 万元" in summary
    assert "执行率 96.20%" in summary and "平均得分 94 分" in summary


def test_evaluations_are_optional_and_typos_are_located():
    assert not load_department(CONTENT / "2024" / "demo-yibao.yaml").evaluations
    text = without_evaluations(EXAMPLE.read_text(encoding="utf-8")) + "evaluations:\n  projects:\n    - {titel: x}\n"
    with pytest.raises(Exception) as caught:
        read_department(load_yaml_text(text, "t.yaml"), "xianyang-rsj")
    assert "titel" in str(caught.value) and "title" in str(caught.value)


def test_report_score_tables_compute_rates_and_catch_the_published_ones(example_page):
    dept = load_department(EXAMPLE)
    table = dept.attachments[1].scores
    assert [str(r.rate) for r in table.rows] == ["79.50", "87.50", "93.73", "92.30"]
    assert (table.weight_sum, table.score_sum) == (D("100.00"), D("91.27"))
    assert findings(dept, "report-scores") == []
    broken = load_department(EXAMPLE)
    broken.attachments[1].scores.rows[1] = dataclasses.replace(broken.attachments[1].scores.rows[1], rate_stated="87.52%")
    [finding] = findings(broken, "report-scores")
    assert (finding.expected, finding.found) == (D("87.50"), D("87.52"))  # the rate 000 prints
    rendered = example_page.select("#attachment-2 .score-table tbody tr")
    assert [td.get_text() for td in rendered[1].find_all("td")] == ["12.00", "10.50", "87.50%"]  # as entered
    assert [c.get_text() for c in rendered[-1].find_all(["th", "td"])] == ["合计", "100.00", "91.27", "91.27%"]


def test_tables_of_one_title_are_told_apart_in_the_toc_by_their_project():
    dept = with_evaluations([project(title="市级项目绩效自评表", name="甲项目"),
                             project(title="市级项目绩效自评表", name="乙项目"),
                             project(title="专项资金绩效自评表", name="丙项目")])
    [group] = evaluation_groups(dept)
    assert [t["toc_title"] for t in group.tables] == ["市级项目绩效自评表（甲项目）", "市级项目绩效自评表（乙项目）",
                                                      "专项资金绩效自评表"]
    assert [t["evaluation"].title for t in group.tables][:2] == ["市级项目绩效自评表"] * 2  # printed as written
