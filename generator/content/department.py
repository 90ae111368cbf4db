"""The department file's shape, and reading a loaded file into a ``Department``.

Every problem is collected (not just the first) with file:line, field path,
expected and found; a file with any problem yields ContentError.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.content.evaluations import read_evaluations, read_scores
from generator.content.model import (
    Attachment,
    Department,
    ItemNote,
    Narrative,
    Overview,
    Row,
    Staff,
    Tables,
)
from generator.errors import ContentError, show
from generator.forms.catalogue import catalogue, parent_codes
from generator.forms.glossary import Term, default_glossary
from generator.forms.layouts import available_forms, form_of, load_form
from generator.forms.reading import listed
from generator.forms.vocabulary import FUNDS, THREE_PUBLIC_ITEMS
from generator.money import UNITS
from generator.source.shapes import (
    AMOUNT,
    COUNT,
    MARKDOWN,
    TEXT,
    TEXTS,
    MapOf,
    Reader,
    flatten,
    kind_of,
)
from generator.source.yamlfile import Source, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TOTAL_KEYS = ("合计", "total")

# Columns of the coded tables: entered by the author / derivable (optional, checked).
CODED_TABLES = {
    "income": ("公开02表", ("fiscal", "superior", "business", "operating", "affiliate", "other"), ("total",)),
    "expenditure": ("公开03表", ("basic", "project", "remit", "operating", "subsidy"), ("total",)),
    "general_budget": ("公开05表", ("basic", "project"), ("total",)),
    "gov_fund": ("公开07表", ("opening", "income", "basic", "project"), ("total", "closing")),
    "soe_capital": ("公开08表", ("opening", "income", "basic", "project"), ("total", "closing")),
}

THREE_PUBLIC_ROW = {key: AMOUNT for key in (*THREE_PUBLIC_ITEMS, "total", "vehicle")}

SUMMARY_INPUTS = ("use_of_reserve", "opening", "distribution")
SUMMARY_STATED = ("general_fiscal", "fund_fiscal", "soe_fiscal", "superior", "business", "operating", "affiliate",
                  "other", "income_total", "income_grand_total", "expenditure_total", "closing",
                  "expenditure_grand_total")
FUND_COLUMNS = {key: AMOUNT for key in ("total", *FUNDS)}

REASONS = {"reason_budget": TEXT, "reason_previous": TEXT}
# The author's own paragraph(s), printed in place of the ones the form's template would write (rule text-figures
# still checks their figures against the tables).
OWN = {"text": MARKDOWN}
THREE_PUBLIC_NOTE = {**REASONS, "purpose": TEXT, **OWN}  # purpose: 主要用于 (what the trips, cars, visits were for)
NARRATIVE_SHAPE = {
    "overall": {"previous_total": AMOUNT, "reason": TEXT, **OWN},
    "income": OWN,
    "expenditure": OWN,
    "fiscal": {"previous_total": AMOUNT, "reason": TEXT, **OWN},
    "general_budget": {"budget": AMOUNT, "previous": AMOUNT, "reason": TEXT, "reason_budget": TEXT, "items": None,
                       **OWN},
    "basic": OWN,
    "gov_fund": {"previous": AMOUNT, "reason": TEXT, **OWN},
    "soe_capital": {"previous": AMOUNT, "reason": TEXT, **OWN},
    "three_public": {
        "previous": {key: AMOUNT for key in (*THREE_PUBLIC_ITEMS, "total")},
        **REASONS, **OWN,
        "abroad": {**THREE_PUBLIC_NOTE, "groups": COUNT, "people": COUNT},
        "vehicle_purchase": {**THREE_PUBLIC_NOTE, "vehicles": COUNT},
        "vehicle_operation": {**THREE_PUBLIC_NOTE, "vehicles": COUNT},
        "reception": {**THREE_PUBLIC_NOTE, "foreign": AMOUNT, "foreign_groups": COUNT, "foreign_people": COUNT,
                      "domestic_note": TEXT, "domestic_groups": COUNT, "domestic_people": COUNT},
        "meeting": {**THREE_PUBLIC_NOTE, "count": COUNT, "people": COUNT},
        "training": {**THREE_PUBLIC_NOTE, "count": COUNT, "people": COUNT},
    },
    "operating_costs": {"budget": AMOUNT, "actual": AMOUNT, "previous": AMOUNT, "reason": TEXT, **OWN},
    "procurement": {"goods": AMOUNT, "works": AMOUNT, "services": AMOUNT,
                    "sme": {"goods": AMOUNT, "works": AMOUNT, "services": AMOUNT},
                    "small_micro": AMOUNT, "note": MARKDOWN, **OWN},
    "assets": {"vehicles": MapOf(COUNT), "equipment": COUNT, "purchased_vehicles": COUNT,
               "purchased_equipment": COUNT, "note": MARKDOWN, **OWN},
    "performance": MARKDOWN,
    "other": MARKDOWN,
}

TOP_KEYS = ("year", "id", "form", "profile", "published", "unit", "department", "cover", "overview", "tables", "narrative", "glossary",
            "attachments", "evaluations", "tail_differences")
TABLE_KEYS = (*CODED_TABLES, "basic_detail", "three_public", "summary", "fiscal_summary", "info")
# 公开10表 部门决算公开相关信息统计表 (profiles that print it, e.g. Shanxi). Every figure is optional:
# what is left out is taken from the 情况说明 inputs (narrative.procurement, operating_costs, assets).
INFO_SHAPE = {
    "procurement": {"total": AMOUNT, "goods": AMOUNT, "works": AMOUNT, "services": AMOUNT},
    "operating_costs": {"total": AMOUNT, "administrative": AMOUNT, "civil_service": AMOUNT},
    "vehicles": MapOf(COUNT),
    "equipment": COUNT,
}

# Shapes of the other parts of the file (also read by fileschema, which builds the JSON Schema from them).
YEARS = (2000, 2100)  # the range a 决算年度 may take
SCOPES = ("汇总", "本级")  # department.scope; absent means 汇总
DEPARTMENT_SHAPE = {"name": TEXT, "scope": TEXT}
DEPARTMENT_REQUIRED = ("name",)
COVER_SHAPE = {"secrecy_review": TEXT, "head_approval": TEXT}
COVER_REQUIRED = ()  # required where the profile's cover prints them: rule cover-approvals
OVERVIEW_SHAPE = {
    "duties": TEXTS, "organization": MARKDOWN, "units": TEXTS, "unit_notes": MapOf(TEXT),
    "staff": {"establishment": MapOf(COUNT), "actual": MapOf(COUNT), "actual_notes": MapOf(TEXT),
              "retired": COUNT, "establishment_total": COUNT, "actual_total": COUNT},
}
OVERVIEW_REQUIRED = ("duties",)  # filled in where the form prints them: rule overview-empty
FUNCTIONAL_CODE_LENGTHS = (3, 5, 7)  # 类, 款, 项
ECONOMIC_CODE_LENGTHS = (3, 5)  # 类, 款
ECONOMIC_TOTALS = ("personnel", "public")  # 公开06表 人员经费合计, 公用经费合计
THREE_PUBLIC_SHAPE = {"budget": THREE_PUBLIC_ROW, "actual": THREE_PUBLIC_ROW}
# narrative.general_budget.items.<code>: a 项 (7 digits), or a 类 (3) or 款 (5) whose 年初预算 covers the 项 under it
ITEM_NOTE_SHAPE = {"budget": AMOUNT, "purpose": TEXT, "reason": TEXT, **OWN}
ITEM_NOTE_REQUIRED = ()  # an empty budget is a check finding (budget-items), so the file still loads
GLOSSARY_KEYS = ("mode", "terms")
GLOSSARY_MODES = ("extend", "replace")
TERM_SHAPE = {"term": TEXT, "text": TEXT}
TERM_REQUIRED = ("term", "text")
ATTACHMENT_SHAPE = {"title": TEXT, "group": TEXT, "body": MARKDOWN, "scores": None}
ATTACHMENT_REQUIRED = ("title", "body")
TAIL_PREFIXES = ("tables.", "narrative.")  # tail_differences names a field of these parts


def summary_shape(classes) -> dict:
    """公开01表 inputs and stated lines; ``classes`` are the form's 类 codes."""
    return {key: AMOUNT for key in (*SUMMARY_INPUTS, *SUMMARY_STATED, *sorted(classes))}


