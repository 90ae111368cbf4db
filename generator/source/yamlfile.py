"""YAML loading that keeps exact numbers and where every value came from.

PyYAML would turn ``7987.94`` into a float; here every numeric scalar becomes a
``Decimal`` (or ``int``) built from its source text, and each value's line is
recorded by its path so that messages can point at ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from generator.errors import ContentError, Problem

try:  # libyaml is much faster; the pure-Python loader gives the same nodes
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Loader(_BaseLoader):
    """Nodes without PyYAML's implicit tag resolution, which runs in Python for every node (a fifth of
    the time of a load): a plain scalar gets the tag None and ``_scalar`` types it."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return None if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node, current_index):  # there are no path resolvers
        pass

    def ascend_resolver(self):
        pass


Path_ = tuple  # a path into the document: keys and list indexes

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_DECIMAL = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
# A plain scalar is a decimal only where YAML 1.1 reads a float (PyYAML's resolver decided this before):
# a sign only before digits, an exponent only with its sign. "1e5", "-.5" and "." stay text.
_PLAIN_DECIMAL = re.compile(r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+][0-9]+)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = {"", "~", "null", "Null", "NULL"}


@dataclass
class Source:
    """A loaded file: its display name, its data, the line of each path, and its text."""

    name: str
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""

    def line(self, path: Path_) -> int | None:
        """Line of ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path_, message: str, expected: str | None = None,
                found: str | None = None) -> Problem:
        return Problem(self.name, self.line(path), dotted(path), message, expected, found)


def dotted(path: Path_) -> str:
    """``('tables', 'expenditure', '2080101')`` → ``tables.expenditure.2080101``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def load_yaml(path: Path, name: str | None = None) -> Source:
    """Load one YAML file; raise ContentError with a located message on bad syntax."""
    name = name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(name, None, "", "文件不是 UTF-8 编码的文本", "UTF-8 编码的 YAML 文件")])
    except OSError as exc:
        raise ContentError([Problem(name, None, "", f"无法读取文件：{exc.strerror}")])
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> Source:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ContentError([Problem(name, line, "", "YAML 格式错误：" + _explain(exc),
                                    "合法的 YAML（注意缩进和冒号后的空格）")])
    except yaml.YAMLError as exc:  # pragma: no cover - other loader errors
        raise ContentError([Problem(name, None, "", f"YAML 格式错误：{exc}")])
    source = Source(name, None, text=text)
    problems: list[Problem] = []
    source.data = _convert(node, (), source, problems) if node is not None else {}
    if problems:
        raise ContentError(problems)
    return source


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    known = {
        "mapping values are not allowed here": "此处不能出现“键: 值”，可能是缩进不对或值中含有未加引号的冒号",
        "could not find expected ':'": "缺少冒号",
        "found character '\\t' that cannot start any token": "使用了 Tab 制表符缩进，请改用空格",
        "found undefined alias": "引用了未定义的锚点",
    }
    for english, chinese in known.items():
        if english in problem:
            return chinese
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "缩进层级不一致"
    return problem or "无法解析"


def _convert(node: yaml.Node, path: Path_, source: Source, problems: list[Problem]) -> object:
    source.lines[path] = node.start_mark.line + 1
    return _value(node, path, source.lines, source.name, problems)


def _value(node: yaml.Node, path: Path_, lines: dict[Path_, int], name: str, problems: list[Problem]) -> object:
    """The data of ``node`` at ``path``; records the line of everything below it (a key's line for its value)."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node)
    if kind is yaml.MappingNode:
        result: dict = {}
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            child = path + (key,)
            if key in result:
                problems.append(Problem(name, key_node.start_mark.line + 1, dotted(child),
                                        "重复的键：同一层级中此键已出现过", "每个键只出现一次",
                                        f"第 {lines[child]} 行已有 {key}"))
                continue
            result[key] = _value(value_node, child, lines, name, problems)
            lines[child] = key_node.start_mark.line + 1
        return result
    items = []
    for i, item in enumerate(node.value):
        child = path + (i,)
        lines[child] = item.start_mark.line + 1
        items.append(_value(item, child, lines, name, problems))
    return items


def _scalar_key(node: yaml.Node) -> str:
    # Keys are always text: codes such as 2080101 must not become numbers.
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return str(node.start_mark)


def _scalar(node: yaml.ScalarNode) -> object:
    value = node.value
    if node.tag is not None:  # quoted or block scalars (text), or a plain one with an explicit tag
        if node.style or node.tag == _STR:
            return value
        return _typed(value, _DECIMAL)
    return _typed(value, _PLAIN_DECIMAL)


def _typed(value: str, decimal: re.Pattern) -> object:
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if decimal.match(value):
        return Decimal(value.replace("_", ""))
    return value
