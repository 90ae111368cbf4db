"""The same data in 元 gives the same page; a 2024-form file prints the 2024 行次."""

from decimal import Decimal

import htmltables as H
import pytest
import yaml
from conftest import CONTENT, EXAMPLE, build_page, fixed_epoch

from generator.checks.runner import check_computed
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import load_config
from generator.forms.profiles import load_profile
from generator.render.outputs import render_site
from generator.source.yamlfile import load_yaml

# Narrative fields that are counts of people, groups or vehicles, not money.
COUNTS = {"domestic_groups", "domestic_people", "foreign_groups", "foreign_people", "groups", "people",
          "vehicles", "count", "equipment", "purchased_vehicles", "purchased_equipment"}


def in_yuan(data, key=None):
    """Every amount of a department file × 10 000 (万元 → 元)."""
    if isinstance(data, dict):
        return {k: (v if k in COUNTS or k == "assets" else in_yuan(v, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [in_yuan(v, key) for v in data]
    if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
        return Decimal(data) * 10000
    return data


def evaluations_in_yuan(data):
    """The 绩效自评表's money (年初预算数, 全年预算数, 全年执行数) in 元; 分值, 得分 and rates stay as they are."""
    money = {"initial", "budget", "actual"}

    def row(r):
        return {k: (in_yuan(v) if k in money and not isinstance(v, str) else v) for k, v in r.items()}

    def table(t):
        t = dict(t)
        for key in ("funds", "tasks"):
            if t.get(key):
                t[key] = [row(r) for r in t[key]]
        if t.get("tasks_total"):
            t["tasks_total"] = row(t["tasks_total"])
        return t
    return {"overall": table(data["overall"]), "projects": [table(p) for p in data["projects"]]}


def dump(data) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False)


@pytest.mark.slow
def test_same_data_in_yuan_gives_the_same_page(tmp_path, html_site):
    data = load_yaml(EXAMPLE).data
    converted = {**data, "year": data["year"], "unit": "元",
                 "tables": in_yuan(data["tables"]), "narrative": in_yuan(data["narrative"])}
    converted["narrative"]["performance"] = data["narrative"]["performance"]
    converted["tail_differences"] = in_yuan(data["tail_differences"])
    converted["evaluations"] = evaluations_in_yuan(data["evaluations"])
    content = tmp_path / "content" / "2023"
    content.mkdir(parents=True)
    text = dump(converted)
    assert "fiscal: 12646600" in text and "1264.66" not in text.split("narrative:")[0]  # really converted
    (content / "xianyang-rsj.yaml").write_text(text, encoding="utf-8")
    computed = compute(load_department(content / "xianyang-rsj.yaml"), load_profile())
    assert check_computed(computed) == []  # the registered 尾差, now in 元, are met exactly
    with fixed_epoch():  # as html_site: dated by the same day, no PDF, no link to one
        in_yuan_page = render_site([computed], load_config(CONTENT), pdf=False)
    page = "2023/xianyang-rsj/index.html"
    assert in_yuan_page[page].decode("utf-8") == (html_site / page).read_text(encoding="utf-8")


MINIMAL = """\
year: 2023
unit: 元
department: {name: 测试局}
cover: {secrecy_review: 已审查, head_approval: 已审签}
overview: {duties: [职责], units: [测试局（本级）], staff: {retired: 0}}
tables:
  income:
    2080101: {fiscal: 12646650}
    2080102: {fiscal: 12646649}
  fiscal_summary:
    income: {general: 25293299}
"""


def test_yuan_amounts_are_rounded_half_up_for_display(tmp_path):
    page = build_page(tmp_path, MINIMAL, dept_id="d")
    rows = H.coded(H.table(page, "t02"))
    assert rows["2080101"][0] == "1,264.67"  # 1264.665 万元, half-up
    assert rows["2080102"][0] == "1,264.66"  # 1264.6649 万元
    assert rows["合计"][0] == "2,529.33"  # rounded once from the exact sum 2529.3299
    assert H.two_sided(H.table(page, "t01"))[27] == ["2,529.33"]


@pytest.mark.slow
def test_2024_form_uses_the_2024_line_numbers(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("year: 2023", "year: 2024")
    page = build_page(tmp_path, text, 2024, "xianyang-rsj")
    tbl = H.table(page, "t01")
    labels = H.two_sided_labels(tbl)
    lines = H.two_sided(tbl)
    assert sorted(labels) == list(range(1, 61))
    assert labels[30] == labels[60] == "总计"
    assert labels[31] == "一、一般公共服务支出" and labels[56] == "二十六、抗疫特别国债安排的支出"
    assert (labels[57], labels[58], labels[59]) == ("本年支出合计", "结余分配", "年末结转和结余")
    assert lines[30] == lines[60] == ["9,192.86"]
    assert lines[57] == ["8,980.21"]
    assert "2024 年度部门决算" in page.select_one("h1").get_text()


@pytest.mark.slow
def test_form_can_be_chosen_explicitly(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("year: 2023", "year: 2024\nform: 2023")
    page = build_page(tmp_path, text, 2024, "xianyang-rsj")
    assert H.two_sided_labels(H.table(page, "t01"))[62] == "总计"
