"""Writing imported figures as the department file's ``tables:`` block, and putting it in a file.

The block states every figure as the workbook gives it, in the style of
tests/fixtures/xianyang-rsj-2023-stated.yaml: one flow mapping per 科目 row, one line per
公开06表 code, 公开01/04表 lines with their 行次; 公开10表 (``info``, profiles that print it) one
line per part (政府采购, 机关运行经费, 车辆 by kind, 设备). Amounts are plain decimals (``7987.94``,
zero as ``0``), written from the Decimal's own digits; numbers of things are whole numbers.

In an existing file only the top-level ``tables:`` block is replaced, in the text: the
block runs from the ``tables:`` line to the next top-level key, less the blank lines and
unindented comments just before that key (they belong to it). Every other byte is kept.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from generator.authoring.spreadsheet.tables import BLOCKS, TableImport
from generator.content.department import TABLE_KEYS
from generator.forms.vocabulary import FUNDS

_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\w（）、“”·]*")
_TOP_KEY = re.compile(r"tables\s*:")


def yaml_path(block: str, key: str) -> tuple[str, ...]:
    """Where a figure of the computed table is stated in its block (the inverse of schema's reading)."""
    if block == "fiscal_summary":
        if key in FUNDS:
            return ("income", key)
        if key.startswith("opening_") and key[len("opening_"):] in FUNDS:
            return ("opening", key[len("opening_"):])
    return tuple(key.split("."))


def tables_block(imports: list[TableImport], source: str) -> str:
    """The ``tables:`` block (ending with a newline) for the tables read from ``source``."""
    out = [f"tables:  # 由 {source} 导入：各表全部数字照报表列示（含类、款、合计），juesuan check 核对报表自身的计算"]
    by_block = {BLOCKS[t.layout.id]: t for t in imports}
    for block in (b for b in TABLE_KEYS if b in by_block):
        table = by_block[block]
        title = " ".join(filter(None, (table.layout.label, table.layout.title)))
        if not table.figures:  # an empty table (本部门不涉及): stated as such, as juesuan new writes it
            out.append(f"  {block}: {{}}  # {title}" + (f"：{table.note}" if table.note else ""))
            continue
        out.append(f"  {block}:  # {title}")
        entries: dict[str, dict | Decimal | int | str] = {}
        notes: dict[str, list[str]] = {}
        for key, value in table.figures.items():
            path = yaml_path(block, key)
            if len(path) == 1:
                entries[path[0]] = value
            else:
                entries.setdefault(path[0], {})[path[1]] = value
            note = table.comments.get(key) or table.comments.get(path[0])
            if note and note not in notes.setdefault(path[0], []):
                notes[path[0]].append(note)
        for top, value in entries.items():
            text = "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}" \
                if isinstance(value, dict) else scalar(value)
            note = _join_notes(notes.get(top, []))
            out.append(f"    {top}: {text}" + (f"  # {note}" if note else ""))
    return "\n".join(out) + "\n"


def _join_notes(notes: list[str]) -> str:
    if len(notes) > 1 and all(n.startswith("行次 ") for n in notes):
        return "行次 " + "、".join(n[3:] for n in notes)
    return "；".join(notes)


def scalar(value: Decimal | int | str) -> str:
    if isinstance(value, Decimal):
        return amount_text(value)
    if isinstance(value, int):
        return str(value)
    return value if _PLAIN_NAME.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def amount_text(value: Decimal) -> str:
    if value == 0:
        return "0"
    if value == value.quantize(Decimal("0.01")):
        return f"{value:.2f}"
    return format(value.normalize(), "f")


def replace_tables(text: str, block: str) -> str:
    """``text`` with its top-level ``tables:`` block replaced by ``block`` (appended when there is none)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line.lstrip("\ufeff"))), None)
    if start is None:
        if not text:
            return block
        return text + ("" if text.endswith(("\n", "\r")) else newline) + newline + block
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t", "#") or not lines[end].strip()):
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    bom = "\ufeff" if lines[start].startswith("\ufeff") else ""
    return "".join(lines[:start]) + bom + block + "".join(lines[end:])

