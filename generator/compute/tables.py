"""Computing the nine tables from what the author entered.

Authors enter 项-level rows; 款, 类 and 合计 rows, row totals and the summary tables
(公开01/04表) are derived here. A figure the file also states is printed as stated
and keeps its derived value beside it, for the checks. Derived figures always use
the printed figures of their sources, so a stated total flows on consistently.
"""

from __future__ import annotations

from decimal import Decimal

from generator.compute.figures import (
    CodedRow,
    CodedTable,
    Computed,
    Figure,
    FlatTable,
    figure,
)
from generator.compute.infotable import info_table
from generator.compute.narrative import describe
from generator.content.model import Department, Row
from generator.forms.catalogue import catalogue, parent_codes
from generator.forms.glossary import Term, default_glossary, glossary_file
from generator.forms.layouts import Form, Groups, load_form
from generator.forms.profiles import Profile
from generator.forms.vocabulary import BALANCED_TABLES, CODED_TABLE_OF, THREE_PUBLIC_ITEMS
from generator.money import ZERO

# Row identities within a coded table: derived column = Σ of these columns.
ROW_FORMULAS = {
    "income": {"total": ("fiscal", "superior", "business", "operating", "affiliate", "other")},
    "expenditure": {"total": ("basic", "project", "remit", "operating", "subsidy")},
    "general_budget": {"total": ("basic", "project")},
    "gov_fund": {"total": ("basic", "project")},
    "soe_capital": {"total": ("basic", "project")},
}
COLUMNS = {
    "income": ("total", "fiscal", "superior", "business", "operating", "affiliate", "other"),
    "expenditure": ("total", "basic", "project", "remit", "operating", "subsidy"),
    "general_budget": ("total", "basic", "project"),
    "gov_fund": ("opening", "income", "total", "basic", "project", "closing"),
    "soe_capital": ("opening", "income", "total", "basic", "project", "closing"),
}
TABLE_OF = CODED_TABLE_OF


def compute(dept: Department, profile: Profile) -> Computed:
    """The department's tables as ``profile`` prints them, its 情况说明 figures and its 名词解释."""
    form = load_form(dept.form, profile)
    names = catalogue("functional", dept.year)
    tables: dict = {tid: coded_table(key, getattr(dept.tables, key), names) for tid, key in TABLE_OF.items()}
    tables["t06"] = basic_detail(dept, form.tables["t06"].body)
    tables["t09"] = three_public(dept)
    tables["t04"] = fiscal_summary(dept, form, tables)
    tables["t01"] = summary(dept, form, tables)
    if "t10" in form.tables:
        tables["t10"] = info_table(dept)
    computed = Computed(dept, profile, form, dict(sorted(tables.items())), glossary=printed_glossary(dept, profile))
    computed.narrative = describe(computed)
    return computed


def printed_glossary(dept: Department, profile: Profile) -> tuple[Term, ...]:
    """The 名词解释 as printed: a profile with its own glossary replaces the default terms at the head of the
    file's list (the file keeps them unless it says ``mode: replace``)."""
    default = list(default_glossary())
    if profile.glossary and dept.glossary[:len(default)] == default:
        return (*glossary_file(profile.glossary), *dept.glossary[len(default):])
    return tuple(dept.glossary)


