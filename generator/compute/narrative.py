"""The figures of the 情况说明, computed from the tables and the author's inputs.

Templates only arrange these into the standard sentences: every amount, share,
rate and direction word is decided here, from exact values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.compute.figures import Computed
from generator.forms.catalogue import catalogue
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS, VEHICLE_KINDS
from generator.money import ZERO, ratio_percent, round_cent


@dataclass(frozen=True)
class Change:
    """This year against last year (or against a budget)."""

    current: Decimal
    previous: Decimal
    amount: Decimal  # absolute difference, at printed precision
    direction: str  # 增加 / 减少 / 持平
    rate: Decimal | None  # percentage of ``previous``; None when previous is zero

    @property
    def verb(self) -> str:
        return {"增加": "增长", "减少": "下降", "持平": "持平"}[self.direction]


def change(current: Decimal, previous: Decimal) -> Change:
    # Directions are judged at printed precision: 0.001 万元 apart is 持平 on paper.
    cur, prev = round_cent(current), round_cent(previous)
    direction = "增加" if cur > prev else "减少" if cur < prev else "持平"
    return Change(current, previous, abs(cur - prev), direction, ratio_percent(abs(current - previous), previous))


@dataclass(frozen=True)
class Completion:
    """决算 against 预算: the rate and the comparison word."""

    actual: Decimal
    budget: Decimal
    rate: Decimal | None  # None when there was no budget
    difference: Decimal
    comparison: str  # 大于 / 小于 / 等于

    @property
    def direction(self) -> str:
        return {"大于": "增加", "小于": "减少", "等于": "持平"}[self.comparison]


def completion(actual: Decimal, budget: Decimal) -> Completion:
    act, bud = round_cent(actual), round_cent(budget)
    comparison = "大于" if act > bud else "小于" if act < bud else "等于"
    return Completion(actual, budget, ratio_percent(actual, budget), abs(act - bud), comparison)


@dataclass(frozen=True)
class Share:
    label: str
    amount: Decimal
    share: Decimal | None


def shares(parts: list[tuple[str, Decimal]], whole: Decimal) -> list[Share]:
    return [Share(label, amount, ratio_percent(amount, whole)) for label, amount in parts]


def describe(c: Computed) -> dict:
    """Everything the 情况说明 templates need, by section key."""
    d = c.department
    n = d.narrative
    t01, t02, t03, t04, t05, t06, t09 = (c[t] for t in ("t01", "t02", "t03", "t04", "t05", "t06", "t09"))
    income = t02.total
    spending = t03.total

    # The form's choice: its standard lines always listed, zeros included (Shaanxi), or only what occurs
    # (``phrases: {zero_parts: 不列}``, Shanghai's “不涉及的不列”); the other lines only when not zero.
    list_zeros = c.profile.phrase("zero_parts") != "不列"

    def optional(parts):
        return [(label, value) for label, value, always in parts
                if (always and list_zeros) or round_cent(value) != ZERO]

    general_total = t05.total.value("total")
    items = _budget_items(c)
    budget = n.general_budget.get("budget")
    covered = budget_sum(n.items, [i["code"] for i in items])
    budget_entered = budget is not None or covered is not None
    budget = budget if budget is not None else covered or ZERO
    return {
        "overall": {"total": t01.value("income_grand_total"), "reason": n.overall.get("reason", ""),
                    "change": _versus(t01.value("income_grand_total"), n.overall.get("previous_total"))},
        "income": {"total": t01.value("income_total"), "parts": shares(optional([
            ("财政拨款收入", income.value("fiscal"), True), ("上级补助收入", income.value("superior"), False),
            ("事业收入", income.value("business"), True), ("经营收入", income.value("operating"), True),
            ("附属单位上缴收入", income.value("affiliate"), False), ("其他收入", income.value("other"), True),
        ]), t01.value("income_total")),
            # every income line of 公开01表, 财政拨款 by fund, zeros included (Sichuan's wording)
            "sources": shares([(label, t01.value(key)) for key, label in INCOME_SOURCES], t01.value("income_total"))},
        "expenditure": {"total": spending.value("total"), "parts": shares(optional([
            ("基本支出", spending.value("basic"), True), ("项目支出", spending.value("project"), True),
            ("上缴上级支出", spending.value("remit"), False), ("经营支出", spending.value("operating"), True),
            ("对附属单位补助支出", spending.value("subsidy"), False),
        ]), spending.value("total")),
            # all five columns of 公开03表, zeros included (Sichuan's wording)
            "all_parts": shares([(label, spending.value(key)) for key, label in EXPENDITURE_PARTS],
                                spending.value("total"))},
        "fiscal": {"total": t04.value("income_grand_total"), "reason": n.fiscal.get("reason", ""),
                   "change": _versus(t04.value("income_grand_total"), n.fiscal.get("previous_total"))},
        "general_budget": {
            "budget": budget, "actual": general_total, "completion": completion(general_total, budget),
            "share": ratio_percent(general_total, spending.value("total")),
            "change": _versus(general_total, n.general_budget.get("previous")),
            "reason": n.general_budget.get("reason", ""), "entries": items, "budget_entered": budget_entered,
            "reason_budget": n.general_budget.get("reason_budget", ""),
            # 公开05表 by 类: amount and share of the 合计 (Sichuan 五（二）)
            "classes": shares([(row.name, row.value("total")) for row in t05.rows if row.level == 1], general_total),
            "by_class": _budget_by_class(t05, n.items, items, general_total),
        },
        "basic": _basic(c),
        "gov_fund": _fund_table(c, "t07", n.gov_fund),
        "soe_capital": _fund_table(c, "t08", n.soe_capital),
        "three_public": _three_public(t09, n.three_public),
        "operating_costs": _operating_costs(n.operating_costs),
        "procurement": _procurement(n.procurement),
        "assets": _assets(n.assets, dict(c.profile.vehicle_names)),
        "evaluations": _evaluations(d),
        "own": own_paragraphs(n),
    }


def own_paragraphs(n) -> dict[str, str]:
    """The sections the author wrote themselves (``narrative.<key>.text``), by section key: printed in place of
    the form's sentences."""
    return {key: value["text"] for key, value in vars(n).items() if isinstance(value, dict) and value.get("text")}


