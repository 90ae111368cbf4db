"""A YAML syntax error as people read it: in Chinese, at the line and column where it is, with what was expected,
what was found and the line itself quoted.

PyYAML (libyaml, or its pure-Python loader where libyaml is missing) says what it could not parse in English, each
loader in its own words ("mapping values are not allowed here" / "… in this context"); ``SYNTAX`` maps both to one
explanation. An error PyYAML describes in words not listed here still gets a located Chinese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator.errors import Problem

_SNIPPET = 60  # characters of the quoted line


@dataclass(frozen=True)
class Syntax:
    """One kind of syntax error: what it means, what was expected, and whether it is best shown where the construct
    began (an unclosed quote or bracket, a key without its colon) rather than where the parser gave up."""

    pattern: str  # a regular expression over PyYAML's problem text (with its context text before it)
    explanation: str  # may name {start}, the line where the construct began, and {char}, the character found
    expected: str
    at_start: bool = False


MISSING_COLON = Syntax(r"could not find expected ':'", "这一行的键后面缺少冒号",
                       "“键: 值”，键后是英文冒号和一个空格", at_start=True)
COLON_HERE = Syntax(r"mapping values are not allowed", "此处不能出现“键: 值”：可能这一行缩进多了，或者值中有未加引号的冒号",
                    "与上面同一层级的键左端对齐；值中有冒号时给整个值加引号")
SYNTAX = (
    MISSING_COLON,
    Syntax(r"character '\\t' that cannot start|tab character", "用了 Tab 制表符缩进", "用空格缩进，不用 Tab"),
    COLON_HERE,
    Syntax(r"quoted scalar.*(unexpected end of stream|end of the stream)", "第 {start} 行开始的引号没有闭合",
           "文字前后的引号成对", at_start=True),
    Syntax(r"flow sequence.*(expected ',' or '\]')", "第 {start} 行开始的方括号 [ 没有闭合",
           "各项以英文逗号分隔，最后以 ] 结束", at_start=True),
    Syntax(r"flow mapping.*(expected ',' or '\}')", "第 {start} 行开始的花括号 {{ 没有闭合",
           "各字段以英文逗号分隔，最后以 }} 结束", at_start=True),
    Syntax(r"block collection.*(expected '-' indicator|expected <block end>)",
           "列表的缩进不一致：这一行没有以“- ”开头，或者没有与上面的“- ”对齐", "列表的各项以“- ”开头并左端对齐"),
    Syntax(r"did not find expected key|expected <block end>",
           "缩进不一致：这一行没有与上面同一层级的键对齐，或者上一个值的引号后面还有文字",
           "同一层级的键左端对齐、缩进的空格数相同，引号中的值后面不再写字"),
    Syntax(r"unknown escape character", "双引号中的反斜杠 \\ 后面不是可用的转义写法",
           "反斜杠写成 \\\\，或改用单引号"),
    Syntax(r"single document.*another document", "文件中出现了第二个 YAML 文档（多余的 ---）",
           "一个文件只写一个文档：删去多余的 ---"),
    Syntax(r"(anchor|alias).*alphabetic or numeric character", "& 或 * 后面缺少名称",
           "以 & 或 * 开头的文字加引号；本工具不支持锚点引用"),
    Syntax(r"undefined alias", "引用了未定义的锚点", "直接写出内容；本工具不支持锚点引用 *名称"),
    Syntax(r"duplicate anchor", "锚点重复定义", "直接写出内容；本工具不支持锚点 &名称"),
    Syntax(r"tag handle|while scanning a tag", "“!”开头的写法是 YAML 的标签，这里的标签不对", "以 ! 开头的文字加引号"),
    Syntax(r"directive|expected '<document start>'", "“%”开头的行是 YAML 的指令，这里的指令不对",
           "以 % 开头的文字加引号"),
    Syntax(r"cannot start any token", "值不能以“{char}”开头", "以“{char}”开头的文字加引号，如 \"{char}…\""),
    Syntax(r"expected comment or line break", "值后面多出了内容", "值后面只写注释 # … 或换行，或者给整个值加引号"),
    Syntax(r"block sequence entries are not allowed", "此处不能开始列表项“- ”：可能缩进不对",
           "列表项缩进在它所属的键之下"),
    Syntax(r"expected node content|unexpected end of stream", "文件在一个值写完之前结束了", "写完整的值"),
    Syntax(r"exceeded maximum nesting depth", "嵌套层数过多", "层次简单的“键: 值”和列表"),
)
_UNKNOWN = Syntax("", "此处的写法不符合 YAML 格式", "合法的 YAML（注意缩进和冒号后的空格）")


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    """The Problem of a YAML syntax error in ``text`` (the file ``name``)."""
    lines = text.splitlines() or [""]
    start, stop = exc.context_mark, exc.problem_mark or exc.context_mark
    found = _char_at(lines, stop)
    said = f"{exc.context or ''} {exc.problem or ''}" + (" tab character" if found == "\t" else "")
    kind = next((s for s in SYNTAX if re.search(s.pattern, said, re.S)), _UNKNOWN)
    mark = start if kind.at_start and start is not None else stop
    if kind is COLON_HERE and mark is not None and _lacks_colon(lines, mark.line - 1):
        # `year 2023` above `unit: 万元`: YAML reads the two lines as one key, and trips on the second's colon
        above = lines[mark.line - 1]
        kind, mark = MISSING_COLON, _LineStart(mark.line - 1, len(above) - len(above.lstrip()))
    if mark is None:
        return Problem(name, None, "", "YAML 格式错误：" + kind.explanation.format(start="?", char="?"), kind.expected)
    row = min(mark.line, len(lines) - 1)
    line = lines[row]
    char = _shown_char(_char_at(lines, mark))
    explanation = kind.explanation.format(start=(start.line + 1) if start is not None else row + 1, char=char)
    return Problem(name, row + 1, "", "YAML 格式错误：" + explanation, kind.expected.format(char=char),
                   f"第 {row + 1} 行“{_snippet(line)}”", column=min(mark.column, len(line)) + 1)


@dataclass(frozen=True)
class _LineStart:
    line: int
    column: int


def _lacks_colon(lines: list[str], row: int) -> bool:
    """Whether line ``row`` is a key written without its colon: text that is no comment, list item or quoted value."""
    if row < 0 or row >= len(lines):
        return False
    text = lines[row].strip()
    return bool(text) and ":" not in text and not text.startswith(("#", "-", "\"", "'", "[", "{"))


def _char_at(lines: list[str], mark) -> str:
    if mark is None or mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _shown_char(char: str) -> str:
    return {"\t": "Tab", " ": "空格", "": "行尾"}.get(char, char)


def _snippet(line: str) -> str:
    shown = line.replace("\t", "→")  # a tab shown, not taken for spaces
    return shown if len(shown) <= _SNIPPET else shown[:_SNIPPET] + "…"
