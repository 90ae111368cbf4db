"""What a published 情况说明's “三公” section states that the department file has fields for, read back for
`juesuan import FILE.pdf`: last year's figure, the reasons against the budget and against last year, what each item
was used for, and its counts (团组、人次、车辆、批次、会议和培训次数), the 公务接待费 split into 外宾 and 国内.

The section is read sentence by sentence (clause by clause where “；” separates them). A sentence that opens with an item's name (“公务接待费支出…”, “其中：公务用车
购置支出…”, “2023年度财政拨款安排会议费预算…”) starts that item's sentences; the ones before any item are the
section's total. A figure is taken only as the sentence states it, and last year's only where the sentence's own
amount is the table's: nothing is inferred from a sentence about another item.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.checks.prose_claims import AMOUNT, BUDGET_BASIS, DOWN, FLAT, PREVIOUS, UNIT_IN_WAN, UP, claims
from generator.compute.figures import Computed
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS

# An item's names as the forms open its sentences (“三公”经费: the section's total again); the subtotal before the
# purchase, so that “公务用车购置及运行维护费” is not read as 公务用车购置费
OPENINGS = (("total", ("“三公”经费", "三公经费")),
            ("vehicle", ("公务用车购置及运行维护",)),
            ("abroad", ("因公出国（境）", "因公出国(境)", "因公出国")),
            ("vehicle_purchase", ("公务用车购置",)),
            ("vehicle_operation", ("公务用车运行维护", "公务用车运行")),
            ("reception", ("公务接待",)),
            ("meeting", ("会议费",)),
            ("training", ("培训费",)))
OPENING_REACH = 20  # characters: an item named later in a sentence is mentioned, not its subject
LEAD = re.compile(r"^(?:\d{1,2}[.、．]\s*|（[一二三四五六七八九十\d]+）\s*)?(?:其中[:：])?")
# a reason and a purpose as the forms write them (also read by ``facts`` for 五's paragraphs)
REASON = re.compile(r"(?:主要(?:变动)?原因(?:是|为)?[:：]?|原因是)\s*(?P<text>[^。]+)")
PREVIOUS_BASIS = re.compile(r"上年|\d{4}\s*年度?(?:相比|持平|增加|减少)|与\s*\d{4}\s*年")
PURPOSE = re.compile(r"主要用于[:：]?\s*(?P<text>[^。]+)")
# Counts, by item and field, as the forms print them
COUNTS = {
    "abroad": {"groups": (r"团组\s*(\d+)\s*个", r"(\d+)\s*个(?:出国（境）)?团组"),
               "people": (r"(\d+)\s*人次", r"出国（境）\s*(\d+)\s*人")},
    "vehicle_purchase": {"vehicles": (r"购置(?:公务用车|车辆)\s*(\d+)\s*辆",)},
    "vehicle_operation": {"vehicles": (r"保有量(?:为)?\s*(\d+)\s*辆",)},
    "meeting": {"count": (r"召开会议\s*(\d+)\s*次", r"会议\s*(\d+)\s*次"), "people": (r"参会\s*(\d+)\s*人次",)},
    "training": {"count": (r"组织培训\s*(\d+)\s*次", r"培训\s*(\d+)\s*次"), "people": (r"参训\s*(\d+)\s*人次",)},
}
DOMESTIC = re.compile(r"国内(?:公务)?接待")
FOREIGN = re.compile(r"外宾接待|外事接待|接待外宾")
RECEPTION_COUNTS = ((r"团组\s*(\d+)\s*个", r"(\d+)\s*批次", r"接待外宾\s*(\d+)\s*批次"), (r"(\d+)\s*人次",))


def three_public_facts(text: str, computed: Computed) -> dict:
    """``narrative.three_public`` as the section states it."""
    t09 = computed["t09"]
    facts: dict = {}
    current = "total"
    previous_sentence = ""
    for sentence in _sentences(text):
        opened = _opening(sentence)
        if opened:
            current = opened
        if current == "vehicle":  # the subtotal's sentences have no fields of their own
            previous_sentence = sentence
            continue
        here = facts if current == "total" else facts.setdefault(current, {})
        _reason(here, sentence, previous_sentence)
        if current != "total":
            _purpose(here, sentence)
            _counts(here, current, sentence)
        _previous(facts, current, sentence, t09.value(f"actual.{current}"))
        previous_sentence = sentence
    facts.get("reception", {}).pop("_side", None)
    return {k: v for k, v in facts.items() if v != {}}


def _sentences(text: str) -> list[str]:
    """Sentences and the clauses “；” separates: a sentence may go through the items one by one (“其中：因公出国（境）费
    …持平；公务用车购置及运行维护费…减少 0.54 万元；…”), each clause its own item's."""
    return [s.strip() for s in re.split(r"(?<=[。；])", text) if s.strip()]


