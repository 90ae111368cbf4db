"""Table layouts as data: one YAML file per form (year/variant) under data/layouts.

A form file declares each table's header rows, 栏次 row, body and 注 lines; this
module reads them, checking every field like a department file's (a problem names the file,
line and field), and expands them (e.g. ``{classes: 32}`` into 26 class lines). A profile's
``tables`` are read by the same functions (``read_tables``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache

from generator.errors import ContentError, Problem, show
from generator.forms.reading import (
    data_file,
    known,
    lineless,
    listed,
    missing,
    positive,
    raise_problems,
)
from generator.forms.vocabulary import CODED_TABLE_OF, COLUMN_LABELS, FIXED_FIGURES, THREE_PUBLIC_ITEMS
from generator.resources import DATA
from generator.source.shapes import FLAG, TEXT, TEXTS, Reader

LAYOUT_DIR = DATA / "layouts"

# The tables the tool can fill, each with the kind of body its figures fit; t10 only in some profiles.
TABLE_BODIES = {"t01": "two_sided", "t02": "codes", "t03": "codes", "t04": "two_sided", "t05": "codes",
                "t06": "groups", "t07": "codes", "t08": "codes", "t09": "rows", "t10": "rows"}
TABLE_IDS = tuple(TABLE_BODIES)
NATIONAL_TABLES = TABLE_IDS[:9]
TABLE_SHAPE = {"label": TEXT, "title": TEXT, "toc_title": TEXT, "wide": FLAG, "header": None,
               "column_numbers": None, "body": None, "notes": TEXTS, "empty_notes": TEXTS}
BODY_KEYS = {"two_sided": ("kind", "left", "right", "left_columns", "right_columns", "line_numbers"),
             "codes": ("kind", "columns", "code_columns", "total"),
             "groups": ("kind", "groups", "personnel_classes", "footer", "dashed", "code_columns", "flow"),
             "rows": ("kind", "rows")}
OPTIONAL_BODY_KEYS = ("footer", "dashed", "line_numbers", "code_columns", "total", "flow")
# How a code is printed: in one column ("2080501"), or split by level into 类/款/项 (3) or 类/款 (2) columns.
CODE_COLUMNS = {"codes": (1, 3), "groups": (1, 2)}
TOTAL_PLACES = ("first", "last")  # where a coded table prints its 合计 row
LINE_SHAPE = {"key": TEXT, "label": TEXT, "line": None, "total": FLAG}
CELL_SHAPE = {"text": TEXT, "value": TEXT, "colspan": None, "rowspan": None, "total": FLAG, "count": FLAG}
CELL = "文字，或 {text: …}、{value: …} 形式的一组字段"
ROWS = "行的列表，每行是格的列表"

FORM_HEAD = ("title_format", "empty_reason", "unit_label")  # texts, inherited from the form extended
FORM_KEYS = ("form", "extends", *FORM_HEAD, "classes", "tables")
CLASS_SHAPE = {"code": TEXT, "label": TEXT}



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
    line_numbers: bool = True  # print the 行次 column

    @property
    def ident_columns(self) -> int:
        """The columns of a side before its amounts: 项目, and 行次 where printed."""
        return 2 if self.line_numbers else 1


@dataclass(frozen=True)
class Codes:
    columns: tuple[str, ...]
    kind: str = "codes"
    code_columns: int = 1  # 1: the code in one column; 3: split into 类/款/项
    total: str = "first"  # where the 合计 row is printed: first or last


@dataclass(frozen=True)
class Groups:
    groups: tuple[tuple[str, ...], ...]
    personnel_classes: tuple[str, ...]
    footer: tuple[tuple[Cell, ...], ...]
    kind: str = "groups"
    dashed: tuple[str, ...] = ()  # rows printed with "——" (not applicable to 基本支出, e.g. Shanxi's 309, 311)
    code_columns: int = 1  # 1: the code in one column; 2: split into 类/款
    flow: int = 0  # >0: the groups' codes run on as one list down this many columns of equal height

    def printed(self) -> tuple[tuple[str, ...], ...]:
        """The column groups as printed: the groups, or with ``flow`` their codes as one list run down ``flow``
        columns of equal height (the last may be shorter)."""
        if not self.flow:
            return self.groups
        codes = [code for group in self.groups for code in group]
        height = max(-(-len(codes) // self.flow), 1)
        return tuple(tuple(codes[i:i + height]) for i in range(0, len(codes), height)) or ((),)

    @property
    def width(self) -> int:
        """The columns of one group: the code (or 类 and 款), the name and the amount."""
        return self.code_columns + 2


@dataclass(frozen=True)
class Rows:
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = "rows"

    @property
    def figures(self) -> frozenset[str]:
        """The keys of the figures the rows print (``{value: key}`` cells)."""
        return frozenset(cell.value for row in self.rows for cell in row if cell.value)


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
    empty_notes: tuple[str, ...] = ()  # printed under the table when it is empty; may hold {department}

    @property
    def number(self) -> int:
        return int(self.id[1:])

    @property
    def name(self) -> str:
        """What messages, sheets and captions call the table: its label (公开01表), or its title where the form
        prints no label."""
        return self.label or self.title


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

    def three_public_items(self) -> tuple[str, ...]:
        """The 三公 items (THREE_PUBLIC_ITEMS) this form's 公开09表 prints: Shanxi's and Shanghai's have no 会议费、培训费."""
        printed = self.tables["t09"].body.figures
        return tuple(item for item in THREE_PUBLIC_ITEMS if f"actual.{item}" in printed)


