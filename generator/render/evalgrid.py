"""Laying out a 绩效自评表: an Evaluation → rows of cells with the spans the printed form uses.

The template renders the cells as they come (see templates/parts/evaluations.html); rates
are computed here, never in the template. As for the nine tables, each cell's attributes
and escaped content are made once here (``tag_attributes``, ``printed``): a document has
about a thousand of these cells, and the template only places them.

What the author wrote is printed as written: a stated 执行率 as stated (the computed one only
where none is stated), an amount with the decimals it was entered with (two at least). The
columns some forms add (目标申报数 and 预算编制数 for 年初预算数, 资金结（转）余, 调整后指标值), the
等级 row and the 项目绩效分析 rows are printed only when the table gives them; the table widens
to hold the columns, and the widest cells (得分, 三级指标) take up what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from markupsafe import Markup, escape

from generator.content.evaluations import ANALYSIS, Evaluation, FundRow, Indicator, Mark, TaskRow
from generator.money import NotAnAmount, format_percent, parse_amount
from generator.render.grid import (  # Cell: the same cell as the nine tables (kind, text, value, spans)
    GridCell as Cell,
)
from generator.render.grid import known_safe

PROJECT_WIDTH = 9  # 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
TASKS_WIDTH = 13  # 任务 block: label + 任务名称 主要内容 完成情况 + 3 预算 + 3 执行 + 分值 执行率 得分
FUNDS_FIXED = 5  # 项目资金 | row label | 分值 | 执行率 | 得分, besides the amount columns
INDICATORS_FIXED = 8  # 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分, besides the optional ones
MIN_DECIMALS = 2  # amounts print with at least two decimals, as entered when they have more


@dataclass(frozen=True)
class Columns:
    """The optional columns a table prints: each only when some row of the table gives it."""

    initial: bool  # 年初预算数: printed unless the table splits it into 目标申报数 and 预算编制数 alone
    split: bool  # 目标申报数 | 预算编制数
    balance: bool  # 资金结（转）余
    adjusted: bool  # 调整后指标值
    deviation: bool  # 偏差原因分析及改进措施 (always in a project table)

    @property
    def amounts(self) -> list[tuple[str, str]]:
        """The amount columns of the funds rows: (FundRow attribute, heading), in the printed order."""
        return ([("initial", "年初预算数")] if self.initial else []) + \
            ([("declared", "目标申报数"), ("prepared", "预算编制数")] if self.split else []) + \
            [("budget", "全年预算数（A）"), ("actual", "全年执行数（B）")] + \
            ([("balance", "资金结（转）余")] if self.balance else [])

    @property
    def indicator_width(self) -> int:
        """Columns the indicators need with a one-column 三级指标."""
        return INDICATORS_FIXED + self.adjusted + self.deviation


def columns(ev: Evaluation) -> Columns:
    funds = ev.funds if ev.funds_layout == "rows" else []
    split = any(f.declared is not None or f.prepared is not None for f in funds)
    return Columns(
        initial=not split or any(f.initial is not None for f in funds), split=split,
        balance=any(f.balance is not None for f in funds),
        adjusted=any(i.adjusted_target for i in ev.indicators),
        deviation=ev.kind == "project" or any(i.deviation for i in ev.indicators) or bool(ev.deviation_total))


def table_width(ev: Evaluation, cols: Columns | None = None) -> int:
    """How many columns the table has: the form's own, or more when its optional columns need them."""
    cols = cols or columns(ev)
    if ev.funds_layout == "tasks":
        return max(TASKS_WIDTH, cols.indicator_width)
    return max(PROJECT_WIDTH, FUNDS_FIXED + len(cols.amounts), cols.indicator_width)


def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell("head", text, colspan=colspan, rowspan=rowspan)


def text(value: str, colspan: int = 1) -> Cell:
    return Cell("text", value, colspan=colspan)


def amount(value: Decimal | None) -> Cell:
    return Cell("amount", value=value) if value is not None else Cell("text")


