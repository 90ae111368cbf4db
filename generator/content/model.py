"""The department file as typed data: what the author wrote, amounts already in 万元.

Nothing here is computed; see ``compute`` for the tables and ``narrative`` for the
figures of the 情况说明.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from generator.content.evaluations import Evaluations
from generator.forms.glossary import Term
from generator.source.yamlfile import Source


@dataclass
class Row:
    """One row a file states in a coded table (项 entered; 类/款/合计 stated)."""

    code: str  # "合计" for the total row
    name: str | None
    values: dict[str, Decimal]
    path: tuple


@dataclass
class Staff:
    establishment: dict[str, int]
    actual: dict[str, int]
    actual_notes: dict[str, str]
    retired: int | None  # None: not given (never printed as 0)
    establishment_stated: int | None = None  # totals as the file states them, for the checks
    actual_stated: int | None = None

    @property
    def establishment_total(self) -> int | None:
        """The 编制 in all: the sum of the kinds given, else the stated total; None when neither was given."""
        return sum(self.establishment.values()) if self.establishment else self.establishment_stated

    @property
    def actual_total(self) -> int | None:
        return sum(self.actual.values()) if self.actual else self.actual_stated

    @property
    def given(self) -> bool:
        """Whether the file gives any of the counts."""
        return any(v is not None for v in (self.establishment_total, self.actual_total, self.retired))


@dataclass
class Overview:
    duties: list[str]
    organization: str
    units: list[str]
    staff: Staff
    unit_notes: dict[str, str] = field(default_factory=dict)  # 备注 by unit name, e.g. 预算不单列，并入本级


@dataclass
class Tables:
    income: dict[str, Row]  # 公开02表
    expenditure: dict[str, Row]  # 公开03表
    general_budget: dict[str, Row]  # 公开05表
    basic_detail: dict[str, Row]  # 公开06表, values {"amount": …}
    gov_fund: dict[str, Row]  # 公开07表
    soe_capital: dict[str, Row]  # 公开08表
    three_public: dict[str, Decimal]  # 公开09表, "budget.abroad" …
    summary: dict[str, Decimal]  # 公开01表 inputs and stated lines
    fiscal_summary: dict[str, Decimal]  # 公开04表 inputs and stated lines
    info: dict[str, object] = field(default_factory=dict)  # 公开10表 stated figures: "procurement.goods" …


@dataclass
class ItemNote:
    """年初预算 and reason for one 项 of 公开05表 (情况说明 五), or for a 类 or 款 (its budget covers the 项 under it)."""

    budget: Decimal | None  # None: not filled in yet (check rule budget-items)
    reason: str
    purpose: str = ""  # 主要用于：what the money was spent on
    text: str = ""  # the author's own paragraph for this 项, printed instead of the generated one


@dataclass
class Narrative:
    """What the 情况说明 needs that no table holds: 上年 figures, budgets, reasons."""

    overall: dict = field(default_factory=dict)
    income: dict = field(default_factory=dict)
    expenditure: dict = field(default_factory=dict)
    fiscal: dict = field(default_factory=dict)
    basic: dict = field(default_factory=dict)
    general_budget: dict = field(default_factory=dict)
    items: dict[str, ItemNote] = field(default_factory=dict)
    gov_fund: dict = field(default_factory=dict)
    soe_capital: dict = field(default_factory=dict)
    three_public: dict = field(default_factory=dict)
    operating_costs: dict = field(default_factory=dict)
    procurement: dict = field(default_factory=dict)
    assets: dict = field(default_factory=dict)
    performance: str = ""
    other: str = ""

    def written(self) -> frozenset[str]:
        """The sections the department wrote anything for (a profile's optional section is printed only then)."""
        return frozenset(f.name for f in fields(self) if getattr(self, f.name))


@dataclass
class Attachment:
    title: str
    group: str
    body: str
    scores: object = None  # a 绩效评价报告's 指标评分表 (evaluations.ScoreTable), shown where the body says [评分表]

    @property
    def parts(self) -> tuple[str, str]:
        """The body before and after the line where the 评分表 goes (after everything without the marker)."""
        before, marker, after = self.body.partition("[评分表]")
        return (before, after) if marker else (self.body, "")


@dataclass
class Department:
    id: str
    year: int
    form: int
    unit: str
    name: str
    scope: str
    secrecy_review: str
    head_approval: str
    overview: Overview
    tables: Tables
    narrative: Narrative
    glossary: list[Term]
    attachments: list[Attachment]
    tail_differences: dict[str, Decimal]  # 尾差登记: field → stated minus computed, in 万元
    source: Source
    evaluations: Evaluations = field(default_factory=Evaluations)  # 附件 绩效自评表
    profile_name: str | None = None  # the file's own ``profile:``, if it names one
    published: date | None = None  # 公开日期: the day the disclosure was made public, if the file gives it

    @property
    def display_name(self) -> str:
        """The 部门 line of each table: name with （汇总）/（本级）."""
        return f"{self.name}（{self.scope}）" if self.scope else self.name
