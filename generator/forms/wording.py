"""The sentences a form prints where there is nothing to report (“本年度无政府采购支出。”), as profile data.

Each has a built-in wording (the Shaanxi reference's); a profile's ``wording:`` replaces any of them, and a
profile that extends another keeps the ones it does not name. A sentence may name the department and the year
(``{department}``, ``{year}``) and nothing else: it is printed only when the figures it stands for are absent or
zero, so it carries no figure of its own.
"""

from __future__ import annotations

from string import Formatter

from generator.errors import show
from generator.forms.reading import known
from generator.source.shapes import Reader

NONE_WORDING = {
    "units_single": "纳入 {year} 年度本部门决算编制范围的只有本级，本部门无下属预算单位：",
    "general_budget": "本部门 {year} 年度无一般公共预算财政拨款支出。",
    "gov_fund": "本部门 {year} 年度无政府性基金预算财政拨款收支，已公开空表。",
    "soe_capital": "本部门 {year} 年度无国有资本经营预算财政拨款收支，已公开空表。",
    "three_public": "本部门 {year} 年度无财政拨款“三公”经费支出。",
    "abroad": "本年度无财政拨款因公出国（境）费支出。",
    "vehicle_purchase": "本年度无财政拨款公务用车购置费支出。",
    "vehicle_operation": "本年度无财政拨款公务用车运行维护费支出。",
    "reception": "本年度无财政拨款公务接待费支出。",
    "training": "本年度无财政拨款培训费支出。",
    "meeting": "本年度无财政拨款会议费支出。",
    "operating_costs": "本部门 {year} 年度无机关运行经费支出。",
    "procurement": "本部门 {year} 年度无政府采购支出。",
    "assets": "本部门 {year} 年度无国有资产占用及购置。",
    "attachments": "本部门无附件。",
}
PLACES = ("department", "year")  # what a sentence may name


def read_wording(r: Reader, value: object) -> dict[str, str]:
    """A profile's ``wording:``: sentence name → text, each name a built-in one, each text naming only ``PLACES``."""
    wording = {}
    for name, text in r.mapping(("wording",), value, "无内容时的措辞（名称: 句子）").items():
        path = ("wording", name)
        if not known(r, path, name, tuple(NONE_WORDING), "没有这句措辞"):
            continue
        sentence = r.text(path, text)
        if sentence is None:
            continue
        try:
            places = {field for _, field, _, _ in Formatter().parse(sentence) if field is not None}
        except ValueError:
            places = {"{"}
        if not places <= set(PLACES):
            r.problem(path, "句子中只能用 {department}（部门名称）和 {year}（年度）两个占位符",
                      "如“{department}{year}年度无政府采购支出。”", show(sentence))
            continue
        wording[name] = sentence
    return wording


def none_sentences(wording: dict[str, str], department: str, year: int) -> dict[str, str]:
    """Every “nothing to report” sentence, the profile's wording over the built-in one, with the names filled in."""
    return {name: text.format(department=department, year=year) for name, text in {**NONE_WORDING, **wording}.items()}
