"""Rules on what the document prints: nothing the author wrote may be left out of it without a word."""

from __future__ import annotations

from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, WARNING, Finding
from generator.forms.document import OVERVIEW_FIELDS, printed_overview_fields
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS, THREE_PUBLIC_LABELS

APPROVALS = {"secrecy_review": "保密审查情况", "head_approval": "主要负责人审签情况"}  # the cover's, in the file
LABELS = {"duties": "主要职责", "organization": "内设机构", "units": "决算单位构成", "unit_notes": "决算单位的备注",
          "staff": "人员情况"}


@rule("overview-printed", WARNING, "填写的部门概况和封面内容都印在文件中（省份格式没有该节时提醒）")
def overview_printed(ctx: Context) -> Iterable[Finding]:
    """部门文件填写了概况的某项内容（主要职责、内设机构、决算单位构成、人员情况），而所用的省份格式的概况
    没有印出它的一节（如山西格式的概况只有“本部门（单位）职责”和“机构设置情况”两节）时提醒：这些内容不会出现在
    网页和 PDF 中。封面的保密审查、审签情况在格式不印时（如上海格式）同样提醒；绩效自评表和附件在格式没有附件部分时
    （如上海格式）、“三公”经费表不印的会议费、培训费（如山西、上海格式）、情况说明没有的“其他需要说明的情况”
    （如上海格式）也提醒。删去该字段，或改用印出这一节的省份格式。"""
    profile = ctx.computed.profile
    if not profile.cover.approvals:
        for name, label in APPROVALS.items():
            if getattr(ctx.dept, name):
                yield ctx.finding("overview-printed", f"封面·{label}",
                                  f"已填写，但省份格式 {profile.name} 的封面不印这一项，文件中不会出现", ("cover", name),
                                  hint="删去该字段，或改用印出这一项的省份格式")
    d = ctx.dept
    if not any(part.key == "attachments" for part in profile.parts):
        if d.evaluations.overall or d.evaluations.projects:
            yield ctx.finding("overview-printed", "绩效自评表", f"已填写，但省份格式 {profile.name} 没有附件部分，自评表不会印出",
                              ("evaluations",), hint="删去 evaluations，或改用有附件部分的省份格式")
        if d.attachments:
            yield ctx.finding("overview-printed", "附件", f"已填写，但省份格式 {profile.name} 没有附件部分，附件不会印出",
                              ("attachments",), hint="删去 attachments，或改用有附件部分的省份格式")
    yield from _three_public_printed(ctx)
    if d.narrative.other and "other" not in profile.section_keys:
        yield ctx.finding("overview-printed", "情况说明·其他需要说明的情况",
                          f"已填写，但省份格式 {profile.name} 的情况说明没有这一节，文件中不会出现", ("narrative", "other"),
                          hint="把内容并入印出的某一节（如预算绩效管理情况），或改用有这一节的省份格式")
    overview = ctx.dept.overview
    printed = printed_overview_fields(profile.parts, profile.overview)
    for name in OVERVIEW_FIELDS:
        if name in printed or not _filled(overview, name):
            continue
        yield ctx.finding("overview-printed", f"部门概况·{LABELS[name]}",
                          f"已填写，但省份格式 {profile.name} 的部门概况不印这一节，文件中不会出现", ("overview", name),
                          hint="删去该字段，或改用印出这一节的省份格式")


def _filled(overview, name: str) -> bool:
    value = getattr(overview, name)
    if name == "staff":
        return value.given
    return bool(value)


# A cover value saying the step has not been taken yet (the new file's 待审查 / 待审签, or 未审查…).
PENDING = ("待", "未")


@rule("cover-approvals", ERROR, "封面的保密审查、审签情况已填写，且不是“待审查”“待审签”")
def cover_approvals(ctx: Context) -> Iterable[Finding]:
    """多数省份的封面印“保密审查情况”和“主要负责人审签情况”（部门文件的 cover.secrecy_review、
    cover.head_approval）。所用省份格式的封面印这两项时：没有填写是错误（封面上会是空白）；仍为“待审查”“待审签”
    （juesuan new 写的）或“未……”也是错误——未经保密审查和主要负责人审签的决算不能正式发布，
    这样正式生成和 juesuan pdf 都不会发布它，--draft 仍可生成草稿供审签。
    格式不印这两项（如上海格式，``cover: {approvals: false}``）时不要求填写。"""
    if not ctx.computed.profile.cover.approvals:
        return
    for name, label in APPROVALS.items():
        value = getattr(ctx.dept, name)
        if not value:
            yield ctx.finding("cover-approvals", f"封面·{label}", "未填写，封面上会是空白", ("cover", name),
                              hint="填写如“已审查”“已审签”（审签前可写“待审查”“待审签”并用 --draft 生成草稿）")
        elif value.startswith(PENDING):
            yield ctx.finding("cover-approvals", f"封面·{label}", f"仍为“{value}”：未经审查、审签，不能正式发布",
                              ("cover", name), hint="审查、审签后改为“已审查”“已审签”；此前用 --draft 生成草稿供审签")


# The 概况 fields a printed section needs, with the section's name.
OVERVIEW_NEEDED = {"duties": "主要职责", "units": "决算单位构成", "staff": "人员情况"}


