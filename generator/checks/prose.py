"""Rules over the figures authors type into the 情况说明's prose: each checked against the computed figures.

Every author-written text of the ``narrative`` (reasons, notes, purposes, replacement paragraphs, 绩效 and 其他
说明; whatever fields the file gains later) is read with ``prose_claims.claims``; each amount or percentage it
states is looked for among the figures computed for the text's own section (``compute.narrative.describe``) and the
tables' totals, within one 尾差.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from decimal import Context as DecimalContext
from typing import Iterable, Iterator

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, WARNING, Finding
from generator.checks.prose_claims import (
    AMOUNT,
    BUDGET,
    BUDGET_BASIS,
    COMPLETION,
    DOWN,
    PREVIOUS,
    RATE,
    SHARE,
    UNIT_IN_WAN,
    UP,
    Claim,
    claims,
    sentences,
)
from generator.compute.figures import CodedTable
from generator.compute.narrative import Change, Completion, Share
from generator.money import HUNDRED, format_amount, format_percent, ratio_percent, round_cent

NARRATIVE = ("narrative",)
# Where a field of ``Narrative`` sits in the file when that is not under its own name.
FILE_PATH = {"items": ("general_budget", "items")}
# Sections whose prose usually explains figures computed in another section too.
RELATED = {"overall": ("income", "expenditure"), "general_budget": ("basic",)}
# Computed figures that are no amount: scores and counts.
NOT_AMOUNTS = {"average", "lowest", "overall_score"}
MEASURES = {SHARE: "占比", COMPLETION: "完成率"}
RATE_TOLERANCE = Decimal("0.01")  # a rate worked out from printed (rounded) amounts may differ by this
_ROOMY = DecimalContext(prec=60)


@dataclass(frozen=True)
class Known:
    """A figure a text may state: its value (万元, or percent), what it measures, its direction, and how the
    document words it (for messages)."""

    value: Decimal | None  # None: a rate of a zero base, which cannot be stated
    kind: str  # AMOUNT / RATE
    basis: str | None = None  # 上年 / 预算: a difference or rate of change against it
    measure: str | None = None  # share / completion (rates that are no change)
    direction: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    severity: str  # ERROR or WARNING
    message: str
    hint: str


@rule("text-figures", ERROR, "情况说明文字中的数字写法正确、增减方向与计算一致")
def text_figures(ctx: Context) -> Iterable[Finding]:
    """作者在情况说明中填写的每一段文字（原因 reason、reason_budget、reason_previous，用途 purpose，说明 note，
    替换生成段落的 text，绩效情况 performance，其他需要说明的情况 other，以及以后增加的文字字段）中写出的金额和百分比，
    逐个与该节计算出的数核对。以下是错误：数字写法不成立（“42.19%万元”“万元%”等单位重复，“∞%”“NaN%”等不是数，
    “增长-5%”“减少-3万元”等增减词后写负数，“增长%”缺少数字）；文中的数与该节计算出的增减额、增减幅度、完成率相同，
    但增减方向写反（计算为增加，文中写“较上年减少 0.16 万元，下降 13.45%”）；上年数（预算数、总额）为零、
    增减幅度（完成率、占比）无法计算时，文中仍写了百分比；自己写的一节（text）开头的总计（收入支出总计、
    财政拨款收入支出总计、本年收入合计、本年支出合计）与表中的不符；同一句写了较上年的增减额和增减幅度，
    二者互相矛盾（幅度＝增减额÷上年数，上年数由本年数和增减额推出）。"""
    for path, verdict in _verdicts(ctx):
        if verdict.severity == ERROR:
            yield _finding(ctx, "text-figures", path, verdict)


@rule("text-figures-unmatched", WARNING, "情况说明文字中的金额、百分比是该节计算出的数")
def text_figures_unmatched(ctx: Context) -> Iterable[Finding]:
    """情况说明各节作者填写的文字中写出的金额或百分比，如不是该节计算出的任何一个数（金额、上年数、预算数、
    增减额、增减幅度、完成率、占比，在尾差范围内，按文中写的位数四舍五入后比较），也不是各表的合计数，
    可能是写错或沿用了上年的数。“较上年增加 X 万元”只与较上年的增减额比较，“增长 Y%”与增减幅度，
    “完成预算的 Z%”与完成率，“占 W%”与占比比较。作者也可能引用表外的数（如某一明细项目的金额），所以只是警告。
    门槛和约数（“单价 100 万元以上的设备”“约 12 万元”“5.5% 以内”）不核对；绩效情况（performance）、
    其他需要说明的情况（other）等不属于某一节的文字常写表外的数，也不作此项核对。"""
    for path, verdict in _verdicts(ctx):
        if verdict.severity == WARNING:
            yield _finding(ctx, "text-figures-unmatched", path, verdict)


def _finding(ctx: Context, rule_id: str, path: tuple, verdict: Verdict) -> Finding:
    return ctx.finding(rule_id, f"情况说明 {'.'.join(map(str, path))}", verdict.message, NARRATIVE + path,
                       hint=verdict.hint)


def _verdicts(ctx: Context) -> Iterator[tuple[tuple, Verdict]]:
    totals: list[Known] | None = None
    for path, text in author_texts(ctx.dept.narrative):
        scope = section_scope(ctx, path)
        # free prose (绩效, 其他说明: no section of its own) is only checked for figures no document prints
        stated = [c for c in claims(text) if scope is not None or c.problem]
        if not stated:
            continue
        if totals is None and scope is not None:
            totals = table_totals(ctx)
        figures = totals + list(section_figures(scope)) if scope is not None else []
        for claim in stated:
            verdict = judge(claim, figures, ctx.allowed())
            if verdict is not None:
                yield path, verdict
        if scope is not None:
            if path[1:] == ("text",) and (verdict := opening_total(ctx, path[0], stated)) is not None:
                yield path, verdict
            for verdict in change_rates(text):
                yield path, verdict


# The total each of these sections opens with, and the table figure it states: (table, figure, words)
OPENING_TOTALS = {"overall": ("t01", "income_grand_total", "收入支出总计"),
                  "fiscal": ("t04", "income_grand_total", "财政拨款收入支出总计"),
                  "income": ("t01", "income_total", "本年收入合计"),
                  "expenditure": ("t01", "expenditure_total", "本年支出合计")}
HALF_CENT = Decimal("0.005")


def opening_total(ctx: Context, key: str, stated: Iterable[Claim]) -> Verdict | None:
    """A section's own paragraph opens with its total (收入支出总计…): the table's, within one 尾差."""
    if key not in OPENING_TOTALS:
        return None
    table, figure, words = OPENING_TOTALS[key]
    first = next((c for c in stated if c.kind == AMOUNT and c.value is not None and not c.direction), None)
    if first is None:
        return None
    printed = ctx.computed[table].value(figure)
    if abs(first.value * UNIT_IN_WAN[first.unit] - printed) <= ctx.allowed():
        return None
    return Verdict(first, ERROR, f"文中“{first.phrase}”写{words}为 {first.text.strip()}，与"
                   f"{ctx.computed.form.tables[table].name}的 {format_amount(printed)} 万元不符", f"{words}应与表中的总计一致")




def change_rates(text: str) -> Iterator[Verdict]:
    """A sentence stating this year's figure, its change against last year and the rate of change: the rate must be
    the change over last year's figure, which the sentence implies (within what its printed cents round from)."""
    for _offset, sentence in sentences(text):
        found = claims(sentence)
        change = next((c for c in found if c.kind == AMOUNT and c.direction in (UP, DOWN) and c.value is not None
                       and c.basis == PREVIOUS), None)
        rate = next((c for c in found if c.kind == RATE and c.direction in (UP, DOWN) and c.value is not None
                     and c.basis == PREVIOUS), None)
        if change is None or rate is None:
            continue
        # this year's figure: the last stated before the change that is not a budget (“预算9.00万元，支出决算7.28万元”)
        level = next((c for c in reversed(found) if c.kind == AMOUNT and c.value is not None and not c.direction
                      and c.start < change.start and not BUDGET_BASIS.search(c.phrase)), None)
        if level is None:
            continue
        current, amount = level.value * UNIT_IN_WAN[level.unit], change.value * UNIT_IN_WAN[change.unit]
        previous = current - amount if change.direction == UP else current + amount
        if previous <= HALF_CENT * 2:
            continue
        places = Decimal(1).scaleb(-rate.places)
        low, high = ((a * HUNDRED / p).quantize(places, rounding=ROUND_HALF_UP)
                     for a, p in ((amount - HALF_CENT, previous + 2 * HALF_CENT),
                                  (amount + HALF_CENT, previous - 2 * HALF_CENT)))
        if not low <= rate.value <= high:
            expected = (amount * HUNDRED / previous).quantize(places, rounding=ROUND_HALF_UP)
            yield Verdict(rate, ERROR, f"文中“{sentence.strip()[:60]}”：{change.text.strip()}的增减对应上年 "
                          f"{format_amount(previous)} 万元，幅度应为 {expected}%，文中为 {rate.text.strip()}",
                          "核对增减额和增减幅度")


