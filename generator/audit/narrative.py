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

from typing import Iterator

from generator.authoring.pdf.reading import PdfDocument
from generator.checks.engine import Context
from generator.checks.findings import ERROR, Finding
from generator.checks.prose import change_rates, judge, opening_total, section_figures, section_scope, table_totals
from generator.checks.prose_claims import AMOUNT, COMPLETION, SHARE, UNIT_IN_WAN, claims
from generator.compute.narrative import Share
from generator.forms.profiles import Profile
from generator.forms.sections import walk

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
        for verdict in (opening_total(ctx, key, found), *change_rates(text)):
            if verdict is not None:
                yield Finding("pdf-text-figures", ERROR, where, verdict.message, place, None, hint=verdict.hint)


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