def _opening(sentence: str) -> str | None:
    """The item a sentence opens with (its name within the first words, after a number or “其中：”, before any
    “原因”)."""
    head = LEAD.sub("", sentence, count=1)[:OPENING_REACH]
    head = head.split("原因")[0]  # a reason names items without being about them
    found = [(head.find(name), key) for key, names in OPENINGS for name in names if name in head]
    return min(found)[1] if found else None


def _reason(here: dict, sentence: str, before: str) -> None:
    if found := reason_of(sentence, before):
        here.setdefault(*found)


def reason_of(sentence: str, before: str) -> tuple[str, str] | None:
    """A sentence's reason and what it explains: “决算数小于预算数的主要原因是…” (``reason_budget``) or “较上年增加的
    主要原因是…” (``reason_previous``); a bare “减少的主要原因是…” follows the sentence ``before`` it, which states the
    change; ``reason`` when neither says."""
    match = REASON.search(sentence)
    if not match:
        return None
    lead, text = sentence[:match.start()], match.group("text").strip().rstrip("。")
    basis = _basis(lead) or _basis(before)
    return (f"reason_{basis}" if basis else "reason"), text


def _basis(text: str) -> str | None:
    """What the last comparison in ``text`` is against: the budget (“决算数小于预算数”, “完成年初预算”) or last year
    (“较上年”, “与2023年度相比”); a budget's name (一般公共预算) is no comparison."""
    found = [(m.end(), "budget") for m in BUDGET_BASIS.finditer(text)]
    found += [(m.end(), "previous") for m in PREVIOUS_BASIS.finditer(text)]
    return max(found)[1] if found else None


def sentence_reasons(text: str) -> dict[str, str]:
    """The first reason of each kind (``reason_of``) in ``text``."""
    found: dict[str, str] = {}
    before = ""
    for sentence in _sentences(text):
        if reason := reason_of(sentence, before):
            found.setdefault(*reason)
        before = sentence
    return found


def _purpose(here: dict, sentence: str) -> None:
    if match := PURPOSE.search(sentence):
        here.setdefault("purpose", match.group("text").strip())


def _counts(here: dict, item: str, sentence: str) -> None:
    if item == "reception":
        _reception(here, sentence)
        return
    for field, patterns in COUNTS.get(item, {}).items():
        for pattern in patterns:
            if field not in here and (match := re.search(pattern, sentence)):
                here[field] = int(match.group(1))


def _reception(here: dict, sentence: str) -> None:
    """外宾 and 国内 公务接待: the 外宾 amount, the 国内 note (“主要是…”), and each one's 团组/批次 and 人次."""
    side = "foreign" if FOREIGN.search(sentence) else "domestic" if DOMESTIC.search(sentence) else here.get("_side")
    if side is None:
        return
    here["_side"] = side
    if side == "foreign":
        amount = re.search(r"(?:外宾接待|外事接待)(?:支出|费)?(?:为)?\s*([\d,]+(?:\.\d+)?)\s*万元", sentence)
        if amount and "foreign" not in here:
            here["foreign"] = Decimal(amount.group(1).replace(",", ""))
    elif sentence.startswith("主要是") and "domestic_note" not in here:
        here["domestic_note"] = sentence.rstrip("。")
    groups, people = RECEPTION_COUNTS
    for field, patterns in ((f"{side}_groups", groups), (f"{side}_people", people)):
        for pattern in patterns:
            if field not in here and (match := re.search(pattern, sentence)):
                here[field] = int(match.group(1))


def _previous(facts: dict, item: str, sentence: str, actual: Decimal | None) -> None:
    """Last year's figure from the sentence that states this year's amount and the change (“支出决算 X 万元，比上年
    增加 Y 万元”), or from “与上年持平”; only where X is the table's."""
    if actual is None or item not in ("total", *THREE_PUBLIC_ITEMS):
        return
    found = claims(sentence)
    level = next((c for c in found if c.kind == AMOUNT and c.value is not None and not c.direction
                  and abs(c.value * UNIT_IN_WAN[c.unit] - actual) <= Decimal("0.01")), None)
    change = next((c for c in found if c.kind == AMOUNT and c.basis == PREVIOUS and c.value is not None
                   and c.direction in (UP, DOWN)), None)
    previous = facts.setdefault("previous", {})
    if item in previous:
        return
    if change is not None and (level is not None or _names_only(sentence, item)):
        amount = change.value * UNIT_IN_WAN[change.unit]
        previous[item] = actual - amount if change.direction == UP else actual + amount
    elif any(c.direction == FLAT and c.basis == PREVIOUS for c in found) or (
            "持平" in sentence and re.search(r"上年|\d{4}\s*年度?(?:相比|持平)", sentence)):
        previous[item] = actual
    if not previous:
        del facts["previous"]


def _names_only(sentence: str, item: str) -> bool:
    """A change stated of the item by name without its amount in the same sentence (“公务接待费支出决算比2023年度
    减少0.40万元”)."""
    return _opening(sentence) == item
