"""What a published disclosure's prose states that the department file has fields for, read back for `juesuan
import FILE.pdf`: last year's totals and the reasons in 情况说明 一、四、五 and 机关运行经费, each 项's 年初预算,
purpose and reason in 五, the 概况, 政府采购, 国有资产 and the 名词解释.

A figure is taken only where the sentence and the tables agree (the total a section opens with equal to its
table's): a contradictory document gives no 上年数 rather than a wrong one. Sections and parts the reader does not
take (人员, 附件, 五's budget total) are named in the run's notes, to be filled in from the PDF. The “三公” section is read
by ``threepublic``; 预算绩效 and 其他需要说明的情况 are the department's own text, taken paragraph by paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.authoring.pdf.attachments import read_attachments
from generator.authoring.pdf.reading import PAGE_NUMBER, PART_HEADING, PdfDocument
from generator.authoring.pdf.threepublic import PURPOSE, REASON, sentence_reasons, three_public_facts
from generator.authoring.spreadsheet.cells import norm
from generator.checks.prose_claims import AMOUNT, DOWN, FLAT, PREVIOUS, UNIT_IN_WAN, UP, claims
from generator.compute.figures import Computed
from generator.forms.vocabulary import VEHICLE_KINDS

BUDGET = re.compile(r"年初预算(?:数)?(?:为|是)?\s*(?P<amount>[\d,]+(?:\.\d+)?)\s*万元")
# A 项's paragraph in 五, as the forms head it: by names (“一般公共服务支出（类）财政事务（款）行政运行（项）”, Shanghai),
# by names and codes (“社会保障和就业支出（208）行政事业单位养老支出（05）行政单位离退休（01）”, Shaanxi) or by codes
# (“社会保障和就业208（类）05（款）01（项）”, 类款项)
ITEM_HEAD = re.compile(r"(?:^|[。：])\s*(?:\d+[、.．]\s*)?(?:"
                       r"(?P<class>[^（）。：]+?)（类）(?P<section>[^（）。]+?)（款）(?P<item>[^（）。]+?)（项）"
                       r"|(?P<cname>[^（）。：]+?)（(?P<c>\d{3})）(?P<sname>[^（）。]+?)（(?P<s>\d{2})）(?P<iname>[^（）。]+?)（(?P<i>\d{2})）)")
CLASS_HEAD = re.compile(r"(?<![\d.])\d{1,2}[、.．]\s*(?P<name>[^（）。：；，\d]+?)（类）(?!\S{0,12}（款）)")
TERM = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.．、])\s*(?P<term>[^：:]{1,30})[：:]\s*(?P<text>.+)$")
# Where each total-and-change section's figures go: (section, previous field, table, total)
TOTALS = {"overall": (("overall", "previous_total"), "t01", "income_grand_total"),
          "fiscal": (("fiscal", "previous_total"), "t04", "income_grand_total"),
          "general_budget": (("general_budget", "previous"), "t05", "total"),
          "operating_costs": (("operating_costs", "previous"), None, None)}
LABELS = {"overall": "收入支出决算总体情况", "fiscal": "财政拨款收入支出决算总体情况",
          "general_budget": "一般公共预算财政拨款支出决算情况", "operating_costs": "机关运行经费"}
TEXT_SECTIONS = ("performance", "other")  # narrative keys whose value is the department's Markdown
SUBHEADING = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)[^，。；：]{1,30}$")
SENTENCE_MARK = re.compile(r"[，。；：]")
KINDS = {"goods": "货物", "works": "工程", "services": "服务"}
AMOUNT_AFTER = r"[^0-9。；，、]{0,16}?(?P<v>[\d,]+(?:\.\d+)?)\s*万元"
VEHICLE = re.compile(r"(?P<kind>[^、，,：；。\d]+?用车)\s*(?P<n>\d+)\s*辆")
EQUIPMENT = re.compile(r"(?<!购置)单价\s*100\s*万元(?:（含）)?以上设备(?:（不含车辆）)?\s*(?P<n>\d+)\s*台")
BOUGHT_VEHICLES = re.compile(r"购置车辆\s*(?P<n>\d+)\s*辆")
BOUGHT_EQUIPMENT = re.compile(r"购置单价\s*100\s*万元(?:（含）)?以上设备(?:（不含车辆）)?\s*(?P<n>\d+)\s*台")


STAFF_COUNTS = {"establishment": r"(?:人员)?编制(?:数)?(?:为|共)?\s*(?P<n>\d+)\s*[人名]",
                "actual": r"实有(?:人员|人数)(?:为|共)?\s*(?P<n>\d+)\s*[人名]"}
STAFF_CATEGORY = re.compile(r"^(?P<label>[^\d（）]+?)\s*(?P<n>\d+)\s*[人名](?:（(?P<note>[^）]+)）)?$")
# The 概况's sections by the words of their headings (一、主要职能 / （一）主要职责 / 二、部门决算单位构成 …)
OVERVIEW_HEADS = {"duties": ("主要职责", "主要职能", "部门职责", "职责"), "organization": ("内设机构", "机构设置"),
                  "units": ("决算单位构成", "单位构成"), "staff": ("人员情况", "人员构成")}
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)(?P<title>.{1,24})$")
NUMBER = re.compile(r"^(?:\d{1,2}[.、．]|（[一二三四五六七八九十]+）)\s*")
# Where a numbered duty starts: 第一条, （一）, 1. / 1、 (not a decimal)
DUTY_START = re.compile(r"(?=第[一二三四五六七八九十百]+条)|(?=（[一二三四五六七八九十]+）)|(?<![\d.])(?=\d{1,2}[.、．](?!\d))")


@dataclass
class Facts:
    overview: dict = field(default_factory=dict)
    narrative: dict = field(default_factory=dict)
    items: dict[str, dict] = field(default_factory=dict)  # code → {budget, purpose, reason}
    names: dict[str, str] = field(default_factory=dict)  # code → name, for the file's comments
    glossary: dict = field(default_factory=dict)
    attachments: list[dict] = field(default_factory=list)  # the 附件's reports: group, title, scores, body
    notes: list[str] = field(default_factory=list)  # what was not placed


def read_facts(doc: PdfDocument, sections: dict[str, tuple[int, str]], paragraphs: dict[str, list[str]],
               computed: Computed) -> Facts:
    facts = Facts()
    for key in TEXT_SECTIONS:
        if text := _markdown(paragraphs.get(key, [])):
            facts.narrative[key] = text
    for key, (page, text) in sections.items():
        if key in TOTALS:
            _totals(facts, key, text, computed)
        none = computed.profile.none_sentences(computed.department.name, computed.department.year)
        if key == "procurement":
            _procurement(facts, text)
            if norm(none["procurement"]) in norm(text):  # the form's own words for none: stated, all zero
                facts.narrative.setdefault("procurement", {k: Decimal(0) for k in KINDS})
        if key == "assets":
            _assets(facts, text, dict(computed.profile.vehicle_names))
            if norm(none["assets"]) in norm(text):
                facts.narrative.setdefault("assets", {"equipment": 0, "purchased_vehicles": 0, "purchased_equipment": 0})
        if key == "general_budget":
            _budget_total(facts, text, computed)
            _items(facts, text, computed)
            if not facts.items and computed["t05"].items():
                facts.notes.append(f"情况说明五（第 {page} 页）各项级科目的年初预算没有读取（按“…（类）…（款）…（项）”"
                                   "的写法查找），请照 PDF 填写")
        if key == "three_public":
            if three_public := three_public_facts(text, computed):
                facts.narrative["three_public"] = three_public
    for key, wanted, label in (("general_budget", "budget", "情况说明五的年初预算合计"),
                              ("general_budget", "reason_budget", "情况说明五决算与年初预算不同的原因"),
                              ("operating_costs", "budget", "机关运行经费的预算数")):
        if key in sections and wanted not in facts.narrative.get(key, {}):
            facts.notes.append(f"{label}没有读到，PDF 印有的请照填")
    facts.glossary = _glossary(doc)
    facts.attachments, unread = read_attachments(doc)
    facts.notes += unread
    facts.overview = _overview(doc)
    spec = next((o for o in computed.profile.overview if o.key == "duties"), None)
    if facts.overview.get("duties") and (spec is None or spec.numbered):  # the form numbers them itself
        facts.overview["duties"] = [NUMBER.sub("", d, count=1) for d in facts.overview["duties"]]
    missing = [label for key, label in (("duties", "职责"), ("units", "决算单位"), ("staff", "人员情况"))
               if not facts.overview.get(key)]
    if missing:
        facts.notes.append(f"部门概况的{'、'.join(missing)}没有读取，请照 PDF 填写")
    return facts


def _markdown(paragraphs: list[str]) -> str:
    """A section's paragraphs as the department's Markdown: its （一） headings as #### headings, a chart's labels
    (a line of names or figures without a sentence's punctuation) left out."""
    kept = []
    for paragraph in paragraphs:
        if SUBHEADING.match(paragraph):
            kept.append(f"#### {paragraph}")
        elif SENTENCE_MARK.search(paragraph):
            kept.append(paragraph)
    return "\n\n".join(kept)


def _overview(doc: PdfDocument) -> dict:
    """第一部分 概况: the duties (one item per numbered paragraph), the organisation, the units and their 备注."""
    texts: dict[str, list[str]] = {}
    inside, current, pages = False, None, set()
    for page in doc.pages:
        for line in page.lines:
            squeezed = line.replace(" ", "")
            if PART_HEADING.match(squeezed):  # a part's heading, or the running header repeating it on every page
                overview = squeezed.endswith("概况")
                if overview != inside:
                    inside, current = overview, None
                continue
            if not inside or PAGE_NUMBER.match(squeezed):
                continue
            pages.add(page.number)
            heading = HEADING.match(squeezed)
            key = next((k for k, words in OVERVIEW_HEADS.items() if heading and any(w in heading.group("title")
                                                                                     for w in words)), None)
            if key is not None:
                current = key
                texts.setdefault(key, [])
            elif current is not None:
                texts[current].append(squeezed)
    result: dict = {}
    if texts.get("duties"):
        joined = "".join(texts["duties"])
        result["duties"] = [part.strip() for part in DUTY_START.split(joined) if part.strip()]
    if texts.get("organization"):
        result["organization"] = "".join(texts["organization"])
    if texts.get("staff") and (staff := _staff("".join(texts["staff"]))):
        result["staff"] = staff
    units, notes = _units(doc, pages)
    if units:
        result["units"], result["unit_notes"] = units, notes
    return result


def _staff(text: str) -> dict:
    """人员情况: “本部门人员编制 181 人，其中行政编制 47 人、…；实有人员 173 人，其中行政 49 人（含工勤 4 名）、…。
    单位管理的离退休人员 0 人。” Each count as printed: a total without its categories is kept as the total."""
    staff: dict = {}
    for key, pattern in STAFF_COUNTS.items():
        match = re.search(pattern, text)
        if match is None:
            continue
        parts = re.match(r"，?其中[:：]?(?P<list>[^；。]+)", text[match.end():])
        categories = [STAFF_CATEGORY.match(p.strip()) for p in re.split(r"[、，]", parts.group("list"))] if parts else []
        if categories and all(categories):
            staff[key] = {m.group("label"): int(m.group("n")) for m in categories}
            notes = {m.group("label"): m.group("note") for m in categories if m.group("note")}
            if notes and key == "actual":
                staff["actual_notes"] = notes
        else:
            staff[f"{key}_total"] = int(match.group("n"))
    if match := re.search(r"离退休人员\s*(?P<n>\d+)\s*[人名]", text):
        staff["retired"] = int(match.group("n"))
    return staff


def _units(doc: PdfDocument, pages: set[int]) -> tuple[list[str], dict[str, str]]:
    """The 概况's table of units: the 单位名称 column, and 备注 where a unit has one."""
    for page in doc.pages:
        if page.number not in pages:
            continue
        for grid in page.grids:
            head = next((r for r, row in enumerate(grid.rows) if any(norm(v) == "单位名称" for v in row)), None)
            if head is None:
                continue
            columns = [norm(v) for v in grid.rows[head]]
            name_col = columns.index("单位名称")
            note_col = columns.index("备注") if "备注" in columns else None
            units, notes = [], {}
            for row in grid.rows[head + 1:]:
                name = row[name_col].strip() if name_col < len(row) else ""
                if name:
                    units.append(name)
                    if note_col is not None and note_col < len(row) and row[note_col].strip():
                        notes[name] = row[note_col].strip()
            return units, notes
    return [], {}


def _put(tree: dict, path: tuple, value: object) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def _totals(facts: Facts, key: str, text: str, computed: Computed) -> None:
    """Last year's figure from “与上年相比…减少 X 万元” against the total the section opens with, and the reason."""
    path, table, figure = TOTALS[key]
    first_sentence_claims = claims(text)
    levels = [c for c in first_sentence_claims if c.kind == AMOUNT and c.value is not None and not c.direction]
    level = levels[0] if levels else None
    if table is not None:  # the figure the section is about: the amount equal to its table's (a budget may come first)
        total = computed[table].total.value("total") if figure == "total" else computed[table].value(figure)
        level = next((c for c in levels if abs(c.value * UNIT_IN_WAN[c.unit] - total) <= Decimal("0.01")), level)
    change = next((c for c in first_sentence_claims if c.kind == AMOUNT and c.basis == PREVIOUS and c.value is not None
                   and c.direction in (UP, DOWN)), None)
    flat = next((c for c in first_sentence_claims if c.direction == FLAT and c.basis == PREVIOUS), None)
    if key == "operating_costs":  # its budget may come first (“机关运行经费预算 X 万元，支出决算 Y 万元”)
        level = next((c for c in first_sentence_claims if c.kind == AMOUNT and c.value is not None and not c.direction
                      and "预算" not in c.phrase), None)
    if level is not None:
        current = level.value * UNIT_IN_WAN[level.unit]
        printed = None if table is None else (computed[table].total.value("total") if figure == "total"
                                              else computed[table].value(figure))
        agrees = printed is None or abs(current - printed) <= Decimal("0.01")
        if agrees and change is not None and change.start > level.start:
            amount = change.value * UNIT_IN_WAN[change.unit]
            _put(facts.narrative, path, current - amount if change.direction == UP else current + amount)
        elif agrees and change is None and ("持平" in text[:200] or flat is not None):
            _put(facts.narrative, path, current)
        elif not agrees:
            facts.notes.append(f"情况说明“{LABELS[key]}”所写的总计与表中的不符，上年数没有读取，请核对后填写")
        if key == "operating_costs" and agrees:
            _put(facts.narrative, ("operating_costs", "actual"), current)
        if key == "operating_costs" and (budget := next((c for c in first_sentence_claims if c.kind == AMOUNT
                                                         and c.value is not None and "预算" in c.phrase), None)):
            _put(facts.narrative, ("operating_costs", "budget"), budget.value * UNIT_IN_WAN[budget.unit])
    reasons = sentence_reasons(_opening(text))
    if reason := reasons.get("reason_previous") or reasons.get("reason"):
        _put(facts.narrative, (path[0], "reason"), reason)


def _budget_total(facts: Facts, text: str, computed: Computed) -> None:
    """五's 年初预算 in all and why the spending differs from it: the sentence before the first 项's (类's) paragraph that
    states a 年初预算 beside the table's total (“年初预算为 2993.92 万元，支出决算为 2940.05 万元…”), and the reason
    against the budget that follows it."""
    heads = [m.start() for m in (ITEM_HEAD.search(text), CLASS_HEAD.search(text)) if m]
    region = text[:min(heads)] if heads else text  # a 项's or 类's own reasons are theirs
    total = computed["t05"].total.value("total")
    for sentence in re.split(r"(?<=。)", region):
        budget = BUDGET.search(sentence)
        amounts = [c.value * UNIT_IN_WAN[c.unit] for c in claims(sentence) if c.kind == AMOUNT and c.value is not None]
        if budget and any(abs(a - total) <= Decimal("0.01") for a in amounts):
            _put(facts.narrative, ("general_budget", "budget"), Decimal(budget.group("amount").replace(",", "")))
            break
    if reason := sentence_reasons(region).get("reason_budget"):
        _put(facts.narrative, ("general_budget", "reason_budget"), reason)


def _sentence_with(text: str, *words: str) -> str:
    return next((s for s in re.split(r"(?<=[。；])", text) if all(w in s for w in words)), "")


def _amount_after(text: str, word: str) -> Decimal | None:
    match = re.search(re.escape(word) + AMOUNT_AFTER, text)
    return Decimal(match.group("v").replace(",", "")) if match else None


def _procurement(facts: Facts, text: str) -> None:
    """政府采购: the amounts by kind (“其中：货物…X 万元、工程…、服务…”), and the 中小企业 contracts where stated."""
    if "procurement" in facts.narrative:
        return
    totals = _sentence_with(text, "货物", "工程", "服务")
    totals = totals.split("中小企业")[0]
    amounts = {key: _amount_after(totals, word) for key, word in KINDS.items()}
    if any(v is not None for v in amounts.values()):
        facts.narrative["procurement"] = {k: v for k, v in amounts.items() if v is not None}
    if "授予中小企业合同金额" in text:
        kinds = {key: _amount_after(text, f"{word}采购授予中小企业合同金额") for key, word in KINDS.items()}
        if not any(v is not None for v in kinds.values()):  # the total alone: the file's fields are by kind
            facts.notes.append("政府采购授予中小企业合同金额只印了合计，没有按货物、工程、服务分列，"
                               "授予中小企业和小微企业的合同金额没有读取，请按分类填写")
            return
        facts.narrative.setdefault("procurement", {})["sme"] = {k: v for k, v in kinds.items() if v is not None}
        small = _amount_after(text, "授予小微企业合同金额")
        if small is not None:
            facts.narrative.setdefault("procurement", {})["small_micro"] = small


def _assets(facts: Facts, text: str, names: dict[str, str]) -> None:
    """国有资产: vehicles by kind (the national kinds, under the names the form prints them: ``names``), 100 万元
    equipment, and what was bought."""
    if "assets" in facts.narrative:
        return
    held = _sentence_with(text, "共有车辆") or _sentence_with(text, "车辆")
    vehicles = {m.group("kind").strip(): int(m.group("n")) for m in VEHICLE.finditer(held)}
    kinds = {**{kind: kind for kind in VEHICLE_KINDS}, **{printed: kind for kind, printed in names.items()}}
    national = {kinds[k]: n for k, n in vehicles.items() if k in kinds}
    assets: dict = {}
    if national:
        assets["vehicles"] = national
    if others := [k for k in vehicles if k not in kinds]:
        facts.notes.append(f"国有资产的车辆类别“{'、'.join(others)}”不是全国统一的类别名称，没有读取，请照 PDF 填写")
    for key, pattern in (("equipment", EQUIPMENT), ("purchased_vehicles", BOUGHT_VEHICLES),
                         ("purchased_equipment", BOUGHT_EQUIPMENT)):
        if match := pattern.search(text):
            assets[key] = int(match.group("n"))
    if assets:
        facts.narrative["assets"] = assets


def _opening(text: str) -> str:
    """A section's opening paragraph: up to its （二） or its first 项's paragraph (whose reasons are the 项's)."""
    ends = [m.start() for m in (re.search(r"（二）", text), ITEM_HEAD.search(text)) if m]
    return text[:min(ends)] if ends else text


def _items(facts: Facts, text: str, computed: Computed) -> None:
    """Each 项 paragraph of 五（三）: “1、…（类）…（款）…（项）。主要用于：…。年初预算为 X 万元…原因：…。”"""
    t05 = computed["t05"]
    by_names = {}
    for row in t05.items():
        names = tuple(norm(t05.row(code).name) if t05.row(code) else "" for code in (row.code[:3], row.code[:5]))
        by_names[(*names, norm(row.name))] = row.code
    heads = list(ITEM_HEAD.finditer(text))
    if not heads:  # a form that explains 五 by 类 (Shanxi): “1. 一般公共服务支出（类）支出决算 X 万元，年初预算 Y 万元…”
        _classes(facts, text, t05)
        return
    for i, head in enumerate(heads):
        body = text[head.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        code = _item_code(head, by_names)
        if code is None or t05.row(code) is None:
            facts.notes.append(f"情况说明五 “{head.group(0).strip('。：')}”在公开05表中找不到，没有读取")
            continue
        if note := _budget_note(body):
            facts.items[code] = note
            facts.names[code] = t05.row(code).name if t05.row(code) else ""
    if facts.items:
        for row in t05.items():
            if row.code not in facts.items:
                facts.notes.append(f"情况说明五 {row.code} {row.name} 的段落没有读到，其年初预算和原因请照 PDF 填写")


def _classes(facts: Facts, text: str, t05) -> None:
    """五 by 类: each 类's 年初预算 and reason, as the file states a 类-level budget (``items`` under its 3-digit code)."""
    classes = {norm(t05.row(code).name): code for code in {row.code[:3] for row in t05.items()} if t05.row(code)}
    heads = list(CLASS_HEAD.finditer(text))
    for i, head in enumerate(heads):
        body = text[head.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        code = classes.get(norm(head.group("name")))
        if code is None:
            facts.notes.append(f"情况说明五 “{head.group('name')}（类）”在公开05表中找不到，没有读取")
            continue
        if note := _budget_note(body):
            facts.items[code] = note
            facts.names[code] = t05.row(code).name


def _budget_note(body: str) -> dict:
    """A 项's (类's) paragraph of 五: its 年初预算, what it was used for and why the spending differs."""
    note: dict = {}
    if budget := BUDGET.search(body):
        note["budget"] = Decimal(budget.group("amount").replace(",", ""))
    if purpose := PURPOSE.search(body):
        note["purpose"] = purpose.group("text").strip()
    if reason := REASON.search(body):
        note["reason"] = reason.group("text").strip()
    return note


def _item_code(head: re.Match, by_names: dict) -> str | None:
    if head.group("c"):
        return head.group("c") + head.group("s") + head.group("i")
    parts = (norm(head.group("class")), norm(head.group("section")), norm(head.group("item")))
    digits = re.fullmatch(r"\D*?(\d{3})", parts[0])
    if digits and parts[1].isdigit() and parts[2].isdigit():  # 类款项: codes after the 类's short name
        return digits.group(1) + parts[1] + parts[2]
    return by_names.get(parts) or next((c for names, c in by_names.items()
                                        if names[1:] == parts[1:] and names[0].startswith(parts[0])), None)


def _glossary(doc: PdfDocument) -> dict:
    """The 名词解释 part's terms (“一、财政拨款收入：指……”), each continued over the lines that follow it."""
    terms: list[dict] = []
    inside = False
    for page in doc.pages:
        for line in page.lines:
            squeezed = line.replace(" ", "")
            if PART_HEADING.match(squeezed):
                inside = squeezed.endswith("名词解释")
                continue
            if not inside or PAGE_NUMBER.match(squeezed):
                continue
            match = TERM.match(squeezed)
            if match:
                terms.append({"term": match.group("term"), "text": match.group("text")})
            elif terms:
                terms[-1]["text"] += squeezed
    return {"mode": "replace", "terms": terms} if terms else {}
