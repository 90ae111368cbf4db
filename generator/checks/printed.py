"""Rule text-printed: every text the author wrote reaches the page.

The pipeline renders the department's page and hands its text to the rules (``Context.page_text``); this rule
looks for each author-written text of the 概况 and the 情况说明 in it. A text is cut into phrases at punctuation
(templates may drop a closing 。 or a leading 主要用于); a phrase of four characters or more that the page lacks
means the form dropped the text: a template that does not print the field, or a sentence left out because a
figure it needs is missing.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from generator.checks.engine import Context, rule
from generator.checks.findings import WARNING, Finding

BREAKS = re.compile(r"[。；;，,：:、！!？?（）()“”\"'‘’《》\[\]\n|]+")
# Markdown the page does not show: list and heading marks, emphasis, link targets, backslash escapes
MARKUP = re.compile(r"^\s*(?:[-*+>#]+|\d+\\?[.)、])\s*|[*_`~#>]|\]\([^)]*\)|\\(?=[^\w\s])", re.M)
SPACE = re.compile(r"\s+")
SHORTEST = 4  # a shorter phrase (e.g. 其中, 主要用于) proves nothing either way

SECTION_LABELS = {"overall": "一 收入支出决算总体情况", "income": "收入决算情况", "expenditure": "支出决算情况",
                  "fiscal": "财政拨款收入支出决算总体情况", "general_budget": "一般公共预算财政拨款支出",
                  "basic": "一般公共预算财政拨款基本支出", "gov_fund": "政府性基金预算财政拨款收支",
                  "soe_capital": "国有资本经营预算财政拨款收支", "three_public": "“三公”经费",
                  "operating_costs": "机关运行经费", "procurement": "政府采购", "assets": "国有资产占用",
                  "performance": "预算绩效情况", "other": "其他需要说明的情况"}


def squeezed(text: str) -> str:
    return SPACE.sub("", text)


def phrases(text: str) -> list[str]:
    """The phrases of an author's text that the page must show, without Markdown and spaces."""
    plain = MARKUP.sub("", text)
    return [p for p in (squeezed(part) for part in BREAKS.split(plain)) if len(p) >= SHORTEST]


def author_texts(dept) -> Iterator[tuple[tuple, str, str]]:
    """Every text the author wrote for the 概况 and the 情况说明: (file path, label, text)."""
    overview = dept.overview
    for i, duty in enumerate(overview.duties):
        yield ("overview", "duties", i), "部门概况·主要职责", duty
    if overview.organization:
        yield ("overview", "organization"), "部门概况·内设机构", overview.organization
    for name, note in overview.unit_notes.items():
        yield ("overview", "unit_notes", name), "部门概况·决算单位的备注", note
    n = dept.narrative
    for key, label in SECTION_LABELS.items():
        value = getattr(n, key)
        if isinstance(value, str):
            if value:
                yield ("narrative", key), f"情况说明·{label}", value
            continue
        yield from _texts(("narrative", key), f"情况说明·{label}", value)
    for code, note in n.items.items():
        for name in ("reason", "purpose", "text"):
            if getattr(note, name):
                yield ("narrative", "general_budget", "items", code, name), f"情况说明·{code}", getattr(note, name)


def _texts(path: tuple, label: str, value: dict) -> Iterator[tuple[tuple, str, str]]:
    for key, item in value.items():
        if isinstance(item, dict):
            yield from _texts(path + (key,), label, item)
        elif isinstance(item, str) and item.strip():
            yield path + (key,), label, item


@rule("text-printed", WARNING, "作者写的文字都印在文件中")
def text_printed(ctx: Context) -> Iterable[Finding]:
    """部门文件中作者写的文字——概况的职责、内设机构、单位备注，情况说明各节的原因、用途、说明和整段文字——
    都要出现在生成的页面上。某段文字没有印出时提醒：所用省份格式的模板不印这个字段（如山西格式不印培训费、
    会议费的说明），或者这句话所需的数没有填写（如写了较上年增减的原因而没有上年数）。
    核对时按标点把文字分成短语，模板去掉的句末标点、“主要用于”等引导词不算缺失。"""
    if ctx.page_text is None:
        return
    page = squeezed(ctx.page_text)
    for path, label, text in author_texts(ctx.dept):
        lost = next((p for p in phrases(text) if p not in page), None)
        if lost is not None:
            field = ".".join(str(p) for p in path[2:]) or path[-1]
            yield ctx.finding("text-printed", f"{label}（{field}）", f"写了“{_quoted(lost)}”，但文件中没有印出",
                              path, hint="所用省份格式不印这一项时删去或并入印出的一节；缺少相关的数时补上")


def _quoted(phrase: str, limit: int = 24) -> str:
    return phrase if len(phrase) <= limit else phrase[:limit] + "……"