@rule("overview-empty", ERROR, "省份格式印出的概况各节有内容：主要职责、决算单位构成、人员情况")
def overview_empty(ctx: Context) -> Iterable[Finding]:
    """所用省份格式的概况印出的“主要职责”（overview.duties）、“部门决算单位构成”（overview.units，第一项为本级）、
    “人员情况”（overview.staff 的编制、实有人数或离退休人数，至少一项）没有填写时是错误：否则这一节印不出任何内容
    （工具不会把没有填写的人数印成 0）。不印这一节的格式（如山西格式不印决算单位构成、人员情况）不要求填写。"""
    profile = ctx.computed.profile
    printed = printed_overview_fields(profile.parts, profile.overview)
    for name, label in OVERVIEW_NEEDED.items():
        if name in printed and not _filled(ctx.dept.overview, name):
            yield ctx.finding("overview-empty", f"部门概况·{label}", "没有填写，这一节会没有内容", ("overview", name),
                              hint=f"在 overview.{name} 中逐项填写" + ("，第一项为本级，如 ××局（本级）" if name == "units" else ""))


@rule("tables-empty", ERROR, "决算表有数：收入、支出决算表不能全为空")
def tables_empty(ctx: Context) -> Iterable[Finding]:
    """收入决算表（公开02表）和支出决算表（公开03表）一个数也没有时，这份决算还没有填写（如 juesuan new 刚建的文件），
    不能正式发布。"""
    if ctx.computed["t02"].is_empty() and ctx.computed["t03"].is_empty():
        yield ctx.finding("tables-empty", "决算表", "收入决算表和支出决算表都没有数，决算尚未填写", ("tables",),
                          hint="填写各表的项级科目（或用 juesuan import 从决算报表工作簿导入）；填写中用 --draft 预览")


def _three_public_printed(ctx: Context) -> Iterable[Finding]:
    """会议费、培训费 (and any 三公 item) that the form's 公开09表 does not print, but the file states."""
    profile = ctx.computed.profile
    printed = ctx.computed.form.three_public_items()
    stated = ctx.dept.tables.three_public
    notes = ctx.dept.narrative.three_public
    for item in THREE_PUBLIC_ITEMS:
        if item in printed:
            continue
        figures = [f"{row}.{item}" for row in ("budget", "actual") if stated.get(f"{row}.{item}")]
        if figures or any(value not in (None, "") for value in (notes.get(item) or {}).values()):
            path = ("tables", "three_public", *figures[0].split(".")) if figures else ("narrative", "three_public", item)
            yield ctx.finding("overview-printed", f"公开09表·{THREE_PUBLIC_LABELS[item]}",
                              f"已填写，但省份格式 {profile.name} 的“三公”经费表和情况说明不印这一项，文件中不会出现", path,
                              hint="本省格式不公开此项时删去；或改用印出这一项的省份格式")


# The 上年 figures each 情况说明 section compares with, where the form prints the section: (path, label).
PREVIOUS_NEEDED = {
    "overall": ((("overall", "previous_total"), "上年收入、支出总计"),),
    "fiscal": ((("fiscal", "previous_total"), "上年财政拨款收入、支出总计"),),
    "general_budget": ((("general_budget", "previous"), "上年一般公共预算财政拨款支出"),),
}


@rule("previous-missing", ERROR, "省份格式与上年比较的各节填写了上年数")
def previous_missing(ctx: Context) -> Iterable[Finding]:
    """情况说明的总体情况、财政拨款总体情况、一般公共预算财政拨款支出、“三公”经费各项（所用格式的公开09表印出的、
    本年有预算或支出的）都要与上年比较。所用省份格式印出这些节而上年数（narrative 中的 previous_total、previous）没有填写时是错误：
    否则与上年比较的句子印不出来，而正式公开的决算必须有。新设立、上年没有数的部门填 0；确实不与上年比较（如公开文本
    未印上年数）时写 ``null``，表明是有意不印。
    上年的文件在内容目录中时，`juesuan new --from-previous` 会填好这些数。"""
    sections = set(ctx.computed.profile.section_keys)
    n = ctx.dept.narrative
    needed = [entry for key, entries in PREVIOUS_NEEDED.items() if key in sections for entry in entries]
    if "three_public" in sections:  # the items with a budget or spending this year (the others say 无……支出)
        figures = ctx.narrative["three_public"]
        needed += [(("three_public", "previous", item), f"上年“三公”经费·{THREE_PUBLIC_LABELS[item]}")
                   for item in ("total", *ctx.computed.form.three_public_items()) if not figures[item]["none"]]
    for path, label in needed:
        value = getattr(n, path[0])
        for key in path[1:]:
            value = (value or {}).get(key)
        if value is None and not ctx.dept.source.written_null(("narrative", *path)):  # ``null`` written: on purpose
            yield ctx.finding("previous-missing", f"情况说明·{label}", "没有填写，与上年比较的句子印不出来",
                              ("narrative", *path),
                              hint=f"填写 narrative.{'.'.join(path)}（上年决算公开的数；上年没有数的填 0；"
                                   "确实不与上年比较时写 null，表明有意不印）")