def as_entered(value: Decimal) -> str:
    """An amount with the decimals it was entered with, two at least: 8.007 stays 8.007, 25 prints 25.00. No
    rounding: a format with at least as many places as the value has is exact."""
    places = max(MIN_DECIMALS, -value.as_tuple().exponent)
    return f"{value:.{places}f}"


def mark(m: Mark | None, colspan: int = 1) -> Cell:
    return Cell("text", m.text if m else "", colspan=colspan)


def rate(value: Decimal | None) -> Cell:
    return Cell("text", f"{format_percent(value)}%" if value is not None else "")


def rate_cell(row: FundRow | TaskRow) -> Cell:
    """执行率: as the file states it, else computed (B/A at two decimals); blank without either."""
    return text(printed_rate(row.rate_stated)) if row.rate_stated else rate(row.rate)


def printed_rate(stated: str) -> str:
    """A stated 执行率 as printed: as written, with “%” after a bare number (96.2 → 96.2%)."""
    try:
        parse_amount(stated)
    except NotAnAmount:
        return stated
    return f"{stated}%"


def evaluation_rows(ev: Evaluation) -> list[list[Cell]]:
    cols = columns(ev)
    width = table_width(ev, cols)
    rows: list[list[Cell]] = []
    if ev.kind == "project":
        rows.append([head("项目名称"), text(ev.name, width - 1)])
        rows.append([head("主管部门"), text(ev.department, 3), head("实施单位"), text(ev.unit_name, width - 5)])
    else:
        rows.append([head("部门（单位）名称"), text(ev.unit_name, width - 1)])
    rows += _tasks(ev, width) if ev.funds_layout == "tasks" else _funds(ev, width, cols)
    half = (width - 1) // 2
    rows.append([head("年度总体目标完成情况", rowspan=2), head("预期目标（年初设定）", half),
                 head("目标实际完成情况", width - 1 - half)])
    rows.append([Cell("prose", ev.expected, colspan=half), Cell("prose", ev.achieved, colspan=width - 1 - half)])
    rows += _indicators(ev, width, cols)
    rows += _analysis(ev, width)
    for row in rows:
        for cell in row:
            _finish(cell)
    return rows


def _finish(cell: Cell) -> None:
    """The cell's class and spans, and its content as printed: amounts as entered (two decimals at least), prose
    one paragraph per line, everything escaped."""
    kind = cell.kind
    if kind == "amount":
        printed = known_safe(as_entered(cell.value))  # digits, a point and a sign
    elif kind == "prose":
        printed = paragraphs(cell.text)
    else:
        kind = kind if kind in ("head", "label") else "text"
        printed = escape(cell.text)
    cell.tag_attributes = known_safe(f' class="{kind}"{cell._spans()}')
    cell.printed = printed


def paragraphs(text: str) -> Markup:
    """Plain text as printed in a form's cell: one paragraph per line, list numbers kept as text."""
    return known_safe("".join(f"<p>{escape(line.strip())}</p>" for line in (text or "").splitlines() if line.strip()))


def _funds(ev: Evaluation, width: int, cols: Columns) -> list[list[Cell]]:
    label = "项目资金（万元）" if ev.kind == "project" else "年度资金预算情况（万元）"
    first = "" if ev.kind == "project" else "部门（单位）整体支出"
    amounts = cols.amounts
    last = width - FUNDS_FIXED - len(amounts) + 1  # 得分 takes the columns left over
    rows = [[head(label, rowspan=1 + len(ev.funds)), head(first), *(head(h) for _k, h in amounts), head("分值"),
             head("执行率（B/A）"), head("得分", last)]]
    for f in ev.funds:
        rows.append([Cell("label", f.label), *(amount(getattr(f, k)) for k, _h in amounts), mark(f.weight),
                     rate_cell(f), mark(f.score, last)])
    return rows


