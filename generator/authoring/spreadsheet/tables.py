"""Reading the tables out of a workbook laid out as they are printed, by the form's layout data.

The form is the department's: the year's national nine tables with its province profile's layouts
added or replacing them (Shanxi: 公开06表 in four groups, 公开09表 in one row, 公开10表).

For each table of the form: its sheet is found first (``sheets``); find the header (the first row with the layout's header texts, down to the 栏次 row
or to the first body row); give each sheet column its header path (merged cells filled) and
match it to the layout's columns by text, both sides in the form's words (``headers``: 科目编码 is
科目代码, 公开02表's 合计 its 本年收入合计), so columns are found wherever they are; a blank or unknown
header inside the table is reported as a shifted column when the columns do not line up, else as an
unknown header. A 科目代码 the workbook splits into 类/款/项 columns is read as one code (each part
printed in full, as its own digits, or only where it changes: a 项 row's blank 类 and 款 are the rows above).
Rows that are not table data (signatures, “编制单位：…”, “本表为空表”) are passed over where no cell of
theirs reads as an amount; a coded table with nothing but such a note is an empty table. The body is then read by
the layout's kind: ``codes`` by 科目代码, ``two_sided`` by 项目 label (行次 checked against the
form), ``groups`` by 经济分类 code, ``rows`` (and the 06 footer) by row label. A 公开06表 row the
layout prints with "——" (``dashed``: not applicable to 基本支出) is not an amount and gives no
figure. The rows of a ``rows`` table are found by the label texts the layout gives them (公开10表's
项目 and 单位), a row of value cells only (Shanxi's 公开09表) by its place; a cell the layout marks
``count`` (vehicles, sets of equipment) is read as a whole number.

公开10表 (``tables.info``) figures are optional in the department file: what the file leaves out
is taken from the 情况说明. So a blank cell there (the export prints a zero amount blank) is not
stated: 机关运行经费 行政单位 and 参公单位 left blank mean the department does not split it, and
the stated 合计 is then not checked against a split of zero.

The result is every figure as printed, keyed like the computed tables (``2080101.basic``,
``income_total``, ``201.general``, ``budget.total`` …), in the department file's unit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.authoring.spreadsheet.cells import (
    Problems,
    Sheet,
    code_text,
    column_letter,
    exact_amount,
    norm,
    plain_text,
)
from generator.authoring.spreadsheet.headers import header_words
from generator.authoring.spreadsheet.sheets import BLOCKS, sheet_unit
from generator.forms.catalogue import catalogue, parent_codes
from generator.forms.layouts import (
    Codes,
    Form,
    Groups,
    Rows,
    TableLayout,
    TwoSided,
    available_forms,
    load_form,
)
from generator.money import UNITS, ZERO
from generator.render.grid import place

OPTIONAL = {"info"}  # blocks whose figures may be left out (taken from the 情况说明): a blank cell is not stated
_AMOUNT_TEXT = re.compile(r"-?[\d,]*\.?\d+|-{1,2}|—{1,2}|/")  # as norm() gives an amount or a blank mark
CODE_WORD = "科目代码"  # the layouts' header of a 功能分类 code column


@dataclass
class TableImport:
    layout: TableLayout
    sheet: str
    figures: dict[str, Decimal | int | str] = field(default_factory=dict)  # key → amount (file's unit), count or name
    comments: dict[str, str] = field(default_factory=dict)  # key → note for the YAML line
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # key → the sheet cell (row, col) it was read from
    note: str = ""  # said of the whole table in the department file (an empty table: why)


@dataclass(frozen=True)
class Expected:
    """One column of the layout: its header texts top to bottom, compared and as printed."""

    path: tuple[str, ...]
    shown: str


def expected_columns(layout: TableLayout) -> list[Expected]:
    paths: dict[int, list[str]] = {}
    for _row, col, cell in place(layout.header):
        for c in range(col, col + cell.colspan):
            texts = paths.setdefault(c, [])
            if cell.text and (not texts or norm(texts[-1]) != norm(cell.text)):
                texts.append(cell.text)
    return [Expected(tuple(norm(t) for t in paths[c]), "／".join(paths[c])) for c in sorted(paths)]


def layout_keys(layout: TableLayout) -> list[str] | None:
    """The figures a layout prints, in order (None for a table of any 科目: ``codes``, ``two_sided``)."""
    body = layout.body
    if isinstance(body, Groups):
        return [*(code for group in body.groups for code in group), *_values(body.footer)]
    if isinstance(body, Rows):
        return _values(body.rows)
    return None


def _values(rows) -> list[str]:
    return [cell.value for row in rows for cell in row if cell.value]


def column_title(layout: TableLayout, key: str) -> str:
    """The header a figure of a ``rows`` layout is printed under (its last line: 会议费), else the key."""
    if isinstance(layout.body, Rows):
        columns = expected_columns(layout)
        for _, col, cell in place(layout.body.rows):
            if cell.value == key and col < len(columns):
                return columns[col].shown.split("／")[-1]
    return key


class TableReader:
    """Reads one table's sheet against its layout, recording every problem."""

    def __init__(self, sheet: Sheet, layout: TableLayout, form: Form, year: int, file_unit: str,
                 problems: Problems):
        self.sheet, self.layout, self.form, self.year = sheet, layout, form, year
        self.problems = problems
        self.result = TableImport(layout, sheet.name)
        self.notes: list[str] = []
        self.words = header_words()
        self.expected = [Expected(self.words.canonical_path(e.path, layout.id), e.shown) for e in expected_columns(layout)]
        self.columns: dict[int, int] = {}  # layout column → sheet column (the first, for a code split into 类/款/项)
        self.code_parts: dict[int, tuple[int, ...]] = {}  # layout code column → the sheet's 类/款/项 columns
        self.empty_marked = False  # an “本表为空表” line among the rows
        self.last_code = ""  # the last 科目代码 read: a split code's blank 类 or 款 is this one's
        self.scale = UNITS[file_unit] / UNITS[sheet_unit(sheet, problems)]

    # -- locating -----------------------------------------------------------------
    def read(self) -> TableImport | None:
        before = len(self.problems.items)
        if not self._locate() or not self._match_columns():
            return None
        if len(self.problems.items) > before:
            return None
        _BODY[type(self.layout.body)](self)
        return self.result

    def _word(self, r: int, c: int) -> str:
        """A cell's text in the form's words (a header synonym replaced)."""
        return self.words.canonical(self.sheet.text(r, c), self.layout.id)

    def _locate(self) -> bool:
        sheet, texts = self.sheet, {t for e in self.expected for t in e.path}
        first = next((r for r in range(sheet.height)
                      if sum(1 for c in range(sheet.width) if self._word(r, c) in texts) >= 2), None)
        if first is None:
            self.problems.at(sheet, None, None, f"找不到{self.layout.name}的表头",
                             "、".join(dict.fromkeys(e.shown for e in self.expected)), "无")
            return False
        limit = min(sheet.height, first + len(self.layout.header) + 3)
        numbers = next((r for r in range(first, limit) if self._is_numbers_row(r)), None)
        if numbers is not None:
            self.header_rows = [r for r in range(first, numbers) if not sheet.is_blank_row(r)]
            start = numbers + 1
        else:
            markers = self._body_markers()
            start = first
            while start < sheet.height and not sheet.is_blank_row(start) and not _is_marker(sheet.first_text(start),
                                                                                             markers) \
                    and not (start > first and self._is_amounts_row(start)) and not self._ends_header(start):
                start += 1
            self.header_rows = list(range(first, start))
        end = next((r for r in range(start, sheet.height) if sheet.first_text(r).startswith("注")), sheet.height)
        self.body = [r for r in range(start, end) if not sheet.is_blank_row(r) and not self._not_table_data(r)]
        return True

    def _not_table_data(self, r: int) -> bool:
        """A signature, 编制单位 or “本表为空表” row: its first text says so and no other cell reads as an amount."""
        sheet, words = self.sheet, self.words
        filled = [c for c in range(sheet.width) if sheet.text(r, c)]
        if not filled or not words.is_non_table_text(sheet.text(r, filled[0])):
            return False
        for c in filled[1:]:
            try:
                if exact_amount(sheet.own_value(r, c)) is not None:
                    return False
            except ValueError:  # text that is not an amount (a name, a date): fine here
                continue
        self.empty_marked = self.empty_marked or any(words.is_empty_mark(sheet.text(r, c)) for c in filled)
        return True

    def _ends_header(self, r: int) -> bool:
        """A 注 line, or a row that is not table data (an empty table's “本表为空表”, a signature)."""
        text = self.sheet.first_text(r)
        return text.startswith("注") or self.words.is_non_table_text(text)

    def _is_numbers_row(self, r: int) -> bool:
        """The 栏次 row: “栏次” in it, or (a layout numbering its columns without the word, as Shanxi's
        公开09表) exactly the layout's column numbers."""
        texts = [t for c in range(self.sheet.width) if (t := self.sheet.text(r, c))]
        numbers = [t for cell in self.layout.column_numbers or () if (t := norm(cell.text))]
        return "栏次" in texts or (bool(numbers) and texts == numbers)

    def _is_amounts_row(self, r: int) -> bool:
        """A body row of amounts only, for a layout whose rows have no label (Shanxi's 公开09表)."""
        body = self.layout.body
        if not isinstance(body, Rows) or any(cell.text for row in body.rows for cell in row):
            return False
        texts = [t for c in range(self.sheet.width) if (t := self.sheet.text(r, c))]
        return bool(texts) and all(_AMOUNT_TEXT.fullmatch(t) for t in texts)

    def _body_markers(self) -> set[str]:
        body = self.layout.body
        if isinstance(body, TwoSided):
            return {norm(line.label) for line in (*body.left, *body.right) if line.label}
        if isinstance(body, Codes):
            return {"合计"}
        rows = body.rows if isinstance(body, Rows) else body.footer
        return {norm(cell.text) for row in rows for cell in row if cell.text}

    def _match_columns(self) -> bool:
        sheet, rows = self.sheet, self.header_rows
        paths, shown = {}, {}
        for c in range(sheet.width):
            kept: list[tuple[str, str]] = []
            for r in rows:
                text = sheet.text(r, c)
                if text and (not kept or kept[-1][0] != text):
                    kept.append((text, plain_text(sheet.value(r, c))))
            paths[c] = self.words.canonical_path(tuple(t for t, _ in kept), self.layout.id)
            shown[c] = "／".join(s for _, s in kept)
        headed = [c for c in paths if paths[c]]
        first, last = headed[0], headed[-1]
        logical = self._logical_columns(first, last, paths)
        misplaced: list[tuple[int, int, str]] = []  # (position, sheet column, what its header says)
        for position, (c, path, parts) in enumerate(logical):
            free = [i for i in range(len(self.expected)) if i not in self.columns]
            exact = [i for i in free if self.expected[i].path == path]
            leaf = [i for i in free if path and self.expected[i].path[-1:] == path[-1:]]
            candidates = exact or leaf
            if candidates:
                chosen = position if position in candidates else candidates[0]
                self.columns[chosen] = c
                if parts:
                    self.code_parts[chosen] = parts
            else:
                misplaced.append((position, c, f"“{shown[c]}”" if path else "空白"))
        shifted = len(logical) != len(self.expected) or any(
            logical[p][0] != c for p, c in self.columns.items() if p < len(logical))
        problems = self.problems
        for position, c, found in misplaced:
            if position < len(self.expected):
                want = self.expected[position]
                if shifted:
                    hint = f"；“{want.shown}”在 {_letter(self.columns[position])} 列" if position in self.columns else ""
                    message = f"{self.layout.name}此列表头与表样不符：可能插入、删除或移动了一列{hint}"
                else:  # every other column where the form has it: this one's header is a word not known
                    message = f"{self.layout.name}此列表头与表样不符：不是表样中的栏目名称，也不是已知的同义写法"
                problems.at(sheet, rows[0], c, message, f"“{want.shown}”", found)
            else:
                problems.at(sheet, rows[0], c, f"{self.layout.name}此列不是表样中的栏目", "无此列", found)
        reported = {position for position, _, _ in misplaced}
        for i, want in enumerate(self.expected):
            if i not in self.columns and i not in reported:
                problems.at(sheet, rows[0], first, f"{self.layout.name}缺少栏目“{want.shown}”", f"“{want.shown}”", "无")
        outside = [c for c in range(sheet.width) if not first <= c <= last]
        for r in self.body:
            for c in outside:
                if sheet.text(r, c):
                    problems.at(sheet, r, c, f"{self.layout.name}表头以外的列中有内容：可能插入或移动了一列", "空白",
                                f"“{plain_text(sheet.value(r, c))}”")
        return not misplaced

    def _logical_columns(self, first: int, last: int, paths: dict) -> list[tuple[int, tuple[str, ...], tuple[int, ...]]]:
        """The sheet's columns as the layout's: (sheet column, header path, the 类/款/项 columns of a split code or
        ()). A split code is three columns headed 类, 款, 项 under one header, where the layout prints the code in one
        column."""
        splits = isinstance(self.layout.body, Codes) and self.layout.body.code_columns == 1
        out, c = [], first
        while c <= last:
            run = [paths.get(c + i, ()) for i in range(3)]
            if splits and tuple(p[-1:] for p in run) == tuple((w,) for w in self.words.code_parts) \
                    and len({p[:-1] for p in run}) == 1:
                prefix = run[0][:-1]
                code_path = next((e.path for e in self.expected if e.path[-1:] == (CODE_WORD,)), (CODE_WORD,))
                out.append((c, prefix if prefix[-1:] == (CODE_WORD,) else code_path, (c, c + 1, c + 2)))
                c += 3
            else:
                out.append((c, paths[c], ()))
                c += 1
        return out

    # -- cells --------------------------------------------------------------------
    def col(self, layout_column: int) -> int:
        return self.columns[layout_column]

    def amount(self, row: int, layout_column: int) -> Decimal:
        value = self.stated(row, layout_column)
        return ZERO if value is None else value

    def stated(self, row: int, layout_column: int) -> Decimal | None:
        """The amount in the file's unit; None for a blank cell (or one that cannot be read: reported)."""
        value = self.problems.amount(self.sheet, row, self.col(layout_column), self._what(layout_column))
        return None if value is None else value * self.scale

    def count(self, row: int, layout_column: int) -> int | None:
        """A number of things (not scaled by the amount unit); None for a blank cell."""
        return self.problems.count(self.sheet, row, self.col(layout_column), self._what(layout_column))

    def _what(self, layout_column: int) -> str:
        return f"{self.layout.name}“{self.expected[layout_column].shown}”栏"

    def filled(self, row: int, layout_column: int) -> bool:
        return norm(self.sheet.own_value(row, self.col(layout_column))) != ""

    def at(self, row: int | None, layout_column: int | None, message: str, expected: str | None = None,
           found: str | None = None) -> None:
        col = self.col(layout_column) if layout_column is not None else None
        self.problems.at(self.sheet, row, col, f"{self.layout.name}{message}", expected, found)

    # -- bodies -------------------------------------------------------------------
    def _code(self, r: int, column: int, columns: int) -> str:
        """The code at row ``r`` from ``column``: one cell, or its 类/款/项 cells (the layout's, or the sheet's
        where it splits a code the layout prints in one column) joined."""
        cells = self.code_parts.get(column) or [self.col(column + i) for i in range(columns)]
        parts = [code_text(self.sheet.value(r, c)) for c in cells]
        return parts[0] if len(parts) == 1 else joined_code(parts, self.last_code)

    def codes(self) -> None:
        body: Codes = self.layout.body
        names = catalogue("functional", self.year)
        classes = self.form.class_codes()
        figures, seen = self.result.figures, {}
        named = body.code_columns  # the 科目名称 column; the amounts follow it
        for r in self.body:
            code, name = self._code(r, 0, body.code_columns), plain_text(self.sheet.value(r, self.col(named)))
            if code and code != "合计":  # the rows below with a blank 类 or 款 are under it, even if it is wrong
                self.last_code = code
            if code == "合计" or (not code and norm(name) == "合计"):
                code = "合计"
            elif not code:
                if name or any(self.filled(r, named + 1 + i) for i in range(len(body.columns))):
                    self.at(r, 0, "这一行缺少科目代码", "3 位（类）、5 位（款）或 7 位（项）科目代码", "空白")
                continue
            elif not code.isdigit() or len(code) not in (3, 5, 7):
                self.at(r, 0, "科目代码格式不对", "3 位（类）、5 位（款）或 7 位（项）数字", f"“{code}”")
                continue
            elif code[:3] not in classes:
                self.at(r, 0, f"科目代码 {code} 所属的类 {code[:3]} 不是支出功能分类的类", "公开01表列出的类（201–234）", code)
                continue
            if code in seen:
                self.at(r, 0, f"科目 {code} 重复", "每个科目一行", f"第 {seen[code] + 1} 行已有")
                continue
            seen[code] = r
            if code != "合计" and code not in names:
                if not name:
                    self.at(r, named, f"科目代码 {code} 不在科目编目中，须写明科目名称", "科目名称", "空白")
                figures[f"{code}.name"] = name
            elif code != "合计":
                self.result.comments[code] = names[code]
            for i, column in enumerate(body.columns):
                figures[f"{code}.{column}"] = self.amount(r, named + 1 + i)
                self.result.cells[f"{code}.{column}"] = (r, self.col(named + 1 + i))
        for code, r in seen.items():
            for parent in parent_codes(code) if code != "合计" else ():
                if parent not in names and parent not in seen:
                    self.at(r, 0, f"科目 {code} 的上级科目 {parent} 不在科目编目中，表中也没有这一行",
                            f"增加 {parent} 行并写明科目名称", "无")
        if not seen and self.empty_marked:
            self.result.note = "工作簿中此表为空表"
        elif "合计" not in seen:
            self.at(None, None, "缺少“合计”行", "合计行", "无")

    def two_sided(self) -> None:
        body: TwoSided = self.layout.body
        ident = body.ident_columns
        sides = ((0, body.left, body.left_columns, 0), (1, body.right, body.right_columns, ident + len(body.left_columns)))
        for side, lines, columns, base in sides:
            wanted = [line for line in lines if line.key]
            found: dict[str, int] = {}
            for r in self.body:
                label = norm(self.sheet.value(r, self.col(base)))
                if not label:
                    for i in range(len(columns)):
                        if self.amount(r, base + ident + i) != ZERO:
                            self.at(r, base + ident + i, "这一行没有项目名称，却有金额", "空白（表样中此行为空行）",
                                    f"“{plain_text(self.sheet.value(r, self.col(base + ident + i)))}”")
                    continue
                line = next((ln for ln in wanted if norm(ln.label) == label and ln.key not in found), None)
                if line is None:
                    self._unknown_line(r, base, label, wanted, found)
                    continue
                found[line.key] = r
                if body.line_numbers:
                    self._check_line_number(r, base + 1, side, line)
                for i, column in enumerate(columns):
                    key = line.key if column == "amount" else f"{line.key}.{column}"
                    self.result.figures[key] = self.amount(r, base + ident + i)
                    self.result.cells[key] = (r, self.col(base + ident + i))
                    self.result.comments[key] = f"行次 {line.line}" if body.line_numbers else line.label
            for line in wanted:
                if line.key not in found:
                    side_name = self.expected[base].shown.split("／")[0]
                    self.at(None, None, f"缺少“{line.label}”行（{side_name}方）", line.label, "无")

    def _unknown_line(self, r: int, base: int, label: str, wanted, found) -> None:
        shown = plain_text(self.sheet.value(r, self.col(base)))
        same = [found[ln.key] for ln in wanted if norm(ln.label) == label and ln.key in found]
        if same:
            self.at(r, base, f"“{shown}”行重复", "每个项目一行", f"第 {same[0] + 1} 行已有")
            return
        close = difflib.get_close_matches(shown, [ln.label for ln in wanted], n=1, cutoff=0.6)
        hint = f"，是否应为“{close[0]}”？" if close else ""
        self.at(r, base, f"项目“{shown}”不是表样中的行{hint}", "表样中的项目名称", f"“{shown}”")

    def _check_line_number(self, r: int, column: int, side: int, line) -> None:
        text = code_text(self.sheet.value(r, self.col(column)))
        if not text or text == str(line.line):
            return
        for other in available_forms():
            layout = load_form(other).tables.get(self.layout.id)
            if other == self.form.form or layout is None or not isinstance(layout.body, TwoSided):
                continue
            lines = (layout.body.left, layout.body.right)[side]
            if any(ln.key == line.key and str(ln.line) == text for ln in lines):
                note = (f"{self.layout.name}（工作表 {self.sheet.name}）按 {other} 年度表样编排行次，"
                        f"已按项目名称对应到 {self.form.form} 年度表样")
                if note not in self.notes:
                    self.notes.append(note)
                return
        self.at(r, column, f"“{line.label}”的行次与表样不符", f"{line.line}（{self.form.form} 年度表样）", f"“{text}”")

    def groups(self) -> None:
        body: Groups = self.layout.body
        footer, footer_rows = self._fixed(body.footer)
        printed = {code for group in body.groups for code in group}
        figures, seen = self.result.figures, {}
        names = catalogue("economic", self.year)
        width = body.width
        for g in range(len(body.printed())):
            first, amount = width * g, width * g + width - 1  # the group's code (or 类) column and its amount
            for r in (r for r in self.body if r not in footer_rows):
                code = self._code(r, first, body.code_columns)
                if not code.isdigit():
                    if any(ch.isdigit() for ch in code):
                        self.at(r, first, "经济分类科目代码格式不对", "3 位（类）或 5 位（款）数字", f"“{code}”")
                    elif self.filled(r, amount):
                        self.at(r, amount, "有金额但没有经济分类科目代码", "科目代码", "空白")
                    continue
                if code not in printed:
                    self.at(r, first, f"经济分类科目代码 {code} 不在 {self.form.form} 年度{self.layout.name}的科目行中",
                            "表样列出的经济分类科目代码", code)
                elif code in seen:
                    self.at(r, first, f"科目 {code} 重复", "每个科目一处", f"{seen[code]} 已有")
                else:
                    seen[code] = self.sheet.cell(r, self.col(first))
                    if code in body.dashed:
                        self._dashed(r, amount, code)
                        continue
                    figures[code] = self.amount(r, amount)
                    self.result.cells[code] = (r, self.col(amount))
                    self.result.comments[code] = names.get(code, "")
        figures.update(footer)

    def _dashed(self, r: int, column: int, code: str) -> None:
        """A row the layout prints with “——”: no figure; only an amount other than zero is reported."""
        try:
            value = exact_amount(self.sheet.own_value(r, self.col(column)))
        except ValueError:  # “——” written some other way, or other text: not an amount, nothing to read
            return
        if value:
            self.at(r, column, f"科目 {code} 不适用于基本支出（表样此栏印“——”），不应有金额", "——",
                    f"“{plain_text(self.sheet.value(r, self.col(column)))}”")

    def rows(self) -> None:
        body: Rows = self.layout.body
        fixed, used = self._fixed(body.rows)
        self.result.figures.update(fixed)
        for r in self.body:
            if r not in used:
                self.at(r, 0, "无法识别的行", "、".join(c.text for row in body.rows for c in row if c.text),
                        f"“{plain_text(self.sheet.value(r, self.col(0)))}”")

    def _fixed(self, rows) -> tuple[dict[str, Decimal], set[int]]:
        """Fixed rows (公开09表, the 06 footer): found by their labels, figures in the layout's columns.

        Returns the figures and the sheet rows they were found on."""
        figures: dict[str, Decimal | int] = {}
        used: set[int] = set()
        span = sorted(self.columns.values())
        optional = BLOCKS.get(self.layout.id) in OPTIONAL
        heading = ""  # the last row of labels only (公开10表's 一、政府采购情况 …): notes the figures under it
        for layout_row in rows:
            cells = list(place([layout_row]))
            labels = [norm(cell.text) for _, _, cell in cells if not cell.value and cell.text]
            values, before = [], ""
            for _, col, cell in cells:
                if cell.value:
                    values.append((col, cell))
                    self.result.comments[cell.value] = heading or before  # the label the figure follows
                elif cell.text:
                    before = cell.text
            if not values:
                heading = next((cell.text for _, _, cell in cells if cell.text), heading)
            match = next((r for r in self.body if r not in used
                          and all(text in {self.sheet.text(r, c) for c in span} for text in labels)), None)
            if match is None:
                shown = "、".join(cell.text for _, _, cell in cells if cell.text)
                self.at(None, None, f"缺少“{shown}”行", shown, "无")
                continue
            used.add(match)
            for col, cell in values:
                value = self.count(match, col) if cell.count else self.stated(match, col)
                if value is not None or not optional:
                    figures[cell.value] = ZERO if value is None else value
                    self.result.cells[cell.value] = (match, self.col(col))
        return figures, used


