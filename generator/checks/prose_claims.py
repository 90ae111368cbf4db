"""The figures a piece of Chinese prose states: amounts, percentages, what they compare and in which direction.

Pure functions over text, used by the ``text-figures`` rule on what authors write in the 情况说明, and usable on
any published sentence (a PDF's text, a page's paragraph). ``claims(text)`` finds every figure written with a unit
(“1,234.56 万元”, “1234.56万元”, “45208.33 元”, “4.65 亿元”, “12.34%”) and reads around it, within its clause, the
words that say what it is:

- a direction (增加/增长/上升/提高/超支/大于… → 增加; 减少/下降/降低/节约/小于… → 减少; 持平/等于 → 持平) directly
  before it (“较上年减少 0.16 万元”, “下降了13.45%”, “增长幅度为 5%”);
- what the direction compares against, the last basis named earlier in the sentence: 上年 (较上年、比上年、与上年相比、
  与 2023 年度相比、比 2023 年度、同比) or 预算 (较预算数、较年初预算、与预算相比; 超支/节约/大于/小于 imply it when nothing else is named);
- for a percentage, whether it is a share (“占……的 12.34%”, “占比 12.34%”) or a completion rate (“完成预算的 98.5%”,
  “预算完成率 98%”);

and marks what no correct document prints (``Claim.problem``): units run together (“42.19%万元”, “万元%”, “万元万元”),
a figure that is no number (“∞%”, “NaN%”, “None 万元”, “1,23.4 万元”), a negative figure after a direction word
(“增长-5%”, “减少-3万元”: the word already says the sign), and a direction or 占 followed by a unit without a figure
(“增长%”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

AMOUNT, RATE = "amount", "rate"
PREVIOUS, BUDGET = "上年", "预算"
# “预算” that compares with a budget (“决算数小于预算数”, “年初预算 X 万元”); 一般公共预算 and the like name a budget
BUDGET_BASIS = re.compile(r"(?<!公共)(?<!基金)(?<!资本经营)预算")
SHARE, COMPLETION = "share", "completion"
UP, DOWN, FLAT = "增加", "减少", "持平"

# Amount units, in 万元 (the unit every figure of the model is kept in).
UNIT_IN_WAN = {"亿元": Decimal(10000), "万元": Decimal(1), "元": Decimal(1) / Decimal(10000)}

_WORDS = {
    UP: ("增加", "增长", "上升", "提高", "增多", "超支", "超出", "大于", "高于", "多于"),
    DOWN: ("减少", "下降", "降低", "压减", "缩减", "节约", "节省", "小于", "低于", "少于"),
    FLAT: ("持平", "等于"),
}
DIRECTION_OF = {word: direction for direction, words in _WORDS.items() for word in words}
# Words that compare with the budget when the sentence names no basis.
BUDGET_WORDS = ("超支", "超出", "节约", "节省", "大于", "小于", "等于", "高于", "低于", "多于", "少于")

_UNIT = r"亿元|万元|元|%|％"
# A figure: an optional sign, something written where a number belongs, one unit, and any units run on after it.
_FIGURE = re.compile(
    r"(?<![\d.,A-Za-z])(?P<sign>[-−－]\s*)?"
    r"(?P<number>\d[\d,]*(?:\.\d*)*|∞|NaN|nan|Infinity|inf|None|null|undefined)"
    rf"\s*(?P<unit>{_UNIT})(?P<extra>(?:\s*(?:{_UNIT}))*)")
_BARE_INFINITY = re.compile(r"∞")
_VALID = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIRECTION = re.compile("|".join(sorted(DIRECTION_OF, key=len, reverse=True)))
# Between a direction word and its figure: “了”, “幅度为”, “年初预算数”… (a handful of characters, never a noun).
_GAP = re.compile(r"^[了的为是达约共计幅度金额比例率年初预算数上同期决算较比\s]{0,10}$")
_SHARE = re.compile(r"占比|比重|占")
_COMPLETION = re.compile(r"(?:完成|执行|为)了?(?:年初|全年|调整)?预算(?:数)?的|完成率|执行率")
# 上年 named by its year (“与 2023 年度相比”, “比2023年度增加”) as the national templates write it
_BASIS = re.compile(r"(?P<previous>(?:较|比|与|同)\s*(?:上(?:一)?年(?:度)?|(?:19|20)\d{2}\s*年(?:度)?)|同比|上年同期)"
                    r"|(?P<budget>(?:较|比|与)(?:年初|调整后?)?预算(?:数)?|年初预算)")
_MISSING = re.compile(rf"(?:{_DIRECTION.pattern}|占)(?:了|为)?\s*(?P<unit>亿元|万元|%|％)")
_SENTENCE_END = "。！？；;!?\n"
PHRASE_BEFORE = 24  # characters of a clause quoted before its figure
_CLAUSE_END = "，,：:（）()"
_ENUMERATION = re.compile(r"^\s*(?:、|和|及|与|,|，)\s*$")
# A threshold or an estimate (“单价 100 万元以上的设备”, “约 12 万元”, “控制在 5.5% 以内”), not a figure of the accounts.
_APPROXIMATE_BEFORE = re.compile(r"(?:约|近|逾|超过|不足|不到|将近|大约|不超过|不低于)\s*$")
_APPROXIMATE_AFTER = re.compile(r"^\s*(?:（含）|\(含\))?\s*(?:及|或)?(?:以上|以下|以内|之内|左右|上下)")


@dataclass(frozen=True)
class Claim:
    """One figure the text states, with what the words around it say it is."""

    text: str  # the figure as written: "0.16 万元", "42.19%万元"
    phrase: str  # its clause, as written: "较上年减少 0.16 万元"
    start: int  # where the figure is in the text
    end: int
    value: Decimal | None  # as written, in ``unit``; None when it is no number
    unit: str  # 万元 / 元 / 亿元 / %
    places: int  # decimal places written
    direction: str | None = None  # 增加 / 减少 / 持平 (the word's meaning), when a direction word governs the figure
    word: str | None = None  # that word as written: "下降"
    basis: str | None = None  # 上年 / 预算: what the direction compares against, if the sentence says
    measure: str | None = None  # share / completion, for a percentage that says so
    problem: str | None = None  # why no correct document prints this
    approximate: bool = False  # a threshold or an estimate: “100 万元以上”, “约 12 万元”, “5.5% 以内”

    @property
    def kind(self) -> str:
        return RATE if self.unit == "%" else AMOUNT

    @property
    def wan(self) -> Decimal | None:
        """An amount in 万元 (exactly); None for a percentage or a figure that is no number."""
        if self.value is None or self.kind != AMOUNT:
            return None
        return self.value * UNIT_IN_WAN[self.unit]


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of ``text`` with their offsets, split after 。！？；and at line ends."""
    return _split(text, _SENTENCE_END)


