"""The department file's field reference (docs/reference/fields.md), generated from its JSON Schema.

``department_schema()`` already walks the reader's shapes and gives every field its explanation from
``fielddocs``; this reads that schema back as one table per top-level section, so the reference, the editor's
hover help and the reader never disagree. A nested object whose fields repeat one already listed (the 合计 row
of a coded table, each 类 of 公开04表) points to it instead of listing them again.
"""

from __future__ import annotations

import json
import re

from generator.authoring.jsonschema import department_schema

HEADER = """# 字段说明

本页由 `juesuan docs` 根据部门数据文件的读取规则（与 `juesuan schema` 写出的 JSON Schema 同源）生成，请勿手工修改。
怎样写部门文件见[部门数据文件怎么写](../clerks/data-file.md)；审核以 `juesuan check` 为准。

路径中 `<编码>` 代表科目编码（如 `2080101`），`<键>` 代表自己取的键（如人员类别），`[]` 代表列表中的每一项。
“必填”的字段不能省略也不能为空；其余的可以省略或留空（留空即省略）。“数”可以写数字，也可以写带千分位的文字，
如 `"7,987.94"`；金额的单位照文件的 `unit:`，默认为万元。"""

TYPE_NAMES = {"integer": "整数", "number": "数", "string": "文字", "boolean": "是/否（true/false）", "object": "对象",
              "array": "列表"}
DIGITS = re.compile(r"\\d\{(\d+)\}")


def fields_markdown() -> str:
    schema = department_schema()
    top = schema["properties"]
    required = set(schema["required"])
    scalars = [key for key, node in top.items() if not _children(node)]
    lines = [HEADER, "", "## 文件顶层", "", "| 字段 | 类型 | 说明 |", "|---|---|---|"]
    lines += [_row(key, top[key], key in required) for key in scalars]
    for key, node in top.items():
        if key in scalars:
            continue
        lines += ["", f"## {key}：{node.get('title', key)}", ""]
        doc = _text(node.get("description") or node.get("title", ""))
        lines += [doc + ("。必填。" if key in required else "。可省略。"), ""]
        lines += ["| 字段 | 类型 | 说明 |", "|---|---|---|"]
        lines += _rows(node, key, {})
    return "\n".join(lines) + "\n"


def _children(node: dict) -> list[tuple[str, dict, bool, str]]:
    """(path suffix, schema, required, note on the key) of each field under a node; a list's items stand for the
    list's fields."""
    items = node.get("items")
    if isinstance(items, dict):
        return [("[]" + suffix, *rest) for suffix, *rest in _children(items)]
    required = set(node.get("required", ()))
    found = [(f".{key}", child, key in required, "") for key, child in node.get("properties", {}).items()]
    found += [(f".{key}", child, False, note) for pattern, child in node.get("patternProperties", {}).items()
              for key, note in [_pattern_key(pattern)]]
    if isinstance(node.get("additionalProperties"), dict):
        found.append((".<键>", node["additionalProperties"], False, ""))
    return found


def _shape_key(node: dict) -> str:
    return json.dumps([(suffix, child) for suffix, child, *_ in _children(node)], ensure_ascii=False, sort_keys=True)


def _rows(node: dict, path: str, seen: dict[str, str]) -> list[str]:
    rows = []
    for suffix, child, required, note in _children(node):
        here = path + suffix
        rows.append(_row(here, child, required, seen, note))
        key = _shape_key(child)
        if _children(child) and key not in seen:
            seen[key] = here
            rows += _rows(child, here, seen)
    return rows


def _row(path: str, node: dict, required: bool, seen: dict[str, str] | None = None, note: str = "") -> str:
    doc = "；".join(text for text in (node.get("description") or node.get("title", ""), note) if text)
    same = (seen or {}).get(_shape_key(node))
    if _children(node) and same:
        doc += f"{'；' if doc else ''}各字段同 `{same}`"
    return f"| `{path}` | {_type(node, required)} | {_text(doc)} |"


def _type(node: dict, required: bool) -> str:
    if "enum" in node:
        kind = "可选：" + "、".join(f"`{json.dumps(v, ensure_ascii=False).strip(chr(34))}`"
                                   for v in node["enum"] if v is not None)
    elif "anyOf" in node:  # an amount: a number, or a text such as "7,987.94"
        kind = "数"
    else:
        types = node.get("type", "object")
        types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
        kind = "或".join(TYPE_NAMES[t] for t in types)
        items = node.get("items")
        if types == ["array"] and isinstance(items, dict):
            kind = f"{_type(items, True).removesuffix('，必填')}的列表"
        elif types == ["object"] and isinstance(node.get("additionalProperties"), dict) and not node.get("properties"):
            kind = "键值对"
        if "minimum" in node and "maximum" in node:
            kind += f"（{node['minimum']}–{node['maximum']}）"
        elif node.get("minimum") == 0:
            kind += "（不小于 0）"
    return kind + ("，必填" if required else "")


def _pattern_key(pattern: str) -> tuple[str, str]:
    """A patternProperties key as the reference writes it, and a note: ``^(\\d{3}|\\d{5}|\\d{7})$`` → ``<编码>``
    (3、5、7 位), ``^(合计|total)$`` → ``合计`` (也可写作 total)."""
    alternatives = pattern.strip("^$").strip("()").split("|")
    lengths = [DIGITS.fullmatch(a) for a in alternatives]
    if all(lengths):
        return "<编码>", ""
    others = "、".join(f"`{a}`" for a in alternatives[1:])
    return alternatives[0], f"键也可写作 {others}" if others else ""


def _text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