_BODY = {TwoSided: TableReader.two_sided, Codes: TableReader.codes, Groups: TableReader.groups, Rows: TableReader.rows}


def joined_code(parts: list[str], previous: str) -> str:
    """A code printed in 类/款/项 cells: each its own digits (208 | 01 | 01), each the code so far (208 | 20801 |
    2080101), or only where it changes (a blank 类, or 类 and 款, are ``previous``'s). A first cell that is not
    digits (合计) is the whole; anything else is joined as it is, for the caller to report."""
    filled = [p for p in parts if p]
    if parts[0] and not parts[0].isdigit():
        return parts[0]
    if not filled or not all(p.isdigit() for p in filled):
        return "".join(parts)
    if len(filled[0]) > 3 or (len(filled) > 1 and all(b.startswith(a) for a, b in zip(filled, filled[1:]))):
        return filled[-1]  # every cell the code so far
    if parts[0]:
        return "".join(parts)
    if parts[1] and len(previous) >= 3:
        return previous[:3] + parts[1] + parts[2]
    if len(previous) >= 5:
        return previous[:5] + parts[2]
    return "".join(parts)


def _is_marker(text: str, markers: set[str]) -> bool:
    return text in markers or (text.isdigit() and 3 <= len(text) <= 7)


def _letter(col: int) -> str:
    return column_letter(col + 1)