def fiscal_summary_shape(classes) -> dict:
    """公开04表 inputs and stated lines; ``classes`` are the form's 类 codes."""
    funds = {key: AMOUNT for key in FUNDS}
    return {"income": funds, "opening": funds, "income_total": AMOUNT, "opening_total": AMOUNT,
            "income_grand_total": AMOUNT, "expenditure_total": FUND_COLUMNS, "closing": FUND_COLUMNS,
            "expenditure_grand_total": FUND_COLUMNS, **{code: FUND_COLUMNS for code in sorted(classes)}}


def load_department(path: Path, name: str | None = None) -> Department:
    """Load and validate one department file; raise ContentError listing every problem."""
    source = load_yaml(path, name)
    return read_department(source, path.stem)


def _published(r: Reader, value: object, year: int | None) -> date | None:
    """公开日期: a day written as YYYY-MM-DD, after the end of the 决算年度 (a disclosure follows its year)."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(str(value)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else None
    except ValueError:
        day = None
    if day is None:
        r.problem(("published",), "公开日期应为年-月-日", PUBLISHED_EXPECTED, show(value))
    elif isinstance(year, int) and day.year <= year:
        r.problem(("published",), "公开日期应在决算年度结束之后", f"{year + 1} 年或以后的日期", show(value))
        day = None
    return day


PUBLISHED_EXPECTED = "如 2024-08-30（年-月-日）"


def read_department(source: Source, file_id: str) -> Department:
    top = source.data
    probe = Reader(source)
    if not isinstance(top, dict):  # its content is not quoted: it may be any file, such as one a symlink leads to
        probe.problem((), "文件顶层应为“键: 值”的字段", "部门决算数据（year、department、tables 等字段）", kind_of(top))
        raise ContentError(probe.problems)
    probe.unknown_keys((), top, TOP_KEYS)

    unit = top.get("unit", "万元")
    if not isinstance(unit, str) or unit not in UNITS:
        probe.problem(("unit",), "金额单位只能是万元或元", "万元 或 元", show(unit))
        unit = "万元"
    r = Reader(source, unit)
    r.problems = probe.problems

    year = _year(r, top.get("year"))
    dept_id = _department_id(r, top.get("id"), file_id)
    form = _form(r, top.get("form"), year)
    dept = r.shaped(("department",), top.get("department"), DEPARTMENT_SHAPE, required=DEPARTMENT_REQUIRED)
    scope = dept["scope"] or "汇总"
    if scope not in SCOPES:
        r.problem(("department", "scope"), "决算范围只能是汇总或本级", "汇总 或 本级", show(scope))
    cover = r.shaped(("cover",), top.get("cover"), COVER_SHAPE, required=COVER_REQUIRED)

    overview = _overview(r, top.get("overview"))
    tables = _tables(r, top.get("tables"), year, form)
    narrative = _narrative(r, top.get("narrative"), tables)
    glossary = _glossary(r, top.get("glossary"))
    attachments = _attachments(r, top.get("attachments"))
    evaluations = read_evaluations(r, top.get("evaluations"))
    tails = _tail_differences(r, top.get("tail_differences"))
    profile = r.text(("profile",), top.get("profile")) or None
    published = _published(r, top.get("published"), year)
    if r.problems:
        raise ContentError(r.problems)
    return Department(
        id=dept_id, year=year, form=form, unit=unit, name=dept["name"], scope=scope,
        secrecy_review=cover["secrecy_review"] or "", head_approval=cover["head_approval"] or "",
        overview=overview, tables=tables, narrative=narrative, glossary=glossary, attachments=attachments,
        tail_differences=tails, source=source, evaluations=evaluations, profile_name=profile, published=published,
    )


def _tail_differences(r: Reader, value: object) -> dict[str, Decimal]:
    """尾差登记: "field: difference" (stated minus computed), field as `juesuan check` names it."""
    path = ("tail_differences",)
    registered = {}
    for name, amount in r.mapping(path, value).items():
        if not str(name).startswith(TAIL_PREFIXES):
            r.problem(path + (name,), "尾差登记的字段名应取自 juesuan check 的提示", "如 tables.basic_detail.301",
                      show(name))
        elif (difference := r.amount(path + (name,), amount)) is not None:
            registered[str(name)] = difference
    return registered


def _year(r: Reader, value: object) -> int:
    if value is None:
        r.problem(("year",), "缺少必填字段", "决算年度，如 2023", "无")
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not YEARS[0] <= value <= YEARS[1]:
        r.problem(("year",), "决算年度应为四位年份", "如 2023", show(value))
        return 0
    return value


def _department_id(r: Reader, value: object, file_id: str) -> str:
    if value is not None and str(value) != file_id:
        r.problem(("id",), "部门标识与文件名不一致（网址由文件名决定，发布后不应改变）", file_id, show(value))
    if not ID_PATTERN.match(file_id):
        r.problem((), "文件名不能用作部门标识（网址的一部分）", "小写字母、数字和连字符，如 xianyang-rsj.yaml", show(file_id))
    return file_id


def _form(r: Reader, value: object, year: int) -> int:
    forms = available_forms()
    if value is None:
        return form_of(year)
    if value not in forms:
        r.problem(("form",), "没有此年度的表样", "、".join(map(str, forms)), show(value))
        return forms[-1]
    return value


def _overview(r: Reader, value: object) -> Overview:
    data = r.shaped(("overview",), value, OVERVIEW_SHAPE, required=OVERVIEW_REQUIRED)
    staff = data["staff"]
    for label in staff["actual_notes"]:
        if label not in staff["actual"]:
            r.problem(("overview", "staff", "actual_notes", label), "说明的人员类别不在实有人员中",
                      "、".join(staff["actual"]) or "先填写 actual", label)
    for name in data["unit_notes"]:
        if name not in data["units"]:
            r.problem(("overview", "unit_notes", name), "备注的单位不在决算单位构成（units）中",
                      "、".join(data["units"]) or "先填写 units", name)
    return Overview(data["duties"], data["organization"], data["units"],
                    Staff(staff["establishment"], staff["actual"], staff["actual_notes"], staff["retired"],
                          staff["establishment_total"], staff["actual_total"]), data["unit_notes"])


# -- tables -------------------------------------------------------------------

def _tables(r: Reader, value: object, year: int, form: int) -> Tables:
    path = ("tables",)
    data = r.mapping(path, value)
    r.unknown_keys(path, data, TABLE_KEYS)
    classes = load_form(form).class_codes()
    functional = catalogue("functional", year)
    coded = {key: _coded_rows(r, path + (key,), data.get(key), spec, functional, classes)
             for key, spec in CODED_TABLES.items()}
    return Tables(
        **coded,
        basic_detail=_economic_rows(r, path + ("basic_detail",), data.get("basic_detail"), year, form),
        three_public=flatten(r.shaped(path + ("three_public",), data.get("three_public"), THREE_PUBLIC_SHAPE)),
        summary=_summary(r, path + ("summary",), data.get("summary"), classes),
        fiscal_summary=_fiscal_summary(r, path + ("fiscal_summary",), data.get("fiscal_summary"), classes),
        info=flatten(r.shaped(path + ("info",), data.get("info"), INFO_SHAPE)),
    )


def _coded_rows(r: Reader, path: tuple, value: object, spec: tuple, names: dict, classes: set) -> dict[str, Row]:
    label, entered, stated = spec
    rows: dict[str, Row] = {}
    for key, row_value in r.mapping(path, value, "按科目代码列出的行").items():
        row_path = path + (key,)
        code = "合计" if key in TOTAL_KEYS else str(key)
        if code != "合计" and not _valid_functional(r, row_path, code, label, classes):
            continue
        if code in rows:
            r.problem(row_path, f"{label}中 {code} 行重复", "每个科目只写一行", key)
            continue
        fields = r.mapping(row_path, row_value, "一行的各栏金额")
        allowed = (*entered, *stated, "name")
        r.unknown_keys(row_path, fields, allowed)
        name = r.text(row_path + ("name",), fields.get("name")) or None
        if code != "合计" and name is None and code not in names:
            r.problem(row_path, f"{label}中的科目代码 {code} 不在科目编目中",
                      "编目中的功能分类科目代码，或在该行用 name 写明科目名称", code)
        amounts = {col: r.amount(row_path + (col,), fields.get(col)) for col in (*entered, *stated)}
        rows[code] = Row(code, name, {k: v for k, v in amounts.items() if v is not None}, row_path)
    _check_parent_names(r, path, rows, names, label)
    return rows


def _check_parent_names(r: Reader, path: tuple, rows: dict[str, Row], names: dict, label: str) -> None:
    """A 项 whose 类 or 款 the catalogue lacks needs that row stated with its name."""
    named = {code for code, row in rows.items() if row.name} | set(names)
    for code, row in rows.items():
        for parent in parent_codes(code) if code != "合计" else ():
            if parent not in named:
                r.problem(row.path, f"{label}中科目 {code} 的上级科目 {parent} 不在科目编目中",
                          f"增加一行 {parent}，用 name 写明科目名称", parent)
                named.add(parent)


def _valid_functional(r: Reader, path: tuple, code: str, label: str, classes: set) -> bool:
    if not code.isdigit() or len(code) not in FUNCTIONAL_CODE_LENGTHS:
        r.problem(path, f"{label}的科目代码格式不对", "3 位（类）、5 位（款）或 7 位（项）数字，或“合计”", show(code))
        return False
    if code[:3] not in classes:
        r.problem(path, f"科目代码 {code} 所属的类 {code[:3]} 不是支出功能分类的类", "201–234 中公开01表列出的类",
                  code[:3])
        return False
    return True


def _economic_rows(r: Reader, path: tuple, value: object, year: int, form: int) -> dict[str, Row]:
    names = catalogue("economic", year)
    rows: dict[str, Row] = {}
    for key, amount in r.mapping(path, value, "按经济分类科目代码列出的金额").items():
        code = str(key)
        row_path = path + (key,)
        if code in ECONOMIC_TOTALS:
            pass
        elif not code.isdigit() or len(code) not in ECONOMIC_CODE_LENGTHS:
            r.problem(row_path, "公开06表的经济分类科目代码格式不对", "3 位（类）或 5 位（款）数字，或 personnel / public",
                      show(code))
            continue
        elif code not in names:
            r.problem(row_path, f"经济分类科目代码 {code} 不在 {year} 年度经济分类科目编目中",
                      "经济分类科目编目中的代码", code)
            continue
        parsed = r.amount(row_path, amount)
        rows[code] = Row(code, None, {"amount": parsed} if parsed is not None else {}, row_path)
    return rows


def _summary(r: Reader, path: tuple, value: object, classes: set) -> dict[str, Decimal]:
    return {k: v for k, v in r.shaped(path, value, summary_shape(classes)).items() if v is not None}


def _fiscal_summary(r: Reader, path: tuple, value: object, classes: set) -> dict[str, Decimal]:
    data = r.shaped(path, value, fiscal_summary_shape(classes))
    flat: dict[str, Decimal] = {}
    for fund in FUNDS:
        flat[fund] = data["income"][fund]
        flat[f"opening_{fund}"] = data["opening"][fund]
    for key in ("income_total", "opening_total", "income_grand_total"):
        flat[key] = data[key]
    for key, value_ in data.items():
        if isinstance(value_, dict) and key not in ("income", "opening"):
            flat.update({f"{key}.{col}": v for col, v in value_.items()})
    return {k: v for k, v in flat.items() if v is not None}


# -- narrative, glossary, attachments ----------------------------------------------

def _narrative(r: Reader, value: object, tables: Tables) -> Narrative:
    path = ("narrative",)
    data = r.shaped(path, value, NARRATIVE_SHAPE)
    raw = r.mapping(path, value)
    _not_negative(r, path, data, raw)
    items = _item_notes(r, path + ("general_budget", "items"),
                        r.mapping(path + ("general_budget",), raw.get("general_budget")).get("items"))
    data["general_budget"].pop("items")
    return Narrative(items=items, **data)


def _not_negative(r: Reader, path: tuple, values: dict, raw: dict) -> None:
    """The 情况说明's amounts (上年数, 预算数, 采购额…) have no negative meaning: a minus sign is a typo that would
    print as “增加 …，增长 -206.14%”."""
    for key, value in values.items():
        written = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(value, dict):
            _not_negative(r, path + (key,), value, written)
        elif isinstance(value, Decimal) and value < 0:
            r.problem(path + (key,), "不能为负数（上年数、预算数等说明用的金额没有负值）", "不小于 0 的金额", show(written))


def _item_notes(r: Reader, path: tuple, value: object) -> dict[str, ItemNote]:
    notes: dict[str, ItemNote] = {}
    for key, item in r.mapping(path, value, "按项级科目代码列出的年初预算").items():
        fields = r.shaped(path + (key,), item, ITEM_NOTE_SHAPE, required=ITEM_NOTE_REQUIRED)
        _not_negative(r, path + (key,), fields, item)
        notes[str(key)] = ItemNote(fields["budget"], fields["reason"], fields["purpose"] or "", fields["text"] or "")
    return notes


def _glossary(r: Reader, value: object) -> list[Term]:
    path = ("glossary",)
    data = r.mapping(path, value)
    r.unknown_keys(path, data, GLOSSARY_KEYS)
    mode = data.get("mode", "extend")
    if mode not in GLOSSARY_MODES:
        r.problem(path + ("mode",), "名词解释的方式只能是 extend（在默认名词后追加）或 replace（替换默认名词）",
                  "extend 或 replace", show(mode))
    terms = []
    for i, item in enumerate(listed(r, path + ("terms",), data.get("terms"), "名词的列表，每项 {term: …, text: …}")):
        fields = r.shaped(path + ("terms", i), item, TERM_SHAPE, required=TERM_REQUIRED)
        terms.append(Term(fields["term"], fields["text"]))
    if mode == "replace":
        return terms
    return [*default_glossary(), *terms]


def _attachments(r: Reader, value: object) -> list[Attachment]:
    path = ("attachments",)
    if value is None:
        return []
    if not isinstance(value, list):
        r.problem(path, "附件应为列表", "每个附件一项（title、body）", show(value))
        return []
    result = []
    for i, item in enumerate(value):
        fields = r.shaped(path + (i,), item, ATTACHMENT_SHAPE, required=ATTACHMENT_REQUIRED)
        raw = item.get("scores") if isinstance(item, dict) else None
        scores = read_scores(r, path + (i, "scores"), raw) if raw is not None else None
        result.append(Attachment(fields["title"], fields["group"], fields["body"], scores))
    return result
