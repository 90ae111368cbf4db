"""Problems in user input, reported to people: file, line, field, expected, found."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from generator.resources import PACKAGE

DEBUG = "JUESUAN_DEBUG"  # set (to anything but 0) to let unexpected errors out with their Python traceback


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located and explained in Chinese."""

    file: str
    line: int | None
    field: str
    message: str
    expected: str | None = None
    found: str | None = None
    column: int | None = None  # where a syntax error is, counted in characters from 1

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column:
            where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"字段 {self.field}："
        text += self.message
        details = []
        if self.expected:
            details.append(f"应为{self.expected}")
        if self.found is not None:
            details.append(f"实际为 {self.found}")
        if details:
            text += "（" + "，".join(details) + "）"
        return text


@dataclass
class ContentError(Exception):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


def display_path(path: Path, root: Path | None = None) -> str:
    """A file as messages name it: relative to ``root`` (the working directory) when inside it. A symlink is named
    as itself, never by where it leads (which may be outside, or a loop)."""
    try:
        return str(Path(os.path.realpath(path.parent), path.name).relative_to(os.path.realpath(root or Path.cwd())))
    except ValueError:
        return str(path)


def show(value: object) -> str:
    """A found value as people read it in a message."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict,)):
        return "一组字段"
    if isinstance(value, (list,)):
        return "一个列表"
    text = str(value)
    if len(text) > 40:
        text = text[:40] + "…"
    return f"“{text}”"


def debugging() -> bool:
    return os.environ.get(DEBUG, "0") not in ("", "0")


def internal_problem(exc: BaseException, file: str, during: str = "") -> Problem:
    """An error the tool did not expect, which is its own defect: where in its code, never a traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if PACKAGE in Path(f.filename).resolve().parents]
    where = f"（{Path(frames[-1].filename).name} 第 {frames[-1].lineno} 行）" if frames else ""
    return Problem(file, None, "", f"{during}发生内部错误 {described(exc)}{where}。这是本工具的缺陷，请把这条信息和相关文件报告给维护者；"
                                   f"设置环境变量 {DEBUG}=1 再运行可看到详细的调用栈")


def described(exc: BaseException) -> str:
    """``KeyError: 'x'``, or the bare type name when the exception says nothing more (``CancelledError``)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
