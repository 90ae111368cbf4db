"""Rules over the 情况说明 inputs: budgets, reasons, prose figures, units, last year."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, NOTICE, WARNING, Finding
from generator.compute.narrative import budget_entry, previous_figures
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS, THREE_PUBLIC_LABELS
from generator.money import ZERO

INCREASE = re.compile(r"增加|增长|上升|提高|追加|增多")
DECREASE = re.compile(r"减少|下降|降低|压减|缩减|减少了")
FLAT = re.compile(r"持平|无变化|没有变化")
NARRATIVE = ("narrative",)


@rule("budget-total", ERROR, "年初预算合计等于各科目年初预算之和")
def budget_total(ctx: Context) -> Iterable[Finding]:
    """情况说明五的一般公共预算财政拨款支出年初预算，如在文件中填写了合计（general_budget.budget），
    必须等于各科目年初预算（general_budget.items，按类、款或项填写，每个项级科目只算一次）之和；不填时由工具计算。"""
    stated = ctx.dept.narrative.general_budget.get("budget")
    if stated is None:
        return
    notes = ctx.dept.narrative.items
    entries = dict(e for e in (budget_entry(notes, row.code) for row in ctx.computed["t05"].items()) if e)
    total = sum(entries.values(), ZERO)
    yield from ctx.mismatch("budget-total", "情况说明五 一般公共预算财政拨款支出年初预算", "与各科目年初预算之和不符",
                            NARRATIVE + ("general_budget", "budget"), expected=total, found=stated,
                            hint="删去 budget 让工具计算，或补齐缺少的科目年初预算")


@rule("budget-items", ERROR, "公开05表每个项级科目都有年初预算（本项的，或所属类、款的）")
def budget_items(ctx: Context) -> Iterable[Finding]:
    """情况说明五说明公开05表各科目的年初预算（general_budget.items 中的 budget）：每个项级科目要有年初预算，
    填在该项（7 位代码）下，或者——文件只按类列年初预算时——填在所属的类（3 位）或款（5 位）下。都没有是错误。
    `juesuan new --from-previous` 保留上年的科目、预算数留空，就是为了在这里提醒逐项填写。"""
    items = ctx.dept.narrative.items
    for row in ctx.computed["t05"].items():
        if budget_entry(items, row.code) is not None:
            continue
        note = items.get(row.code)
        path = NARRATIVE + ("general_budget", "items") + ((row.code,) if note else ())
        yield ctx.finding("budget-items", f"情况说明五 {row.code} {row.name}",
                          "未填写年初预算" if note else "缺少年初预算（本项和所属类、款都没有）", path,
                          hint=f"在 general_budget.items 中填写 {row.code}: {{budget: 年初预算数, reason: 原因}}，"
                               f"或按类填写 {row.code[:3]}: {{budget: …}}")


@rule("budget-levels", ERROR, "类（款）的年初预算等于其下各项填写的年初预算之和")
def budget_levels(ctx: Context) -> Iterable[Finding]:
    """同时按类（或款）和按项填写年初预算时，类（款）的年初预算须等于其下各项年初预算之和（其下公开05表的每个项
    都填写了时才核对）；否则情况说明中的总数和分项数对不上。"""
    notes = ctx.dept.narrative.items
    spent = [row.code for row in ctx.computed["t05"].items()]
    for code, note in notes.items():
        if len(code) == 7 or note.budget is None:
            continue
        under = [c for c in spent if c.startswith(code)]
        own = [notes[c].budget for c in under if c in notes and notes[c].budget is not None]
        if under and len(own) == len(under):
            yield from ctx.mismatch("budget-levels", f"情况说明五 {code} 的年初预算", "与其下各项年初预算之和不符",
                                    NARRATIVE + ("general_budget", "items", code, "budget"),
                                    expected=sum(own, ZERO), found=note.budget,
                                    hint="核对该类（款）或其下各项的年初预算；只按类填写时可删去各项的 budget")


@rule("budget-extra", WARNING, "年初预算只列公开05表中的科目")
def budget_extra(ctx: Context) -> Iterable[Finding]:
    """general_budget.items 中列出、但本年公开05表没有的科目（项，或按类、款填写时的类、款）不会出现在情况说明五中，
    通常是沿用了上年的科目或代码填错。"""
    t05 = ctx.computed["t05"]
    for code in ctx.dept.narrative.items:
        if t05.row(code) is None:
            yield ctx.finding("budget-extra", f"情况说明五 {code}", "该科目不在本年公开05表中，不会显示",
                              NARRATIVE + ("general_budget", "items", code),
                              hint="删去这一行；如本年确有此项支出，检查公开05表是否漏填")


@rule("budget-reason", WARNING, "决算与年初预算不同的科目须说明原因")
def budget_reason(ctx: Context) -> Iterable[Finding]:
    """情况说明五逐项说明公开05表的项级科目：决算数与该项年初预算数不同时，应在 general_budget.items 中写明原因
    （reason）。只按类填写年初预算时，核对各类。"""
    n = ctx.narrative["general_budget"]
    for item in n["entries"]:
        if item["budget_entered"] and item["completion"].comparison != "等于" and not item["reason"]:
            yield ctx.finding("budget-reason", f"情况说明五 {item['code']} {item['item'][0]}",
                              f"决算{item['completion'].comparison}年初预算，但没有说明原因",
                              NARRATIVE + ("general_budget", "items", item["code"]),
                              hint="填写 reason：决算大于（小于）预算数的主要原因")
    notes = ctx.dept.narrative.items
    for group in n["by_class"]:
        note = notes.get(group["code"])
        if note is None or note.budget is None or group["completion"] is None:
            continue
        if group["completion"].comparison != "等于" and not note.reason:
            yield ctx.finding("budget-reason", f"情况说明五 {group['code']} {group['name']}",
                              f"决算{group['completion'].comparison}年初预算，但没有说明原因",
                              NARRATIVE + ("general_budget", "items", group["code"]),
                              hint="填写 reason：决算大于（小于）预算数的主要原因")


def _contradiction(reason: str, direction: str) -> str | None:
    """The word in ``reason`` that says the opposite of ``direction`` (增加/减少/持平), if any."""
    if not reason:
        return None
    if direction == "持平":
        found = INCREASE.search(reason) or DECREASE.search(reason)
    elif FLAT.search(reason):
        found = FLAT.search(reason)
    else:
        found = (DECREASE if direction == "增加" else INCREASE).search(reason)
        if found and (INCREASE if direction == "增加" else DECREASE).search(reason):
            return None  # both directions named: a reason explaining parts, not a contradiction
    return found.group(0) if found else None


@rule("reason-direction", WARNING, "原因的措辞与数字的增减方向一致")
def reason_direction(ctx: Context) -> Iterable[Finding]:
    """作者填写的原因不能与数字矛盾：数字减少时原因写“增加”，数字增加时写“减少”，或有变化时写“持平”
    （如“较上年增加的主要原因是：持平”）。核对总体情况、财政拨款、一般公共预算、机关运行经费、“三公”经费各项
    与上年的比较，以及各项级科目决算与预算的比较。"""
    n = ctx.narrative
    checks = [
        (("overall", "reason"), n["overall"]["change"], ctx.dept.narrative.overall.get("reason")),
        (("fiscal", "reason"), n["fiscal"]["change"], ctx.dept.narrative.fiscal.get("reason")),
        (("general_budget", "reason"), n["general_budget"]["change"], ctx.dept.narrative.general_budget.get("reason")),
        (("operating_costs", "reason"), n["operating_costs"]["change"], ctx.dept.narrative.operating_costs.get("reason")),
    ]
    tp = ctx.dept.narrative.three_public
    for item, figures in n["three_public"].items():
        notes = tp if item == "total" else (tp.get(item) or {})
        base = ("three_public",) if item == "total" else ("three_public", item)
        checks.append((base + ("reason_previous",), figures["change"], notes.get("reason_previous")))
        checks.append((base + ("reason_budget",), figures["completion"], notes.get("reason_budget")))
    for path, comparison, reason in checks:
        if comparison is None or not reason:
            continue
        word = _contradiction(reason, comparison.direction)
        if word:
            yield ctx.finding("reason-direction", f"情况说明 {'.'.join(path)}",
                              f"数字{comparison.direction}，原因却写“{word}”", NARRATIVE + path,
                              hint="核对原因的措辞，或核对相关数字")
    for item in n["general_budget"]["entries"]:
        c = item["completion"]
        word = _contradiction(item["reason"], c.direction)
        if word and FLAT.search(item["reason"] or ""):
            yield ctx.finding("reason-direction", f"情况说明五 {item['code']} {item['item'][0]}",
                              f"决算{c.comparison}预算，原因却写“{word}”",
                              NARRATIVE + ("general_budget", "items", item["code"]))


@rule("unit-magnitude", WARNING, "金额的数量级与金额单位相符")
def unit_magnitude(ctx: Context) -> Iterable[Finding]:
    """按万元填报时，本年收入或支出合计超过 100 万万元（100 亿元），多半是按元填写了；
    按元填报（unit: 元）时，本年收入与支出合计都不足 10 万元，多半是按万元填写了。"""
    income = ctx.computed["t02"].total.value("total")
    spending = ctx.computed["t03"].total.value("total")
    biggest = max(income, spending)
    if ctx.dept.unit == "万元" and biggest >= Decimal(1_000_000):
        yield ctx.finding("unit-magnitude", "金额单位", f"本年收支合计达 {biggest} 万元，可能按元填写了", ("unit",),
                          hint="按元填写时在文件开头写 unit: 元")
    if ctx.dept.unit == "元" and ZERO < biggest < Decimal(100_000) / Decimal(10_000):
        yield ctx.finding("unit-magnitude", "金额单位", f"本年收支合计只有 {biggest * 10000} 元，可能按万元填写了",
                          ("unit",), hint="按万元填写时删去 unit: 元")


@rule("staff-totals", ERROR, "人员情况：合计等于各类别之和")
def staff_totals(ctx: Context) -> Iterable[Finding]:
    """部门人员情况中如填写了编制总数（establishment_total）或实有人数总数（actual_total），
    必须等于各类别人数之和。"""
    staff = ctx.dept.overview.staff
    for key, label, stated, parts in (("establishment_total", "人员编制", staff.establishment_stated, staff.establishment),
                                      ("actual_total", "实有人员", staff.actual_stated, staff.actual)):
        total = sum(parts.values())
        if stated is not None and stated != total:
            yield ctx.finding("staff-totals", f"第一部分 部门人员情况 {label}", f"{label}总数与各类别之和不符",
                              ("overview", "staff", key), expected=Decimal(total), found=Decimal(stated))


@rule("procurement-parts", ERROR, "政府采购：授予中小企业的合同金额不超过采购金额")
def procurement_parts(ctx: Context) -> Iterable[Finding]:
    """情况说明十一：货物、工程、服务各类授予中小企业的合同金额不超过该类政府采购支出；
    授予小微企业的合同金额不超过授予中小企业的合同金额。"""
    p = ctx.dept.narrative.procurement
    labels = {"goods": "货物", "works": "工程", "services": "服务"}
    sme = p.get("sme") or {}
    for kind, label in labels.items():
        part, whole = sme.get(kind) or ZERO, p.get(kind) or ZERO
        if part - whole > ctx.allowed():
            yield ctx.finding("procurement-parts", f"情况说明十一 {label}采购授予中小企业合同金额",
                              f"大于{label}采购支出", NARRATIVE + ("procurement", "sme", kind),
                              expected=whole, found=part)
    small = p.get("small_micro") or ZERO
    sme_total = sum((sme.get(k) or ZERO for k in labels), ZERO)
    if small - sme_total > ctx.allowed():
        yield ctx.finding("procurement-parts", "情况说明十一 授予小微企业合同金额", "大于授予中小企业合同金额",
                          NARRATIVE + ("procurement", "small_micro"), expected=sme_total, found=small)


@rule("reception-split", ERROR, "公务接待费：外宾接待支出不超过公务接待费决算")
def reception_split(ctx: Context) -> Iterable[Finding]:
    """情况说明九的外宾接待支出（reception.foreign）是公开09表公务接待费决算数的一部分，不能超过它；
    国内公务接待支出由两者相减得出。"""
    foreign = (ctx.dept.narrative.three_public.get("reception") or {}).get("foreign") or ZERO
    actual = ctx.computed["t09"].value("actual.reception")
    if foreign - actual > ctx.allowed():
        yield ctx.finding("reception-split", "情况说明九 外宾接待支出", "大于公开09表公务接待费决算数",
                          NARRATIVE + ("three_public", "reception", "foreign"), expected=actual, found=foreign)


@rule("shares-rounding", NOTICE, "各项占比四舍五入后合计不是 100%")
def shares_rounding(ctx: Context) -> Iterable[Finding]:
    """情况说明二、三列出的各项收入（支出）占比分别四舍五入到两位小数，相加可能不等于 100%。这不是错误，
    但应在“其他需要说明的情况”中说明尾差。"""
    n = ctx.narrative
    for key, label in (("income", "二 收入"), ("expenditure", "三 支出")):
        parts = n[key]["parts"]
        shares = [p.share for p in parts if p.share is not None]
        if shares and n[key]["total"] and sum(shares, ZERO) != Decimal(100):
            yield ctx.finding("shares-rounding", f"情况说明{label}占比", f"各项占比之和为 {sum(shares, ZERO)}%",
                              NARRATIVE, hint="在其他需要说明的情况中说明四舍五入的尾差")


def _stated(narrative, path: tuple) -> Decimal | None:
    value = getattr(narrative, path[0])
    for key in path[1:]:
        value = (value or {}).get(key)
    return value


def _previous_checks(ctx: Context) -> list[tuple[tuple, str, Decimal | None, Decimal]]:
    return [(path, label, _stated(ctx.dept.narrative, path), last)
            for path, label, last in previous_figures(ctx.previous)]


@rule("previous-year", ERROR, "上年数等于上年决算公开的数")
def previous_year(ctx: Context) -> Iterable[Finding]:
    """内容目录中有上一年度同一部门的文件（content/<年度-1>/<部门标识>.yaml）时，本年填写的上年数
    （收支总计、财政拨款收支总计、一般公共预算财政拨款支出、机关运行经费、“三公”经费各项）必须等于上年文件中的决算数。"""
    if ctx.previous is None:
        return
    for path, label, stated, last in _previous_checks(ctx):
        if stated is not None and abs(stated - last) > ctx.allowed():
            yield ctx.finding("previous-year", f"情况说明 {label}", "与上年决算公开的数不符", NARRATIVE + path,
                              expected=last, found=stated, hint="以上年公开的决算数为准")


@rule("empty-fund-table", ERROR, "公开07、08表为空表时，情况说明不写与空表矛盾的内容")
def empty_fund_table(ctx: Context) -> Iterable[Finding]:
    """公开07表（政府性基金）、公开08表（国有资本经营预算）没有任何数时，情况说明七、八由工具写明
    “无……收支，已公开空表”，目录中该表标为空表并写明理由。上年有支出时，同时写明与上年相比的减少和原因。
    本年为空表而上年也没有支出（或未填上年数）时，文件中却填写了变动原因，说明与表格矛盾：
    或者表中漏填了数，或者原因写错了部门或年度。"""
    for key, section, table_id in (("gov_fund", "七", "t07"), ("soe_capital", "八", "t08")):
        notes = getattr(ctx.dept.narrative, key)
        if ctx.computed[table_id].is_empty() and notes.get("reason") and not notes.get("previous"):
            yield ctx.finding("empty-fund-table", f"情况说明{section} {ctx.computed.form.tables[table_id].name}",
                              "该表为空表，上年也没有支出，但填写了变动原因", NARRATIVE + (key, "reason"),
                              hint=f"如确有收支，请在 tables.{key} 中填写；否则删去 reason")


@rule("reason-without-figure", WARNING, "“三公”经费较上年增减的原因，须有上年数才印出")
def reason_without_figure(ctx: Context) -> Iterable[Finding]:
    """“三公”经费（合计及各项）较上年增减的原因（reason_previous）只在填写了该项的上年数（three_public.previous）
    时随“较上年增加（减少）”一句印出；没有上年数时，写了的原因不会出现在文件中，这里提醒，以免作者以为已经公开。"""
    notes = ctx.dept.narrative.three_public
    previous = notes.get("previous") or {}
    for item in ("total", *THREE_PUBLIC_ITEMS):
        own = notes if item == "total" else (notes.get(item) or {})
        label = "“三公”经费合计" if item == "total" else THREE_PUBLIC_LABELS[item]
        if own.get("reason_previous") and previous.get(item) is None:
            path = ("narrative", "three_public", *(() if item == "total" else (item,)), "reason_previous")
            yield ctx.finding("reason-without-figure", f"情况说明“三公”经费 {label}",
                              "填写了较上年增减的原因，但没有上年数，这一原因不会印出", path,
                              hint=f"在 three_public.previous 中填写 {item} 的上年决算数；或删去这一原因")
