"""Rules over 公开10表 部门决算公开相关信息统计表, for profiles that print it."""

from __future__ import annotations

from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, Finding
from generator.forms.vocabulary import INFO_OPERATING
from generator.money import ZERO

LABELS = {"procurement.total": "政府采购支出合计", "procurement.goods": "货物", "procurement.works": "工程",
          "procurement.services": "服务", "operating_costs.total": "机关运行经费合计",
          "operating_costs.administrative": "行政单位", "operating_costs.civil_service": "参照公务员法管理事业单位",
          "vehicles.total": "车辆数合计", "equipment": "单价100万元（含）以上设备"}
SOURCES = {"procurement": "情况说明十一的政府采购", "operating_costs": "情况说明十的机关运行经费",
           "vehicles": "情况说明十二的车辆数", "equipment": "情况说明十二的设备数"}


def where(ctx: Context, key: str) -> str:
    label = LABELS.get(key) or key.split(".", 1)[1]
    return f"{ctx.computed.form.tables['t10'].name} {label}"


@rule("info-10", ERROR, "公开10表：政府采购合计＝货物＋工程＋服务，车辆合计＝各类之和，各数与情况说明一致")
def info_10(ctx: Context) -> Iterable[Finding]:
    """印公开10表的省份格式（如山西）：政府采购支出合计等于货物、工程、服务之和；机关运行经费合计等于行政单位与
    参照公务员法管理事业单位之和（分列时）；车辆数合计等于各类车辆之和；表中填写的每个数（tables.info）
    与情况说明十至十二所填的同一个数一致（一个数只应填一次，两处都填时必须相同）。"""
    if "t10" not in ctx.computed.form.tables:
        return
    t10 = ctx.computed["t10"]
    for key, fig in t10.figures.items():
        if fig.stated is None or fig.computed is None:
            continue
        how = "各项之和" if key.endswith(".total") else SOURCES[key.split(".")[0]]
        yield from ctx.mismatch("info-10", where(ctx, key), f"填报数与{how}不符", fig.path,
                                expected=fig.computed, found=fig.stated, hint="一个数只填一处；核对报表与情况说明")
    parts = [t10.value(f"operating_costs.{k}") for k in INFO_OPERATING]
    if any(parts):
        total = t10.figures["operating_costs.total"]
        stated_actual = ctx.dept.narrative.operating_costs.get("actual")
        if stated_actual is not None:
            yield from ctx.mismatch("info-10", where(ctx, "operating_costs.total"), "与情况说明十的机关运行经费决算数不符",
                                    total.path, expected=stated_actual, found=total.value,
                                    hint="行政单位与参公单位的机关运行经费之和应等于情况说明十的决算数")


@rule("operating-costs-public", ERROR, "机关运行经费等于公开06表公用经费合计（省份格式要求时）")
def operating_costs_public(ctx: Context) -> Iterable[Finding]:
    """省份格式规定（profile 的 rules.operating_costs_equals_public）时，公开10表（或情况说明十）的机关运行经费合计
    必须等于公开06表的公用经费合计：部门只含行政单位和参照公务员法管理的事业单位时两者口径相同。"""
    if not ctx.computed.profile.rule("operating_costs_equals_public"):
        return
    t10 = ctx.computed.tables.get("t10")
    actual = t10.value("operating_costs.total") if t10 is not None else \
        (ctx.dept.narrative.operating_costs.get("actual") or ZERO)
    public = ctx.computed["t06"].value("public")
    path = ("tables", "info", "operating_costs", "total") if t10 is not None else \
        ("narrative", "operating_costs", "actual")
    yield from ctx.mismatch("operating-costs-public", "机关运行经费合计", "与公开06表公用经费合计不符", path,
                            expected=public, found=actual, hint="核对机关运行经费的统计口径和公开06表的公用经费")
