"""Bad input gets one located Chinese message per problem, exit code 1, and no output."""

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # each test runs `python -m generator build` in a new process


def run_build(content, out):
    return subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf", "--content", str(content), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# case: (text to replace, replacement, expected message, text on the line the message must name)
CASES = {
    "malformed yaml": ("  scope: 汇总\n", "  scope: 汇总\n bad: [\n", "YAML 格式错误", " bad: ["),
    "missing field": ("  name: 咸阳市人力资源和社会保障局\n", "", "department.name：缺少必填字段", "department:"),
    "mistyped field": ("2080101: {basic: 1248.66, project: 16.00}", "2080101: {basci: 1248.66, project: 16.00}",
                       "未知字段 basci，是否应为 basic？", "2080101: {basci"),
    "unknown code": ("2080103: {project: 2.60}", "2080197: {project: 2.60}", "科目代码 2080197 不在科目编目中",
                     "2080197: {project: 2.60}"),
    "non-numeric amount": ("2080103: {project: 2.60}", "2080103: {project: 二点六}", "金额不是数字", "二点六"),
    "duplicated row": ("    2080103: {project: 2.60}\n", "    2080103: {project: 2.60}\n    2080103: {project: 2.70}\n",
                       "重复的键", "2080103: {project: 2.70}"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_file_line_and_field(content_copy, tmp_path, case):
    old, new, message, anchor = CASES[case]
    text = (content_copy / "2023" / "xianyang-rsj.yaml").read_text(encoding="utf-8")
    changed = text.replace(old, new, 1)
    (content_copy / "2023" / "xianyang-rsj.yaml").write_text(changed, encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(content_copy, out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert message in result.stderr
    location = "2023/xianyang-rsj.yaml:"
    lines = [line for line in result.stderr.splitlines() if message in line]
    assert any(location in line for line in lines), result.stderr
    reported = int(lines[0].split(location)[1].split(":")[0])
    assert reported == line_of(changed, anchor), result.stderr
    assert "网站未作任何改动" in result.stderr
    assert not out.exists()


def test_every_problem_is_reported_not_just_the_first(content_copy, tmp_path):
    path = content_copy / "2023" / "xianyang-rsj.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("2080103: {project: 2.60}", "2080103: {project: abc}", 1)
    text = text.replace("2080101: {basic: 1248.66, project: 16.00}", "2080101: {basci: 1248.66, project: 16.00}", 1)
    path.write_text(text, encoding="utf-8")
    result = run_build(content_copy, tmp_path / "site")
    assert result.returncode == 1
    assert "共发现 2 个问题" in result.stderr


def test_a_failed_build_leaves_the_previous_site_untouched(content_copy, tmp_path):
    out = tmp_path / "site"
    assert run_build(content_copy, out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    path = content_copy / "2023" / "xianyang-rsj.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2023", "year: 二〇二三"), encoding="utf-8")
    result = run_build(content_copy, out)
    assert result.returncode == 1 and "year" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_year_directory_must_match_the_year_field(content_copy, tmp_path):
    (content_copy / "2023" / "xianyang-rsj.yaml").rename(content_copy / "2023" / "other.yaml")
    (content_copy / "2022").mkdir()
    (content_copy / "2023" / "other.yaml").rename(content_copy / "2022" / "other.yaml")
    result = run_build(content_copy, tmp_path / "site")
    assert result.returncode == 1
    assert "年度目录与 year 字段不一致" in result.stderr


def test_unsafe_department_id_is_refused(content_copy, tmp_path):
    (content_copy / "2023" / "xianyang-rsj.yaml").rename(content_copy / "2023" / "Bad Name.yaml")
    result = run_build(content_copy, tmp_path / "site")
    assert result.returncode == 1
    assert "文件名不能用作部门标识" in result.stderr
