"""`juesuan new`: a commented department file to fill in, optionally carried over from last year.

The file is written from the reader's shapes (``generator.content.department``) with the field
explanations of ``generator.fielddocs`` as comments, so every field appears. With
``--from-previous`` the 上年 fields hold last year's figures, computed by the project's
own ``compute`` exactly as the previous-year check reads them.
"""

from __future__ import annotations

import json

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.authoring.fielddocs import COLUMNS, TABLE_TITLES, field_doc
from generator.authoring.jsonschema import SCHEMA_NAME, write_schema
from generator.authoring.yamlwriter import amount, key, scalar, text_value
from generator.compute.figures import Computed
from generator.compute.narrative import previous_figures
from generator.content.department import (
    CODED_TABLES,
    COVER_SHAPE,
    ID_PATTERN,
    NARRATIVE_SHAPE,
    OVERVIEW_SHAPE,
    SUMMARY_INPUTS,
    YEARS,
)
from generator.errors import display_path
from generator.forms.document import OVERVIEW_FIELDS, printed_overview_fields
from generator.forms.layouts import form_of, load_form
from generator.forms.profiles import Profile
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS
from generator.pipeline.checking import load_computed
from generator.pipeline.staging import write_file
from generator.source.shapes import AMOUNT, COUNT, TEXT, TEXTS, MapOf

SCHEMA_LINE = f"# yaml-language-server: $schema=../{SCHEMA_NAME}"
PENDING_COVER = {"secrecy_review": "待审查", "head_approval": "待审签"}
# Optional stated totals: written as comments unless the file has them.
COMMENTED = {("overview", "staff", "establishment_total"), ("overview", "staff", "actual_total"),
             ("narrative", "general_budget", "budget")}
W = Decimal  # example amounts, in 万元

EXAMPLES = {
    ("overview", "duties"): ["- 贯彻执行国家和省、市有关方针政策和法律法规……（每项一段）"],
    ("overview", "units"): ["- ××局（本级）", "- ××中心"],
    ("overview", "staff", "establishment"): ["行政编制: 47", "参公编制: 104", "事业编制: 30"],
    ("overview", "staff", "actual"): ["行政: 49", "参公: 95", "事业: 29"],
    ("overview", "staff", "actual_notes"): ["行政: 含工勤 4 名"],
    ("narrative", "assets", "vehicles"): ["机要通信用车: 1", "其他用车: 1"],
}


class NewFileError(Exception):
    """A refused ``juesuan new``: the Chinese message and the exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class FormFields:
    """What the department's form prints, so the new file offers those fields and no others."""

    profile: str | None = None  # written as the file's ``profile:``; None: the site's default (not written)
    approvals: bool = True  # the cover's 保密审查 / 审签 lines
    overview: frozenset[str] = frozenset(OVERVIEW_FIELDS)  # the 概况 fields printed
    sections: frozenset[str] = frozenset(NARRATIVE_SHAPE)  # the 情况说明 sections printed (narrative keys)
    three_public: tuple[str, ...] = tuple(THREE_PUBLIC_ITEMS)  # the 三公 items the form's table prints
    info: bool = False  # the form prints 公开10表

    @classmethod
    def of(cls, profile: Profile, year: int, name: str | None) -> "FormFields":
        form = load_form(form_of(year), profile)
        keys = set(profile.section_keys)
        return cls(name, profile.cover.approvals, printed_overview_fields(profile.parts, profile.overview),
                   frozenset(key for key in NARRATIVE_SHAPE if key in keys), form.three_public_items(),
                   "t10" in form.tables)


@dataclass
class Created:
    path: Path
    schema: Path
    previous: Path | None = None


@dataclass
class Draft:
    """What the new file says; amounts in 万元, written in ``unit``."""

    dept_id: str
    year: int
    name: str
    scope: str | None = None
    unit: str = "万元"
    overview: dict = field(default_factory=dict)  # as the file states it
    narrative: dict = field(default_factory=dict)  # values by the NARRATIVE_SHAPE
    items: dict[str, str] = field(default_factory=dict)  # 年初预算 codes kept (budget to refill) → name
    item_notes: dict[str, dict] = field(default_factory=dict)  # 年初预算 as read (a PDF): code → {budget, purpose, reason}
    glossary: dict = field(default_factory=dict)  # as the file states it
    attachments: list[dict] = field(default_factory=list)  # as the file states them (a PDF's, read back)
    previous: str | None = None  # last year's file, as messages name it
    previous_attachments: list[str] = field(default_factory=list)