def _tasks(ev: Evaluation, width: int) -> list[list[Cell]]:
    rows = [
        [head("年度主要任务完成情况", rowspan=2 + len(ev.tasks) + (1 if ev.tasks_total else 0)), head("任务名称", rowspan=2),
         head("主要内容", rowspan=2), head("完成情况", rowspan=2), head("全年预算数（万元）", 3),
         head("全年执行数（万元）", 3), head("分值", rowspan=2), head("执行率", rowspan=2), head("得分", rowspan=2)],
        [head("总额"), head("财政拨款"), head("其他资金"), head("总额"), head("财政拨款"), head("其他资金")],
    ]
    for t in ev.tasks:
        rows.append([Cell("label", t.name), text(t.content), text(t.completion), *_split(t), mark(t.weight),
                     rate_cell(t), mark(t.score)])
    if ev.tasks_total:
        t = ev.tasks_total
        rows.append([Cell("label", "金额合计", colspan=3), *_split(t), mark(t.weight), rate_cell(t), mark(t.score)])
    return rows


def _split(t: TaskRow) -> list[Cell]:
    return [amount(side.get(k)) for side in (t.budget, t.actual) for k in ("total", "fiscal", "other")]


def _indicators(ev: Evaluation, width: int, cols: Columns) -> list[list[Cell]]:
    last = [head("偏差原因分析及改进措施")] if cols.deviation else []
    name_span = width - cols.indicator_width + 1  # 三级指标 stretches over the columns left over
    group = 2 + len(ev.indicators) + (1 if ev.subtotal else 0) + (1 if ev.grade else 0)
    header = [head("绩效指标", rowspan=group), head("一级指标"), head("二级指标"), head("三级指标", name_span),
              head("年度指标值"), *([head("调整后指标值")] if cols.adjusted else []), head("实际完成值"), head("分值"),
              head("得分")]
    rows = [header + last]
    body: list[list[Cell]] = [[] for _ in ev.indicators]
    for level1, group_rows in _runs(ev.indicators, lambda i: (i.level1, i.level1_weight)):
        body[group_rows[0]].append(Cell("label", _level1_text(*level1), rowspan=len(group_rows)))
        for _level2, sub in _runs([ev.indicators[k] for k in group_rows], lambda i: i.level2):
            body[group_rows[sub[0]]].append(Cell("label", _level2, rowspan=len(sub)))
    for k, i in enumerate(ev.indicators):
        body[k] += [text(i.name, name_span), text(i.target), *([text(i.adjusted_target)] if cols.adjusted else []),
                    text(i.actual), mark(i.weight), mark(i.score)]
        if cols.deviation:
            body[k].append(text(i.deviation))
    rows += body
    span = 2 + name_span + 2 + cols.adjusted  # 一级, 二级, 三级, 年度指标值, (调整后指标值), 实际完成值
    if ev.subtotal:
        label, weight, score = ev.subtotal
        rows.append([head(label, span), mark(weight), mark(score)] + ([text("")] if cols.deviation else []))
    total = [head("总分" if ev.kind == "project" else "合计", span), mark(ev.total_weight), mark(ev.total_score)]
    rows.append(total + ([text(ev.deviation_total)] if cols.deviation else []))
    if ev.grade:  # printed with the 总分, under it: over the 分值, 得分 (and 偏差) columns
        rows.append([head("自评等级", span), text(ev.grade, width - 1 - span)])
    if ev.explanation:
        rows.append([head("说明"), text(ev.explanation, width - 1)])
    return rows


def _analysis(ev: Evaluation, width: int) -> list[list[Cell]]:
    """项目绩效分析 under the table: a row for each of its texts the table gives, labelled, in the printed order."""
    given = list(ev.analysis.items())
    if not given:
        return []
    rows = [[Cell("label", ANALYSIS[key]), Cell("prose", body, colspan=width - 2)] for key, body in given]
    rows[0].insert(0, head("项目绩效分析" if ev.kind == "project" else "绩效分析", rowspan=len(rows)))
    return rows


def _runs(items: list[Indicator], key) -> list[tuple[object, list[int]]]:
    """Consecutive indicators sharing ``key``: (key, their positions) — the rowspan groups."""
    runs, position = [], 0
    for value, group in groupby(items, key=key):
        size = len(list(group))
        runs.append((value, list(range(position, position + size))))
        position += size
    return runs


def _level1_text(name: str, weight: Decimal | None) -> str:
    return f"{name}（{weight.normalize():f}分）" if weight is not None else name
