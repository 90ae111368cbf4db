"""Generated department files for the fuzz tests: a real department file with a few of its values replaced by
values of any type, size and alphabet, keys removed or added, and its text mangled (aliases, deep nesting, control
characters, truncation, tabs, a byte-order mark).

``documents()`` is a hypothesis strategy of ``(folder name, file text)`` pairs; the folder is the year folder the
file is written into, usually its own year.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import strategies as st

from generator.source.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
BASES = [ROOT / "content" / "2023" / "demo-tongji.yaml", ROOT / "content" / "2024" / "demo-yibao.yaml"]

# Values that have broken tools of this kind: paths, formulas, markup, template syntax, numbers as text, names of
# profiles and of files, look-alike digits, bidi controls, a long line.
TRICKY = [
    "", " ", "0", "-0.00", "1e30", "1E+999999", "NaN", "inf", "-inf", "0x10", "1_000", "０.５", "２０２４", "²⁰²⁴",
    "../../etc/passwd", "/etc/passwd", "../profiles/x", "C:\\Windows\\win.ini", "sichuan-glossary", "shanxi",
    "default", "sichuan", "=HYPERLINK(\"http://evil.example/x\",\"点此\")", "+1", "-1", "@SUM(A1)", "\tx",
    "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "![图](http://evil.example/x.png)",
    "![图](/etc/passwd)", "[链接](javascript:alert(1))", "\u202e反向", "\x00", "\x01标签", "\x7f", "\x85",
    "\ufeff", "\U0001f600", "𠀀𠀁", "a" * 3000, "第一行\n第二行", "2080101", "208", "20801", "99999999",
    "一般公共预算财政拨款收入", "合计", "万元", "元", "%", "—", "-", "null", "~", "true", "no", "yes",
]

_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
_leaves = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.decimals(min_value=-10**6, max_value=10**6, places=2),
    _text, st.sampled_from(TRICKY),
)
VALUES = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.one_of(_text, st.sampled_from(TRICKY)), inner,
                                                               max_size=4),
    max_leaves=8,
)


def _paths(data, prefix=()):
    """Every path into ``data``: keys and list indexes."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


_BASE_DATA = [load_yaml(path).data for path in BASES]
_BASE_PATHS = [list(_paths(data))[1:] for data in _BASE_DATA]
# The strategies are built once: building one per draw (a sampled_from over hundreds of paths) costs more than
# checking the file it makes.
_BASE = st.integers(0, len(BASES) - 1)
_PATH = [st.sampled_from(paths) for paths in _BASE_PATHS]
_OPERATION = st.sampled_from(["replace", "replace", "replace", "delete", "add", "wrap"])
_KEY = st.one_of(_text, st.sampled_from(TRICKY))


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def _copy(data):
    if isinstance(data, dict):
        return {key: _copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copy(value) for value in data]
    return data


def _parent_and_key(data, path):
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


@st.composite
def _mutated_data(draw):
    which = draw(_BASE)
    data = _copy(_BASE_DATA[which])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(_PATH[which])
        try:
            parent, key = _parent_and_key(data, path)
            parent[key]
        except (KeyError, IndexError, TypeError):  # an earlier mutation replaced a part of this path
            continue
        operation = draw(_OPERATION)
        if operation == "replace":
            parent[key] = draw(VALUES)
        elif operation == "delete":
            del parent[key]
        elif operation == "add" and isinstance(parent, dict):
            parent[draw(_KEY)] = draw(VALUES)
        elif operation == "wrap":  # the right value at the wrong nesting
            parent[key] = [parent[key]] if draw(st.booleans()) else {"value": parent[key]}
    return which, data


# Text that YAML reads but that should never reach the computation: aliases (one expanding a millionfold, one
# referring to itself), nesting deeper than any form, a control character, a file cut short, a byte-order mark.
_MANGLES = [
    lambda text, at: text + "\nbomb: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{i}: &a{i} [{', '.join([f'*a{i - 1}' if i > 1 else '*a'] * 10)}]\n" for i in range(1, 7)),
    lambda text, at: text + "\nloop: &loop [*loop]\n",
    lambda text, at: text + "\nshared: &s 1\nagain: *s\n",
    lambda text, at: text + "\ndeep: " + "[" * 5000 + "]" * 5000 + "\n",
    lambda text, at: text[:at] + "\x01" + text[at:],
    lambda text, at: text[:at],
    lambda text, at: "\ufeff" + text,
    lambda text, at: text.replace("\n", "\r\n"),
    lambda text, at: text[:at] + "\t" + text[at:],
    lambda text, at: text[:at] + "\n  : :\n" + text[at:],
]


_MANGLE = st.sampled_from(_MANGLES)
_FOLDER = st.sampled_from(["2023", "2024", "1999"])


@st.composite
def documents(draw) -> tuple[str, str]:
    which, data = draw(_mutated_data())
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=draw(st.booleans()), sort_keys=False, width=10**6)
    if draw(st.integers(0, 4)) == 0:
        mangle = draw(_MANGLE)
        text = mangle(text, draw(st.integers(0, len(text))))
    year = _BASE_DATA[which].get("year")
    folder = str(year) if draw(st.integers(0, 9)) else draw(_FOLDER)
    return folder, text
