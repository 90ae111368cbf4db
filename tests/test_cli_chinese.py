"""The command line speaks Chinese throughout: click's own help and error texts, YAML syntax errors, examples in every
--help, --quiet / --verbose, build --strict, a taken port and a closed pipe."""

from __future__ import annotations

import ast
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from generator.commands.chinese import MESSAGES, PLACEHOLDER, width, wrap
from generator.commands.cli import COMMANDS, main
from generator.commands.options import CLOSED_PIPE, PORT_TAKEN, USAGE
from generator.errors import ContentError
from generator.pipeline.serve import PortUnavailable, Preview, make_server
from generator.source.yamlfile import load_yaml_text
from generator.source.yamlsyntax import syntax_problem

# What a help page may show in capitals: names, not click's English metavars (TEXT, PATH, [OPTIONS]…).
ACRONYMS = {"PDF", "YAML", "JSON", "CPU", "URL", "UUID", "CSV", "XLSX", "ID"}


def click_texts() -> dict[str, str]:
    """Every literal text the installed click passes to gettext: its English, by where it is."""
    found = {}
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "gettext" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                for arg in node.args[: 2 if node.func.id == "ngettext" else 1]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found[arg.value] = f"{path.name}:{node.lineno}"
    return found


def english_fragments() -> set[str]:
    """click's English, in pieces that a Chinese output must not contain (placeholders cut out)."""
    pieces = set()
    for message in MESSAGES:
        for piece in PLACEHOLDER.split(message):
            piece = piece.strip(" .:!?()'\n\t")
            if len(re.sub(r"[^A-Za-z]", "", piece)) >= 3:
                pieces.add(piece)
    return pieces


FRAGMENTS = english_fragments()


def assert_chinese(output: str) -> None:
    leftovers = [piece for piece in FRAGMENTS if re.search(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", output)]
    assert not leftovers, f"click 的英文：{leftovers}\n{output}"
    for line in output.splitlines():
        if line.startswith("用法："):
            capitals = set(re.findall(r"\b[A-Z][A-Z_0-9]+\b", line)) - ACRONYMS
            assert not capitals, f"用法中的英文：{capitals}：{line}"
    assert "Traceback" not in output


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="juesuan")


def test_the_catalogue_holds_every_text_of_the_installed_click():
    missing = {text: where for text, where in click_texts().items() if text not in MESSAGES}
    assert not missing, f"generator/data/click-zh.yaml 缺少 click 的这些文字：{missing}"
    for english, chinese in MESSAGES.items():
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(chinese)), english
        assert not re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", chinese).replace("Windows", "")
                             .replace("Bash", "").replace("UUID", "")), chinese


def every_command() -> list[list[str]]:
    ctx = click.Context(main, info_name="juesuan")
    paths = [[]]
    for name in COMMANDS:
        paths.append([name])
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.list_commands(ctx)]
    return paths


