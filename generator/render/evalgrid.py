"""Laying out a 绩效自评表: an Evaluation → rows of cells with the spans the printed form uses.

The template renders the cells as they come (see templates/parts/evaluations.html); rates
are computed here, never in the template. As for the nine tables, each cell's attributes
and escaped content are made once here (``tag_attributes``, ``printed``): a document has
about a thousand of these cells, and the template only places them.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from markupsafe import Markup, escape

from generator.content.evaluations import Evaluation, Indicator, Mark, TaskRow
from generator.money import format_amount, format_percent
from generator.render.grid import (  # Cell: the same cell as the nine tables (kind, text, value, spans)
    GridCell as Cell,
)
from generator.render.grid import known_safe

PROJECT_WIDTH = 9  # 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
TASKS_WIDTH = 13  # 任务 block: label + 任务名称 主要内容 完成情况 + 3 预算 + 3 执行 + 分值 执行率 得分


def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell("head", text, colspan=colspan, rowspan=rowspan)


def text(value: str, colspan: int = 1) -> Cell:
    return Cell("text", value, colspan=colspan)


def amount(value: Decimal | None) -> Cell:
    return Cell("amount", value=value) if value is not None else Cell("text")


def mark(m: Mark | None, colspan: int = 1) -> Cell:
    return Cell("text", m.text if m else "", colspan=colspan)


def rate(value: Decimal | None) -> Cell:
    return Cell("text", f"{format_percent(value)}%" if value is not None else "")


def evaluation_rows(ev: Evaluation) -> list[list[Cell]]:
    width = TASKS_WIDTH if ev.funds_layout == "tasks" else PROJECT_WIDTH
    rows: list[list[Cell]] = []
    if ev.kind == "project":
        rows.append([head("项目名称"), text(ev.name, width - 1)])
        rows.append([head("主管部门"), text(ev.department, 3), head("实施单位"), text(ev.unit_name, width - 5)])
    else:
        rows.append([head("部门（单位）名称"), text(ev.unit_name, width - 1)])
    rows += _tasks(ev, width) if ev.funds_layout == "tasks" else _funds(ev, width)
    half = (width - 1) // 2
    rows.append([head("年度总体目标完成情况", rowspan=2), head("预期目标（年初设定）", half),
                 head("目标实际完成情况", width - 1 - half)])
    rows.append([Cell("prose", ev.expected, colspan=half), Cell("prose", ev.achieved, colspan=width - 1 - half)])
    rows += _indicators(ev, width)
    for row in rows:
        for cell in row:
            _finish(cell)
    return rows


def _finish(cell: Cell) -> None:
    """The cell's class and spans, and its content as printed: amounts with two decimals, prose one
    paragraph per line, everything escaped."""
    kind = cell.kind
    if kind == "amount":
        printed = known_safe(format_amount(cell.value))  # digits and a sign
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


def _funds(ev: Evaluation, width: int) -> list[list[Cell]]:
    label = "项目资金（万元）" if ev.kind == "project" else "年度资金预算情况（万元）"
    first = "" if ev.kind == "project" else "部门（单位）整体支出"
    rows = [[head(label, rowspan=1 + len(ev.funds)), head(first), head("年初预算数"), head("全年预算数（A）"),
             head("全年执行数（B）"), head("分值"), head("执行率（B/A）"), head("得分", width - 7)]]
    for f in ev.funds:
        rows.append([Cell("label", f.label), amount(f.initial), amount(f.budget), amount(f.actual), mark(f.weight),
                     rate(f.rate), mark(f.score, width - 7)])
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
                     rate(t.rate), mark(t.score)])
    if ev.tasks_total:
        t = ev.tasks_total
        rows.append([Cell("label", "金额合计", colspan=3), *_split(t), mark(t.weight), rate(t.rate), mark(t.score)])
    return rows


def _split(t: TaskRow) -> list[Cell]:
    return [amount(side.get(k)) for side in (t.budget, t.actual) for k in ("total", "fiscal", "other")]


def _indicators(ev: Evaluation, width: int) -> list[list[Cell]]:
    with_deviation = ev.kind == "project" or any(i.deviation for i in ev.indicators) or ev.deviation_total
    last = 1 if with_deviation else 0
    name_span = width - 1 - 2 - 4 - last  # 一级, 二级 | 三级 (stretched) | 年度指标值, 实际完成值, 分值, 得分 | 偏差
    header = [head("绩效指标", rowspan=2 + len(ev.indicators) + (1 if ev.subtotal else 0)), head("一级指标"), head("二级指标"),
              head("三级指标", name_span), head("年度指标值"), head("实际完成值"), head("分值"), head("得分")]
    rows = [header + ([head("偏差原因分析及改进措施")] if last else [])]
    body: list[list[Cell]] = [[] for _ in ev.indicators]
    for level1, group in _runs(ev.indicators, lambda i: (i.level1, i.level1_weight)):
        body[group[0]].append(Cell("label", _level1_text(*level1), rowspan=len(group)))
        for _level2, sub in _runs([ev.indicators[k] for k in group], lambda i: i.level2):
            body[group[sub[0]]].append(Cell("label", _level2, rowspan=len(sub)))
    for k, i in enumerate(ev.indicators):
        body[k] += [text(i.name, name_span), text(i.target), text(i.actual), mark(i.weight), mark(i.score)]
        if last:
            body[k].append(text(i.deviation))
    rows += body
    span = 2 + name_span + 2
    if ev.subtotal:
        label, weight, score = ev.subtotal
        rows.append([head(label, span), mark(weight), mark(score)] + ([text("")] if last else []))
    total = [head("总分" if ev.kind == "project" else "合计", span), mark(ev.total_weight), mark(ev.total_score)]
    rows.append(total + ([text(ev.deviation_total)] if last else []))
    if ev.explanation:
        rows.append([head("说明"), text(ev.explanation, width - 1)])
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


def table_width(ev: Evaluation) -> int:
    return TASKS_WIDTH if ev.funds_layout == "tasks" else PROJECT_WIDTH

