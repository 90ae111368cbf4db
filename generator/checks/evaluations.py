"""Rules over the 绩效自评表 of 第五部分 附件 (generator/content/evaluations.py)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import ERROR, WARNING, Finding
from generator.content.evaluations import Evaluation, FundRow, Mark, TaskRow, exact_rate, rate_at, stated_rate
from generator.money import ZERO


def _tables(ctx: Context) -> list[Evaluation]:
    e = ctx.dept.evaluations
    return ([e.overall] if e.overall else []) + e.projects


def _number(m: Mark | None) -> Decimal | None:
    return m.value if m is not None else None


def _stated_rates(ev: Evaluation) -> Iterable[tuple[FundRow | TaskRow, Decimal, Decimal, Decimal]]:
    """Every row that states its 执行率 as a number, with the stated rate and B/A rounded half-up and truncated at
    the stated precision."""
    for row in [*ev.funds, *ev.tasks, *([ev.tasks_total] if ev.tasks_total else [])]:
        stated = stated_rate(row.rate_stated)
        exact = row.exact_rate
        if stated is None or exact is None:
            continue
        places = Decimal(1).scaleb(stated.as_tuple().exponent)
        yield row, stated, rate_at(exact, places, ROUND_HALF_UP), rate_at(exact, places, ROUND_DOWN)


def _row_name(row: FundRow | TaskRow) -> str:
    return getattr(row, "label", None) or getattr(row, "name", "") or "金额合计"


@rule("evaluation-rate", ERROR, "绩效自评表的执行率＝全年执行数÷全年预算数")
def evaluation_rate(ctx: Context) -> Iterable[Finding]:
    """项目资金、部门整体支出各行填写的执行率（rate）照填写的印出，并与全年执行数（B）除以全年预算数（A）核对：
    按所填的小数位数四舍五入后应相等。只是把尾数舍去而未四舍五入（如 B/A＝98.4655% 印作 98.46%）的，
    由规则 `evaluation-rate-rounding` 提示，不在此报错。未填写执行率的，由工具计算，按两位小数印出。
    常见错误是用年初预算数作分母。"""
    for ev in _tables(ctx):
        for row, stated, rounded, truncated in _stated_rates(ev):
            if stated not in (rounded, truncated):
                yield ctx.finding("evaluation-rate", f"{ev.title} {_row_name(row)} 执行率", "与全年执行数÷全年预算数不符",
                                  row.path + ("rate",), expected=rounded, found=stated,
                                  hint="执行率＝全年执行数÷全年预算数；删去 rate 由工具计算")


@rule("evaluation-rate-rounding", WARNING, "绩效自评表的执行率是舍去尾数而非四舍五入所得")
def evaluation_rate_rounding(ctx: Context) -> Iterable[Finding]:
    """填写的执行率（rate）等于全年执行数÷全年预算数在所填小数位上舍去尾数的结果，而四舍五入应进一位
    （如 B/A＝98.4655%，印作 98.46%，四舍五入为 98.47%）。表中照填写的印出；核对原表的算法，需要时改为四舍五入的数。"""
    for ev in _tables(ctx):
        for row, stated, rounded, truncated in _stated_rates(ev):
            if stated != rounded and stated == truncated:
                yield ctx.finding("evaluation-rate-rounding", f"{ev.title} {_row_name(row)} 执行率",
                                  "是舍去尾数所得，四舍五入应进一位", row.path + ("rate",), expected=rounded, found=stated,
                                  hint="执行率一般四舍五入；照原表印出时可不改")


@rule("evaluation-score-cap", ERROR, "绩效自评表每项得分不超过其分值")
def evaluation_score_cap(ctx: Context) -> Iterable[Finding]:
    """每个绩效指标、项目资金（或任务金额合计）一行的得分不能超过该项的分值：指标得分按完成程度在 0 与分值之间评定。"""
    for ev in _tables(ctx):
        for weight, score, path in ev.scored():
            w, s = _number(weight), _number(score)
            if w is not None and s is not None and s > w:
                yield ctx.finding("evaluation-score-cap", f"{ev.title} 得分", "得分超过分值", path + ("score",),
                                  expected=w, found=s, hint="核对该项的得分和分值")


@rule("evaluation-total", ERROR, "绩效自评表的总分：分值、得分分别等于各项之和，分值合计为 100")
def evaluation_total(ctx: Context) -> Iterable[Finding]:
    """总分（合计）行的分值等于项目资金（或任务金额合计）与各绩效指标分值之和，得分同理；分值合计应为 100 分。
    加总的是表中印出的数：项目资金一行的分值、得分未印（不填或填 null，表中为空格，不同于 0）时，
    总分比各项之和多出的部分就是这一行未印的分，不报错，只要它说得通：未印的得分不小于 0，也不超过该行的分值
    （分值也未印时，不超过总分分值比各项分值之和多出的部分）。"""
    for ev in _tables(ctx):
        path = ev.path + ("total",)
        head = ev.funds_total
        open_weight = head is not None and head.weight is None  # not printed: any weight from 0 up
        open_score = head is not None and head.score is None
        stated_weight, stated_score = _number(ev.total_weight), _number(ev.total_score)
        if stated_weight is not None:
            yield from _against_sum(ctx, ev, "分值", stated_weight, ev.weight_sum, None if open_weight else ZERO,
                                    path + ("weight",))
        if stated_score is not None:
            room = None  # how much an unprinted 得分 may be: up to the row's 分值
            if not open_score:
                room = ZERO
            elif not open_weight:
                room = _number(head.weight) or ZERO  # "—" printed as the 分值: not scored
            elif stated_weight is not None:
                room = max(stated_weight - ev.weight_sum, ZERO)
            yield from _against_sum(ctx, ev, "得分", stated_score, ev.score_sum, room, path + ("score",))
        total = stated_weight if stated_weight is not None else ev.weight_sum
        if ev.indicators and total != 100:
            yield ctx.finding("evaluation-total", f"{ev.title} 总分 分值", "分值合计不是 100 分", path + ("weight",),
                              expected=Decimal(100), found=total, hint="各项分值之和应为 100 分")


def _against_sum(ctx: Context, ev: Evaluation, name: str, stated: Decimal, printed: Decimal, room: Decimal | None,
                 path: tuple) -> Iterable[Finding]:
    """The 总分's ``name`` against the sum of the printed cells; ``room``: how much more the funds row's unprinted
    cell may add (ZERO when it is printed, None when there is no bound)."""
    if printed <= stated and (room is None or stated - printed <= room):
        return
    if room:
        yield ctx.finding("evaluation-total", f"{ev.title} 总分 {name}", f"与各项{name}之和不符：项目资金一行未印{name}，"
                          f"总分至多比各项之和多 {room.normalize():f} 分", path,
                          expected=printed + room if stated > printed else printed, found=stated,
                          hint=f"核对各项的{name}和总分；填写项目资金一行所印的{name}")
        return
    yield ctx.finding("evaluation-total", f"{ev.title} 总分 {name}", f"与各项{name}之和不符", path,
                      expected=printed, found=stated, hint="核对各项的分值、得分和总分")


@rule("evaluation-level1", WARNING, "一级指标所注分值等于其下各指标分值之和")
def evaluation_level1(ctx: Context) -> Iterable[Finding]:
    """一级指标后注明的分值（如“产出指标（50分）”）应等于该一级指标下各项指标的分值之和。"""
    for ev in _tables(ctx):
        seen: dict[tuple, list] = {}
        for ind in ev.indicators:
            if ind.level1_weight is not None:
                seen.setdefault((ind.level1, ind.level1_weight), []).append(ind)
        for (name, weight), members in seen.items():
            total = sum((m.weight.value for m in members if m.weight and m.weight.value is not None), ZERO)
            if total != weight:
                yield ctx.finding("evaluation-level1", f"{ev.title} {name}（{weight.normalize():f}分）",
                                  "与其下各指标分值之和不符", members[0].path + ("level1_weight",),
                                  expected=total, found=weight, hint="核对一级指标的分值或其下指标的分值")


@rule("evaluation-funds", ERROR, "部门整体支出绩效自评表：总额＝财政拨款＋其他资金，金额合计＝各任务之和")
def evaluation_funds(ctx: Context) -> Iterable[Finding]:
    """按任务列示资金的部门整体支出绩效自评表：每行全年预算数、全年执行数的总额等于财政拨款与其他资金之和；
    金额合计行等于各任务之和。"""
    for ev in _tables(ctx):
        rows = [*ev.tasks, *([ev.tasks_total] if ev.tasks_total else [])]
        for row in rows:
            for side, label in (("budget", "全年预算数"), ("actual", "全年执行数")):
                split = getattr(row, side)
                if "total" in split and ("fiscal" in split or "other" in split):
                    parts = split.get("fiscal", ZERO) + split.get("other", ZERO)
                    yield from ctx.mismatch("evaluation-funds", f"{ev.title} {row.name or '金额合计'} {label}",
                                            "总额与财政拨款、其他资金之和不符", row.path + (side, "total"),
                                            expected=parts, found=split["total"])
        if ev.tasks_total:
            for side, label in (("budget", "全年预算数"), ("actual", "全年执行数")):
                for key in ("total", "fiscal", "other"):
                    stated = getattr(ev.tasks_total, side).get(key)
                    if stated is None:
                        continue
                    summed = sum((getattr(t, side).get(key, ZERO) for t in ev.tasks), ZERO)
                    yield from ctx.mismatch("evaluation-funds", f"{ev.title} 金额合计 {label}", "与各任务之和不符",
                                            ev.tasks_total.path + (side, key), expected=summed, found=stated)


@rule("report-scores", ERROR, "绩效评价报告的指标评分表：得分不超过分值，得分率＝得分÷分值，合计＝各项之和")
def report_scores(ctx: Context) -> Iterable[Finding]:
    """附件中绩效评价报告的指标评分表（scores）：每个一级指标的得分不超过分值；填写的得分率（rate）须等于
    得分除以分值（按所填小数位四舍五入）；填写的合计分值、得分须等于各项之和。得分率和合计由工具计算，可不填写。"""
    for attachment in ctx.dept.attachments:
        table = attachment.scores
        if table is None:
            continue
        for row in table.rows:
            where = f"{table.title} {row.name}"
            if row.score > row.weight:
                yield ctx.finding("report-scores", where, "得分超过分值", row.path + ("score",), expected=row.weight,
                                  found=row.score)
            stated = stated_rate(row.rate_stated)
            exact = exact_rate(row.score, row.weight)  # 得分 ÷ 分值, rounded once, at the stated precision
            if stated is not None and exact is not None:
                computed = rate_at(exact, Decimal(1).scaleb(stated.as_tuple().exponent), ROUND_HALF_UP)
                if computed != stated:
                    yield ctx.finding("report-scores", f"{where} 得分率", "与得分÷分值不符", row.path + ("rate",),
                                      expected=computed, found=stated, hint="得分率＝得分÷分值；删去 rate 由工具计算")
        for name, stated, computed in (("分值", table.total_weight, table.weight_sum),
                                       ("得分", table.total_score, table.score_sum)):
            if stated is not None and stated != computed:
                yield ctx.finding("report-scores", f"{table.title} 合计 {name}", f"与各项{name}之和不符",
                                  table.path + ("total", "weight" if name == "分值" else "score"),
                                  expected=computed, found=stated)


@rule("evaluation-accounts", ERROR, "绩效自评表的资金与决算表一致（省份格式要求时）")
def evaluation_accounts(ctx: Context) -> Iterable[Finding]:
    """省份格式要求（profile 的 rules.evaluations_match_accounts，陕西格式默认要求）时：部门整体支出绩效自评表
    金额合计的全年执行数总额等于公开03表本年支出合计，其中财政拨款等于公开04表本年支出合计（财政拨款支出）；
    各项目支出绩效自评表的全年执行数之和不超过公开03表的项目支出。"""
    if not ctx.computed.profile.rule("evaluations_match_accounts"):
        return
    e = ctx.dept.evaluations
    t03 = ctx.computed["t03"].total
    overall = e.overall.tasks_total if e.overall else None
    if overall is not None:
        pairs = (("total", t03.value("total"), "公开03表本年支出合计"),
                 ("fiscal", ctx.computed["t04"].value("expenditure_total.total"), "公开04表本年支出合计"))
        for key, expected, source in pairs:
            stated = overall.actual.get(key)
            if stated is not None:
                yield from ctx.mismatch("evaluation-accounts", f"{e.overall.title} 金额合计 全年执行数",
                                        f"与{source}不符", overall.path + ("actual", key), expected=expected,
                                        found=stated, hint="部门整体支出的执行数应与决算表一致")
    spent = [(p, p.funds_total) for p in e.projects if p.funds_total is not None and p.funds_total.actual_total]
    total = sum((f.actual_total for _p, f in spent), ZERO)
    ceiling = t03.value("project")
    if spent and total - ceiling > ctx.allowed():
        yield ctx.finding("evaluation-accounts", "项目支出绩效自评表 全年执行数之和", "超过公开03表的项目支出",
                          spent[0][1].path + ("actual",), expected=ceiling, found=total,
                          hint="各项目的执行数是项目支出的一部分；核对项目表的资金或公开03表")
