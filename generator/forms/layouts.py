"""Table layouts as data: one YAML file per form (year/variant) under data/layouts.

A form file declares each table's header rows, 栏次 row, body and 注 lines; this
module only reads and expands them (e.g. ``{classes: 32}`` into 26 class lines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from generator.resources import DATA

LAYOUT_DIR = DATA / "layouts"


class LayoutError(ValueError):
    """A layout file is malformed (a defect in the form definition, not in content)."""


@dataclass(frozen=True)
class Cell:
    """A header cell or a fixed body cell: literal text or a reference to a figure."""

    text: str = ""
    value: str | None = None
    colspan: int = 1
    rowspan: int = 1
    total: bool = False
    count: bool = False  # a number of things (vehicles, sets), not money


@dataclass(frozen=True)
class Line:
    """One line of a two-sided table (公开01/04表)."""

    key: str | None
    label: str
    line: int
    total: bool = False


@dataclass(frozen=True)
class TwoSided:
    left: tuple[Line, ...]
    right: tuple[Line, ...]
    left_columns: tuple[str, ...]
    right_columns: tuple[str, ...]
    kind: str = "two_sided"


@dataclass(frozen=True)
class Codes:
    columns: tuple[str, ...]
    kind: str = "codes"


@dataclass(frozen=True)
class Groups:
    groups: tuple[tuple[str, ...], ...]
    personnel_classes: tuple[str, ...]
    footer: tuple[tuple[Cell, ...], ...]
    kind: str = "groups"
    dashed: tuple[str, ...] = ()  # rows printed with "——" (not applicable to 基本支出, e.g. Shanxi's 309, 311)


@dataclass(frozen=True)
class Rows:
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = "rows"


@dataclass(frozen=True)
class TableLayout:
    id: str
    label: str
    title: str
    toc_title: str
    wide: bool
    header: tuple[tuple[Cell, ...], ...]
    column_numbers: tuple[Cell, ...] | None
    body: TwoSided | Codes | Groups | Rows
    notes: tuple[str, ...]

    @property
    def number(self) -> int:
        return int(self.id[1:])


@dataclass(frozen=True)
class Form:
    form: int
    title_format: str
    empty_reason: str
    unit_label: str
    classes: tuple[tuple[str, str], ...]
    tables: dict[str, TableLayout] = field(hash=False)

    def class_codes(self) -> set[str]:
        return {code for code, _ in self.classes}


def available_forms() -> list[int]:
    return sorted(int(p.stem) for p in LAYOUT_DIR.glob("*.yaml") if p.stem.isdigit())


def load_form(form: int, profile=None) -> Form:
    """The year's national form, with the profile's table layouts added or replacing the national ones."""
    return _form(form, profile.tables_json if profile is not None else "{}")


@lru_cache(maxsize=None)
def _form(form: int, overrides_json: str) -> Form:
    raw = _raw_form(form)
    specs = {**raw["tables"], **json.loads(overrides_json)}
    classes = tuple((str(c["code"]), str(c["label"])) for c in raw["classes"])
    tables = {tid: _table(tid, specs[tid], classes) for tid in sorted(specs, key=lambda t: int(t[1:]))}
    return Form(int(raw["form"]), raw["title_format"], raw["empty_reason"], raw["unit_label"], classes, tables)


def _raw_form(form: int) -> dict:
    path = LAYOUT_DIR / f"{form}.yaml"
    if not path.exists():
        raise LayoutError(f"没有 {form} 年度的表样（可用：{', '.join(map(str, available_forms()))}）")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = raw.pop("extends", None)
    if base is None:
        return raw
    merged = _raw_form(int(base))
    tables = {**merged["tables"], **raw.pop("tables", {})}
    return {**merged, **raw, "tables": tables}


def _cell(spec: object) -> Cell:
    if isinstance(spec, str):
        return Cell(text=spec)
    return Cell(text=str(spec.get("text", "")), value=spec.get("value"), colspan=int(spec.get("colspan", 1)),
                rowspan=int(spec.get("rowspan", 1)), total=bool(spec.get("total", False)),
                count=bool(spec.get("count", False)))


def _lines(specs: list, classes: tuple[tuple[str, str], ...]) -> tuple[Line, ...]:
    lines: list[Line] = []
    for spec in specs:
        if "blank" in spec:
            first, last = spec["blank"]
            lines.extend(Line(None, "", n) for n in range(first, last + 1))
        elif "classes" in spec:
            start = int(spec["classes"])
            lines.extend(Line(code, label, start + i) for i, (code, label) in enumerate(classes))
        else:
            lines.append(Line(str(spec["key"]), spec["label"], int(spec["line"]), bool(spec.get("total"))))
    return tuple(lines)


def _body(spec: dict, classes) -> TwoSided | Codes | Groups | Rows:
    kind = spec["kind"]
    if kind == "two_sided":
        return TwoSided(_lines(spec["left"], classes), _lines(spec["right"], classes),
                        tuple(spec["left_columns"]), tuple(spec["right_columns"]))
    if kind == "codes":
        return Codes(tuple(spec["columns"]))
    if kind == "groups":
        return Groups(tuple(tuple(str(c) for c in g) for g in spec["groups"]),
                      tuple(str(c) for c in spec["personnel_classes"]),
                      tuple(tuple(_cell(c) for c in row) for row in spec.get("footer", [])),
                      dashed=tuple(str(c) for c in spec.get("dashed", [])))
    if kind == "rows":
        return Rows(tuple(tuple(_cell(c) for c in row) for row in spec["rows"]))
    raise LayoutError(f"未知的表体类型 {kind}")


def _table(tid: str, spec: dict, classes) -> TableLayout:
    numbers = spec.get("column_numbers")
    return TableLayout(
        id=tid,
        label=spec["label"],
        title=spec["title"],
        toc_title=spec.get("toc_title", spec["title"]),
        wide=bool(spec.get("wide", False)),
        header=tuple(tuple(_cell(c) for c in row) for row in spec["header"]),
        column_numbers=tuple(_cell(c) for c in numbers) if numbers else None,
        body=_body(spec["body"], classes),
        notes=tuple(spec.get("notes", [])),
    )