def available_forms() -> list[int]:
    return sorted(int(p.stem) for p in LAYOUT_DIR.glob("*.yaml") if p.stem.isdigit())


def form_of(year: int) -> int:
    """The form a year's disclosure uses unless its file names one: the latest not after the year."""
    forms = available_forms()
    earlier = [f for f in forms if f <= year]
    return earlier[-1] if earlier else forms[0]


def load_form(form: int, profile=None) -> Form:
    """The year's national form, with the profile's table layouts added or replacing the national ones, in the
    order the profile prints them."""
    if profile is None:
        return _form(form, "{}", (), "", "")
    style = profile.table_style
    return _form(form, profile.tables_json, style.order, style.unit_label, profile.source)


@lru_cache(maxsize=None)
def _form(form: int, overrides_json: str, order: tuple[str, ...], unit_label: str, source: str) -> Form:
    national = _national(form)
    overrides = json.loads(overrides_json)
    if not overrides and not order and not unit_label:
        return national
    r = lineless("省份格式", overrides)  # checked, with its lines, when the profile was read
    tables = _in_order({**national.tables, **read_tables(r, ("tables",), overrides, national.classes)})
    raise_problems(r)
    if order:
        left_out = [tid for tid in tables if tid not in order]
        extra = [tid for tid in order if tid not in tables]
        if left_out or extra:
            found = "、".join([*(f"缺 {t}" for t in left_out), *(f"多出 {t}（本格式没有这张表）" for t in extra)])
            raise ContentError([Problem(source or "省份格式", None, "table_style.order",
                                        f"表的印制顺序应列出 {form} 年度表样和本格式的每一张表，各一次",
                                        "、".join(tables), found)])
        tables = {tid: tables[tid] for tid in order}
    return replace(national, tables=tables, unit_label=unit_label or national.unit_label)


