"""Finding a workbook's tables: which sheet is which table (a contents sheet none), its unit and its department.

A sheet is a table's by 公开NN表 in its name, else in its top rows, else by the table's title there (a document
whose printed labels may be wrong: the title first). A contents sheet — 目录 and the like by name, or one whose
top rows name three tables or more — is none of them.
"""

from __future__ import annotations

import re

from generator.authoring.spreadsheet.cells import Problems, Sheet, norm, plain_text
from generator.authoring.spreadsheet.headers import header_words
from generator.forms.layouts import Form
from generator.money import UNITS

# The department file's block for each table.
BLOCKS = {"t01": "summary", "t02": "income", "t03": "expenditure", "t04": "fiscal_summary", "t05": "general_budget",
          "t06": "basic_detail", "t07": "gov_fund", "t08": "soe_capital", "t09": "three_public",
          "t10": "info"}
TOP_ROWS = 12  # where a sheet's title, label, 部门 and unit lines are looked for
_LABEL = re.compile(r"公开0*(\d+)表")
_UNIT = re.compile(r"(?:金额)?单位:(万元|元)$")  # as norm() gives “单位：元”, also at the end of a longer line


def find_sheets(sheets: list[Sheet], form: Form, problems: Problems, titles_first: bool = False,
                optional: frozenset[str] = frozenset()) -> dict[str, Sheet]:
    """Table id → its sheet, by 公开NN表 in the sheet name, in the top rows, or by the title (``titles_first``: the
    title before the label, for a document whose printed labels may be wrong). A contents sheet is skipped; a table
    of ``optional`` (ids) without a sheet is left out without a problem."""
    numbers = {layout.number: tid for tid, layout in form.tables.items()}
    titles = {norm(t): tid for tid, layout in form.tables.items() for t in (layout.title, layout.toc_title)}
    found: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        if _is_contents(sheet, numbers, titles):
            continue
        tid = (_titled(sheet, titles) or _table_of(sheet, numbers, titles)) if titles_first else \
            _table_of(sheet, numbers, titles)
        if tid:
            found.setdefault(tid, []).append(sheet)
    claimed = {}
    names = "、".join(s.name for s in sheets) or "无"
    for tid, layout in form.tables.items():
        if tid not in BLOCKS:
            continue
        candidates = found.get(tid, [])
        if not candidates and tid in optional:
            continue
        if not candidates:
            shown = f"{layout.label}（{layout.title}）" if layout.label else layout.title
            problems.at(None, None, None, f"找不到{shown}的工作表",
                        f"工作表名称或表头处注明“{layout.name}”", f"工作簿中的工作表：{names}")
        elif len(candidates) > 1:
            problems.at(None, None, None, f"{layout.name}有不止一个工作表", "每张表一个工作表",
                        "、".join(s.name for s in candidates))
        else:
            claimed[tid] = candidates[0]
    return claimed


def _top(sheet: Sheet) -> list[str]:
    return [sheet.text(r, c) for r in range(min(sheet.height, TOP_ROWS)) for c in range(sheet.width)]


def _is_contents(sheet: Sheet, numbers: dict[int, str], titles: dict[str, str]) -> bool:
    """A 目录 (by its name), or a sheet whose top rows name three tables or more (a list of them)."""
    if header_words().is_contents(sheet.name):
        return True
    named = set()
    for text in _top(sheet):
        match = _LABEL.search(text)
        if match and int(match.group(1)) in numbers:
            named.add(numbers[int(match.group(1))])
        elif text in titles:
            named.add(titles[text])
    return len(named) >= 3


def _titled(sheet: Sheet, titles: dict[str, str]) -> str | None:
    return next((titles[text] for text in _top(sheet) if text in titles), None)


def _table_of(sheet: Sheet, numbers: dict[int, str], titles: dict[str, str]) -> str | None:
    match = _LABEL.search(norm(sheet.name))
    if match and int(match.group(1)) in numbers:
        return numbers[int(match.group(1))]
    for text in _top(sheet):
        match = _LABEL.fullmatch(text)
        if match and int(match.group(1)) in numbers:
            return numbers[int(match.group(1))]
    return _titled(sheet, titles)


def stated_unit(sheet: Sheet) -> str | None:
    """The unit a sheet's “单位：元” or “金额单位：万元” line states; None when it has none."""
    for r in range(min(sheet.height, TOP_ROWS)):
        for c in range(sheet.width):
            if match := _UNIT.search(sheet.text(r, c)):
                return match.group(1)
    return None


def sheet_unit(sheet: Sheet, problems: Problems) -> str:
    """金额单位 of a sheet (万元 unless it says otherwise)."""
    for r in range(min(sheet.height, TOP_ROWS)):
        for c in range(sheet.width):
            text = sheet.text(r, c)
            unit = text.split(":", 1)[-1]
            if match := _UNIT.search(text):
                return match.group(1)
            if text.startswith("金额单位"):
                if unit not in UNITS:
                    problems.at(sheet, r, c, "金额单位只能是万元或元", "金额单位：万元", f"“{plain_text(sheet.value(r, c))}”")
                    return "万元"
                return unit
    return "万元"


def department_line(sheet: Sheet) -> str | None:
    """The text after “部门：” near the top of a sheet."""
    for r in range(min(sheet.height, TOP_ROWS)):
        for c in range(sheet.width):
            text = plain_text(sheet.value(r, c))
            match = re.match(r"^(编制)?(部门|单位)(名称)?\s*[:：]\s*(.+)$", text)
            if match and match.group(4).strip() not in UNITS:
                return match.group(4).strip()
    return None