def new_department(content: Path, dept_id: str, year: int, name: str | None = None, *,
                   from_previous: bool = False, force: bool = False, fields: FormFields = FormFields()) -> Created:
    """Write content/<year>/<id>.yaml (and refresh the schema beside the content); raise NewFileError.
    ``fields``: what the department's form prints (FormFields.of its profile)."""
    if not ID_PATTERN.match(dept_id):
        raise NewFileError(f"部门标识 {dept_id} 不能用作文件名和网址：只能用小写字母、数字和连字符（首字符为字母或数字），"
                           "如 xianyang-rsj。")
    if not YEARS[0] <= year <= YEARS[1]:
        raise NewFileError(f"决算年度 {year} 不对：应为 {YEARS[0]}—{YEARS[1]} 之间的四位年份。")
    name = (name or "").strip()
    path = content / str(year) / f"{dept_id}.yaml"
    if path.exists() and not force:
        raise NewFileError(f"{display_path(path)} 已存在，未作改动；如确要覆盖，加 --force。", 1)
    previous = None
    if from_previous:
        previous = content / str(year - 1) / f"{dept_id}.yaml"
        if not previous.exists():
            raise NewFileError(f"找不到上年文件 {display_path(previous)}，不能使用 --from-previous；"
                               "去掉该选项可新建空白文件。")
        draft = carried_over(load_computed(previous), year)
        draft.name = name or draft.name
    elif not name:
        raise NewFileError("缺少部门名称：用 --name 指定，如 --name 咸阳市统计局。")
    else:
        draft = Draft(dept_id, year, name)
    text = render(draft, display_path(path), fields)
    schema = write_schema(content / SCHEMA_NAME)
    write_file(path, text.encode("utf-8"))
    return Created(path, schema, previous)


def carried_over(last: Computed, year: int) -> Draft:
    """This year's draft from last year's disclosure: what stays, and last year's figures as 上年数."""
    d = last.department
    raw = d.source.data
    narrative: dict = {}
    for path, _label, value in previous_figures(last):
        _put(narrative, path, value)
    _put(narrative, ("gov_fund", "previous"), last["t07"].total.value("total"))
    _put(narrative, ("soe_capital", "previous"), last["t08"].total.value("total"))
    t05 = last["t05"]
    items = {code: (t05.row(code).name if t05.row(code) else "") for code in d.narrative.items}
    return Draft(d.id, year, d.name, (raw.get("department") or {}).get("scope"), d.unit,
                 overview=raw.get("overview") or {}, narrative=narrative, items=items,
                 glossary=raw.get("glossary") or {}, previous=d.source.name,
                 previous_attachments=[a.title for a in d.attachments])


def _put(tree: dict, path: tuple, value: object) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


# -- the text -----------------------------------------------------------------

class _Text:
    """Lines of YAML with a comment after each field."""

    def __init__(self, unit: str):
        self.unit = unit
        self.lines: list[str] = []

    def line(self, indent: int, text: str, comment: str = "") -> None:
        self.lines.append(" " * indent + text + (f"  # {comment}" if comment else ""))

    def note(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + "# " + text)

    def doc(self, path: tuple, kind=None) -> str:
        title, text = field_doc(path) or (path[-1], "")
        unit = f"（{self.unit}）" if kind == AMOUNT else ""
        return f"{title}：{text}{unit}" if text else f"{title}{unit}"

    def field(self, indent: int, name: str, kind, value, path: tuple) -> None:
        """One scalar field; amounts are in 万元 and written in the file's unit."""
        if value is None or value == "":
            first, rest = "", []
        elif kind == AMOUNT:
            first, rest = amount(Decimal(value), self.unit), []
        elif kind == COUNT:
            first, rest = str(value), []
        else:
            first, *rest = text_value(value, indent + 2)
        self.line(indent, f"{name}: {first}".rstrip(), self.doc(path, kind))
        self.lines.extend(rest)


