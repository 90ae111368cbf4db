"""YAML loading that keeps exact numbers and where every value came from.

PyYAML would turn ``7987.94`` into a float; here every numeric scalar becomes a
``Decimal`` (or ``int``) built from its source text, and each value's line is
recorded by its path so that messages can point at ``file:line``.

Input is bounded: only regular files up to ``MAX_BYTES`` are read (a named pipe or device is
refused, never waited on), nesting stops at ``MAX_DEPTH`` levels, aliases (``*name``) are
refused (expanded, a few lines of them make gigabytes), and so are control characters in text.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from generator.errors import ContentError, Problem
from generator.source.yamlsyntax import syntax_problem

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
_LONGEST_INT = 30  # digits; longer ones become Decimal (int() refuses very long ones, and no figure is so long)
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = {"", "~", "null", "Null", "NULL"}

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64  # levels of nesting; a department file uses a handful
# C0 and C1 control characters but tab, line feed and carriage return: invisible, they break pages and charts.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The double-quoted escapes that can make one: a text without them (and without a raw one) holds none.
_CONTROL_ESCAPE = re.compile(r"\\[0abvfeNxuU]")
_MAX_REPORTED = 10  # alias uses listed one by one; the rest are counted


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

    def written_null(self, path: Path_) -> bool:
        """Whether the field at ``path`` is written out as ``null`` (or ``~``): said on purpose, unlike a key left
        empty, which reads as null too."""
        path = tuple(path)
        line = self.lines.get(path)
        if line is None or not path or not self.text:
            return False
        lines = self.text.splitlines()
        text = lines[line - 1] if line <= len(lines) else ""
        return re.search(rf"(?:^|[\s{{,]){re.escape(str(path[-1]))}\s*:\s*(?:null|Null|NULL|~)\s*(?:[,}}#]|$)", text) is not None

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


class Unreadable(Exception):
    """A file that cannot be read as input; ``str()`` says why, in Chinese."""


class NotRegular(Unreadable):
    """A directory, named pipe, device or socket where a file was expected."""


class TooLarge(Unreadable):
    """A file over the size limit; ``size`` is what was found (at least the limit and a byte)."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"文件过大：{size / 1024 / 1024:.1f} MB，上限为 {limit // 1024 // 1024} MB")
        self.size = size


def read_regular(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a symlink is followed). Anything else (a directory, a
    named pipe, a device, a symlink loop) raises Unreadable: opened without waiting, so a pipe never blocks."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise Unreadable(os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular("不是普通文件（是目录、命名管道、设备等），只读取普通的文本文件")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks, size = [], 0
        while chunk := os.read(fd, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew after it was looked at
                raise TooLarge(size, limit)
    finally:
        os.close(fd)
    return b"".join(chunks)


def inside(path: Path, home: Path) -> bool:
    """Whether ``path``, symlinks followed, is in the folder ``home``."""
    real, root = os.path.realpath(path), os.path.realpath(home)
    return os.path.commonpath([real, root]) == root


def outside(name: str) -> Problem:
    """The problem of a file that leads out of the content folder (by a symlink): never read, never quoted."""
    return Problem(name, None, "", "无法读取文件：它是指向内容目录之外的符号链接", "内容目录中的普通文件")


def os_reason(exc: OSError) -> str:
    reasons = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
               errno.ELOOP: "符号链接形成循环或层数过多", errno.ENOTDIR: "路径中有一段不是目录",
               errno.ENAMETOOLONG: "文件名过长"}
    return reasons.get(exc.errno, exc.strerror or type(exc).__name__)


def load_yaml(path: Path, name: str | None = None) -> Source:
    """Load one YAML file; raise ContentError with a located message on bad syntax."""
    name = name or str(path)
    try:
        text = read_regular(path).decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(name, None, "", "文件不是 UTF-8 编码的文本", "UTF-8 编码的 YAML 文件")])
    except Unreadable as exc:
        raise ContentError([Problem(name, None, "", f"无法读取文件：{exc}")]) from None
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> Source:
    if "\x85" in text:  # the one control character YAML takes as it is written, as a line break
        raise ContentError([_control_problem(name, text.count("\n", 0, text.index("\x85")) + 1, "", "\x85")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a control character written as it is
        line = text.encode("utf-8")[:exc.position].count(b"\n") + 1  # libyaml counts bytes
        raise ContentError([_control_problem(name, line, "", chr(exc.character))])
    except yaml.MarkedYAMLError as exc:
        raise ContentError([syntax_problem(exc, text, name)]) from None
    except yaml.YAMLError:  # pragma: no cover - other loader errors
        raise ContentError([Problem(name, None, "", "YAML 格式错误：无法解析", "合法的 YAML")]) from None
    if node is not None and "&" in text and "*" in text:  # an alias needs an anchor
        _refuse_aliases(node, text, name)
    source = Source(name, None, text=text)
    problems: list[Problem] = []
    source.data = _convert(node, (), source, problems) if node is not None else {}
    if "\\" in text and _CONTROL_ESCAPE.search(text):
        _control_in_values(source.data, (), source, problems)
    if problems:
        raise ContentError(problems)
    return source


def _refuse_aliases(root: yaml.Node, text: str, name: str) -> None:
    """ContentError at every alias use. The composer gives an alias the anchored node itself, so an alias is a node
    met again walking the graph in document order; walking stops there, so a nest of aliases costs nothing."""
    seen: set[int] = set()
    uses: list[Path_] = []
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            uses.append(path)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                child = path + (_scalar_key(key_node),)
                stack += [(value_node, child), (key_node, child)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, path + (i,)) for i, item in reversed(list(enumerate(node.value)))]
    if not uses:
        return
    # the walk meets the aliases in the order they are written: their events give the lines
    lines = [event.start_mark.line + 1 for event in yaml.parse(text, Loader=_Loader)
             if isinstance(event, yaml.AliasEvent)]
    problems = [Problem(name, line, dotted(path), "不支持 YAML 的锚点引用（&名称 与 *名称）", "直接写出内容", "*引用")
                for path, line in zip(uses[:_MAX_REPORTED], lines)]
    if len(uses) > _MAX_REPORTED:
        problems.append(Problem(name, None, "", f"另有 {len(uses) - _MAX_REPORTED} 处锚点引用，同样不支持"))
    raise ContentError(problems)


def _control_problem(name: str, line: int | None, field: str, character: str) -> Problem:
    kind = "控制字符" if CONTROL.match(character) else " YAML 不允许的字符"
    return Problem(name, line, field, f"含有{kind} U+{ord(character):04X}（不可见的特殊字符，会破坏网页和图表），请删除",
                   "普通文字（可含换行和 Tab）", f"U+{ord(character):04X}")


def _control_in_values(data: object, path: Path_, source: Source, problems: list[Problem]) -> None:
    """A control character made by an escape (``"\\x01"``) in a key or a text value."""
    if isinstance(data, dict):
        for key, value in data.items():
            child = path + (key,)
            found = CONTROL.search(key) or (isinstance(value, str) and CONTROL.search(value))
            if found:
                problems.append(_control_problem(source.name, source.line(child), dotted(child), found.group()))
            if not isinstance(value, str):
                _control_in_values(value, child, source, problems)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found = isinstance(value, str) and CONTROL.search(value)
            if found:
                problems.append(_control_problem(source.name, source.line(path + (i,)), dotted(path + (i,)),
                                                 found.group()))
            else:
                _control_in_values(value, path + (i,), source, problems)


def _convert(node: yaml.Node, path: Path_, source: Source, problems: list[Problem]) -> object:
    source.lines[path] = node.start_mark.line + 1
    return _value(node, path, source.lines, source.name, problems)


def _value(node: yaml.Node, path: Path_, lines: dict[Path_, int], name: str, problems: list[Problem]) -> object:
    """The data of ``node`` at ``path``; records the line of everything below it (a key's line for its value)."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node)
    if len(path) >= MAX_DEPTH:
        raise ContentError([Problem(name, node.start_mark.line + 1, dotted(path), f"嵌套层数过多（最多 {MAX_DEPTH} 层）",
                                    "层次简单的“键: 值”和列表", f"第 {MAX_DEPTH + 1} 层")])
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
        return int(value.replace("_", "")) if len(value) <= _LONGEST_INT else Decimal(value.replace("_", ""))
    if decimal.match(value):
        return Decimal(value.replace("_", ""))
    return value