INCOME_SOURCES = (("general_fiscal", "一般公共预算财政拨款收入"), ("fund_fiscal", "政府性基金预算财政拨款收入"),
                  ("soe_fiscal", "国有资本经营预算财政拨款收入"), ("superior", "上级补助收入"), ("business", "事业收入"),
                  ("operating", "经营收入"), ("affiliate", "附属单位上缴收入"), ("other", "其他收入"))
EXPENDITURE_PARTS = (("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"),
                     ("operating", "经营支出"), ("subsidy", "对附属单位补助支出"))


def _versus(current: Decimal, previous: Decimal | None) -> Change | None:
    return change(current, previous) if previous is not None else None


def budget_entry(notes: dict, code: str) -> tuple[str, Decimal] | None:
    """The 年初预算 that covers 项 ``code``: the widest entry with a budget — its 类 (3 digits), its 款 (5), or the 项
    itself — as (entry code, budget); None when none of them has one. A document that states budgets per 类 gives
    only those; the 项 under it then print without a budget of their own."""
    for prefix in (code[:3], code[:5], code):
        note = notes.get(prefix)
        if note is not None and note.budget is not None:
            return prefix, note.budget
    return None


def budget_sum(notes: dict, codes) -> Decimal | None:
    """The 年初预算 of the 项 ``codes`` together, each entry counted once; None unless every one is covered."""
    entries = [budget_entry(notes, code) for code in codes]
    if not entries or None in entries:
        return None
    return sum(dict(entries).values(), ZERO)


def _budget_items(c: Computed) -> list[dict]:
    """情况说明 五: one paragraph per 项 of 公开05表, with its 年初预算 and reason."""
    d = c.department
    names = catalogue("functional", d.year)
    table = c["t05"]
    result = []
    for row in table.items():
        note = d.narrative.items.get(row.code)
        budget = note.budget if note and note.budget is not None else ZERO
        parts = [(table.row(code).name if table.row(code) else names.get(code, ""), suffix)
                 for code, suffix in ((row.code[:3], row.code[:3]), (row.code[:5], row.code[3:5]))]
        result.append({
            "code": row.code, "class": parts[0], "section": parts[1], "item": (row.name, row.code[5:]),
            "budget": budget, "actual": row.value("total"), "completion": completion(row.value("total"), budget),
            "reason": note.reason if note else "", "purpose": note.purpose if note else "",
            "text": note.text if note else "",
            "budget_entered": bool(note and note.budget is not None),
        })
    return result


