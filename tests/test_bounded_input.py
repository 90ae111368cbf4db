"""Input is bounded and stays in the content folder: every bad file gets a located Chinese message, never an
internal error, a traceback or a hang (issue 23, items 5, 7, 8, 9 and 10, the loader's side)."""

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from generator.commands.cli import main
from generator.errors import ContentError
from generator.forms.profiles import available_profiles, load_profile
from generator.money import ratio_percent
from generator.pipeline.checking import check_files
from generator.source.yamlfile import MAX_BYTES, MAX_DEPTH, load_yaml, load_yaml_text

YIBAO = Path("2024") / "demo-yibao.yaml"


def refused(text: str) -> list[str]:
    """The messages of loading ``text`` (which must be refused)."""
    with pytest.raises(ContentError) as caught:
        load_yaml_text(text, "x.yaml")
    return [p.format() for p in caught.value.problems]


def check_problems(*paths: Path) -> list[str]:
    """The messages of checking ``paths`` (which must be refused), none of them an internal error."""
    with pytest.raises(ContentError) as caught:
        check_files(list(paths))
    messages = [p.format() for p in caught.value.problems]
    assert not any("内部错误" in m for m in messages), messages
    return messages


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    path.write_text(changed, encoding="utf-8")
    return changed


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- aliases, depth, size, control characters ------------------------------------------------------------------

def test_aliases_are_refused_where_they_are_used():
    text = "base: &b {basic: 1}\nrows:\n  a: *b\n  list:\n    - 1\n    - *b\n"
    assert refused(text) == ["x.yaml:3: 字段 rows.a：不支持 YAML 的锚点引用（&名称 与 *名称）（应为直接写出内容，实际为 *引用）",
                             "x.yaml:6: 字段 rows.list[2]：不支持 YAML 的锚点引用（&名称 与 *名称）（应为直接写出内容，实际为 *引用）"]


