"""绩效自评表 variants as data (issue 25): what real forms print beyond 000's template, printed as the file states it.

Each case is shaped on 000's 人社事务工作经费 table (tests/test_evaluations.py PROJECT) with the variant a province
prints: a 执行率 cut instead of rounded, funds rows whose 分值/得分 cells are blank, amounts with three decimals,
目标申报数/预算编制数 for 年初预算数, 资金结（转）余, 调整后指标值, the 等级 with the 总分, the 项目绩效分析 under the
table, and several tables of one title.
"""

import copy
from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from conftest import build_page
from test_evaluations import OVERALL, evaluations_text, findings, project, with_evaluations

from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import read_department
from generator.errors import ContentError
from generator.forms.profiles import load_profile
from generator.render.evalgrid import evaluation_rows
from generator.render.html import environment, evaluation_groups
from generator.source.yamlfile import load_yaml_text

TITLE = "人社事务工作经费项目绩效自评表"


def fund_row(ev, index: int = 0) -> dict[str, str]:
    """The printed cells of a funds row by their column's heading (the header row of the funds block)."""
    rows = evaluation_rows(ev)
    at = next(i for i, row in enumerate(rows) if row[0].text == "项目资金（万元）")
    headings = [c.text for c in rows[at][1:]]
    return dict(zip(headings[1:], [str(c.printed) for c in rows[at + 1 + index][1:]]))


def by_rule(dept) -> dict[str, list]:
    """Every finding on ``dept`` by rule (all rules run at once: one computation for several rules)."""
    found: dict[str, list] = {}
    for f in findings(dept, None):
        found.setdefault(f.rule, []).append(f)
    return found


def rendered(dept) -> BeautifulSoup:
    """The 绩效自评表 of ``dept`` as the page's template prints them."""
    html = environment(None).get_template("parts/evaluations.html").render(
        evaluation_groups=evaluation_groups(dept), column_widths={})
    return BeautifulSoup(str(html), "html.parser")


def stated(rate: str) -> dict:
    """000's table with 全年预算数 3,160.00 and 全年执行数 3,111.55 (B/A = 98.4667…%) and the 执行率 ``rate``."""
    return project(funds=[{"label": "年度资金总额", "initial": 3160, "budget": 3160, "actual": 3111.55, "weight": 10,
                           "rate": rate, "score": 9},
                          {"label": "其中:当年财政拨款", "initial": 3160, "budget": 3160, "actual": 3111.55,
                           "weight": "—", "score": "—"}])


# --- 执行率: printed as stated, checked against B/A --------------------------------------------------------------

@pytest.mark.parametrize("rate, error, warning", [
    ("98.47%", None, None),  # rounded half-up at two decimals
    ("98.5%", None, None),  # at one decimal
    ("98%", None, None),
    ("98.46%", None, "98.47"),  # cut at two decimals instead of rounded: a warning
    ("98.4%", None, "98.5"),  # cut at one decimal
    ("98.50%", "98.47", None),  # neither: an error
    ("78.64%", "98.47", None),  # measured against another figure
])
def test_a_stated_rate_is_checked_cut_is_a_warning_anything_else_an_error(rate, error, warning):
    dept = with_evaluations([stated(rate)])
    found = by_rule(dept)
    errors, warnings = found.get("evaluation-rate", []), found.get("evaluation-rate-rounding", [])
    assert [(str(f.expected), str(f.found)) for f in errors] == ([(error, rate.rstrip("%"))] if error else [])
    assert [(str(f.expected), str(f.found)) for f in warnings] == ([(warning, rate.rstrip("%"))] if warning else [])
    for f in errors + warnings:
        assert f.where == f"{TITLE} 年度资金总额 执行率" and f.line and f.field.endswith("funds[1].rate")
    assert fund_row(dept.evaluations.projects[0])["执行率（B/A）"] == rate  # printed as stated, right or wrong


def test_the_warning_and_the_error_are_told_apart_in_words():
    [warning] = findings(with_evaluations([stated("98.46%")]), "evaluation-rate-rounding")
    assert warning.severity == "警告" and "舍去尾数" in warning.message and "四舍五入" in warning.message
    [error] = findings(with_evaluations([stated("98.50%")]), "evaluation-rate")
    assert error.severity == "错误" and "（应为 98.47，实际为 98.50" in error.format()


