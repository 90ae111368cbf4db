"""The JSON Schema of the department file, built from the shapes the reader uses.

Editors (VS Code with the YAML extension) use it for completion, hover help and
checking while typing; ``juesuan check`` stays the authority. Only keywords that mean
the same in draft-07 and 2020-12 are used (no ``$ref``), since editors validate with
draft-07 rules. Optional fields may be empty (null), as the reader treats them as absent.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.authoring.fielddocs import DERIVED, field_doc, unit_note
from generator.content import department as s
from generator.content import evaluations as e
from generator.forms.catalogue import catalogue
from generator.forms.layouts import available_forms, load_form
from generator.money import UNITS
from generator.pipeline.staging import write_file
from generator.resources import DATA
from generator.source.shapes import (
    AMOUNT,
    COUNT,
    FLAG,
    MARKDOWN,
    NUMBER,
    TEXT,
    TEXTS,
    MapOf,
)

SCHEMA_NAME = "department.schema.json"
SHIPPED = DATA / SCHEMA_NAME
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# parse_amount's accepted text, e.g. "7,987.94"; surrounding spaces are stripped.
AMOUNT_TEXT = r"^\s*[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$"
KINDS = {
    AMOUNT: {"anyOf": [{"type": "number"}, {"type": "string", "pattern": AMOUNT_TEXT}]},
    NUMBER: {"anyOf": [{"type": "number"}, {"type": "string", "pattern": AMOUNT_TEXT}]},
    COUNT: {"type": "integer", "minimum": 0},
    TEXT: {"type": "string"},
    MARKDOWN: {"type": "string"},
    TEXTS: {"type": "array", "items": {"type": "string"}},
    FLAG: {"type": "boolean"},
}


def department_schema() -> dict:
    """The whole file: every part from its shape in ``generator.content.department``."""
    forms = available_forms()
    classes = {code: label for form in forms for code, label in load_form(form).classes}
    properties = {
        "year": _doc({"type": "integer", "minimum": s.YEARS[0], "maximum": s.YEARS[1]}, ("year",)),
        "id": _doc(_nullable({"type": "string", "pattern": s.ID_PATTERN.pattern}), ("id",)),
        "form": _doc({"enum": [*forms, None]}, ("form",)),
        "profile": _doc(_nullable({"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$"}), ("profile",)),
        "published": _doc(_nullable({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}), ("published",)),
        "unit": _doc({"enum": list(UNITS)}, ("unit",)),
        "department": _shape(s.DEPARTMENT_SHAPE, ("department",), s.DEPARTMENT_REQUIRED, optional=False,
                             override={"scope": {"enum": [*s.SCOPES, None]}}),
        "cover": _shape(s.COVER_SHAPE, ("cover",), s.COVER_REQUIRED),
        "overview": _shape(s.OVERVIEW_SHAPE, ("overview",), s.OVERVIEW_REQUIRED, optional=False),
        "tables": _tables(classes),
        "narrative": _shape(s.NARRATIVE_SHAPE, ("narrative",), override={"general_budget": _general_budget()}),
        "glossary": _glossary(),
        "attachments": _doc(_nullable({"type": "array", "items": _shape(
            s.ATTACHMENT_SHAPE, ("attachments", "*"), s.ATTACHMENT_REQUIRED, optional=False,
            override={"scores": scores_schema()})}), ("attachments",)),
        "evaluations": _doc(_nullable(evaluations_schema()), ("evaluations",)),
        "tail_differences": _doc(_nullable({
            "type": "object",
            "propertyNames": {"pattern": "^(" + "|".join(p.replace(".", r"\.") for p in s.TAIL_PREFIXES) + ")"},
            "additionalProperties": _kind(AMOUNT, ("tail_differences", "*"), optional=True),
        }), ("tail_differences",)),
    }
    assert list(properties) == list(s.TOP_KEYS), "every top-level key of the reader, in its order"
    return {
        "$schema": DRAFT,
        "title": "部门决算公开数据文件",
        "description": "一个部门一年的决算公开内容（content/<年度>/<部门标识>.yaml），字段说明见 docs/reference/fields.md；"
                       "审核以 juesuan check 为准。",
        "type": "object",
        "properties": properties,
        "required": ["year", "department", "overview", "tables"],
        "additionalProperties": False,
    }


def schema_text() -> str:
    return json.dumps(department_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path) -> Path:
    """Write the schema to ``path`` (a file, or a directory to hold department.schema.json)."""
    if path.is_dir():
        path = path / SCHEMA_NAME
    write_file(path, schema_text().encode("utf-8"))
    return path


# -- building blocks ----------------------------------------------------------

def _doc(node: dict, path: tuple, kind=None, title: str | None = None) -> dict:
    """Add the field's Chinese title and explanation (with the unit for amounts) to a schema node."""
    doc = field_doc(path)
    texts = [doc[1]] if doc and doc[1] else []
    if note := unit_note(kind):
        texts.append(note)
    heading = title or (doc[0] if doc else None)
    described = {}
    if heading:
        described["title"] = heading
    if texts:
        described["description"] = (heading + "：" if heading else "") + "；".join(texts)
    return {**described, **node}