@pytest.mark.parametrize("path", every_command(), ids=lambda p: " ".join(p) or "juesuan")
def test_every_help_is_chinese_with_examples(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：juesuan")
    assert "选项：" in result.output and "显示用法和说明后退出。" in result.output
    assert "示例：\n    juesuan " in result.output  # the examples as written, indented under their heading
    assert_chinese(result.output)


USAGE_ERRORS = {
    "unknown option": (["check", "--frmat", "json"], ["没有选项 '?--frmat'?", "是否应为 '?--format'?"]),
    "unknown command": (["bild"], ["没有命令 bild", "是否应为 build"]),
    "missing argument": (["pdf"], ["缺少参数 '文件'"]),
    "missing subcommand argument": (["profiles", "show"], ["缺少参数 '名称'"]),
    "bad choice": (["check", "--format", "xml"], ["'--format' 的取值不对", "'xml' 不是可选的值", "'text'"]),
    "bad integer": (["build", "--jobs", "x"], ["'-j' / '--jobs' 的取值不对", "'x' 不是整数"]),
    "out of range": (["build", "--jobs", "0"], ["0 不在范围"]),
    "unknown option of a command": (["export", "--help-me"], ["没有选项 '?--help-me'?"]),
    "no such file": (["import", "没有这个文件.xlsx", "--id", "x", "--year", "2023"], ["文件 '没有这个文件.xlsx' 不存在"]),
    "missing option": (["import", str(EXAMPLE), "--year", "2023"], ["缺少选项 '--id'"]),
    "option without value": (["build", "--out"], ["选项 '--out' 后面要写一个值"]),
    "extra argument": (["build", "site"], ["多出了参数（site）"]),
    "quiet and verbose": (["check", "-q", "-v"], ["--quiet 与 --verbose 不能同时使用"]),
    "strict draft": (["build", "--strict", "--draft"], ["--strict 不能与 --draft 同时使用"]),
}


def test_a_usage_error_says_where_the_help_is():
    result = invoke("check", "--frmat", "json")
    assert re.match(r"用法：juesuan check \[选项\] \[路径\]\.\.\.\n运行 'juesuan check (-h|--help)' 查看用法和说明。\n",
                    result.output), result.output


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_are_chinese(case):
    args, expected = USAGE_ERRORS[case]
    result = invoke(*args)
    assert result.exit_code == USAGE, result.output
    assert "错误：" in result.output
    for text in expected:  # click before 8.2 quotes less
        assert re.search(text.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace(".", r"\."),
                         result.output), result.output
    assert_chinese(result.output)


def test_help_columns_are_aligned_in_display_width():
    lines = invoke("check", "--help").output.splitlines()
    rule = next(line for line in lines if line.startswith("  --rule "))
    strict = next(line for line in lines if line.startswith("  --strict "))
    assert width(rule[: rule.index("只运行")]) == width(strict[: strict.index("有警告")]) == 24, (rule, strict)
    assert wrap("甲乙丙丁。戊己", 8) == ["甲乙丙丁。", "戊己"]  # no line starts with a closing mark


# -- YAML syntax errors -----------------------------------------------------------------------------------

SYNTAX_ERRORS = {  # text, line, column, explanation, expected, the line quoted
    "missing colon": ("year: 2023\nname 咸阳\nunit: 万元\n", 2, 1, "键后面缺少冒号", "“键: 值”", "name 咸阳"),
    "tab": ("department:\n\tname: 咸阳\n", 2, 1, "用了 Tab 制表符缩进", "用空格缩进", "→name: 咸阳"),
    "colon in a value": ("title: 说明: 其他\n", 1, 10, "此处不能出现“键: 值”", "值中有冒号时给整个值加引号", "title: 说明: 其他"),
    "uneven indent": ("a:\n  b: 1\n c: 2\n", 3, 2, "缩进不一致", "同一层级的键左端对齐", " c: 2"),
    "text after a quote": ('name: "咸阳" 市\n', 1, 12, "引号后面还有文字", "引号中的值后面不再写字", 'name: "咸阳" 市'),
    "unclosed bracket": ("a: [1, 2\nb: 3\n", 1, 4, "第 1 行开始的方括号 [ 没有闭合", "以 ] 结束", "a: [1, 2"),
    "unclosed quote": ('a: "abc\nb: 1\n', 1, 4, "第 1 行开始的引号没有闭合", "引号成对", 'a: "abc'),
    "list item": ("a:\n  - 1\n  b: 2\n", 3, 3, "列表的缩进不一致", "以“- ”开头", "  b: 2"),
    "second document": ("a: 1\n---\nb: 2\n", 2, 1, "第二个 YAML 文档", "删去多余的 ---", "---"),
    "at sign": ("a: @x\n", 1, 4, "值不能以“@”开头", "以“@”开头的文字加引号", "a: @x"),
}


@pytest.mark.parametrize("case", sorted(SYNTAX_ERRORS))
def test_yaml_syntax_errors_are_located_and_explained_in_chinese(case):
    text, line, column, explanation, expected, quoted = SYNTAX_ERRORS[case]
    with pytest.raises(ContentError) as raised:
        load_yaml_text(text, "部门.yaml")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (line, column), problem.format()
    message = problem.format()
    assert message.startswith(f"部门.yaml:{line}:{column}: YAML 格式错误：")
    assert explanation in problem.message and expected in problem.expected and f"第 {line} 行“{quoted}”" in message
    english = re.sub(r"“[^”]*”", "", message)  # the quoted line is the author's own text
    assert not re.search(r"\b(expected|found|mapping|scanning|parsing|token|block|while)\b", english), message
    # PyYAML's pure-Python loader (used where libyaml is missing) words its errors differently: the same message
    with pytest.raises(yaml.MarkedYAMLError) as pure:
        yaml.compose(text, Loader=yaml.SafeLoader)
    assert syntax_problem(pure.value, text, "部门.yaml").message == problem.message


def test_duplicated_keys_are_named_with_both_lines():
    with pytest.raises(ContentError) as raised:
        load_yaml_text("a: 1\nb: 2\na: 3\n", "部门.yaml")
    assert raised.value.problems[0].format() == \
        "部门.yaml:3: 字段 a：重复的键：同一层级中此键已出现过（应为每个键只出现一次，实际为 第 1 行已有 a）"


def test_check_reports_a_yaml_syntax_error_in_chinese(tmp_path):
    path = tmp_path / "2023" / "xianyang-rsj.yaml"
    path.parent.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("year: 2023", "year 2023", 1), encoding="utf-8")
    result = invoke("check", str(path))
    assert result.exit_code == USAGE
    line = text.splitlines().index("year: 2023") + 1
    assert f"xianyang-rsj.yaml:{line}:1: YAML 格式错误：这一行的键后面缺少冒号" in result.output
    assert f"实际为 第 {line} 行“year 2023”" in result.output