def coded_table(key: str, entered: dict[str, Row], names: dict[str, str]) -> CodedTable:
    columns = COLUMNS[key]
    formulas = ROW_FORMULAS[key]
    codes = set(entered) - {"合计"}
    for code in list(codes):
        codes.update(parent_codes(code))
    children: dict[str, list[str]] = {"合计": sorted(c for c in codes if len(c) == 3)}
    for code in codes:
        if len(code) > 3:
            children.setdefault(code[: 3 if len(code) == 5 else 5], []).append(code)

    built: dict[str, CodedRow] = {}

    def build(code: str) -> CodedRow:
        kids = [build(child) for child in sorted(children.get(code, []))]
        row = entered.get(code)
        stated = row.values if row else {}
        figures: dict[str, Figure] = {}
        for col in columns:
            if col in formulas:
                continue
            if kids:
                figures[col] = figure(sum((k.value(col) for k in kids), ZERO), stated.get(col), _at(row, col))
            elif col in stated:
                figures[col] = Figure(stated[col], None, None, _at(row, col))
        for col, parts in formulas.items():
            total = sum((figures[p].value for p in parts if p in figures), ZERO)
            figures[col] = figure(total, stated.get(col), _at(row, col))
        if key in BALANCED_TABLES:
            balance = _value(figures, "opening") + _value(figures, "income") - figures["total"].value
            figures["closing"] = figure(balance, stated.get("closing"), _at(row, "closing"))
        level = 0 if code == "合计" else {3: 1, 5: 2, 7: 3}[len(code)]
        name = "合计" if code == "合计" else (row.name if row and row.name else names.get(code, ""))
        built[code] = CodedRow(code, name, level, figures)
        return built[code]

    build("合计")
    ordered: list[CodedRow] = []

    def walk(code: str) -> None:
        ordered.append(built[code])
        for child in sorted(children.get(code, [])):
            walk(child)

    walk("合计")
    return CodedTable(columns, ordered)


def _at(row: Row | None, column: str) -> tuple | None:
    return row.path + (column,) if row else None


def _value(figures: dict[str, Figure], key: str) -> Decimal:
    return figures[key].value if key in figures else ZERO


def basic_detail(dept: Department, layout: Groups) -> FlatTable:
    """公开06表: 款 entered; 类 = Σ款; 人员经费 = Σ personnel classes; 公用经费 = the rest."""
    entered = dept.tables.basic_detail
    figures: dict[str, Figure] = {}
    codes = [code for group in layout.groups for code in group]
    for code in codes:
        if len(code) == 5 and code in entered and "amount" in entered[code].values:
            figures[code] = Figure(entered[code].values["amount"], None, None, entered[code].path)
    for code in (c for c in codes if len(c) == 3):
        total = sum((f.value for k, f in figures.items() if len(k) == 5 and k.startswith(code)), ZERO)
        figures[code] = figure(total, _stated_amount(entered, code), _row_path(entered, code))
    classes = [c for c in codes if len(c) == 3]
    personnel = sum((figures[c].value for c in classes if c in layout.personnel_classes), ZERO)
    public = sum((figures[c].value for c in classes if c not in layout.personnel_classes), ZERO)
    figures["personnel"] = figure(personnel, _stated_amount(entered, "personnel"), _row_path(entered, "personnel"))
    figures["public"] = figure(public, _stated_amount(entered, "public"), _row_path(entered, "public"))
    return FlatTable(figures)


def _stated_amount(rows: dict[str, Row], code: str) -> Decimal | None:
    row = rows.get(code)
    return row.values.get("amount") if row else None


def _row_path(rows: dict[str, Row], code: str) -> tuple | None:
    row = rows.get(code)
    return row.path if row else None


THREE_PUBLIC_PATH = ("tables", "three_public")


def three_public(dept: Department) -> FlatTable:
    """公开09表: 小计 = 购置 + 运行维护; 合计 = 出国 + 小计 + 接待."""
    entered = dept.tables.three_public
    figures: dict[str, Figure] = {}
    for row in ("budget", "actual"):
        for item in THREE_PUBLIC_ITEMS:
            key = f"{row}.{item}"
            figures[key] = Figure(entered.get(key, ZERO), None, None, THREE_PUBLIC_PATH + (row, item))
        vehicle = figures[f"{row}.vehicle_purchase"].value + figures[f"{row}.vehicle_operation"].value
        figures[f"{row}.vehicle"] = figure(vehicle, entered.get(f"{row}.vehicle"), THREE_PUBLIC_PATH + (row, "vehicle"))
        total = figures[f"{row}.abroad"].value + vehicle + figures[f"{row}.reception"].value
        figures[f"{row}.total"] = figure(total, entered.get(f"{row}.total"), THREE_PUBLIC_PATH + (row, "total"))
    return FlatTable(figures)