def render(draft: Draft, shown: str, fields: FormFields = FormFields()) -> str:
    """The whole department file as commented YAML, with the fields its form prints."""
    out = _Text(draft.unit)
    _header(out, draft, shown)
    out.field(0, "year", COUNT, draft.year, ("year",))
    out.field(0, "unit", TEXT, draft.unit, ("unit",))
    out.field(0, "form", COUNT, None, ("form",))
    if fields.profile:
        out.field(0, "profile", TEXT, fields.profile, ("profile",))
    else:
        out.note(0, f"profile: shanxi  # {out.doc(('profile',))}")
    out.note(0, f"id: {draft.dept_id}  # {out.doc(('id',))}")
    out.note(0, f"published: {draft.year + 1}-08-30  # {out.doc(('published',))}")
    out.line(0, "department:", out.doc(("department",)))
    out.field(2, "name", TEXT, draft.name, ("department", "name"))
    out.field(2, "scope", TEXT, draft.scope or "汇总", ("department", "scope"))
    if fields.approvals:
        out.line(0, "cover:", out.doc(("cover",)) + "；审查、审签后改为 已审查、已审签")
        for name in COVER_SHAPE:
            out.field(2, name, TEXT, PENDING_COVER[name], ("cover", name))
    out.lines.append("")
    out.line(0, "overview:", out.doc(("overview",)))
    _walk(out, {k: v for k, v in OVERVIEW_SHAPE.items() if k in fields.overview}, draft.overview, ("overview",), 2)
    out.lines.append("")
    _tables(out, fields)
    out.lines.append("")
    out.line(0, "narrative:", out.doc(("narrative",)))
    narrative = {k: v for k, v in NARRATIVE_SHAPE.items() if k in fields.sections}
    if "three_public" in narrative:
        narrative["three_public"] = {k: v for k, v in narrative["three_public"].items()
                                     if k not in THREE_PUBLIC_ITEMS or k in fields.three_public}
        narrative["three_public"]["previous"] = {k: v for k, v in narrative["three_public"]["previous"].items()
                                                 if k not in THREE_PUBLIC_ITEMS or k in fields.three_public}
    _walk(out, narrative, draft.narrative, ("narrative",), 2, draft)
    out.lines.append("")
    _glossary(out, draft.glossary)
    out.lines.append("")
    _attachments(out, draft)
    out.lines.append("")
    out.line(0, "tail_differences:", out.doc(("tail_differences",)))
    out.note(2, "tables.basic_detail.301: -0.01")
    return "\n".join(out.lines) + "\n"


def _header(out: _Text, draft: Draft, shown: str) -> None:
    out.lines.append(SCHEMA_LINE)
    for text in (
        f"{draft.name.splitlines()[0]} {draft.year} 年度部门决算（{draft.scope or '汇总'}）",
        "本文件是部门决算公开的数据文件（一个部门一年一个文件），由 juesuan new 生成；字段说明见 docs/clerks/data-file.md（部门数据文件怎么写）和 docs/reference/fields.md。",
        "每个字段后的注释写明它是什么、单位和在决算报表中的出处；用 VS Code 并安装 YAML 扩展时，",
        "第一行指定的 department.schema.json 提供悬停说明、自动补全和即时检查。",
        f"金额单位：{draft.unit}，保留两位小数。只填项级（7 位）科目，类、款、合计以及公开01表、公开04表由工具计算。",
        "空着的字段表示没有（按零计）；以“# ”开头的示例行，去掉“# ”并改成本部门的内容即生效。",
        f"审核：juesuan check {shown}",
        "预览：juesuan serve（在浏览器中预览，保存后自动刷新）",
        f"草稿 PDF：juesuan pdf {shown} --draft",
    ):
        out.note(0, text)
    if draft.previous:
        out.note(0, f"本文件由上年文件 {draft.previous} 生成：保留了部门信息、部门概况和名词解释（请核对更新）；")
        out.note(0, "情况说明中的上年数（previous、previous_total）取自上年决算，juesuan check 的 previous-year 规则核对；")
        out.note(0, "本年的决算表、情况说明中本年的数和原因、附件、尾差登记已清空；封面改为待审查、待审签；")
        out.note(0, "年初预算（narrative.general_budget.items）保留了上年的科目，预算数和原因留空待填写，科目应与本年公开05表一致。")


def _walk(out: _Text, shape: dict, values: dict | None, path: tuple, indent: int, draft: Draft | None = None) -> None:
    """Every field of ``shape``, in its order, with ``values`` where the draft has them."""
    values = values or {}
    for name, kind in shape.items():
        here = path + (name,)
        value = values.get(name)
        if here == ("narrative", "general_budget", "items"):
            _items(out, draft, indent)
        elif isinstance(kind, dict):
            out.line(indent, f"{name}:", out.doc(here))
            _walk(out, kind, value, here, indent + 2, draft)
        elif value is None and here in COMMENTED:
            out.note(indent, f"{name}:  # {out.doc(here, kind)}")
        elif isinstance(kind, MapOf) or kind == TEXTS:
            _collection(out, name, kind, value, here, indent)
        else:
            out.field(indent, name, kind, value, here)