def test_a_rate_is_printed_as_written_and_computed_only_when_not_stated():
    data = project()
    data["funds"][0]["rate"] = 96.2  # a bare number (read as Decimal 96.2): the column is in percent
    data["funds"][1]["rate"] = "—"
    dept = with_evaluations([data])
    ev = dept.evaluations.projects[0]
    assert [fund_row(ev, i)["执行率（B/A）"] for i in range(3)] == ["96.2%", "—", ""]  # 上年结转资金: no budget, no rate
    assert fund_row(with_evaluations([project()]).evaluations.projects[0])["执行率（B/A）"] == "96.20%"  # B/A computed
    assert not {"evaluation-rate", "evaluation-rate-rounding"} & set(by_rule(dept))


def test_a_task_row_states_its_rate_too():
    overall = {**OVERALL, "tasks_total": {**OVERALL["tasks_total"], "rate": "90.0%"}}
    dept = with_evaluations([], overall)
    page = rendered(dept)
    total = next(tr for tr in page.select("tr") if tr.find("th", string="金额合计"))
    assert "90.0%" in [td.get_text() for td in total.find_all("td")]
    assert findings(dept, "evaluation-rate") == []


# --- 分值/得分 not printed: blank cells, and the 总分 adds up the printed ones --------------------------------------

def unscored(weight=None, score=None, total=(100, 94)) -> dict:
    """000's table whose 年度资金总额 prints ``weight``/``score`` (None: the cell is blank); its indicators carry
    90 分 and score 85."""
    data = project(total={"weight": total[0], "score": total[1]})
    data["funds"][0]["weight"], data["funds"][0]["score"] = weight, score
    return data


@pytest.mark.parametrize("weight, score, total, wrong", [
    (None, None, (100, 94), []),  # the form does not score the funds row: 10 and 9 of the 总分 are its, unprinted
    (None, None, (90, 85), []),  # … or the 总分 is the indicators' alone (分值合计 then is not 100: another finding)
    (10, None, (100, 94), []),  # 000's 金额合计: 分值 10 printed, 得分 not
    (10, None, (100, 95), []),  # an unprinted 得分 of 10 is still within its 分值
    (10, None, (100, 96), ["得分"]),  # 11 is not
    (None, None, (100, 96), ["得分"]),  # nor when the 分值 is unprinted too: at most the 10 the 分值 leaves
    (None, None, (100, 84), ["得分"]),  # a 总分 below the printed scores
    (10, 0, (100, 94), ["得分"]),  # 0 is printed: not blank
    (10, 9, (100, 94), []),
    (10, 9, (100, 95), ["得分"]),
])
def test_funds_row_scores_not_printed_let_the_total_add_up(weight, score, total, wrong):
    found = findings(with_evaluations([unscored(weight, score, total)]), "evaluation-total")
    names = [f.where.rsplit(" ", 1)[-1] for f in found if f.message != "分值合计不是 100 分"]
    assert names == wrong
    assert all(f.line and f.field.endswith("total.score") for f in found if f.where.endswith("得分"))


def test_a_total_of_the_indicators_alone_is_not_a_hundred():
    found = findings(with_evaluations([unscored(None, None, (90, 85))]), "evaluation-total")
    assert [(f.message, f.expected, f.found) for f in found] == [("分值合计不是 100 分", D(100), D(90))]


def test_blank_score_cells_print_blank_and_zero_prints_zero():
    blank = fund_row(with_evaluations([unscored(None, None)]).evaluations.projects[0])
    assert (blank["分值"], blank["得分"]) == ("", "")
    zero = fund_row(with_evaluations([unscored(0, 0, (90, 85))]).evaluations.projects[0])
    assert (zero["分值"], zero["得分"]) == ("0", "0")


# --- amounts as entered -----------------------------------------------------------------------------------------

def test_amounts_print_with_the_decimals_entered_two_at_least():
    data = project(funds=[{"label": "年度资金总额", "initial": 8.007, "budget": "8.007", "actual": 8, "weight": 10,
                           "score": 9},
                          {"label": "其中:当年财政拨款", "initial": "8.0070", "budget": 8.5, "actual": "7.99",
                           "weight": "—", "score": "—"}])
    page = rendered(with_evaluations([data]))
    amounts = [td.get_text() for td in page.select("td.amount")]
    assert amounts == ["8.007", "8.007", "8.00", "8.0070", "8.50", "7.99"]
    assert "8.01" not in page.get_text()