def author_texts(narrative) -> Iterator[tuple[tuple, str]]:
    """Every non-empty text of the narrative with its path in the file (under ``narrative``), whatever the fields."""

    def walk(value, path):
        if isinstance(value, str):
            if value.strip():
                yield path, value
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                yield from walk(getattr(value, f.name), path + (f.name,))
        elif isinstance(value, dict):
            for key, sub in value.items():
                yield from walk(sub, path + (key,))

    for f in dataclasses.fields(narrative):
        yield from walk(getattr(narrative, f.name), FILE_PATH.get(f.name, (f.name,)))


def section_scope(ctx: Context, path: tuple) -> list | None:
    """The computed figures a text at ``path`` speaks of: its section (for a 项's text its 项; for a 类's or 款's,
    the 项 under it and its row of 公开05表; for a “三公” item's, that item), with related sections; None for a text
    of no computed section (绩效, 其他说明, a 科目 not in 公开05表)."""
    described = ctx.narrative
    if path[:2] == ("general_budget", "items"):
        code = str(path[2])
        budget = described["general_budget"]
        row = ctx.computed["t05"].row(code)
        under = [e for e in budget["entries"] if e["code"].startswith(code)]
        under += [c for c in budget.get("by_class", ()) if c["code"] == code]
        under += [{key: f.value for key, f in row.figures.items()}] if row is not None else []
        return under or None
    if path[0] not in described or not isinstance(described[path[0]], dict):
        return None
    value = described[path[0]]
    for key in path[1:]:
        if not isinstance(value.get(key), dict):
            break
        value = value[key]
    return [value, *(described[k] for k in RELATED.get(path[0], ()) if k in described)]