def _nullable(node: dict) -> dict:
    """The same node also accepting null (an empty value in YAML), which the reader treats as absent."""
    if "anyOf" in node:
        return {**node, "anyOf": [*node["anyOf"], {"type": "null"}]}
    if "enum" in node:
        return node if None in node["enum"] else {**node, "enum": [*node["enum"], None]}
    return {**node, "type": [node["type"], "null"]}


def _kind(kind, path: tuple, optional: bool = True, title: str | None = None) -> dict:
    if isinstance(kind, dict):
        return _shape(kind, path, optional=optional, title=title)
    if isinstance(kind, MapOf):
        node = {"type": "object", "additionalProperties": _kind(kind.kind, path + ("*",), optional=False)}
    else:
        node = dict(KINDS[kind])
    return _doc(_nullable(node) if optional else node, path, kind, title)


def _shape(shape: dict, path: tuple, required: tuple = (), optional: bool = True, override: dict | None = None,
           title: str | None = None, titles: dict | None = None) -> dict:
    """A nested shape: an object of exactly these keys; required keys must be present and not empty."""
    override = override or {}
    properties = {}
    for key, kind in shape.items():
        if key in override:
            properties[key] = override[key] if "title" in override[key] else _doc(override[key], path + (key,))
        else:
            properties[key] = _kind(kind, path + (key,), optional=key not in required,
                                    title=(titles or {}).get(key))
    node = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        node["required"] = list(required)
    return _doc(_nullable(node) if optional else node, path, title=title)


def _tables(classes: dict[str, str]) -> dict:
    path = ("tables",)
    properties = {key: _coded_table(key, spec) for key, spec in s.CODED_TABLES.items()}
    properties["basic_detail"] = _basic_detail()
    properties["three_public"] = _shape(s.THREE_PUBLIC_SHAPE, path + ("three_public",))
    properties["summary"] = _by_class(s.summary_shape(classes), path + ("summary",), classes)
    properties["fiscal_summary"] = _by_class(s.fiscal_summary_shape(classes), path + ("fiscal_summary",), classes)
    properties["info"] = _shape(s.INFO_SHAPE, path + ("info",))
    assert list(properties) == list(s.TABLE_KEYS)
    return _doc({"type": ["object", "null"], "properties": properties, "additionalProperties": False}, path)


def _by_class(shape: dict, path: tuple, classes: dict[str, str]) -> dict:
    """A summary table's shape, whose 类 keys (201…) are documented as one "*" with the class label."""
    titles = {code: f"{code} {label}" for code, label in classes.items()}
    node = _shape({k: v for k, v in shape.items() if k not in classes}, path)
    for code in sorted(classes):
        kind = shape[code]
        if isinstance(kind, dict):
            columns = {col: _kind(k, path + ("*", col)) for col, k in kind.items()}
            sub = {"type": ["object", "null"], "properties": columns, "additionalProperties": False}
            node["properties"][code] = _doc(sub, path + ("*",), title=titles[code])
        else:
            node["properties"][code] = _kind(kind, path + ("*",), title=titles[code])
    return node


def _coded_table(key: str, spec: tuple) -> dict:
    """公开02、03、05、07、08表: rows keyed by 3/5/7-digit codes or 合计/total, each row its columns and name."""
    path = ("tables", key)
    _label, entered, stated = spec
    columns = {col: _kind(AMOUNT, path + ("*", col)) for col in (*entered, *stated)}
    columns["name"] = _kind(TEXT, path + ("*", "name"))
    row = _doc({"type": ["object", "null"], "properties": columns, "additionalProperties": False}, path + ("*",))
    codes = "|".join(rf"\d{{{n}}}" for n in s.FUNCTIONAL_CODE_LENGTHS)
    total_row = {**row, "title": "合计"}
    return _doc({"type": ["object", "null"], "patternProperties": {
        f"^({codes})$": row, "^(" + "|".join(s.TOTAL_KEYS) + ")$": total_row,
    }, "additionalProperties": False}, path)