# --- the columns and rows some forms add ------------------------------------------------------------------------

def full_variant(**changes) -> dict:
    """000's table as a province that prints every variant would: 目标申报数 and 预算编制数 for 年初预算数, 资金结（转）余,
    调整后指标值, the 等级 and the 项目绩效分析."""
    data = project(funds=[
        {"label": "年度资金总额", "declared": 30, "prepared": 25, "budget": 25, "actual": 24.05, "balance": 0.95,
         "weight": 10, "score": 9},
        {"label": "其中:当年财政拨款", "declared": 30, "prepared": 25, "budget": 25, "actual": 24.05, "balance": 0.95,
         "weight": "—", "score": "—"}])
    data["indicators"][1]["adjusted_target"] = "≥6200 人"
    data["total"]["grade"] = "优"
    data["analysis"] = {"result": "项目完成年度目标。\n资金执行率 96.2%。", "practices": "专人负责，按月调度。",
                        "problems": "成本指标预估偏高。", "improvements": "细化预算编制。"}
    data.update(changes)
    return data


def headings(table) -> list[str]:
    return [th.get_text() for th in table.select("th.head, td.head")]  # a blank heading is a td


def test_the_variant_columns_and_rows_are_printed_where_the_form_has_them():
    page = rendered(with_evaluations([full_variant()]))
    table = page.select_one("table.evaluation-table")
    heads = headings(table)
    funds = heads[heads.index("项目资金（万元）"):heads.index("年度总体目标完成情况")]
    assert funds == ["项目资金（万元）", "", "目标申报数", "预算编制数", "全年预算数（A）", "全年执行数（B）", "资金结（转）余",
                     "分值", "执行率（B/A）", "得分"]  # 年初预算数 not printed: no row gives it
    row = table.find("th", string="年度资金总额").parent
    assert [td.get_text() for td in row.find_all("td")] == ["30.00", "25.00", "25.00", "24.05", "0.95", "10", "96.20%",
                                                            "9"]
    indicators = heads[heads.index("绩效指标"):]
    assert indicators[:9] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "调整后指标值", "实际完成值", "分值",
                              "得分"]
    second = table.find("td", string="新增人才规模").parent
    assert [td.get_text() for td in second.find_all("td")][:3] == ["新增人才规模", "≥6000 人", "≥6200 人"]
    first = table.find("td", string="城镇新增就业人数").parent
    assert [td.get_text() for td in first.find_all("td")][:4] == ["城镇新增就业人数", "≥4.5 万人", "", "5.15 万人"]
    total = table.find("th", string="总分").parent
    grade = total.find_next_sibling("tr")
    assert [c.get_text() for c in grade.find_all(["th", "td"])] == ["自评等级", "优"]
    analysis = table.find("th", string="项目绩效分析")
    assert analysis["rowspan"] == "4"
    labelled = {th.get_text(): th.find_next_sibling("td") for th in table.select("th.label")
                if th.get_text() in ("自评结果分析", "主要经验做法", "存在的问题", "改进措施")}
    assert list(labelled) == ["自评结果分析", "主要经验做法", "存在的问题", "改进措施"]
    assert [p.get_text() for p in labelled["自评结果分析"].find_all("p")] == ["项目完成年度目标。", "资金执行率 96.2%。"]
    assert labelled["改进措施"].get_text() == "细化预算编制。"
    widths = {sum(int(c.get("colspan", 1)) for c in tr.find_all(["th", "td"])) for tr in table.select("tr")}
    # 10 columns, not 9: the funds block's five amounts (目标申报数, 预算编制数, A, B, 资金结（转）余) and the indicators'
    # 调整后指标值 each need one more, 得分 and 三级指标 (stretched over two columns in 000's form) one column each
    assert max(widths) == 10
    assert table.find("th", string="三级指标").get("colspan") is None


def test_nothing_is_printed_that_the_table_does_not_give():
    page = rendered(with_evaluations([project()]))
    text = page.get_text()
    for absent in ("目标申报数", "预算编制数", "资金结（转）余", "调整后指标值", "自评等级", "项目绩效分析", "自评结果分析"):
        assert absent not in text, absent
    assert "年初预算数" in headings(page.select_one("table"))