# -- --quiet, --verbose, build --strict ---------------------------------------------------------------------

@pytest.fixture
def warned(tmp_path) -> Path:
    """The example department with one 警告 (a budget difference without its reason), alone in a content folder."""
    path = tmp_path / "content" / "2023" / "xianyang-rsj.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "2080101: {budget: 1387.08, reason: 人员经费年初部门预算编制略大}", "2080101: {budget: 1387.08}"), encoding="utf-8")
    shutil.copy(ROOT / "content" / "site.yaml", tmp_path / "content" / "site.yaml")
    return path


@pytest.mark.slow  # four checks of one department
def test_check_quiet_and_verbose(warned):
    normal = invoke("check", str(warned))
    assert normal.exit_code == 0 and "警告 [budget-reason]" in normal.output
    quiet = invoke("check", "--quiet", str(warned))
    assert quiet.exit_code == 0 and quiet.output.splitlines() == ["审核 1 个文件：错误 0 个，警告 1 个，提示 0 个。"]
    strict = invoke("check", "-q", "--strict", str(warned))
    assert strict.exit_code == 1 and "[budget-reason]" in strict.output
    verbose = invoke("check", "-v", str(warned))
    assert "已审核 " in verbose.output and "错误 0 个，警告 1 个" in verbose.output
    assert re.search(r"用时 \d+\.\d\d 秒", verbose.output)


@pytest.mark.slow  # three builds of one department
def test_build_strict_keeps_a_department_with_warnings_from_publication(warned, tmp_path):
    content = warned.parent.parent
    args = ["build", "--no-pdf", "-j", "1", "--content", str(content)]
    strict = invoke(*args, "--out", str(tmp_path / "strict"), "--strict", "--quiet")
    assert strict.exit_code == 1, strict.output
    assert "未发布：2023 年度 咸阳市人力资源和社会保障局" in strict.output and "审核有警告（--strict）" in strict.output
    assert "[1/1]" not in strict.output and "警告：" not in strict.output  # --quiet: no progress, no warnings
    assert "警告 1 个，未发布 1 个部门" in strict.output.splitlines()[-1]
    assert not (tmp_path / "strict" / "2023" / "xianyang-rsj").exists()
    site = tmp_path / "site"
    normal = invoke(*args, "--out", str(site), "--verbose")
    assert normal.exit_code == 0, normal.output
    page = (site / "2023" / "xianyang-rsj" / "index.html").read_bytes()
    assert re.search(r"\[1/1\] 2023 年度 咸阳市人力资源和社会保障局（.*已用 \d+\.\d\d 秒）", normal.output)
    again = invoke(*args, "--out", str(site), "--strict")
    assert again.exit_code == 1 and "网站上保留上次发布的版本" in again.output, again.output
    assert (site / "2023" / "xianyang-rsj" / "index.html").read_bytes() == page


# -- a taken port, a closed pipe --------------------------------------------------------------------------

def test_a_taken_port_has_its_own_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortUnavailable) as raised:
            make_server(Preview.__new__(Preview), "127.0.0.1", port)
    assert str(raised.value).startswith(f"端口 {port} 已被占用") and "请用 --port 换一个端口" in str(raised.value)
    assert PORT_TAKEN not in (0, 1, USAGE)


def test_serve_verbose_logs_each_request():
    logged = []

    class Page:
        def response(self, url_path: str) -> tuple[int, str, bytes]:
            return 200, "text/html; charset=utf-8", b"<p>draft</p>"

    served = make_server(Page(), "127.0.0.1", 0, logged.append)
    thread = threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        port = served.server_address[1]
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/2023/", timeout=5).status == 200
    finally:
        served.shutdown()
        served.server_close()
    assert logged == ["GET /2023/ 200"]


@pytest.mark.parametrize("args", [["rules"], ["--help"], ["profiles"]], ids=" ".join)
def test_a_closed_pipe_ends_quietly(args, monkeypatch, capfd):
    read, write = os.pipe()
    os.close(read)  # the reader has gone, as `juesuan rules | head -1` once head has its line
    with open(write, "w", encoding="utf-8") as closed:
        monkeypatch.setattr(sys, "stdout", closed)
        with pytest.raises(SystemExit) as ended:
            main(args, prog_name="juesuan")
        monkeypatch.undo()
    assert ended.value.code == CLOSED_PIPE
    assert capfd.readouterr().err == ""


@pytest.mark.slow  # a new process
def test_a_command_piped_into_a_closed_reader():
    process = subprocess.Popen([sys.executable, "-m", "generator", "rules"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()  # before the command writes a line: its first write finds no reader
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(30) == CLOSED_PIPE and stderr == ""