def _budget_by_class(t05, notes: dict, items: list[dict], whole: Decimal) -> list[dict]:
    """情况说明 五（三） by 类 (Shanxi): each 类 of 公开05表 with its share and its 年初预算 where it is entered for
    the 类 or for every 项 under it (else ``None``), with its completion."""
    result = []
    for row in (r for r in t05.rows if r.level == 1):
        own = [i for i in items if i["code"].startswith(row.code)]
        budget = budget_sum(notes, [i["code"] for i in own])
        actual = row.value("total")
        note = notes.get(row.code)
        result.append({"code": row.code, "name": row.name, "actual": actual, "share": ratio_percent(actual, whole),
                       "budget": budget, "completion": completion(actual, budget) if budget is not None else None,
                       "reasons": _distinct([note.reason if note else "", *(i["reason"] for i in own)]),
                       "purposes": _distinct([note.purpose if note else "", *(i["purpose"] for i in own)]),
                       "text": note.text if note else ""})
    return result


def _distinct(texts) -> list[str]:
    """The author's texts, each once, without closing punctuation (to be joined into one sentence)."""
    return list(dict.fromkeys(t.strip().rstrip("。；;，, ") for t in texts if t.strip()))


def _basic(c: Computed) -> dict:
    t06 = c["t06"]
    layout = c.form.tables["t06"].body
    names = catalogue("economic", c.department.year)
    spent = [code for group in layout.groups for code in group
             if len(code) == 5 and round_cent(t06.value(code)) != ZERO]
    return {
        "total": c["t05"].total.value("basic"),
        "personnel": t06.value("personnel"), "public": t06.value("public"),
        "personnel_items": [names[code] for code in spent if code[:3] in layout.personnel_classes],
        "public_items": [names[code] for code in spent if code[:3] not in layout.personnel_classes],
    }


def _fund_table(c: Computed, table_id: str, notes: dict) -> dict:
    table = c[table_id]
    total = table.total
    return {
        "empty": table.is_empty(),
        "opening": total.value("opening"), "income": total.value("income"),
        "expenditure": total.value("total"), "basic": total.value("basic"), "project": total.value("project"),
        "closing": total.value("closing"), "reason": notes.get("reason", ""),
        "change": _versus(total.value("total"), notes.get("previous")),
    }




def _three_public(t09, notes: dict) -> dict:
    previous = notes.get("previous") or {}
    result = {}
    for item in ("total", "vehicle", *THREE_PUBLIC_ITEMS):
        budget, actual = t09.value(f"budget.{item}"), t09.value(f"actual.{item}")
        extra = notes.get(item) or {}
        reasons = notes if item == "total" else extra
        result[item] = {
            "budget": budget, "actual": actual, "completion": completion(actual, budget),
            "change": _versus(actual, previous.get(item)),
            "reason_budget": reasons.get("reason_budget") or "",
            "reason_previous": reasons.get("reason_previous") or "",
            "none": round_cent(budget) == ZERO and round_cent(actual) == ZERO,
            **{k: v for k, v in extra.items() if not k.startswith("reason")},
        }
    reception = result["reception"]
    foreign = reception.get("foreign") or ZERO
    reception["foreign_entered"] = reception.get("foreign") is not None
    reception["foreign"] = foreign
    reception["domestic"] = reception["actual"] - foreign
    # 公务用车购置及运行维护费 against last year: its own figure, else purchase + operation (an unstated one as zero)
    vehicle_previous = previous.get("vehicle")
    if vehicle_previous is None and any(previous.get(k) is not None for k in ("vehicle_purchase", "vehicle_operation")):
        vehicle_previous = (previous.get("vehicle_purchase") or ZERO) + (previous.get("vehicle_operation") or ZERO)
    result["vehicle"]["change"] = _versus(result["vehicle"]["actual"], vehicle_previous)
    # the three items' shares of the “三公” total (Sichuan 七（二）); kept inside "total": every other key is an item
    result["total"]["parts"] = shares([("因公出国（境）费", result["abroad"]["actual"]),
                              ("公务用车购置及运行维护费", result["vehicle"]["actual"]),
                              ("公务接待费", result["reception"]["actual"])], result["total"]["actual"])
    return result


def _operating_costs(notes: dict) -> dict:
    actual = notes.get("actual") or ZERO
    budget = notes.get("budget") or ZERO
    return {"actual": actual, "budget": budget, "completion": completion(actual, budget),
            "change": _versus(actual, notes.get("previous")), "reason": notes.get("reason") or "",
            # what the author gave (a sentence with a figure is printed only from these), and an entered nought
            "entered": notes.get("actual") is not None, "budget_entered": notes.get("budget") is not None,
            "none": notes.get("actual") is not None and round_cent(actual) == ZERO}


