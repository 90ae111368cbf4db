"""What the readers of the tool's own data files share: tables, profiles, glossaries, chart kinds, catalogues.

Each of those files is read like a department file: loaded with line numbers and read with a
``Reader``, every problem located (file, line, field) and all of a file's problems raised at once.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import ContentError, display_path, show
from generator.source.shapes import Reader, one_of, suggestion
from generator.source.yamlfile import Source, load_yaml


def data_file(path: Path) -> Reader:
    """A Reader over ``path``, named in messages as the user sees it (relative to the working directory)."""
    return Reader(load_yaml(path, display_path(path)))


def lineless(name: str, data: object) -> Reader:
    """A Reader over data already checked where it was read (messages name ``name`` without a line)."""
    return Reader(Source(name, data))


def raise_problems(r: Reader) -> None:
    if r.problems:
        raise ContentError(r.problems)


def known(r: Reader, path: tuple, value: object, allowed, message: str) -> bool:
    """Whether ``value`` is one of ``allowed``; if not, a problem saying ``message`` and the likely spelling."""
    if value in allowed:
        return True
    r.problem(path, message + suggestion(value, allowed), one_of(allowed), show(value))
    return False


def missing(r: Reader, path: tuple, expected: str) -> None:
    r.problem(path, "缺少必填字段", expected, "无")


def listed(r: Reader, path: tuple, value: object, expected: str) -> list:
    """A list (absent: empty); anything else is a problem."""
    if value is None:
        return []
    if not isinstance(value, list):
        r.problem(path, "应为列表", expected, show(value))
        return []
    return value


def positive(r: Reader, path: tuple, value: object, message: str, example: str, default: int = 1) -> int:
    """A whole number ≥ 1 (a span, a 行次), or ``default`` when absent or wrong."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        r.problem(path, message, example, show(value))
        return default
    return value