def _collection(out: _Text, name: str, kind, value, path: tuple, indent: int) -> None:
    """A list of texts or a mapping of categories; empty ones show a commented example."""
    if not value:
        out.line(indent, f"{name}: []" if kind == TEXTS else f"{name}:", out.doc(path))
        for example in EXAMPLES.get(path, []):
            out.note(indent + 2, example)
        return
    out.line(indent, f"{name}:", out.doc(path))
    if kind == TEXTS:
        for item in value:
            first, *rest = text_value(item, indent + 4)
            out.line(indent + 2, f"- {first}")
            out.lines.extend(rest)
    else:
        for label, item in value.items():
            first, *rest = text_value(item, indent + 4) if isinstance(item, str) else [str(item)]
            out.line(indent + 2, f"{key(label)}: {first}")
            out.lines.extend(rest)


def _items(out: _Text, draft: Draft | None, indent: int) -> None:
    path = ("narrative", "general_budget", "items")
    out.line(indent, "items:", out.doc(path))
    notes = draft.item_notes if draft else {}
    for code, note in notes.items():  # as a published document states them
        out.line(indent + 2, f"{code}:", (draft.items or {}).get(code, ""))
        for name in ("budget", "purpose", "reason"):
            if note.get(name) not in (None, ""):
                out.field(indent + 4, name, AMOUNT if name == "budget" else TEXT, note[name], path + ("*", name))
    if notes:
        return
    codes = draft.items if draft else {}
    if codes:  # left empty on purpose: check rule budget-items lists every one still to fill in
        out.note(indent + 2, "上年的科目，年初预算数待填写（juesuan check 逐项提示）；按本年公开05表增删科目")
    for code, name in codes.items():
        out.line(indent + 2, f"{code}: {{budget: , reason: }}" + (f"  # {name}" if name else ""))
    if not codes:
        out.note(indent + 2, f"2080101: {{budget: {amount(W('1387.08'), out.unit)}, reason: 人员经费年初部门预算编制略大}}"
                             "  # 行政运行")


TABLE_EXAMPLES = {
    "income": ["2080101: {fiscal: %s}  # 行政运行", "2080199: {fiscal: %s, other: %s}  # 其他人力资源和社会保障管理事务支出"],
    "expenditure": ["2080101: {basic: %s, project: %s}  # 行政运行",
                    "2089999: {name: 其他社会保障和就业支出, basic: %s}  # 编目中没有的科目用 name 写明名称"],
    "general_budget": ["2080101: {basic: %s, project: %s}  # 行政运行"],
    "gov_fund": ["2120899: {opening: %s, income: %s, project: %s}  # 其他国有土地使用权出让收入安排的支出"],
    "soe_capital": ["22301: {name: 解决历史遗留问题及改革成本支出}  # 编目中没有的款、项用 name 写明名称",
                    "2230199: {name: 其他解决历史遗留问题及改革成本支出, project: %s}"],
}
EXAMPLE_AMOUNTS = ("1264.66", "62.56", "16.00")