# -- the year's form files ----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _national(form: int) -> Form:
    """The year's form file, over the one it ``extends``: what it does not say, it inherits."""
    chain = _chain(form, ())
    top = chain[0][0]
    head = {key: next((f[key] for _, f in chain if f.get(key) is not None), None) for key in (*FORM_HEAD, "classes")}
    for key, value in head.items():
        if value is None:
            missing(top, (key,), "文字" if key in FORM_HEAD else "各类的列表（code、label）")
    classes = head["classes"] or ()
    tables: dict[str, TableLayout] = {}
    for r, f in reversed(chain):
        tables.update(read_tables(r, ("tables",), f.get("tables"), classes))
    absent = [tid for tid in NATIONAL_TABLES if tid not in tables]
    if absent:
        top.problem(("tables",), "缺少全国统一的表", "、".join(NATIONAL_TABLES), "缺 " + "、".join(absent))
    problems = [p for r, _ in chain for p in r.problems]
    if problems:
        raise ContentError(problems)
    return Form(form, head["title_format"], head["empty_reason"], head["unit_label"], classes, _in_order(tables))


def _chain(form: int, seen: tuple[int, ...]) -> list[tuple[Reader, dict]]:
    """The form file of ``form`` and those it extends, each with its Reader and its own fields."""
    path = LAYOUT_DIR / f"{form}.yaml"
    if not path.exists():
        raise LayoutError(f"没有 {form} 年度的表样（可用：{', '.join(map(str, available_forms()))}）")
    r = data_file(path)
    data = r.mapping((), r.source.data, "表样")
    r.unknown_keys((), data, FORM_KEYS)
    if data.get("form") != form:
        r.problem(("form",), "表样的年度应与文件名相同", str(form), show(data.get("form")))
    fields = {key: r.text((key,), data[key], required=True) for key in FORM_HEAD if key in data}
    fields.update(classes=_classes(r, data.get("classes")), tables=data.get("tables"))
    if "title_format" in data:
        _check_title_format(r, fields["title_format"])
    base = data.get("extends")
    if base is None:
        return [(r, fields)]
    if base in seen or base == form:
        r.problem(("extends",), "表样循环继承", "不循环的继承关系", " → ".join(map(str, (*seen, form, base))))
        return [(r, fields)]
    if not known(r, ("extends",), base, [f for f in available_forms() if f != form], "没有这一年度的表样"):
        return [(r, fields)]
    return [(r, fields), *_chain(base, (*seen, form))]


def _classes(r: Reader, value: object) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    items = listed(r, ("classes",), value, "各类的列表，每项 {code: …, label: …}")
    rows = [r.shaped(("classes", i), item, CLASS_SHAPE, required=("code", "label")) for i, item in enumerate(items)]
    return tuple((row["code"], row["label"]) for row in rows)


def _check_title_format(r: Reader, text: str) -> None:
    try:
        text.format(year=2023)
    except (KeyError, IndexError, ValueError):
        r.problem(("title_format",), "标题格式中只能用 {year} 代表年度", "如 “{year} 年度部门决算”", show(text))


def _in_order(tables: dict[str, TableLayout]) -> dict[str, TableLayout]:
    return {tid: tables[tid] for tid in sorted(tables, key=lambda t: int(t[1:]))}


# -- tables ---------------------------------------------------------------------------------------

def read_tables(r: Reader, path: tuple, value: object, classes: tuple[tuple[str, str], ...]) -> dict[str, TableLayout]:
    """The table layouts under ``path`` (a form file's or a profile's ``tables``), by id; problems go to ``r``."""
    specs = r.mapping(path, value, "各表的表样（表号: 表样）")
    return {tid: _table(r, path + (tid,), tid, spec, classes) for tid, spec in specs.items()
            if known(r, path + (tid,), tid, TABLE_IDS, "没有这张表")}


def _table(r: Reader, path: tuple, tid: str, spec: object, classes) -> TableLayout:
    fields = r.shaped(path, spec, TABLE_SHAPE, required=("title",))
    data = spec if isinstance(spec, dict) else {}
    if "header" not in data:
        missing(r, path + ("header",), ROWS)
    numbers = data.get("column_numbers")
    return TableLayout(
        id=tid,
        label=fields["label"],
        title=fields["title"],
        toc_title=fields["toc_title"] or fields["title"],
        wide=bool(fields["wide"]),
        header=_rows(r, path + ("header",), data.get("header")),
        column_numbers=_cells(r, path + ("column_numbers",), numbers) if numbers is not None else None,
        body=_body(r, path + ("body",), data.get("body"), tid, classes),
        notes=tuple(fields["notes"]),
        empty_notes=tuple(_with_department(r, path + ("empty_notes", i), note)
                          for i, note in enumerate(fields["empty_notes"])),
    )