def _procurement(notes: dict) -> dict:
    kinds = {"goods": "货物", "works": "工程", "services": "服务"}
    amounts = {k: notes.get(k) or ZERO for k in kinds}
    sme = {k: (notes.get("sme") or {}).get(k) or ZERO for k in kinds}
    total = sum(amounts.values(), ZERO)
    sme_total = sum(sme.values(), ZERO)
    small = notes.get("small_micro") or ZERO
    sme_given = notes.get("sme") or {}
    entered = {k: notes.get(k) is not None for k in kinds}
    sme_entered = {k: sme_given.get(k) is not None for k in kinds}
    return {
        # what the author gave (else the sentences that print them are left out: never a 0.00 made up)
        "entered": any(entered.values()), "all_entered": all(entered.values()),
        "sme_kinds_entered": any(sme_entered.values()), "sme_all_entered": all(sme_entered.values()),
        "small_micro_entered": notes.get("small_micro") is not None,
        "sme_entered": any(sme_entered.values()) or notes.get("small_micro") is not None,
        "total": total, "kinds": [{"label": kinds[k], "amount": amounts[k], "sme": sme[k], "entered": entered[k],
                                   "sme_entered": sme_entered[k], "sme_share": ratio_percent(sme[k], amounts[k])}
                                  for k in kinds],
        "sme_total": sme_total, "sme_share": ratio_percent(sme_total, total),
        "small_micro": small, "small_micro_share": ratio_percent(small, sme_total), "note": notes.get("note") or "",
        "small_micro_share_of_total": ratio_percent(small, total),  # Sichuan: 占政府采购支出总额
    }


def _assets(notes: dict, names: dict[str, str]) -> dict:
    """国有资产; the vehicle kinds under the names the form prints (``names``: national kind → printed name)."""
    vehicles = notes.get("vehicles") or {}
    total = sum(vehicles.values())
    equipment = notes.get("equipment") or 0
    purchased = (notes.get("purchased_vehicles") or 0, notes.get("purchased_equipment") or 0)
    return {
        "vehicles": [(names.get(kind, kind), vehicles.get(kind, 0)) for kind in VEHICLE_KINDS]
        + [(k, v) for k, v in vehicles.items() if k not in VEHICLE_KINDS],
        "vehicle_total": total, "equipment": equipment, "purchased_vehicles": purchased[0],
        "purchased_equipment": purchased[1], "none": total == 0 and equipment == 0 and not any(purchased),
        "note": notes.get("note") or "",
        # what the author gave (an absent count is never printed as 0). The file reads an absent ``vehicles`` as an
        # empty map, like ``vehicles: {}``: the counts stand as given only when some kind has one (a department
        # without vehicles says so with the form's none sentence, all its counts entered as 0).
        "vehicles_entered": bool(vehicles),
        "equipment_entered": notes.get("equipment") is not None,
        "purchased_vehicles_entered": notes.get("purchased_vehicles") is not None,
        "purchased_equipment_entered": notes.get("purchased_equipment") is not None,
    }


def previous_figures(last: Computed) -> list[tuple[tuple, str, Decimal]]:
    """Last year's disclosed figures that this year's 上年 fields repeat: (narrative path, label, value).

    The previous-year rule compares against these; ``juesuan new --from-previous`` writes them.
    """
    items = [
        (("overall", "previous_total"), "上年收入、支出总计（公开01表总计）", last["t01"].value("income_grand_total")),
        (("fiscal", "previous_total"), "上年财政拨款收支总计（公开04表总计）", last["t04"].value("income_grand_total")),
        (("general_budget", "previous"), "上年一般公共预算财政拨款支出（公开05表合计）", last["t05"].total.value("total")),
        (("operating_costs", "previous"), "上年机关运行经费",
         last.department.narrative.operating_costs.get("actual") or ZERO),
    ]
    for item in ("total", "abroad", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training"):
        items.append((("three_public", "previous", item), f"上年“三公”经费等决算数（公开09表 {item}）",
                      last["t09"].value(f"actual.{item}")))
    return items


def _evaluations(d) -> dict:
    """情况说明 十三's summary of the 绩效自评表 in 第五部分: how many projects, their funds, their scores."""
    e = d.evaluations
    funds = [p.funds_total for p in e.projects if p.funds_total is not None]
    budget = sum((f.budget_total or ZERO for f in funds), ZERO)
    actual = sum((f.actual_total or ZERO for f in funds), ZERO)
    scores = [p.total_score.value for p in e.projects if p.total_score and p.total_score.value is not None]
    overall = e.overall.total_score.value if e.overall and e.overall.total_score else None
    return {"present": bool(e), "count": len(e.projects), "budget": budget, "actual": actual,
            "rate": ratio_percent(actual, budget), "scored": len(scores),
            "average": round_cent(sum(scores, ZERO) / len(scores)) if scores else None,
            "lowest": min(scores) if scores else None, "overall_score": overall}