def _basic_detail() -> dict:
    """公开06表: the economic codes the forms print (with their names), and the two totals."""
    path = ("tables", "basic_detail")
    properties = {}
    for form in available_forms():
        names = catalogue("economic", form)
        for group in load_form(form).tables["t06"].body.groups:
            for code in group:
                if code in names and code not in properties:
                    note = "公开06表 该款决算数" if len(code) == 5 else "公开06表 该类合计；" + DERIVED
                    properties[code] = {"title": f"{code} {names[code]}",
                                        "description": f"{code} {names[code]}：{note}；{unit_note(AMOUNT)}",
                                        **_nullable(dict(KINDS[AMOUNT]))}
    for key in s.ECONOMIC_TOTALS:
        properties[key] = _kind(AMOUNT, path + (key,))
    return _doc({"type": ["object", "null"], "properties": properties, "additionalProperties": False}, path)


def _general_budget() -> dict:
    """情况说明五, whose ``items`` the reader reads apart: 7-digit 项 codes, each a budget and a reason."""
    path = ("narrative", "general_budget")
    item = _shape(s.ITEM_NOTE_SHAPE, path + ("items", "*"), s.ITEM_NOTE_REQUIRED, optional=False)
    items = _doc({"type": ["object", "null"], "patternProperties": {r"^\d{7}$": item},
                  "additionalProperties": False}, path + ("items",))
    shape = s.NARRATIVE_SHAPE["general_budget"]
    return _shape(shape, path, override={"items": items})


def _glossary() -> dict:
    path = ("glossary",)
    terms = _doc(_nullable({"type": "array", "items": _shape(s.TERM_SHAPE, path + ("terms", "*"), s.TERM_REQUIRED,
                                                              optional=False)}), path + ("terms",))
    mode = _doc({"enum": list(s.GLOSSARY_MODES)}, path + ("mode",))
    properties = {"mode": mode, "terms": terms}
    assert tuple(properties) == s.GLOSSARY_KEYS
    return _doc({"type": ["object", "null"], "properties": properties, "additionalProperties": False}, path)


EVALUATION_TITLES = {
    "overall": "部门整体支出绩效自评表", "projects": "项目支出绩效自评表（每个项目一项）",
    "title": "表名（照印）", "period": "年度，如“2023 年度”", "name": "项目名称", "department": "主管部门",
    "unit_name": "部门（单位）名称或实施单位", "funds_layout": "资金部分的版式：rows 按行（年初预算数、全年预算数、全年执行数），tasks 按任务（总额、财政拨款、其他资金）",
    "tasks": "年度主要任务完成情况（tasks 版式）", "tasks_total": "任务的金额合计行", "funds": "资金各行（rows 版式和项目表）",
    "goals": "年度总体目标", "expected": "预期目标（年初设定）", "actual": "实际完成情况或全年执行数（万元）",
    "indicators": "绩效指标（每个三级指标一项，一级、二级指标在各行重复）", "subtotal": "表中另印的指标得分小计行",
    "total": "总分（合计）行：分值、得分", "deviation_total": "合计行的偏差原因", "explanation": "说明行", "notes": "表下的说明文字",
    "label": "行名，如 年度资金总额、其中:当年财政拨款", "initial": "年初预算数（万元）", "budget": "全年预算数 A（万元）",
    "weight": "分值（数字，或表中所印的 —、/）",
    "rate": "执行率（照填写的印出，审核核对；不填时由工具按全年执行数÷全年预算数计算）",
    "score": "得分（数字，或表中所印的 —、/）", "content": "主要内容", "completion": "完成情况",
    "total_split": "总额", "fiscal": "财政拨款", "other": "其他资金", "level1": "一级指标", "level1_weight": "一级指标所注分值，如产出指标（50分）的 50",
    "level2": "二级指标", "target": "年度指标值", "deviation": "偏差原因分析及改进措施",
    "rows": "各一级指标：name、weight 分值、score 得分、rate 得分率（可不填）", "grade": "综合评价结果等级",
    "declared": "目标申报数（万元；表中以目标申报数、预算编制数两列代替年初预算数时填写）", "prepared": "预算编制数（万元）",
    "balance": "资金结（转）余（万元；有一行填写时印出此列）", "adjusted_target": "调整后指标值（有一项填写时印出此列）",
    "analysis": "项目绩效分析：表下逐项印出所填的各项", "result": "自评结果分析", "practices": "主要经验做法",
    "problems": "存在的问题", "improvements": "改进措施",
}


