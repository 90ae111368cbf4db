"""公开10表 部门决算公开相关信息统计表 (printed by profiles such as Shanxi's).

Its figures are the 情况说明 inputs of 十 to 十二 (政府采购, 机关运行经费, 国有资产占用);
a file may also state them in ``tables.info`` (as an import from the 决算 software gives them),
and then each stated figure keeps its derived value beside it for the checks.
"""

from __future__ import annotations

from decimal import Decimal

from generator.compute.figures import Figure, FlatTable, figure
from generator.forms.vocabulary import VEHICLE_KINDS
from generator.content.model import Department
from generator.forms.vocabulary import INFO_OPERATING, INFO_PROCUREMENT
from generator.money import ZERO

PATH = ("tables", "info")


def info_table(dept: Department) -> FlatTable:
    stated = dept.tables.info
    n = dept.narrative
    figures: dict[str, Figure] = {}

    def part(key: str, from_narrative) -> Decimal:
        """A figure the file states here, or else the 情况说明's; stated ones carry the 情况说明's beside them."""
        value = stated.get(key)
        figures[key] = figure(Decimal(from_narrative), Decimal(value) if value is not None else None,
                              PATH + tuple(key.split(".")))
        return figures[key].value

    goods = sum((part(f"procurement.{k}", n.procurement.get(k) or ZERO) for k in INFO_PROCUREMENT), ZERO)
    part("procurement.total", goods)
    administrative = [stated.get(f"operating_costs.{k}") for k in INFO_OPERATING]
    for k, value in zip(INFO_OPERATING, administrative):
        figures[f"operating_costs.{k}"] = Figure(Decimal(value or 0), None, None, PATH + ("operating_costs", k))
    split = any(v is not None for v in administrative)
    total = sum((Decimal(v or 0) for v in administrative), ZERO) if split else n.operating_costs.get("actual") or ZERO
    part("operating_costs.total", total)
    vehicles = n.assets.get("vehicles") or {}
    named = [key.split(".", 1)[1] for key in stated if key.startswith("vehicles.") and key != "vehicles.total"]
    kinds = list(dict.fromkeys([*VEHICLE_KINDS, *vehicles, *named]))
    counted = sum((part(f"vehicles.{kind}", vehicles.get(kind, 0)) for kind in kinds), ZERO)
    part("vehicles.total", counted)
    part("equipment", n.assets.get("equipment") or 0)
    return FlatTable(figures)