def _with_department(r: Reader, path: tuple, text: str) -> str:
    try:
        text.format(department="")
    except (KeyError, IndexError, ValueError):
        r.problem(path, "空表说明中只能用 {department} 代表部门名称", "如 “注：{department}无政府性基金预算财政拨款支出，故本表无数据。”",
                  show(text))
    return text


def _body(r: Reader, path: tuple, value: object, tid: str, classes) -> TwoSided | Codes | Groups | Rows | None:
    """The body of table ``tid``, of the kind its figures fit (see TABLE_BODIES)."""
    kind = TABLE_BODIES[tid]
    if value is None:
        missing(r, path, f"表体（kind: {kind} 及其内容）")
        return None
    data = r.mapping(path, value, "表体")
    if "kind" not in data:
        missing(r, path + ("kind",), kind)
        return None
    if data["kind"] != kind:
        r.problem(path + ("kind",), f"这张表的表体类型只能是 {kind}", kind, show(data["kind"]))
        return None
    r.unknown_keys(path, data, BODY_KEYS[kind])
    for key in BODY_KEYS[kind]:
        if key not in data and key not in OPTIONAL_BODY_KEYS:
            missing(r, path + (key,), "列表")
    if kind == "two_sided":
        numbered = r.flag(path + ("line_numbers",), data.get("line_numbers"))
        return TwoSided(_lines(r, path + ("left",), data.get("left"), classes),
                        _lines(r, path + ("right",), data.get("right"), classes),
                        tuple(r.texts(path + ("left_columns",), data.get("left_columns"))),
                        tuple(r.texts(path + ("right_columns",), data.get("right_columns"))),
                        line_numbers=numbered is not False)
    if kind == "codes":
        total = data.get("total", "first")
        known(r, path + ("total",), total, TOTAL_PLACES, "合计行的位置只能是 first（首行）或 last（末行）")
        columns = r.texts(path + ("columns",), data.get("columns"))
        computed = tuple(COLUMN_LABELS[CODED_TABLE_OF[tid]])
        for i, column in enumerate(columns):
            known(r, path + ("columns", i), column, computed, "这张表没有这一栏")
        return Codes(tuple(columns),
                     code_columns=_code_columns(r, path, data, kind),
                     total=total if total in TOTAL_PLACES else "first")
    if kind == "groups":
        groups = listed(r, path + ("groups",), data.get("groups"), "各组科目代码的列表")
        flow = data.get("flow", 0)
        if flow != 0:
            flow = positive(r, path + ("flow",), flow, "续排的列组数应为正整数", "正整数，如 4（各组科目接续排成 4 组等高的列）")
        footer = _rows(r, path + ("footer",), data.get("footer"))
        _check_figures(r, path + ("footer",), footer, tid)
        return Groups(tuple(tuple(r.texts(path + ("groups", i), g)) for i, g in enumerate(groups)),
                      tuple(r.texts(path + ("personnel_classes",), data.get("personnel_classes"))),
                      footer,
                      dashed=tuple(r.texts(path + ("dashed",), data.get("dashed"))),
                      code_columns=_code_columns(r, path, data, kind), flow=flow)
    rows = _rows(r, path + ("rows",), data.get("rows"))
    _check_figures(r, path + ("rows",), rows, tid)
    return Rows(rows)