def test_nested_aliases_are_refused_before_they_expand():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    started = time.perf_counter()
    messages = refused("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert messages[0].startswith("x.yaml:2: 字段 a1[1]：不支持 YAML 的锚点引用")
    assert messages[-1] == "x.yaml: 另有 280 处锚点引用，同样不支持"


def test_a_recursive_alias_is_refused():
    assert refused("a: &x [*x]\n") == ["x.yaml:1: 字段 a[1]：不支持 YAML 的锚点引用（&名称 与 *名称）（应为直接写出内容，实际为 *引用）"]


def test_nesting_is_bounded():
    assert load_yaml_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, "x.yaml").data
    messages = refused("a:\n  b: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert len(messages) == 1 and messages[0].startswith("x.yaml:2: 字段 a.b")
    assert f"嵌套层数过多（最多 {MAX_DEPTH} 层）" in messages[0]
    assert "嵌套层数过多" in refused("[" * 999 + "]" * 999)[0]  # a RecursionError before
    assert "嵌套层数过多" in refused("[" * 10_000)[0]


def test_file_size_is_bounded_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(MAX_BYTES + 1)
    with pytest.raises(ContentError) as caught:
        load_yaml(big, "big.yaml")
    assert str(caught.value) == "big.yaml: 无法读取文件：文件过大：10.0 MB，上限为 10 MB"


@pytest.mark.parametrize("text, line, field", [
    ('a: 1\nlabel: "收入\\x01支出"\n', 2, "label"),
    ('rows:\n  "a\\u0007b": 1\n', 2, "rows.a\ab"),
    ('items:\n  - ok\n  - "x\\N"\n', 3, "items[2]"),
    ("a: 1\nb: 收入\x01支出\n", 2, ""),
    ("a: 1\nb: 收入\x85支出\n", 2, ""),
])
def test_control_characters_are_refused(text, line, field):
    messages = refused(text)
    assert len(messages) == 1
    where = f"x.yaml:{line}: " + (f"字段 {field}：" if field else "")
    assert messages[0].startswith(where + "含有控制字符 U+00"), messages


def test_tabs_and_line_breaks_are_text():
    assert load_yaml_text('a: "x\\ty\\r\\nz"\nb: "\\u4e2d"\n', "x.yaml").data == {"a": "x\ty\r\nz", "b": "中"}


# -- the department file's own fields -----------------------------------------------------------------------------

CASES = {  # name: (old, new, message, text on the line the message names)
    "unit as a list": ("unit: 万元", "unit: [万元, 元]", "字段 unit：金额单位只能是万元或元", "unit: ["),
    "glossary terms not a list": ("  mode: extend\n  terms:\n    - term: 城乡医疗救助\n",
                                  "  mode: extend\n  terms: 5\n  other:\n    - term: 城乡医疗救助\n",
                                  "字段 glossary.terms：应为列表", "terms: 5"),
    "a 30-digit amount": ("2101301: {name: 城乡医疗救助, fiscal: 700.00}",
                          "2101301: {name: 城乡医疗救助, fiscal: 123456789012345678901234567890}",
                          "字段 tables.income.2101301.fiscal：金额超出范围", "fiscal: 1234567890123"),
    "an amount of 1e30": ("2101301: {name: 城乡医疗救助, fiscal: 700.00}",
                          "2101301: {name: 城乡医疗救助, fiscal: 1.0e+30}",
                          "字段 tables.income.2101301.fiscal：金额超出范围", "fiscal: 1.0e+30"),
    "an amount finer than a hundredth of a 元": ("  overall:\n    previous_total: 2186.45",
                                                "  overall:\n    previous_total: 1.0e-30",
                                                "字段 narrative.overall.previous_total：金额超出范围", "previous_total: 1.0e-30"),
    "a profile as a list": ("profile: sichuan  #", "profile: [shanxi]  #", "字段 profile：应为文字", "profile: ["),
    "a negative previous total": ("  overall:\n    previous_total: 2186.45", "  overall:\n    previous_total: -2186.45",
                                  "字段 narrative.overall.previous_total：不能为负数", "previous_total: -2186.45"),
    "an image in Markdown": ("  other: |\n    1. 本部门", "  other: |\n    ![图](http://evil.example/x.png)\n    1. 本部门",
                             "字段 narrative.other：Markdown 文字中不支持插入图片", "  other: |"),
    "a local image in a list item": ("  duties:\n    - 贯彻", "  duties:\n    - 见图：![图](/etc/passwd)\n    - 贯彻",
                                     "字段 overview.duties[1]：Markdown 文字中不支持插入图片", "- 见图："),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_field_is_a_located_message(content_copy, case):
    old, new, message, anchor = CASES[case]
    path = content_copy / YIBAO
    changed = edit(path, old, new)
    messages = check_problems(path)
    located = [m for m in messages if message in m]
    assert located, messages
    assert located[0].startswith(f"{path}:{line_of(changed, anchor)}: "), located


def test_rounding_has_room_for_the_ratios_of_bounded_amounts():
    assert ratio_percent(Decimal("9.99e18"), Decimal("0.000001")) == Decimal("999000000000000000000000000.00")


def test_a_glossary_file_named_as_a_profile_is_no_profile(content_copy):
    path = content_copy / YIBAO
    edit(path, "profile: sichuan  #", "profile: sichuan-glossary  #")
    (content_copy / "profiles").mkdir()
    (content_copy / "profiles" / "sichuan-glossary.yaml").write_text("terms:\n  - {term: 甲, text: 乙}\n", encoding="utf-8")
    messages = check_problems(path)
    assert len(messages) == 1 and "字段 profile：没有名为 sichuan-glossary 的省份格式" in messages[0]


# -- files: what is read, and what is not -----------------------------------------------------------------------

def test_a_fifo_is_refused_not_waited_for(content_copy):
    os.mkfifo(content_copy / "2024" / "pipe.yaml")
    (content_copy / "profiles").mkdir()
    os.mkfifo(content_copy / "profiles" / "piped.yaml")
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(content_copy)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "pipe.yaml: 无法读取文件：不是普通文件" in result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_a_symlink_loop_is_a_located_message(content_copy):
    (content_copy / "2024" / "loop.yaml").symlink_to("loop.yaml")
    (content_copy / "2024" / "folder").symlink_to(".")
    (content_copy / "circle").symlink_to("circle")
    messages = check_problems(content_copy)
    assert messages == [f"{content_copy / '2024' / 'loop.yaml'}: 无法读取文件：符号链接形成循环或层数过多"]


def test_a_symlink_out_of_the_content_folder_is_refused_unquoted(content_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET:/root:/bin/bash\n", encoding="utf-8")
    (content_copy / "2024" / "leak.yaml").symlink_to(secret)
    messages = check_problems(content_copy)
    assert messages == [f"{content_copy / '2024' / 'leak.yaml'}: 无法读取文件：它是指向内容目录之外的符号链接"
                        "（应为内容目录中的普通文件）"]


def test_a_site_yaml_out_of_the_content_folder_is_refused(content_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET\n", encoding="utf-8")
    (content_copy / "site.yaml").unlink()
    (content_copy / "site.yaml").symlink_to(secret)
    messages = check_problems(content_copy / YIBAO)
    assert messages == [f"{content_copy / 'site.yaml'}: 无法读取文件：它是指向内容目录之外的符号链接（应为内容目录中的普通文件）"]


def test_a_file_that_is_not_a_department_file_is_not_quoted(content_copy):
    (content_copy / "2024" / "notes.yaml").write_text("TOP-SECRET words, not a mapping\n", encoding="utf-8")
    messages = check_problems(content_copy / "2024" / "notes.yaml")
    assert "文件顶层应为“键: 值”的字段" in messages[0] and "实际为 一段文字" in messages[0]
    assert not any("TOP-SECRET" in m for m in messages)


def test_yaml_files_that_are_not_read_are_named(content_copy, tmp_path, monkeypatch):
    year = content_copy / "2024"
    for name in ("extra.yml", "Extra.YAML", "old/demo-yibao.yaml", "old/deeper/x.yml"):
        (year / name).parent.mkdir(parents=True, exist_ok=True)
        (year / name).write_text((year / "demo-yibao.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (content_copy / "²⁰²⁴").mkdir()
    (content_copy / "²⁰²⁴" / "demo-yibao.yaml").write_text("year: 2024\n", encoding="utf-8")
    (year / "notes.txt").write_text("不是 YAML\n", encoding="utf-8")
    report = check_files([content_copy])
    assert [p.format() for p in report.unread] == [
        f"{year / 'Extra.YAML'}: 未读取：部门数据文件的扩展名应为小写的 .yaml，如 Extra.yaml",
        f"{year / 'extra.yml'}: 未读取：部门数据文件的扩展名应为小写的 .yaml，如 extra.yaml",
        f"{year / 'old' / 'demo-yibao.yaml'}: 未读取：部门数据文件应直接放在年度目录中，如 2024/demo-yibao.yaml",
        f"{year / 'old' / 'deeper' / 'x.yml'}: 未读取：部门数据文件应直接放在年度目录中，如 2024/x.yaml",
        f"{content_copy / '²⁰²⁴' / 'demo-yibao.yaml'}: 未读取：年度目录名应为阿拉伯数字，如 2024（实际为 ²⁰²⁴）",
    ]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "content"])
    assert result.exit_code == 0, result.output
    assert "提示：content/2024/extra.yml: 未读取" in result.stderr


@pytest.mark.slow
def test_build_names_the_yaml_files_it_does_not_read(content_copy, tmp_path, monkeypatch):
    (content_copy / "2024" / "extra.yml").write_text("year: 2024\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--content", "content", "--out", "site", "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "提示：content/2024/extra.yml: 未读取：部门数据文件的扩展名应为小写的 .yaml，如 extra.yaml" in result.stderr


# -- profiles are names, and stay in their folder -----------------------------------------------------------------

@pytest.fixture
def outside(tmp_path):
    """A folder beside the content folder, holding a profile and a glossary the content must not reach."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "evil.yaml").write_text("title: 外部格式\nsections:\n  - {key: overall, title: 总体}\n", encoding="utf-8")
    (folder / "secret.yaml").write_text("terms:\n  - {term: 机密, text: 不应发布}\n", encoding="utf-8")
    return folder


def site_profile(content: Path, text: str, name: str = "mine") -> None:
    (content / "profiles").mkdir(exist_ok=True)
    (content / "profiles" / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("extends", ["../../outside/evil", "{outside}/evil", "../../outside/missing"])
def test_a_profile_extends_only_profiles(content_copy, outside, extends):
    site_profile(content_copy, f"extends: {extends.format(outside=outside)}\n")
    with pytest.raises(ContentError) as caught:
        load_profile("mine", content_copy)
    message = caught.value.problems[0].format()
    assert "字段 extends：没有名为" in message and "以下之一：mine、shaanxi、shanghai、shanxi、sichuan" in message, message


@pytest.mark.parametrize("glossary", ["../../outside/secret.yaml", "{outside}/secret.yaml", "../../outside/missing.yaml",
                                      "link.yaml"])
def test_a_profile_glossary_stays_in_its_folder(content_copy, outside, glossary):
    site_profile(content_copy, f"extends: shaanxi\nglossary: {glossary.format(outside=outside)}\n")
    (content_copy / "profiles" / "link.yaml").symlink_to(outside / "secret.yaml")
    with pytest.raises(ContentError) as caught:
        load_profile("mine", content_copy)
    assert [p.message for p in caught.value.problems] == ["名词解释文件应在本格式文件所在的目录中"]


def test_profile_names_are_names(content_copy, outside):
    (content_copy / "profiles").mkdir()
    (content_copy / "profiles" / "ext.yaml").symlink_to(outside / "evil.yaml")
    assert available_profiles(content_copy) == ["shaanxi", "shanghai", "shanxi", "sichuan"]
    for name in ("ext", "../outside/evil", str(outside / "evil"), "Shaanxi"):
        with pytest.raises(ContentError) as caught:
            load_profile(name, content_copy)
        assert caught.value.problems[0].expected == "以下之一：shaanxi、shanghai、shanxi、sichuan", name


def test_the_built_in_glossary_still_loads():
    assert Path(load_profile("sichuan").glossary).name == "sichuan.yaml"
