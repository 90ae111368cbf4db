"""Rules on what the document prints: nothing the author wrote may be left out of it without a word."""

from __future__ import annotations

from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import WARNING, Finding
from generator.forms.document import prints_overview_section

# Each 概况 field, and the sections of the 概况 any of which prints it.
OVERVIEW_FIELDS = {
    "duties": ("duties_and_organization", "duties"),
    "organization": ("duties_and_organization", "organization"),
    "units": ("units",),
    "staff": ("staff",),
}
LABELS = {"duties": "主要职责", "organization": "内设机构", "units": "决算单位构成", "staff": "人员情况"}


@rule("overview-printed", WARNING, "填写的部门概况内容都印在文件中（省份格式没有该节时提醒）")
def overview_printed(ctx: Context) -> Iterable[Finding]:
    """部门文件填写了概况的某项内容（主要职责、内设机构、决算单位构成、人员情况），而所用的省份格式的概况
    没有印出它的一节（如山西格式的概况只有“本部门（单位）职责”和“机构设置情况”两节）时提醒：这些内容不会出现在
    网页和 PDF 中。删去该字段，或改用印出这一节的省份格式。"""
    profile = ctx.computed.profile
    overview = ctx.dept.overview
    for name, sections in OVERVIEW_FIELDS.items():
        if not _filled(overview, name):
            continue
        if any(prints_overview_section(profile.parts, profile.overview, key) for key in sections):
            continue
        yield ctx.finding("overview-printed", f"部门概况·{LABELS[name]}",
                          f"已填写，但省份格式 {profile.name} 的部门概况不印这一节，文件中不会出现", ("overview", name),
                          hint="删去该字段，或改用印出这一节的省份格式")


def _filled(overview, name: str) -> bool:
    value = getattr(overview, name)
    if name == "staff":
        return bool(value.establishment or value.actual or value.actual_notes or value.retired)
    return bool(value)
