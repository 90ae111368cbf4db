"""Rules over the nine tables: every identity of the guide, and stated vs derived figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, Finding
from generator.compute.figures import CodedRow, Figure
from generator.compute.tables import ROW_FORMULAS, TABLE_OF
from generator.forms.catalogue import catalogue
from generator.forms.vocabulary import BALANCED_TABLES
from generator.forms.vocabulary import COLUMN_LABELS as COLUMNS
from generator.forms.vocabulary import FUND_LABELS, THREE_PUBLIC_LABELS
from generator.money import ZERO

COLUMN_LABELS = {table_id: COLUMNS[key] for table_id, key in TABLE_OF.items()}


def table_label(ctx: Context, table_id: str) -> str:
    return ctx.computed.form.tables[table_id].name


def coded_where(ctx: Context, table_id: str, row: CodedRow, column: str) -> str:
    line = "合计行" if row.code == "合计" else f"第{row.code}行（{row.name}）"
    return f"{table_label(ctx, table_id)} {line} {COLUMN_LABELS[table_id][column]}"


def line_where(ctx: Context, table_id: str, key: str) -> str:
    """A figure of 公开01/04表 by its 行次 and label: "公开04表 第40行 八、社会保障和就业支出 合计"."""
    body = ctx.computed.form.tables[table_id].body
    name, _, column = key.partition(".")
    for line in (*body.left, *body.right):
        if line.key == name:
            suffix = f" {FUND_LABELS[column]}" if column else ""
            return f"{table_label(ctx, table_id)} 第{line.line}行 {line.label}{suffix}"
    return f"{table_label(ctx, table_id)} {key}"


def stated(figures: dict[str, Figure]) -> list[tuple[str, Figure]]:
    """The figures the file states that are derived too: the only ones ``stated_vs_derived`` can find wrong
    (so the others need no description of where they are)."""
    return [(key, fig) for key, fig in figures.items() if fig.stated is not None and fig.computed is not None]


def stated_vs_derived(ctx: Context, rule_id: str, where: str, fig: Figure, how: str) -> Iterable[Finding]:
    """A figure the file states, against the value derived from the figures it depends on."""
    if fig.stated is None or fig.computed is None:
        return
    yield from ctx.mismatch(rule_id, where, f"填报数与{how}不符", fig.path, expected=fig.computed, found=fig.stated,
                            hint="核对该数及其组成项；从决算软件导入的数以软件为准")


@rule("coded-hierarchy", ERROR, "功能分类表的层级合计：合计＝各类之和，类＝各款之和，款＝各项之和")
def coded_hierarchy(ctx: Context) -> Iterable[Finding]:
    """公开02、03、05、07、08表的每一栏：合计行等于各类之和，每个类等于其下各款之和，每个款等于其下各项之和。

    只有文件中填写了（如从决算软件导入）的类、款、合计数才需要核对；未填写的由工具计算，必然相符。
    以万元填报时允许 ±0.01 的尾差（可用 --tolerance 调整），以元填报时必须完全相等。"""
    for table_id, key in TABLE_OF.items():
        formulas = set(ROW_FORMULAS[key]) | ({"closing"} if key in BALANCED_TABLES else set())
        table = ctx.computed[table_id]
        for row in table.rows:
            below = {0: "各类", 1: "各款", 2: "各项"}.get(row.level)
            if not below:
                continue
            for column, fig in row.figures.items():
                if fig.stated is None:  # derived here: adds up by construction
                    continue
                where = coded_where(ctx, table_id, row, column)
                if column not in formulas:
                    yield from stated_vs_derived(ctx, "coded-hierarchy", where, fig, f"{below}之和")
                else:
                    # Row-total columns are derived across the row; they must add down the column too.
                    children = sum((r.value(column) for r in _children(table, row)), ZERO)
                    yield from ctx.mismatch("coded-hierarchy", where, f"与{below}之和不符", fig.path,
                                            expected=children, found=fig.value, hint="核对该数及其组成项")


@rule("coded-row-identity", ERROR, "功能分类表的行内关系：合计栏＝各栏之和，年末＝年初＋收入－支出")
def coded_row_identity(ctx: Context) -> Iterable[Finding]:
    """公开02表本年收入合计＝财政拨款收入＋上级补助收入＋事业收入＋经营收入＋附属单位上缴收入＋其他收入；
    公开03表本年支出合计＝基本支出＋项目支出＋上缴上级支出＋经营支出＋对附属单位补助支出；
    公开05表合计＝基本支出＋项目支出；公开07、08表本年支出小计＝基本支出＋项目支出，
    年末结转和结余＝年初结转和结余＋本年收入－本年支出。每一行都要满足。"""
    for table_id, key in TABLE_OF.items():
        formulas = dict(ROW_FORMULAS[key])
        if key in BALANCED_TABLES:
            formulas["closing"] = ("opening", "income", "total")
        for row in ctx.computed[table_id].rows:
            for column in formulas:
                fig = row.figures.get(column)
                if fig and fig.stated is not None:
                    parts = "、".join(COLUMN_LABELS[table_id][p] for p in formulas[column])
                    yield from stated_vs_derived(ctx, "coded-row-identity", coded_where(ctx, table_id, row, column),
                                                 fig, f"由{parts}计算的数")


@rule("summary-01", ERROR, "公开01表：各行取自公开02、03、04表，收入总计＝支出总计")
def summary_01(ctx: Context) -> Iterable[Finding]:
    """公开01表一般公共预算、政府性基金、国有资本经营预算财政拨款收入等于公开04表相应收入；上级补助收入至其他收入
    等于公开02表合计行各栏；本年收入合计等于公开02表合计；各类支出等于公开03表该类本年支出合计；本年支出合计等于公开03表合计；
    收入总计＝本年收入合计＋使用非财政拨款结余＋年初结转和结余，支出总计＝本年支出合计＋结余分配＋年末结转和结余，两个总计相等；
    本年收入合计等于第 1–8 行之和。"""
    t01 = ctx.computed["t01"]
    for key, fig in stated(t01.figures):
        yield from stated_vs_derived(ctx, "summary-01", line_where(ctx, "t01", key), fig, _source_01(key))
    lines = ("general_fiscal", "fund_fiscal", "soe_fiscal", "superior", "business", "operating", "affiliate", "other")
    yield from ctx.mismatch("summary-01", line_where(ctx, "t01", "income_total"), "本年收入合计不等于第 1–8 行收入之和",
                            t01.figures["income_total"].path, expected=sum((t01.value(k) for k in lines), ZERO),
                            found=t01.value("income_total"), hint="公开02表的财政拨款收入应等于公开04表的本年收入合计")
    yield from ctx.mismatch("summary-01", line_where(ctx, "t01", "expenditure_grand_total"), "支出总计不等于收入总计",
                            t01.figures["expenditure_grand_total"].path, expected=t01.value("income_grand_total"),
                            found=t01.value("expenditure_grand_total"))


def _source_01(key: str) -> str:
    if key in ("general_fiscal", "fund_fiscal", "soe_fiscal"):
        return "公开04表相应的财政拨款收入"
    if key in ("superior", "business", "operating", "affiliate", "other"):
        return "公开02表合计行相应栏"
    if key == "income_total":
        return "公开02表合计行本年收入合计"
    if key.isdigit():
        return f"公开03表第{key}行本年支出合计"
    if key == "expenditure_total":
        return "公开03表合计行本年支出合计"
    if key == "closing":
        return "收入总计减本年支出合计和结余分配"
    return "各行之和"


def _source_04(key: str) -> str:
    name, _, column = key.partition(".")
    sources = {"general": "公开05表", "fund": "公开07表", "soe": "公开08表"}
    if name.isdigit() and column in sources:
        return f"{sources[column]}第{name}行合计"
    if name == "expenditure_total" and column in sources:
        return f"{sources[column]}合计行"
    if name in ("fund", "opening_fund") or (name == "closing" and column == "fund"):
        return "公开07表合计行"
    if column == "total":
        return "三种资金之和"
    return "年初结转和结余加本年收入减本年支出" if name == "closing" else "各行之和"


@rule("fiscal-04", ERROR, "公开04表：支出各栏取自公开05、07、08表，收支总计相等，结转结余衔接")
def fiscal_04(ctx: Context) -> Iterable[Finding]:
    """公开04表每类支出的一般公共预算、政府性基金、国有资本经营预算栏分别等于公开05、07、08表该类合计，合计栏等于三栏之和；
    政府性基金的收入和年初、年末结转结余取自公开07表；年末结转和结余＝年初＋本年收入－本年支出（分资金性质）；
    收入总计等于支出总计。"""
    t04 = ctx.computed["t04"]
    for key, fig in stated(t04.figures):
        yield from stated_vs_derived(ctx, "fiscal-04", line_where(ctx, "t04", key), fig, _source_04(key))
    yield from ctx.mismatch("fiscal-04", line_where(ctx, "t04", "expenditure_grand_total.total"), "支出总计不等于收入总计",
                            t04.figures["expenditure_grand_total.total"].path, expected=t04.value("income_grand_total"),
                            found=t04.value("expenditure_grand_total.total"))


@rule("fiscal-income-match", ERROR, "公开02表的财政拨款收入等于公开04表的本年收入合计")
def fiscal_income_match(ctx: Context) -> Iterable[Finding]:
    """公开02表合计行的财政拨款收入，是一般公共预算、政府性基金预算、国有资本经营预算三类财政拨款收入之和，
    必须等于公开04表的本年收入合计（第 1–3 行之和）。"""
    t02_total = ctx.computed["t02"].total
    fig = t02_total.figures.get("fiscal")
    yield from ctx.mismatch("fiscal-income-match", f"{table_label(ctx, 't02')} 合计行 财政拨款收入",
                            "与公开04表本年收入合计不符", fig.path if fig else ("tables", "fiscal_summary", "income"),
                            expected=ctx.computed["t04"].value("income_total"), found=t02_total.value("fiscal"),
                            hint="核对公开04表填报的各类财政拨款收入")


@rule("fiscal-within-total", ERROR, "每个科目的财政拨款支出（05＋07＋08表）不超过全部支出（03表）")
def fiscal_within_total(ctx: Context) -> Iterable[Finding]:
    """对每个功能分类科目和合计行，公开05、07、08表的本年支出（合计、基本支出、项目支出）之和
    不能超过公开03表同一科目同一栏的数：财政拨款支出是全部支出的一部分。常见原因是数填错了栏（基本支出与项目支出互换）。"""
    c = ctx.computed
    fiscal_tables = ("t05", "t07", "t08")
    codes = {row.code for tid in fiscal_tables for row in c[tid].rows}
    over: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for code in codes:
        for column in ("total", "basic", "project"):
            fiscal = sum((c[tid].value(code, column) for tid in fiscal_tables), ZERO)
            whole = c["t03"].value(code, column)
            if fiscal - whole > ctx.allowed():
                over[(code, column)] = (fiscal, whole)
    # Report where the excess arises: the lowest rows, not every total above them.
    for (code, column), (fiscal, whole) in sorted(over.items(), key=lambda item: (item[0][0] != "合计", item[0])):
        if any(other != code and (code == "合计" or other.startswith(code)) and col == column
               for other, col in over):
            continue
        row = c["t03"].row(code) or c["t05"].row(code) or c["t07"].row(code) or c["t08"].row(code)
        path = _row_path(c["t03"].row(code), column) or _row_path(c["t05"].row(code), column) or \
            ("tables", "expenditure")
        yield ctx.finding("fiscal-within-total", coded_where(ctx, "t03", row, column),
                          "小于公开05表、公开07表、公开08表同一科目同一栏的财政拨款支出之和（全部支出应不小于财政拨款支出）",
                          path, expected=fiscal, found=whole,
                          hint="检查该科目在公开03表和公开05表中是否填在同一栏（基本支出、项目支出）")


def _children(table, row: CodedRow) -> list[CodedRow]:
    if row.code == "合计":
        return [r for r in table.rows if r.level == 1]
    return [r for r in table.rows if r.level == row.level + 1 and r.code.startswith(row.code)]


def _row_path(row: CodedRow | None, column: str) -> tuple | None:
    if row is None:
        return None
    fig = row.figures.get(column)
    return fig.path if fig else None


@rule("basic-detail-06", ERROR, "公开06表：类＝各款之和，人员经费＋公用经费＝公开05表基本支出")
def basic_detail_06(ctx: Context) -> Iterable[Finding]:
    """公开06表每个经济分类的类等于其下各款之和；人员经费合计等于工资福利支出与对个人和家庭的补助之和，
    公用经费合计等于其余各类之和；人员经费合计＋公用经费合计等于公开05表合计行的基本支出。"""
    t06 = ctx.computed["t06"]
    names = catalogue("economic", ctx.dept.year)
    labels = {"personnel": "人员经费合计", "public": "公用经费合计"}
    label = table_label(ctx, "t06")
    for key, fig in stated(t06.figures):
        where = f"{label} {labels.get(key) or f'第{key}行（{names.get(key, key)}）'}"
        yield from stated_vs_derived(ctx, "basic-detail-06", where, fig,
                                     "各类之和" if key in labels else "各款之和")
    basic = ctx.computed["t05"].total.value("basic")
    yield from ctx.mismatch("basic-detail-06", f"{label} 人员经费合计＋公用经费合计", "与公开05表合计行基本支出不符",
                            t06.figures["personnel"].path or ("tables", "basic_detail"), expected=basic,
                            found=t06.value("personnel") + t06.value("public"))


@rule("three-public-09", ERROR, "公开09表：小计＝购置费＋运行维护费，合计＝出国＋小计＋接待")
def three_public_09(ctx: Context) -> Iterable[Finding]:
    """公开09表预算数和决算数两行：公务用车购置及运行维护费小计＝公务用车购置费＋公务用车运行维护费；
    “三公”经费合计＝因公出国（境）费＋公务用车购置及运行维护费小计＋公务接待费。"""
    label = table_label(ctx, "t09")
    for key, fig in stated(ctx.computed["t09"].figures):
        row, _, item = key.partition(".")
        where = f"{label} {'预算数' if row == 'budget' else '决算数'} {THREE_PUBLIC_LABELS[item]}"
        yield from stated_vs_derived(ctx, "three-public-09", where, fig, "各项之和")


# 公开09表 items and the 公开06表 款 that hold their 基本支出 part.
BASIC_PART_OF_09 = {"abroad": "30212", "vehicle_operation": "30231", "reception": "30217", "meeting": "30215",
                    "training": "30216"}


@rule("three-public-floor", ERROR, "公开09表各项决算数不小于公开06表相应科目的基本支出")
def three_public_floor(ctx: Context) -> Iterable[Finding]:
    """公开09表的决算数是财政拨款（含基本支出和项目支出）安排的全部支出，公开06表只列一般公共预算财政拨款的基本支出，
    所以公开09表因公出国（境）费、公务用车运行维护费、公务接待费、会议费、培训费的决算数，分别不能小于公开06表
    30212 因公出国（境）费用、30231 公务用车运行维护费、30217 公务接待费、30215 会议费、30216 培训费。
    本格式的公开09表不印的项（如山西、上海格式没有会议费、培训费）不核对。"""
    t06, t09 = ctx.computed["t06"], ctx.computed["t09"]
    names = catalogue("economic", ctx.dept.year)
    printed = ctx.computed.form.three_public_items()
    for item, code in BASIC_PART_OF_09.items():
        if item not in printed:  # a form without 会议费、培训费 (Shanxi, Shanghai) prints no such figure
            continue
        basic = t06.value(code) if code in t06.figures else ZERO
        fig = t09.figures[f"actual.{item}"]
        if basic - fig.value > ctx.allowed():
            yield ctx.finding("three-public-floor", f"{table_label(ctx, 't09')} 决算数 {THREE_PUBLIC_LABELS[item]}",
                              f"小于公开06表 {code} {names.get(code, code)}（基本支出部分）", fig.path,
                              expected=basic, found=fig.value,
                              hint="公开09表决算数应包括基本支出和项目支出安排的全部支出；核对两表是否填在同一科目")


@rule("basic-detail-printed", ERROR, "公开06表填写的经济分类科目都在本表样中")
def basic_detail_printed(ctx: Context) -> Iterable[Finding]:
    """经济分类科目编目中有、但本省份格式的公开06表不列的科目（如陕西格式没有 313 对社会保障基金补助）
    不会印在表中，其金额也就不会计入人员经费、公用经费合计；填了这样的科目是错误。
    标“——”的科目（如山西格式的 309、311）不适用于基本支出，也不应填写。"""
    body = ctx.computed.form.tables["t06"].body
    printed = {code for group in body.groups for code in group} - set(body.dashed)
    names = catalogue("economic", ctx.dept.year)
    for code, row in ctx.dept.tables.basic_detail.items():
        if code not in ("personnel", "public") and code not in printed:
            yield ctx.finding("basic-detail-printed", f"{table_label(ctx, 't06')} {code}（{names.get(code, '')}）",
                              "本表样的公开06表不列此科目，金额不会印出也不计入合计", row.path,
                              hint="核对科目代码；确属本省格式的科目时，检查所用的省份格式（--profile）")