def _tables(out: _Text, fields: FormFields) -> None:
    out.line(0, "tables:", out.doc(("tables",)))
    for name, (label, entered, _stated) in CODED_TABLES.items():
        columns = "、".join(f"{c} {COLUMNS[name][c]}" for c in entered)
        out.line(2, f"{name}:", f"{TABLE_TITLES[name]}。各栏：{columns}（{out.unit}）")
        for example in TABLE_EXAMPLES[name]:
            figures = tuple(amount(W(a), out.unit) for a in EXAMPLE_AMOUNTS[:example.count("%s")])
            out.note(4, example % figures)
    out.line(2, "basic_detail:", out.doc(("tables", "basic_detail")) + f"（{out.unit}）")
    out.note(4, f"30101: {amount(W('744.79'), out.unit)}  # 基本工资")
    out.line(2, "three_public:", out.doc(("tables", "three_public")))
    for row in ("budget", "actual"):
        out.line(4, f"{row}:", out.doc(("tables", "three_public", row)))
        for item in fields.three_public:
            out.field(6, item, AMOUNT, None, ("tables", "three_public", row, item))
    out.line(2, "summary:", out.doc(("tables", "summary")))
    for name in SUMMARY_INPUTS:
        out.field(4, name, AMOUNT, None, ("tables", "summary", name))
    out.line(2, "fiscal_summary:", out.doc(("tables", "fiscal_summary")))
    for part in ("income", "opening"):
        out.line(4, f"{part}:", out.doc(("tables", "fiscal_summary", part)))
        for fund in ("general", "soe"):
            out.field(6, fund, AMOUNT, None, ("tables", "fiscal_summary", part, fund))
    if fields.info:  # the form prints 公开10表: its own figures, offered uncommented
        out.line(2, "info:", out.doc(("tables", "info")))
        out.line(4, "procurement: {}", "一、政府采购情况：可不填，取情况说明的政府采购；照报表填写时写 goods、works、services")
        out.line(4, "operating_costs: {}", "二、机关运行经费：administrative 行政单位、civil_service 参公事业单位")
        out.line(4, "vehicles: {}", "三、车辆数：可不填，取情况说明的车辆；照报表填写时按车辆类别写，如 执法执勤用车: 2")
    else:
        out.note(2, f"info:  # {out.doc(('tables', 'info'))}")
        out.note(4, "procurement: {goods: 0, works: 0, services: 0}  # 一、政府采购情况（同情况说明十一，可不填）")
        out.note(4, "operating_costs: {administrative: 0, civil_service: 0}  # 二、机关运行经费：行政单位、参公事业单位")
        out.note(4, "vehicles: {执法执勤用车: 0}  # 三、车辆数（同情况说明十二，可不填）")
    out.note(2, "表中可推算的数（合计、类、款行，total 栏，三公经费合计和公务用车小计，公开01、04表其余各行）由工具计算；")
    out.note(2, "照报表填写时工具按所填数列示并核对，字段名见编辑器提示或 department.schema.json。")


def _glossary(out: _Text, glossary: dict) -> None:
    out.line(0, "glossary:", out.doc(("glossary",)))
    out.field(2, "mode", TEXT, glossary.get("mode") or "extend", ("glossary", "mode"))
    terms = glossary.get("terms") or []
    out.line(2, "terms:", out.doc(("glossary", "terms")))
    for term in terms:
        out.line(4, f"- term: {scalar(term.get('term'))}")
        first, *rest = text_value(term.get("text") or "", 8)
        out.line(6, f"text: {first}")
        out.lines.extend(rest)
    if not terms:
        out.note(4, "- term: 机关运行经费")
        out.note(4, "  text: 指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金……")


def _attachments(out: _Text, draft: Draft) -> None:
    out.line(0, "attachments:", out.doc(("attachments",)))
    for attachment in draft.attachments:
        _attachment(out, attachment)
    if draft.attachments:
        return
    if draft.previous_attachments:
        titles = "、".join(f"《{title}》" for title in draft.previous_attachments)
        out.note(2, f"上年的附件 {titles} 已清空，请填写本年的附件。")
    for example in ("- group: 部门重点评价项目绩效评价结果", "  title: ××项目绩效评价报告", "  body: |",
                    "    #### 一、基本情况", "    ……（Markdown，支持表格；不允许直接写 HTML）"):
        out.note(2, example)


def _attachment(out: _Text, attachment: dict) -> None:
    """One report of the 附件: its group, title, 指标评分表 and body, as a department file writes them."""
    lead = "- "
    for name in ("group", "title"):
        if attachment.get(name):
            out.line(2, f"{lead}{name}: {scalar(attachment[name])}")
            lead = "  "
    if scores := attachment.get("scores"):
        out.line(4, "scores:")
        out.line(6, f"title: {scalar(scores.get('title') or '')}")
        out.line(6, "rows:")
        for row in scores["rows"]:
            fields = ", ".join(f"{k}: {_flow(row[k])}" for k in ("name", "weight", "score", "rate") if k in row)
            out.line(8, f"- {{{fields}}}")
        if total := scores.get("total"):
            out.line(6, "total: {" + ", ".join(f"{k}: {_flow(v)}" for k, v in total.items()) + "}")
        if scores.get("grade"):
            out.line(6, f"grade: {scalar(scores['grade'])}")
    first, *rest = text_value(attachment.get("body") or "", 6)
    out.line(4, f"body: {first}")
    out.lines.extend(rest)


def _flow(value: object) -> str:
    """A value inside a flow mapping ({name: …}): a number as it is, a text quoted where a comma or bracket would
    end it."""
    if isinstance(value, (int, Decimal)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False) if any(c in str(value) for c in ",[]{}") else scalar(value)
