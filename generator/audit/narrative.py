"""The 情况说明 of a published PDF checked against its own tables: the same claims and judgement as the
``text-figures`` rule (``checks.prose``), over the sentences the PDF prints.

Each section is found by its heading as the form prints it (``authoring.pdf.sections``).

What a published text can be held to, without the department's own file:
- every figure as written correctly (no “%万元”, no “∞”), a share (占 W%) equal to the share the tables give, a
  direction word that agrees with what the tables give — as ``text-figures``;
- the total a section opens with (收入支出总计, 财政拨款收入支出总计, 本年收入合计, 本年支出合计) equal to the table's;
- a change against last year stated with both its amount and its rate consistent with itself: the rate is the
  amount over last year's figure (this year's less the increase, or plus the decrease).
Figures against last year or the budget that the tables cannot confirm are not reported: the PDF does not state
those bases apart from the sentence itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from generator.authoring.pdf.reading import PdfDocument
from generator.checks.engine import Context
from generator.checks.findings import ERROR, Finding
from generator.checks.prose import judge, section_figures, section_scope, table_totals
from generator.checks.prose_claims import (
    AMOUNT,
    COMPLETION,
    DOWN,
    PREVIOUS,
    RATE,
    SHARE,
    UNIT_IN_WAN,
    UP,
    claims,
    sentences,
)
from generator.compute.narrative import Share
from generator.forms.profiles import Profile
from generator.forms.sections import walk
from generator.money import CENT, HUNDRED

HALF_CENT = CENT / 2
# The total each of these sections opens with, and the table figure it states.
OPENING_TOTALS = {"overall": ("t01", "income_grand_total", "收入支出总计"),
                  "fiscal": ("t04", "income_grand_total", "财政拨款收入支出总计"),
                  "income": ("t01", "income_total", "本年收入合计"),
                  "expenditure": ("t01", "expenditure_total", "本年支出合计")}


def narrative_findings(ctx: Context, doc: PdfDocument, sections: dict[str, tuple[int, str]]) -> Iterator[Finding]:
    """Every figure of the printed 情况说明 that its tables contradict, located by page and quoted."""
    totals = table_totals(ctx)
    for key, (page, text) in sections.items():
        place = f"{doc.shown} 第 {page} 页"
        where = f"情况说明“{_heading(ctx.computed.profile, key)}”"
        scope = section_scope(ctx, (key,)) or []
        # only what the tables give: the PDF states no budget and no last year's figure apart from its sentences
        pool = [k for value in scope for k in section_figures(value) if k.value is not None and k.basis is None
                and k.measure != COMPLETION] + totals
        found = claims(text)
        for claim in found:
            if not claim.problem and (claim.basis is not None or claim.measure == COMPLETION):
                continue  # against last year or the budget: not in the tables (a change's rate: see _changes)
            verdict = judge(claim, pool, ctx.allowed())
            if verdict is None:
                continue
            if verdict.severity == ERROR:
                yield Finding("pdf-text-figures", ERROR, where, verdict.message, place, None, hint=verdict.hint)
            elif claim.measure == SHARE and any(k.measure == SHARE for k in pool):  # a share the tables give
                share = _share_of(scope, [c for c in found if c.kind == AMOUNT and c.end <= claim.start], ctx)
                message = (f"文中“{claim.phrase}”：{share.label} {share.amount} 万元占 {share.share}%，文中为 "
                           f"{claim.text.strip()}" if share is not None and share.share is not None else verdict.message)
                yield Finding("pdf-text-figures", ERROR, where, message, place, None,
                              expected=share.share if share is not None else None, found=claim.value,
                              hint="占比按表中的数计算：该项 ÷ 合计，四舍五入到两位小数")
        yield from _opening_total(ctx, key, found, place, where)
        yield from _changes(text, place, where)


def _share_of(scope: list, before: list, ctx: Context) -> Share | None:
    """The computed share of the amount stated just before a share (“其他收入 1112.04 万元，占 12.20%”)."""
    if not before or before[-1].value is None:
        return None
    stated = before[-1].value * UNIT_IN_WAN[before[-1].unit]
    return next((s for s in _shares(scope) if abs(s.amount - stated) <= ctx.allowed()), None)


def _shares(value) -> Iterator[Share]:
    if isinstance(value, Share):
        yield value
    elif isinstance(value, dict):
        for sub in value.values():
            yield from _shares(sub)
    elif isinstance(value, (list, tuple)):
        for sub in value:
            yield from _shares(sub)


def _heading(profile: Profile, key: str) -> str:
    return next((h.text for h in walk(profile.outline()) if h.key == key), key)


def _opening_total(ctx: Context, key: str, found, place: str, where: str) -> Iterable[Finding]:
    if key not in OPENING_TOTALS:
        return
    table, figure, words = OPENING_TOTALS[key]
    first = next((c for c in found if c.kind == AMOUNT and c.value is not None and not c.direction), None)
    if first is None:
        return
    stated = first.value * UNIT_IN_WAN[first.unit]
    printed = ctx.computed[table].value(figure)
    if abs(stated - printed) > ctx.allowed():
        label = ctx.computed.form.tables[table].name
        yield Finding("pdf-text-figures", ERROR, where, f"文中“{first.phrase}”写{words}为 {first.text.strip()}，"
                      f"与{label}的 {printed} 万元不符", place, None, expected=printed, found=stated,
                      hint=f"{words}应与表中的总计一致")


def _changes(text: str, place: str, where: str) -> Iterable[Finding]:
    """A sentence stating this year's figure, its change and the rate of change: the rate must be the change over
    last year's figure, which the sentence implies."""
    for offset, sentence in sentences(text):
        found = claims(sentence)
        level = next((c for c in found if c.kind == AMOUNT and c.value is not None and not c.direction), None)
        change = next((c for c in found if c.kind == AMOUNT and c.direction in (UP, DOWN) and c.value is not None
                       and c.basis == PREVIOUS), None)
        rate = next((c for c in found if c.kind == RATE and c.direction in (UP, DOWN) and c.value is not None
                     and c.basis == PREVIOUS), None)
        if level is None or change is None or rate is None or level.start > change.start:
            continue
        current = level.value * UNIT_IN_WAN[level.unit]
        amount = change.value * UNIT_IN_WAN[change.unit]
        previous = current - amount if change.direction == UP else current + amount
        if previous <= 0:
            continue
        # the printed amounts are rounded to the cent: the rate may be anything they round from
        places = Decimal(1).scaleb(-rate.places)
        low, high = ((a * HUNDRED / p).quantize(places, rounding=ROUND_HALF_UP)
                     for a, p in ((amount - HALF_CENT, previous + CENT), (amount + HALF_CENT, previous - CENT)))
        expected = (amount * HUNDRED / previous).quantize(places, rounding=ROUND_HALF_UP)
        if not low <= rate.value <= high:
            yield Finding("pdf-text-figures", ERROR, where,
                          f"文中“{sentence.strip()[:60]}”：{change.text.strip()}的增减对应上年 {previous} 万元，"
                          f"幅度应为 {expected}%，文中为 {rate.text.strip()}", place, None,
                          expected=expected, found=rate.value, hint="核对增减额和增减幅度")