def table_totals(ctx: Context) -> list[Known]:
    """The total row of each coded table and every figure of the other tables (公开01、04、06、09表…)."""
    found = []
    for table in ctx.computed.tables.values():
        figures = table.total.figures.values() if isinstance(table, CodedTable) else table.figures.values()
        found += [_amount(f.value) for f in figures]
    return found


def section_figures(value, key: str = "") -> Iterator[Known]:
    """Every figure computed in a section of the 情况说明 (a nested mapping of amounts, changes, completions, shares)."""
    if isinstance(value, Change):
        yield from _change(value)
    elif isinstance(value, Completion):
        yield from _completion(value)
    elif isinstance(value, Share):
        yield _amount(value.amount)
        yield _share(value.share, value.label)
    elif isinstance(value, Decimal) or value is None:
        if "share" in key:
            yield _share(value)
        elif key == "rate":
            yield Known(value, RATE, measure=COMPLETION,
                        label=f"完成率 {_percent(value)}" if value is not None else "预算数为零，完成率无法计算")
        elif value is not None and key not in NOT_AMOUNTS:
            yield _amount(value)
    elif isinstance(value, dict):
        for k, sub in value.items():
            yield from section_figures(sub, str(k))
    elif isinstance(value, (list, tuple)):
        for sub in value:
            yield from section_figures(sub, key)


def _amount(value: Decimal) -> Known:
    return Known(value, AMOUNT, label=f"{format_amount(value)} 万元")


def _share(value: Decimal | None, label: str = "") -> Known:
    return Known(value, RATE, measure=SHARE,
                 label=f"{label}占比 {_percent(value)}" if value is not None else f"{label}所占的总额为零，占比无法计算")


def _change(c: Change) -> Iterator[Known]:
    yield _amount(c.current)
    yield _amount(c.previous)
    yield Known(c.amount, AMOUNT, PREVIOUS, direction=c.direction,
                label=f"较上年{c.direction} {format_amount(c.amount)} 万元")
    for rate in _rates(c.rate, abs(c.current - c.previous), c.previous, c.amount, round_cent(c.previous)):
        yield Known(rate, RATE, PREVIOUS, direction=c.direction,
                    label=f"较上年{c.verb} {_percent(rate)}" if rate is not None else "上年数为零，增减幅度无法计算")


def _completion(c: Completion) -> Iterator[Known]:
    yield _amount(c.actual)
    yield _amount(c.budget)
    yield Known(c.difference, AMOUNT, BUDGET, direction=c.direction,
                label=f"决算{c.comparison}预算 {format_amount(c.difference)} 万元")
    for rate in _rates(c.rate, c.actual, c.budget, round_cent(c.actual), round_cent(c.budget)):
        yield Known(rate, RATE, measure=COMPLETION,
                    label=f"完成预算的 {_percent(rate)}" if rate is not None else "预算数为零，完成率无法计算")
        deviation = abs(rate - HUNDRED) if rate is not None else None
        yield Known(deviation, RATE, BUDGET, direction=c.direction,
                    label=f"较预算{c.direction} {_percent(deviation)}" if rate is not None else "预算数为零，增减幅度无法计算")