def _check_figures(r: Reader, path: tuple, rows: tuple[tuple[Cell, ...], ...], tid: str) -> None:
    """Every ``{value: key}`` names a figure table ``tid`` has (FIXED_FIGURES): a misspelt key would print blank."""
    keys, prefixes = FIXED_FIGURES.get(tid, (frozenset(), ()))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            key = cell.value
            if not key or key in keys or any(key.startswith(p) and len(key) > len(p) for p in prefixes):
                continue
            if tid == "t06" and key.isdigit() and len(key) in (3, 5):  # an 经济分类 class or item
                continue
            shown = "、".join(sorted(keys)) + ("、" + "、".join(f"{p}<名称>" for p in prefixes) if prefixes else "")
            r.problem(path + (i, j, "value"), "这张表没有这个数（写错的数会印成空白）", shown, show(key))


def _code_columns(r: Reader, path: tuple, data: dict, kind: str) -> int:
    value = data.get("code_columns", 1)
    allowed = CODE_COLUMNS[kind]
    if value in allowed and not isinstance(value, bool):
        return value
    r.problem(path + ("code_columns",), "科目代码所占的列数不正确",
              f"整数 {' 或 '.join(map(str, allowed))}（{allowed[-1]}：分列印类、款{'、项' if allowed[-1] == 3 else ''}）",
              show(value))
    return 1


def _lines(r: Reader, path: tuple, value: object, classes) -> tuple[Line, ...]:
    specs = listed(r, path, value, "行的列表")
    return tuple(line for i, spec in enumerate(specs) for line in _line(r, path + (i,), spec, classes))


def _line(r: Reader, path: tuple, spec: object, classes) -> list[Line]:
    """One line, ``{blank: [a, b]}`` (lines a..b left empty) or ``{classes: n}`` (the classes from 行次 n)."""
    data = spec if isinstance(spec, dict) else {}
    if "blank" in data:
        r.unknown_keys(path, data, ("blank",))
        first, last = _blank(r, path + ("blank",), data["blank"])
        return [Line(None, "", n) for n in range(first, last + 1)]
    if "classes" in data:
        r.unknown_keys(path, data, ("classes",))
        start = positive(r, path + ("classes",), data["classes"], "各类的起始行次应为正整数", "正整数，如 32")
        return [Line(code, label, start + i) for i, (code, label) in enumerate(classes)]
    fields = r.shaped(path, spec, LINE_SHAPE, required=("key", "label"))
    if "line" not in data:
        missing(r, path + ("line",), "行次（正整数）")
    number = positive(r, path + ("line",), data.get("line"), "行次应为正整数", "正整数，如 1")
    return [Line(fields["key"], fields["label"], number, bool(fields["total"]))]


def _blank(r: Reader, path: tuple, value: object) -> tuple[int, int]:
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value) and value[0] <= value[1]):
        return value[0], value[1]
    r.problem(path, "空行的范围应为起止两个行次", "两个正整数，前一个不大于后一个，如 [9, 26]", show(value))
    return 1, 0


def _rows(r: Reader, path: tuple, value: object) -> tuple[tuple[Cell, ...], ...]:
    return tuple(_cells(r, path + (i,), row) for i, row in enumerate(listed(r, path, value, ROWS)))


def _cells(r: Reader, path: tuple, value: object) -> tuple[Cell, ...]:
    return tuple(_cell(r, path + (i,), spec) for i, spec in enumerate(listed(r, path, value, "格的列表")))


def _cell(r: Reader, path: tuple, spec: object) -> Cell:
    """A cell: its text, or ``{text | value, colspan, rowspan, total, count}``."""
    if isinstance(spec, (str, int)) and not isinstance(spec, bool):
        return Cell(text=str(spec))
    if not isinstance(spec, dict):
        r.problem(path, "表格的格应为文字或一组字段", CELL, show(spec))
        return Cell()
    fields = r.shaped(path, spec, CELL_SHAPE)
    return Cell(text=fields["text"], value=fields["value"] or None,
                colspan=positive(r, path + ("colspan",), spec.get("colspan"), "合并的列数应为正整数", "正整数，如 2"),
                rowspan=positive(r, path + ("rowspan",), spec.get("rowspan"), "合并的行数应为正整数", "正整数，如 2"),
                total=bool(fields["total"]), count=bool(fields["count"]))