class _Flat:
    """Builds a FlatTable whose inputs and stated figures come from one mapping of the file."""

    def __init__(self, stated: dict[str, Decimal], path: tuple):
        self.stated = stated
        self.path = path
        self.figures: dict[str, Figure] = {}

    def entered(self, key: str) -> Decimal:
        fig = Figure(self.stated.get(key, ZERO), None, None, self.path + tuple(key.split(".")))
        self.figures[key] = fig
        return fig.value

    def derived(self, key: str, computed: Decimal) -> Decimal:
        fig = figure(computed, self.stated.get(key), self.path + tuple(key.split(".")))
        self.figures[key] = fig
        return fig.value


def fiscal_summary(dept: Department, form: Form, tables: dict) -> FlatTable:
    """公开04表 from 05/07/08 and the fiscal income and opening balances entered."""
    t = _Flat(dept.tables.fiscal_summary, ("tables", "fiscal_summary"))
    gen, fund, soe = tables["t05"], tables["t07"], tables["t08"]
    income = {"general": t.entered("general"), "fund": t.derived("fund", fund.total.value("income")),
              "soe": t.entered("soe")}
    income_total = t.derived("income_total", sum(income.values(), ZERO))
    opening = {"general": t.entered("opening_general"),
               "fund": t.derived("opening_fund", fund.total.value("opening")),
               "soe": t.entered("opening_soe")}
    opening_total = t.derived("opening_total", sum(opening.values(), ZERO))
    t.derived("income_grand_total", income_total + opening_total)

    sources = {"general": gen, "fund": fund, "soe": soe}
    for code, _label in form.classes:
        parts = [t.derived(f"{code}.{f}", sources[f].value(code, "total")) for f in sources]
        t.derived(f"{code}.total", sum(parts, ZERO))
    spent = {f: t.derived(f"expenditure_total.{f}", sources[f].total.value("total")) for f in sources}
    t.derived("expenditure_total.total", sum(spent.values(), ZERO))
    closing = {
        "general": t.derived("closing.general", opening["general"] + income["general"] - spent["general"]),
        "fund": t.derived("closing.fund", fund.total.value("closing")),
        "soe": t.derived("closing.soe", opening["soe"] + income["soe"] - spent["soe"]),
    }
    t.derived("closing.total", sum(closing.values(), ZERO))
    for f in ("total", *sources):
        t.derived(f"expenditure_grand_total.{f}", t.figures[f"expenditure_total.{f}"].value
                  + t.figures[f"closing.{f}"].value)
    return FlatTable(t.figures)


def summary(dept: Department, form: Form, tables: dict) -> FlatTable:
    """公开01表 from 02/03/04 and the balances entered."""
    t = _Flat(dept.tables.summary, ("tables", "summary"))
    income, spending, fiscal = tables["t02"].total, tables["t03"], tables["t04"]
    t.derived("general_fiscal", fiscal.value("general"))
    t.derived("fund_fiscal", fiscal.value("fund"))
    t.derived("soe_fiscal", fiscal.value("soe"))
    for key in ("superior", "business", "operating", "affiliate", "other"):
        t.derived(key, income.value(key))
    income_total = t.derived("income_total", income.value("total"))
    grand = t.derived("income_grand_total", income_total + t.entered("use_of_reserve") + t.entered("opening"))
    for code, _label in form.classes:
        t.derived(code, spending.value(code, "total"))
    spent = t.derived("expenditure_total", spending.total.value("total"))
    distribution = t.entered("distribution")
    closing = t.derived("closing", grand - spent - distribution)
    t.derived("expenditure_grand_total", spent + distribution + closing)
    return FlatTable(t.figures)
