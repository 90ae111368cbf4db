"""The form's vocabulary, defined once: column keys and their printed headers, the funds, the 三公 items, and
the names a department's files and pages go by on the site."""

from __future__ import annotations

# The printed header of each column of the coded tables (what messages and field docs call it).
COLUMN_LABELS = {
    "income": {"total": "本年收入合计", "fiscal": "财政拨款收入", "superior": "上级补助收入", "business": "事业收入",
               "operating": "经营收入", "affiliate": "附属单位上缴收入", "other": "其他收入"},
    "expenditure": {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出", "remit": "上缴上级支出",
                    "operating": "经营支出", "subsidy": "对附属单位补助支出"},
    "general_budget": {"total": "小计", "basic": "基本支出", "project": "项目支出"},
    "gov_fund": {"opening": "年初结转和结余", "income": "本年收入", "total": "本年支出小计", "basic": "基本支出",
                 "project": "项目支出", "closing": "年末结转和结余"},
    "soe_capital": {"opening": "年初结转和结余", "income": "本年收入", "total": "本年支出小计", "basic": "基本支出",
                    "project": "项目支出", "closing": "年末结转和结余"},
}
# The coded tables by id, each with the key of its figures in a department file (``tables.<key>``).
CODED_TABLE_OF = {"t02": "income", "t03": "expenditure", "t05": "general_budget", "t07": "gov_fund",
                  "t08": "soe_capital"}
# The 收入支出 tables of the funds (公开07、08表): 年末结转和结余 = 年初 + 本年收入 − 本年支出 on every row.
BALANCED_TABLES = ("gov_fund", "soe_capital")

FUNDS = ("general", "fund", "soe")  # 财政拨款 by budget: 一般公共预算、政府性基金预算、国有资本经营预算
FUND_LABELS = {"total": "合计", "general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款",
               "soe": "国有资本经营预算财政拨款"}

# The national kinds of 公务用车 (国有资产占用情况); a profile may print some under its own names (``vehicle_names``)
VEHICLE_KINDS = ("副部（省）级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                 "特种专业技术用车", "离退休干部服务用车", "其他用车")

THREE_PUBLIC_ITEMS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training")
THREE_PUBLIC_LABELS = {"total": "合计", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费小计",
                       "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
                       "reception": "公务接待费", "meeting": "会议费", "training": "培训费"}

INDEX = "index.html"


def department_folder(year: int, dept_id: str) -> str:
    """Where a department-year's page and files live on the site: ``<year>/<id>/``."""
    return f"{year}/{dept_id}/"


def file_stem(dept_id: str, year: int) -> str:
    """The stem of a department-year's downloadable files (PDF, workbook, CSV, JSON): ASCII, stable, readable."""
    return f"{dept_id}-{year}"


# 公开10表's figures (see compute.infotable): 政府采购 by kind, 机关运行经费 by kind of unit, 车辆 by kind, 设备.
INFO_PROCUREMENT = ("goods", "works", "services")
INFO_OPERATING = ("administrative", "civil_service")
# The named figures a fixed cell of a layout may print (``{value: key}``), by table: the keys, and the prefixes
# after which any name goes (车辆 by kind); 公开06表's footer may also name an 经济分类 code.
FIXED_FIGURES = {
    "t06": (frozenset({"personnel", "public"}), ()),
    "t09": (frozenset(f"{row}.{item}" for row in ("budget", "actual")
                      for item in (*THREE_PUBLIC_ITEMS, "vehicle", "total")), ()),
    "t10": (frozenset({"procurement.total", *(f"procurement.{k}" for k in INFO_PROCUREMENT),
                       "operating_costs.total", *(f"operating_costs.{k}" for k in INFO_OPERATING),
                       "vehicles.total", "equipment"}), ("vehicles.",)),
}
