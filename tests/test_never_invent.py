"""Never invent, never publish unfinished: a sentence prints only figures the author gave (or the tool computed
from them), a share over a zero base is never printed, and a disclosure still pending or empty is not published."""

import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, build_page
from test_phrases import BASE

from generator.checks.runner import check_computed
from generator.commands.cli import main
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.forms.profiles import load_profile

ITEMS = "narrative:\n  general_budget:\n    items:\n      2080101: {budget: 80.00}\n"
WITHOUT_STAFF = ITEMS + BASE.replace("overview: {duties: [职责], units: [测试局（本级）], staff: {retired: 0}}",
                             "overview: {duties: [职责], units: [测试局（本级）], staff: {actual: {行政: 12}}}")


def explanation_text(page, key: str) -> str:
    section = page.select_one(f"#s-{key}")
    return section.get_text(" ", strip=True) if section else ""


@pytest.mark.slow
def test_staff_counts_not_given_are_not_printed(tmp_path):
    page = build_page(tmp_path, WITHOUT_STAFF)
    text = page.select_one("#overview-staff").get_text(" ", strip=True)
    assert "实有人员 12 人，其中行政 12 人。" in text
    assert "编制" not in text and "离退休" not in text  # neither was given: no “编制 0 人”, no “离退休人员 0 人”


@pytest.mark.slow
def test_procurement_not_entered_prints_no_made_up_amounts(tmp_path):
    page = build_page(tmp_path, BASE + ITEMS)  # no narrative.procurement at all
    text = explanation_text(page, "procurement")
    assert "政府采购支出总额" not in text and "中小企业" not in text and "0.00" not in text


@pytest.mark.slow
def test_procurement_entered_as_zero_says_none_and_shares_over_zero_are_left_out(tmp_path):
    page = build_page(tmp_path, BASE + ITEMS + "  procurement: {goods: 0, works: 0, services: 0, "
                                       "sme: {goods: 0, works: 0, services: 0}, small_micro: 0}\n")
    text = explanation_text(page, "procurement")
    assert "本部门 2023 年度无政府采购支出。" in text
    assert "政府采购授予中小企业合同金额 0.00 万元，其中：授予小微企业合同金额 0.00 万元；" in text
    assert "占" not in text  # every base is zero: 0 ÷ 0 is not a percentage


@pytest.mark.slow
def test_a_share_of_a_nonzero_base_is_printed_and_one_of_a_zero_base_is_not(tmp_path):
    page = build_page(tmp_path, BASE + ITEMS + "  procurement: {goods: 0, works: 0, services: 3.51, "
                                       "sme: {goods: 0, works: 0, services: 0}}\n")
    text = explanation_text(page, "procurement")
    assert "占政府采购支出合同总额的 0.00%" in text  # 0 of 3.51
    assert "货物采购授予中小企业合同金额 0.00 万元，工程采购" in text  # 0 of 0: no share
    assert "占政府采购服务支出合同的 0.00%" in text


def test_a_new_file_is_not_published_and_the_build_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "x", "--year", "2024", "--name", "测试局"]).exit_code == 0
    built = runner.invoke(main, ["build", "--no-pdf"])
    assert built.exit_code == 1, built.output
    assert "未发布：2024 年度 测试局（content/2024/x.yaml）审核有错误" in built.output
    assert not (tmp_path / "site" / "2024" / "x").exists()
    checked = runner.invoke(main, ["check", "content/2024/x.yaml"])
    named = re.findall(r"错误 \[([\w-]+)\] ([^：]+)：", checked.output)
    assert named == [("cover-approvals", "封面·保密审查情况"), ("cover-approvals", "封面·主要负责人审签情况"),
                     ("overview-empty", "部门概况·主要职责"), ("overview-empty", "部门概况·决算单位构成"),
                     ("overview-empty", "部门概况·人员情况"), ("tables-empty", "决算表"),
                     ("previous-missing", "情况说明·上年收入、支出总计"),
                     ("previous-missing", "情况说明·上年财政拨款收入、支出总计"),
                     ("previous-missing", "情况说明·上年一般公共预算财政拨款支出")]
    draft = runner.invoke(main, ["build", "--no-pdf", "--draft"])
    assert draft.exit_code == 0 and (tmp_path / "site" / "2024" / "x" / "index.html").is_file()


@pytest.mark.pdf
def test_a_pending_cover_gets_no_final_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    year = tmp_path / "content" / "2023"
    year.mkdir(parents=True)
    (year / "t.yaml").write_text(BASE.replace("已审查", "待审查"), encoding="utf-8")
    refused = CliRunner().invoke(main, ["pdf", "content/2023/t.yaml"])
    assert refused.exit_code != 0 and "[cover-approvals]" in refused.output and "仍为“待审查”" in refused.output
    assert "不能生成正式 PDF" in refused.output
    assert CliRunner().invoke(main, ["pdf", "content/2023/t.yaml", "--draft"]).exit_code == 0


def test_a_form_may_list_only_the_categories_that_occur():
    dept = load_department(EXAMPLE)
    listed = compute(dept, load_profile()).narrative["income"]["parts"]
    assert [p.label for p in listed] == ["财政拨款收入", "事业收入", "经营收入", "其他收入"]  # zeros included (Shaanxi)
    occurring = compute(dept, replace(load_profile(), phrases=(("zero_parts", "不列"),))).narrative["income"]["parts"]
    assert [p.label for p in occurring] == [p.label for p in listed if p.amount]
    assert all(p.amount for p in occurring) and len(occurring) < len(listed)


@pytest.mark.slow
def test_a_department_of_one_unit_has_no_subordinate_units_counted(tmp_path):
    page = build_page(tmp_path, BASE + ITEMS)  # units: [测试局（本级）]
    text = page.select_one("#overview-units").get_text(" ", strip=True)
    assert "只有本级，本部门无下属预算单位" in text and "0 个二级预算单位" not in text


def test_other_matters_written_for_a_form_without_that_section_are_warned_of():
    dept = load_department(EXAMPLE)  # its narrative.other is filled in
    shanghai = [f for f in check_computed(compute(dept, load_profile("shanghai"))) if f.rule == "overview-printed"]
    assert "narrative.other" in [f.field for f in shanghai]
    default = [f for f in check_computed(compute(dept, load_profile())) if f.rule == "overview-printed"]
    assert "narrative.other" not in [f.field for f in default]


@pytest.mark.slow
def test_shanxi_counts_of_visits_are_printed_only_as_given(tmp_path):
    text = ("profile: shanxi\n" + BASE + ITEMS
            + "  three_public:\n    reception: {domestic_groups: 3}\n").replace("overview: {duties: [职责], units: [测试局（本级）], staff: {retired: 0}}",
                                                                          "overview: {duties: [职责]}")
    text = text.replace("  fiscal_summary:", "  three_public: {budget: {reception: 2}, actual: {reception: 1}}\n  fiscal_summary:")
    page = build_page(tmp_path, text)
    reception = page.select("#s-three_public p")[-1].get_text()
    assert "国内公务接待 3 批次。" in reception
    assert "人次" not in reception and "外事接待支出" not in reception  # neither was given
