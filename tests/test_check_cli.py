"""`juesuan check` and `juesuan build` with checks, as a user runs them."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def juesuan(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_check_passes_on_the_example_content():
    result = juesuan("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "错误 0 个" in result.stdout


@pytest.mark.slow
def test_check_reports_published_errors_with_exit_1():
    result = juesuan("check", FIXTURES / "xianyang-rsj-2023-as-published.yaml")
    assert result.returncode == 1
    assert "公开03表 第20805行（行政事业单位养老支出） 基本支出" in result.stdout
    assert "xianyang-rsj-2023-as-published.yaml:106: 错误 [fiscal-within-total]" in result.stdout


@pytest.mark.slow
def test_check_json_and_single_rule():
    result = juesuan("check", "--format", "json", "--rule", "budget-total",
                     FIXTURES / "xianyang-rsj-2023-as-published.yaml")
    payload = json.loads(result.stdout)
    findings = payload["departments"][0]["findings"]
    assert result.returncode == 1 and payload["errors"] == 1
    assert findings[0]["rule"] == "budget-total" and findings[0]["expected"] == "4039.37"
    assert findings[0]["difference"] == "67.09"


@pytest.mark.slow
def test_check_usage_and_unreadable_input_exit_2(tmp_path):
    assert juesuan("check", "--rule", "no-such-rule").returncode == 2
    assert juesuan("check", tmp_path / "missing.yaml").returncode == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: [", encoding="utf-8")
    result = juesuan("check", bad)
    assert result.returncode == 2 and "YAML 格式错误" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_strict_fails_on_warnings(tmp_path):
    text = (ROOT / "content/2023/xianyang-rsj.yaml").read_text(encoding="utf-8")
    path = tmp_path / "2023" / "xianyang-rsj.yaml"
    path.parent.mkdir()
    path.write_text(text.replace("2080101: {budget: 1387.08, reason: 人员经费年初部门预算编制略大}",
                                 "2080101: {budget: 1387.08}"), encoding="utf-8")
    assert juesuan("check", path).returncode == 0
    result = juesuan("check", "--strict", path)
    assert result.returncode == 1 and "[budget-reason]" in result.stdout


@pytest.mark.slow
def test_last_year_is_found_next_to_this_year(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    last = content / "2022" / "xianyang-rsj.yaml"
    last.parent.mkdir()
    last.write_text((content / "2023/xianyang-rsj.yaml").read_text(encoding="utf-8").replace("year: 2023", "year: 2022"),
                    encoding="utf-8")
    result = juesuan("check", content / "2023")
    assert result.returncode == 1
    assert "[previous-year]" in result.stdout and "上年收入、支出总计" in result.stdout


@pytest.mark.slow
def test_final_build_refuses_a_department_with_errors_and_draft_lists_them(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(FIXTURES / "xianyang-rsj-2023-as-published.yaml", content / "2023" / "published.yaml")
    final = juesuan("build", "--no-pdf", "--content", content, "--out", tmp_path / "site")
    assert final.returncode == 1
    assert "未发布：2023 年度 咸阳市人力资源和社会保障局" in final.stderr
    assert (tmp_path / "site/2023/xianyang-rsj/index.html").exists()
    assert not (tmp_path / "site/2023/published").exists()
    draft = juesuan("build", "--no-pdf", "--draft", "--content", content, "--out", tmp_path / "draft")
    assert draft.returncode == 0, draft.stderr
    page = (tmp_path / "draft/2023/published/index.html").read_text(encoding="utf-8")
    assert "草稿 · 仅供内部审核" in page and "审核发现 4 个问题" in page
    clean = (tmp_path / "draft/2023/demo-tongji/index.html").read_text(encoding="utf-8")
    assert "审核未发现问题" in clean


def test_rule_reference_is_generated_from_the_rules():
    from generator.checks.docs import rules_markdown
    from generator.checks.runner import load_rules

    for rule in load_rules().values():
        assert len(rule.doc) > 30 and rule.title, f"规则 {rule.id} 缺少说明"
    documented = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert documented == rules_markdown(), "docs/rules.md 已过期：运行 juesuan rules --markdown > docs/rules.md"