def test_only_the_analysis_texts_given_are_printed_and_initial_stays_beside_the_split():
    data = full_variant(analysis={"problems": "成本指标预估偏高。"})
    data["funds"][0]["initial"] = 25  # a form printing 年初预算数 as well as the split
    table = rendered(with_evaluations([data])).select_one("table")
    assert [th.get_text() for th in table.select("th.label")][-1:] == ["存在的问题"]
    assert table.find("th", string="项目绩效分析").get("rowspan") is None
    assert "主要经验做法" not in table.get_text()
    heads = headings(table)
    assert heads[heads.index("年初预算数"):heads.index("年初预算数") + 3] == ["年初预算数", "目标申报数", "预算编制数"]


def test_the_variant_table_passes_the_rules():
    found = by_rule(with_evaluations([full_variant()]))
    assert [rule for rule in found if rule.startswith("evaluation")] == []


# --- bad input: located Chinese errors ----------------------------------------------------------------------------

def problems(projects: list[dict]) -> str:
    with pytest.raises(ContentError) as caught:
        with_evaluations(projects)
    return str(caught.value)


def test_a_grade_outside_the_four_is_a_located_error():
    text = evaluations_text([full_variant()]).replace("grade: 优", "grade: 优秀")
    line = text.splitlines().index("    total:") + 1 + 3  # the grade's line: after total:, weight and score
    assert text.splitlines()[line - 1].strip() == "grade: 优秀"
    message = problems([project(total={"weight": 100, "score": 94, "grade": "优秀"})])
    assert "evaluations.projects[1].total.grade" in message and "等级只能是 优、良、中、差 之一" in message
    assert "应为优、良、中、差 之一" in message and "实际为 “优秀”" in message
    assert message.startswith("t.yaml:") and "Traceback" not in message
    with pytest.raises(ContentError) as caught:
        read_department(load_yaml_text(text, "t.yaml"), "xianyang-rsj")
    assert str(caught.value).startswith(f"t.yaml:{line}: 字段 evaluations.projects[1].total.grade：")


def test_a_misspelt_analysis_key_and_a_rate_as_a_list_are_located():
    message = problems([full_variant(analysis={"problem": "成本指标预估偏高。"})])
    assert "evaluations.projects[1].analysis.problem" in message and "problems" in message
    data = project()
    data["funds"][0]["rate"] = [96, 2]
    message = problems([data])
    assert "evaluations.projects[1].funds[1].rate" in message and "执行率、得分率应为表中所印的百分数或文字" in message


# --- the page: 目录 titles told apart, the variants in the built page ---------------------------------------------

def test_five_tables_of_one_title_are_told_apart_in_the_toc_and_printed_as_written(tmp_path):
    names = ["就业见习补贴", "技能培训补贴", "创业担保贷款贴息", "社保补贴", "公益性岗位补贴"]
    tables = [full_variant(title="市级项目绩效自评表", name=n) for n in names]
    page = build_page(tmp_path, evaluations_text(tables), dept_id="xianyang-rsj")
    toc = [a.get_text() for a in page.select("nav.toc a") if a.get_text().startswith("市级项目绩效自评表")]
    assert toc == [f"市级项目绩效自评表（{n}）" for n in names]
    sections = page.select("#part-5 section.evaluation")
    assert [s.select_one("h4").get_text() for s in sections] == ["市级项目绩效自评表"] * 5
    table = sections[0].select_one("table")
    assert {"目标申报数", "资金结（转）余", "调整后指标值", "项目绩效分析"} <= set(headings(table))
    assert table.find("th", string="自评等级").find_next_sibling("td").get_text() == "优"


def test_a_project_table_laid_out_by_tasks_is_summed_by_its_total():
    """A 项目 table may list its money by task, as 000's 部门整体 table: its 金额合计 is its funds."""
    table = {**copy.deepcopy(OVERALL), "name": "任务式项目", "title": "任务式项目绩效自评表"}
    computed = compute(with_evaluations([table]), load_profile())
    summary = computed.narrative["evaluations"]
    assert (summary["budget"], summary["actual"], summary["rate"]) == (D(10), D(9), D("90.00"))
    assert [f for f in check_computed(computed) if f.rule.startswith("evaluation")] == []