def _titled(node: dict) -> dict:
    """Give every property of a hand-built schema its Chinese title (hover help)."""
    for key, sub in list(node.get("properties", {}).items()):
        sub = node["properties"][key] = dict(sub)  # shared pieces (text, amount) get a title each
        name = "total_split" if key == "total" and "weight" not in sub.get("properties", {}) else key
        sub.setdefault("title", EVALUATION_TITLES.get(name, key))
        _titled(sub)
    if isinstance(node.get("items"), dict):
        node["items"] = _titled(dict(node["items"]))
    return node


def evaluations_schema() -> dict:
    """绩效自评表: tables of funds, goals and indicators (see generator.content.evaluations)."""
    mark = {"type": ["number", "string", "null"]}
    amount = {"type": ["number", "string", "null"]}
    text = {"type": ["string", "null"]}
    split = {"type": ["object", "null"], "properties": {k: amount for k in e.SPLIT_KEYS}, "additionalProperties": False}
    fund = {"type": "object", "required": ["label"], "additionalProperties": False,
            "properties": {"label": {"type": "string"}, "initial": amount, "declared": amount, "prepared": amount,
                           "budget": amount, "actual": amount, "balance": amount,
                           "weight": mark, "rate": {"type": ["string", "number", "null"]}, "score": mark}}
    task = {"type": "object", "additionalProperties": False,
            "properties": {"name": text, "content": text, "completion": text, "budget": split, "actual": split,
                           "weight": mark, "rate": {"type": ["string", "number", "null"]}, "score": mark}}
    indicator = {"type": "object", "additionalProperties": False,
                 "properties": {**{k: text for k in ("level1", "level2", "name", "target", "adjusted_target", "actual",
                                                     "deviation")},
                                "level1_weight": {"type": ["number", "null"]}, "weight": mark, "score": mark}}
    table = {"type": "object", "required": ["title"], "additionalProperties": False, "properties": {
        **{k: text for k in ("title", "period", "name", "department", "unit_name", "deviation_total", "notes",
                             "explanation")},
        "funds_layout": {"enum": [*e.LAYOUTS, None]},
        "tasks": {"type": ["array", "null"], "items": task}, "tasks_total": task,
        "funds": {"type": ["array", "null"], "items": fund},
        "goals": {"type": ["object", "null"], "properties": {"expected": text, "actual": text},
                  "additionalProperties": False},
        "indicators": {"type": ["array", "null"], "items": indicator},
        "total": {"type": ["object", "null"], "properties": {
            "weight": mark, "score": mark,
            "grade": {"enum": [*e.GRADES, None], "title": "自评等级：" + "、".join(e.GRADES) + " 之一，印在总分下"}},
            "additionalProperties": False, "title": "总分（合计）行：分值、得分、等级"},
        "analysis": {"type": ["object", "null"], "properties": {k: text for k in e.ANALYSIS},
                     "additionalProperties": False},
        "subtotal": {"type": ["object", "null"], "properties": {"label": text, "weight": mark, "score": mark},
                     "additionalProperties": False},
        "explanation": text,
    }}
    return _titled({"type": "object", "additionalProperties": False,
                    "properties": {"overall": {**table, "type": ["object", "null"]},
                                   "projects": {"type": ["array", "null"], "items": table}}})


def scores_schema() -> dict:
    """A 绩效评价报告's 指标评分表 (generator.content.evaluations.ScoreTable)."""
    number = {"type": ["number", "string"]}
    row = {"type": "object", "required": ["name", "weight", "score"], "additionalProperties": False,
           "properties": {"name": {"type": "string"}, "weight": number, "score": number,
                          "rate": {"type": ["string", "number", "null"],
                                   "title": "得分率（可不填，由工具按得分÷分值计算；填写时审核核对）"}}}
    return _titled({"type": ["object", "null"], "required": ["title"], "additionalProperties": False, "properties": {
        "title": {"type": "string"}, "rows": {"type": "array", "items": row},
        "total": {"type": ["object", "null"], "properties": {"weight": number, "score": number},
                  "additionalProperties": False},
        "grade": {"type": ["string", "null"]}}, "title": "指标评分表（正文中写一行 [评分表] 指定位置）"})