def _rates(exact: Decimal | None, part: Decimal, whole: Decimal, printed_part: Decimal,
           printed_whole: Decimal) -> list[Decimal | None]:
    """The rate as the document prints it (``exact``, rounded to 0.01), unrounded (a text may round it to fewer
    places), and as a reader works it out from the printed amounts; [None] for a zero base."""
    if exact is None:
        return [None]
    rates = [exact, part * HUNDRED / whole]
    if printed_whole:
        rates.append(ratio_percent(printed_part, printed_whole))
    return list(dict.fromkeys(rates))


def _percent(value: Decimal | None) -> str:
    return f"{format_percent(round_cent(value) if value is not None else None)}%"


def judge(claim: Claim, figures: list[Known], allowed: Decimal) -> Verdict | None:
    """What is wrong with one stated figure, given the figures it may state, amounts within ``allowed`` (None:
    nothing)."""
    if claim.problem:
        return Verdict(claim, ERROR, f"文中“{claim.phrase}”：{claim.problem}",
                       "改正这个数；情况说明中的金额和百分比最好不手写，由工具从表中生成")
    if claim.approximate:  # a threshold or an estimate: nothing to compare
        return None
    pool = [f for f in figures if _comparable(claim, f)]
    same = [f for f in pool if f.value is not None and _matches(claim, f, allowed)]
    if claim.direction not in (UP, DOWN) and same:
        return None
    if any(f.direction == claim.direction for f in same):
        return None
    opposite = [f for f in same if f.direction]
    if opposite:
        return Verdict(claim, ERROR, f"文中“{claim.phrase}”写的是{claim.word}，计算结果为{opposite[0].label}",
                       "按计算结果改正增减方向，或核对上年数、预算数")
    undefined = [f for f in pool if f.value is None]
    known_rate = claim.direction in (UP, DOWN) or claim.measure  # the words say which rate it is
    if undefined and known_rate and not any(f.value is not None for f in pool):
        return Verdict(claim, ERROR, f"文中“{claim.phrase}”：{undefined[0].label}，不应写百分比",
                       "删去这个百分比，只写增减金额")
    return Verdict(claim, WARNING, _unmatched(claim, pool), "核对这个数；如引用的是表外的数（如某一明细项目），可不理会")


def _comparable(claim: Claim, f: Known) -> bool:
    """Whether ``f`` is the kind of figure ``claim`` states (a change only for a figure with a direction word)."""
    if f.kind != claim.kind:
        return False
    if claim.direction in (UP, DOWN):  # a difference or a rate of change (持平 with a figure states the level)
        return f.direction is not None and claim.basis in (None, f.basis)
    if claim.kind == AMOUNT:
        return True
    if claim.measure:
        return f.measure == claim.measure
    return True


def _matches(claim: Claim, f: Known, allowed: Decimal) -> bool:
    """Whether ``f`` rounds to what ``claim`` writes, at the places written, within one 尾差."""
    if claim.kind == AMOUNT:
        scale = UNIT_IN_WAN[claim.unit]
        value, tolerance = f.value / scale, allowed / scale
    else:
        value, tolerance = f.value, RATE_TOLERANCE
    rounded = value.quantize(Decimal(1).scaleb(-claim.places), rounding=ROUND_HALF_UP, context=_ROOMY)
    return abs(rounded - claim.value) <= tolerance


def _unmatched(claim: Claim, pool: list[Known]) -> str:
    message = f"文中“{claim.phrase}”的 {claim.text.strip()} 不是本节计算出的数"
    if claim.direction in (UP, DOWN) or claim.measure:
        labels = list(dict.fromkeys(f.label for f in pool if f.value is not None))
        if labels:
            return message + f"（计算结果：{'；'.join(labels[:3])}{'等' if len(labels) > 3 else ''}）"
        if claim.measure:
            return message + f"（本节没有可核对的{MEASURES[claim.measure]}）"
        what = {PREVIOUS: "较上年的增减（未填写上年数）", BUDGET: "与预算的比较（未填写预算数）", None: "增减"}[claim.basis]
        return message + f"（本节没有可核对的{what}）"
    return message + ("，也不是各表的合计数" if claim.kind == AMOUNT else "（与本节的占比、完成率、增减幅度都不符）")