def clauses(sentence: str) -> list[tuple[int, str]]:
    """The clauses of one sentence with their offsets, split at ，：and brackets (not at a comma inside a number)."""
    return _split(sentence, _CLAUSE_END)


def _split(text: str, ends: str) -> list[tuple[int, str]]:
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends and not (ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
            if text[start:i].strip():
                parts.append((start, text[start:i]))
            start = i + 1
    if text[start:].strip():
        parts.append((start, text[start:]))
    return parts


@lru_cache(maxsize=512)
def claims(text: str) -> tuple[Claim, ...]:
    """Every figure ``text`` states, in order, each read in its sentence (see the module's description)."""
    found: list[Claim] = []
    for offset, sentence in sentences(text):
        for start, clause in clauses(sentence):
            found += _in_clause(clause, offset + start, sentence[:start], sentence[start + len(clause):])
        found += _missing(sentence, offset, found)
    found += _infinities(text, found)
    return tuple(sorted(found, key=lambda c: c.start))


def problems(text: str) -> tuple[Claim, ...]:
    """The figures of ``text`` that no correct document prints."""
    return tuple(c for c in claims(text) if c.problem)


def _in_clause(clause: str, offset: int, before: str, after: str) -> list[Claim]:
    """The figures of one clause; ``before`` and ``after`` are the rest of its sentence."""
    found: list[Claim] = []
    previous_end = 0
    for match in _FIGURE.finditer(clause):
        unit = "%" if match["unit"] == "％" else match["unit"]
        number, sign, extra = match["number"], match["sign"], match["extra"].strip()
        lead = clause[previous_end:match.start()]
        direction, word = _governing(lead)
        measure = _measure(lead) if unit == "%" else None
        if found and not direction and not measure and _ENUMERATION.match(lead):  # “分别增长 5%、6%”
            last = found[-1]
            direction, word, measure = last.direction, last.word, last.measure
        basis = _basis(before + clause[:match.start()], word) if direction else None
        value, places, problem = _number(number, sign)
        if extra:
            problem = f"单位重复：“{match['unit']}{extra}”"
        elif problem is None and value is not None and value < 0 and direction:
            problem = f"“{word}”后的数不应为负数（增减已由“{word}”说明）"
        approximate = bool(_APPROXIMATE_BEFORE.search(lead) or _APPROXIMATE_AFTER.match(clause[match.end():] + after))
        found.append(Claim(match.group(0), _phrase(clause, match.start(), match.end()), offset + match.start(),
                           offset + match.end(), value, unit, places, direction, word, basis, measure, problem,
                           approximate))
        previous_end = match.end()
    return found


def _phrase(clause: str, start: int, end: int) -> str:
    """The clause up to the figure, cut to its last PHRASE_BEFORE characters before it (for messages)."""
    head = clause[:start].lstrip()
    cut = head[-PHRASE_BEFORE:] if len(head) > PHRASE_BEFORE else head
    return ("…" if cut != head else "") + cut + clause[start:end]


def _number(number: str, sign: str | None) -> tuple[Decimal | None, int, str | None]:
    if not _VALID.match(number):
        if number[0].isdigit():
            return None, 0, f"“{number}”不是正确的数字写法"
        return None, 0, f"“{number}”不是数（计算出错：可能是除以零）"
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        return None, 0, f"“{number}”不是数"
    places = len(number.partition(".")[2])
    return (-value if sign else value), places, None


def _governing(lead: str) -> tuple[str | None, str | None]:
    """The direction word directly before a figure (only a few filler characters between), in ``lead`` (the text
    since the previous figure of the clause)."""
    last = None
    for m in _DIRECTION.finditer(lead):
        last = m
    if last is None or not _GAP.match(lead[last.end():]):
        return None, None
    return DIRECTION_OF[last.group(0)], last.group(0)


def _measure(lead: str) -> str | None:
    completion = None
    for m in _COMPLETION.finditer(lead):
        completion = m
    if completion is not None and len(lead) - completion.end() <= 6:
        return COMPLETION
    if _SHARE.search(lead):
        return SHARE
    return None


def _basis(before: str, word: str | None) -> str | None:
    """The basis last named before the figure in its sentence; else the budget for 超支/节约/大于/小于."""
    last = None
    for m in _BASIS.finditer(before):
        last = m
    if last is not None:
        return PREVIOUS if last["previous"] else BUDGET
    return BUDGET if word in BUDGET_WORDS else None


def _missing(sentence: str, offset: int, found: list[Claim]) -> list[Claim]:
    """“增长%”, “减少万元”, “占%”: a unit after a direction word (or 占) with no figure."""
    taken = {c.start for c in found} | {c.end for c in found}
    result = []
    for m in _MISSING.finditer(sentence):
        start, end = offset + m.start(), offset + m.end()
        if any(c.start <= start < c.end for c in found) or end in taken:
            continue
        unit = "%" if m["unit"] == "％" else m["unit"]
        result.append(Claim(m.group(0), _clause_at(sentence, m.start()), start, end, None, unit, 0,
                            problem=f"“{m.group(0)}”缺少数字"))
    return result


def _infinities(text: str, found: list[Claim]) -> list[Claim]:
    """An ∞ that no figure took (written without a unit)."""
    return [Claim("∞", _clause_at(text, m.start()), m.start(), m.end(), None, "", 0, problem="“∞”不是数（计算出错：可能是除以零）")
            for m in _BARE_INFINITY.finditer(text) if not any(c.start <= m.start() < c.end for c in found)]


def _clause_at(text: str, index: int) -> str:
    start = max((text.rfind(ch, 0, index) for ch in _SENTENCE_END + _CLAUSE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, index) for ch in _SENTENCE_END + _CLAUSE_END) if i >= 0]
    return text[start:min(ends, default=len(text))].strip()
