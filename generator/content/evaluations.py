"""绩效自评表 of 第五部分 附件: the 部门整体支出 and 项目支出 self-evaluation tables as data.

A table has funds (年初预算数 — or 目标申报数 and 预算编制数 —, 全年预算数 A, 全年执行数 B,
资金结（转）余, 分值, 得分; 执行率 = B/A), the year's goals (预期 vs 实际), indicators by
一级/二级/三级 with 分值 and 得分 (and 调整后指标值 where the form has it), the total with its
等级, and the 项目绩效分析 under the table. 分值 and 得分 are numbers where the form prints
numbers, text ("—", "/") where it prints text, and None where the cell is blank.
What a file states is printed as stated (a 执行率 too); what the tool can compute (执行率, the
totals) is computed beside it for the checks. Amounts keep the decimals they were entered with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Context, Decimal

from generator.errors import show
from generator.money import HUNDRED, ZERO, NotAnAmount, parse_amount, ratio_percent
from generator.source.shapes import Reader, in_range

FUND_KEYS = ("label", "initial", "declared", "prepared", "budget", "actual", "balance", "weight", "rate", "score")
TASK_KEYS = ("name", "content", "completion", "budget", "actual", "weight", "rate", "score")
SPLIT_KEYS = ("total", "fiscal", "other")
INDICATOR_KEYS = ("level1", "level1_weight", "level2", "name", "target", "adjusted_target", "actual", "weight",
                  "score", "deviation")
TABLE_KEYS = ("title", "period", "name", "department", "unit_name", "funds_layout", "tasks", "tasks_total", "funds",
              "goals", "indicators", "subtotal", "total", "deviation_total", "explanation", "analysis", "notes")
TOTAL_KEYS = ("weight", "score", "grade")
LAYOUTS = ("rows", "tasks")
GRADES = ("优", "良", "中", "差")  # the 等级 a 自评表 prints with its 总分
# The 项目绩效分析 under the table, in the order printed, with their labels.
ANALYSIS = {"result": "自评结果分析", "practices": "主要经验做法", "problems": "存在的问题", "improvements": "改进措施"}
STATED_PLACES = 4  # a printed rate with more decimals is not compared (it is printed as stated all the same)
_EXACT = Context(prec=60)  # an exact 执行率 and its rounding: room for any ratio of bounded amounts


@dataclass(frozen=True)
class Mark:
    """A 分值 or 得分 cell: a number, or the text the form prints instead ("—", "/")."""

    text: str
    value: Decimal | None


def execution_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数, in percent at two decimals; None without a budget."""
    return ratio_percent(actual or ZERO, budget) if budget else None


def exact_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (or 得分率 = 得分 ÷ 分值) in percent, not rounded: to be rounded once, at a
    printed rate's own precision. None without a budget."""
    return _EXACT.divide(_EXACT.multiply(actual or ZERO, HUNDRED), budget) if budget else None


def rate_at(rate: Decimal, places: Decimal, rounding: str) -> Decimal:
    """``rate`` rounded to ``places`` (a power of ten) the way ``rounding`` says (ROUND_HALF_UP, ROUND_DOWN)."""
    return rate.quantize(places, rounding=rounding, context=_EXACT)


@dataclass(frozen=True)
class FundRow:
    label: str
    initial: Decimal | None  # 年初预算数
    budget: Decimal | None  # 全年预算数 (A)
    actual: Decimal | None  # 全年执行数 (B)
    weight: Mark | None  # None: the cell is blank (not printed), unlike Mark("0")
    score: Mark | None
    rate_stated: str | None  # the 执行率 as the file states it: printed so, checked against ``rate``
    path: tuple
    declared: Decimal | None = None  # 目标申报数 and 预算编制数: the two columns some forms print for 年初预算数
    prepared: Decimal | None = None
    balance: Decimal | None = None  # 资金结（转）余

    @property
    def budget_total(self) -> Decimal | None:
        """全年预算数 (A) of the row, as for a TaskRow."""
        return self.budget

    @property
    def actual_total(self) -> Decimal | None:
        """全年执行数 (B) of the row, as for a TaskRow."""
        return self.actual

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.actual, self.budget)

    @property
    def exact_rate(self) -> Decimal | None:
        return exact_rate(self.actual, self.budget)


@dataclass(frozen=True)
class TaskRow:
    """A row of the 部门整体 table's 年度主要任务 (000's layout): budget and spending split by source."""

    name: str
    content: str
    completion: str
    budget: dict[str, Decimal]
    actual: dict[str, Decimal]
    weight: Mark | None
    score: Mark | None
    rate_stated: str | None
    path: tuple

    @property
    def budget_total(self) -> Decimal | None:
        """全年预算数 (A): the 总额 of the split."""
        return self.budget.get("total")

    @property
    def actual_total(self) -> Decimal | None:
        """全年执行数 (B): the 总额 of the split."""
        return self.actual.get("total")

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.actual_total, self.budget_total)

    @property
    def exact_rate(self) -> Decimal | None:
        return exact_rate(self.actual_total, self.budget_total)


@dataclass(frozen=True)
class Indicator:
    level1: str
    level1_weight: Decimal | None
    level2: str
    name: str
    target: str
    actual: str
    weight: Mark | None
    score: Mark | None
    deviation: str
    path: tuple
    adjusted_target: str = ""  # 调整后指标值


@dataclass
class Evaluation:
    kind: str  # overall | project
    title: str
    period: str
    name: str
    department: str
    unit_name: str
    funds_layout: str
    tasks: list[TaskRow]
    tasks_total: TaskRow | None
    funds: list[FundRow]
    expected: str
    achieved: str
    indicators: list[Indicator]
    total_weight: Mark | None
    total_score: Mark | None
    deviation_total: str
    notes: str
    path: tuple
    subtotal: tuple[str, Mark | None, Mark | None] | None = None  # a printed 得分 row of the indicators alone
    explanation: str = ""  # the 说明 row some forms print under the 总分
    grade: str = ""  # the 等级 printed with the 总分 (one of GRADES)
    analysis: dict[str, str] = field(default_factory=dict)  # 项目绩效分析: the ANALYSIS keys given, in their order

    def scored(self) -> list[tuple[Mark | None, Mark | None, tuple]]:
        """Every (分值, 得分, path) that adds up to the 总分: the funds' first row (or tasks total) and the indicators."""
        head = self.funds_total
        return ([(head.weight, head.score, head.path)] if head is not None else []) + \
            [(i.weight, i.score, i.path) for i in self.indicators]

    @property
    def weight_sum(self) -> Decimal:
        return sum((w.value for w, _s, _p in self.scored() if w is not None and w.value is not None), ZERO)

    @property
    def score_sum(self) -> Decimal:
        return sum((s.value for _w, s, _p in self.scored() if s is not None and s.value is not None), ZERO)

    @property
    def funds_total(self) -> FundRow | TaskRow | None:
        """The row that carries the table's money: 年度资金总额 (first funds row) or the tasks' 金额合计."""
        if self.funds_layout == "tasks":
            return self.tasks_total
        return self.funds[0] if self.funds else None


@dataclass
class Evaluations:
    overall: Evaluation | None = None
    projects: list[Evaluation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.overall is not None or bool(self.projects)


def read_evaluations(r: Reader, value: object) -> Evaluations:
    path = ("evaluations",)
    data = r.mapping(path, value)
    r.unknown_keys(path, data, ("overall", "projects"))
    overall = _table(r, path + ("overall",), data["overall"], "overall") if data.get("overall") else None
    projects_raw = data.get("projects") or []
    if not isinstance(projects_raw, list):
        r.problem(path + ("projects",), "项目支出绩效自评表应为列表", "每个项目一项", show(projects_raw))
        projects_raw = []
    projects = [_table(r, path + ("projects", i), p, "project") for i, p in enumerate(projects_raw)]
    return Evaluations(overall, projects)


def _table(r: Reader, path: tuple, value: object, kind: str) -> Evaluation:
    data = r.mapping(path, value, "一张绩效自评表")
    r.unknown_keys(path, data, TABLE_KEYS)
    layout = data.get("funds_layout") or "rows"
    if layout not in LAYOUTS:
        r.problem(path + ("funds_layout",), "资金部分的版式只能是 rows 或 tasks", "rows 或 tasks", show(layout))
        layout = "rows"
    goals = r.mapping(path + ("goals",), data.get("goals"))
    r.unknown_keys(path + ("goals",), goals, ("expected", "actual"))
    total = r.mapping(path + ("total",), data.get("total"))
    r.unknown_keys(path + ("total",), total, TOTAL_KEYS)
    tasks_total = data.get("tasks_total")
    subtotal = r.mapping(path + ("subtotal",), data.get("subtotal"))
    r.unknown_keys(path + ("subtotal",), subtotal, ("label", "weight", "score"))
    return Evaluation(
        kind, r.text(path + ("title",), data.get("title"), required=True), r.text(path + ("period",), data.get("period")),
        r.text(path + ("name",), data.get("name"), required=kind == "project"),
        r.text(path + ("department",), data.get("department")), r.text(path + ("unit_name",), data.get("unit_name")),
        layout,
        [_task(r, path + ("tasks", i), t) for i, t in enumerate(_list(r, path + ("tasks",), data.get("tasks")))],
        _task(r, path + ("tasks_total",), tasks_total) if tasks_total else None,
        [_fund(r, path + ("funds", i), f) for i, f in enumerate(_list(r, path + ("funds",), data.get("funds")))],
        r.text(path + ("goals", "expected"), goals.get("expected")), r.text(path + ("goals", "actual"), goals.get("actual")),
        [_indicator(r, path + ("indicators", i), x)
         for i, x in enumerate(_list(r, path + ("indicators",), data.get("indicators")))],
        _mark(r, path + ("total", "weight"), total.get("weight")), _mark(r, path + ("total", "score"), total.get("score")),
        r.text(path + ("deviation_total",), data.get("deviation_total")), r.markdown(path + ("notes",), data.get("notes")),
        path,
        (r.text(path + ("subtotal", "label"), subtotal.get("label")) or "得分",
         _mark(r, path + ("subtotal", "weight"), subtotal.get("weight")),
         _mark(r, path + ("subtotal", "score"), subtotal.get("score"))) if subtotal else None,
        r.text(path + ("explanation",), data.get("explanation")),
        _grade(r, path + ("total", "grade"), total.get("grade")),
        _analysis(r, path + ("analysis",), data.get("analysis")),
    )


def _grade(r: Reader, path: tuple, value: object) -> str:
    grade = r.text(path, value)
    if grade and grade not in GRADES:
        r.problem(path, "等级只能是 优、良、中、差 之一", "、".join(GRADES) + " 之一", show(value))
        return ""
    return grade


def _analysis(r: Reader, path: tuple, value: object) -> dict[str, str]:
    """项目绩效分析: the four texts under the table, those given (not blank) in the printed order."""
    data = r.mapping(path, value, "项目绩效分析")
    r.unknown_keys(path, data, ANALYSIS)
    texts = {key: r.text(path + (key,), data.get(key)) for key in ANALYSIS}
    return {key: text for key, text in texts.items() if text}


def _list(r: Reader, path: tuple, value: object) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        r.problem(path, "应为列表", "每行一项", show(value))
        return []
    return value


def _fund(r: Reader, path: tuple, value: object) -> FundRow:
    data = r.mapping(path, value, "资金的一行")
    r.unknown_keys(path, data, FUND_KEYS)
    amounts = {k: r.amount(path + (k,), data.get(k)) for k in ("initial", "declared", "prepared", "budget", "actual",
                                                                 "balance")}
    return FundRow(r.text(path + ("label",), data.get("label"), required=True), amounts["initial"], amounts["budget"],
                   amounts["actual"], _mark(r, path + ("weight",), data.get("weight")),
                   _mark(r, path + ("score",), data.get("score")), _rate(r, path + ("rate",), data.get("rate")), path,
                   declared=amounts["declared"], prepared=amounts["prepared"], balance=amounts["balance"])


def _task(r: Reader, path: tuple, value: object) -> TaskRow:
    data = r.mapping(path, value, "任务的一行")
    r.unknown_keys(path, data, TASK_KEYS)
    split = {}
    for side in ("budget", "actual"):
        raw = r.mapping(path + (side,), data.get(side))
        r.unknown_keys(path + (side,), raw, SPLIT_KEYS)
        split[side] = {k: a for k in SPLIT_KEYS if (a := r.amount(path + (side, k), raw.get(k))) is not None}
    return TaskRow(r.text(path + ("name",), data.get("name")), r.text(path + ("content",), data.get("content")),
                   r.text(path + ("completion",), data.get("completion")), split["budget"], split["actual"],
                   _mark(r, path + ("weight",), data.get("weight")), _mark(r, path + ("score",), data.get("score")),
                   _rate(r, path + ("rate",), data.get("rate")), path)


def _indicator(r: Reader, path: tuple, value: object) -> Indicator:
    data = r.mapping(path, value, "一个绩效指标")
    r.unknown_keys(path, data, INDICATOR_KEYS)
    text = {k: r.text(path + (k,), data.get(k))
            for k in ("level1", "level2", "name", "target", "adjusted_target", "actual", "deviation")}
    return Indicator(text["level1"], r.number(path + ("level1_weight",), data.get("level1_weight")), text["level2"],
                     text["name"], text["target"], text["actual"], _mark(r, path + ("weight",), data.get("weight")),
                     _mark(r, path + ("score",), data.get("score")), text["deviation"], path,
                     adjusted_target=text["adjusted_target"])


def _mark(r: Reader, path: tuple, value: object) -> Mark | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        r.problem(path, "分值、得分应为数字或表中所印的文字（如 —）", "如 10 或 —", show(value))
        return None
    text = str(value).strip()
    try:
        parse_amount(value)
    except NotAnAmount:
        return Mark(text, None)
    number = r.number(path, value)
    return Mark(text, number) if number is not None else None


def _rate(r: Reader, path: tuple, value: object) -> str | None:
    """A stated 执行率 or 得分率 as written ("96.2%", 96.2, "—"): printed so, and checked when it is a number."""
    if value is None:
        return None
    if isinstance(value, (bool, dict, list)):
        r.problem(path, "执行率、得分率应为表中所印的百分数或文字", "如 96.2% 或 —", show(value))
        return None
    return str(value).strip() or None


def stated_rate(text: str | None) -> Decimal | None:
    """A printed 执行率 ("96.2%") as a percent number, None when absent or not a number."""
    if not text:
        return None
    try:
        rate = parse_amount(text.rstrip("%％").strip())
    except NotAnAmount:
        return None
    return rate if in_range(rate) and rate.as_tuple().exponent >= -STATED_PLACES else None


SCORE_MARKER = "[评分表]"  # the line of a report's body where its 指标评分表 goes


@dataclass(frozen=True)
class ScoreRow:
    name: str
    weight: Decimal
    score: Decimal
    rate_stated: str | None
    path: tuple

    @property
    def rate(self) -> Decimal | None:
        """得分率 = 得分 ÷ 分值, in percent."""
        return ratio_percent(self.score, self.weight) if self.weight else None


@dataclass
class ScoreTable:
    """The 指标评分表 of a 绩效评价报告: 一级指标 with 分值 and 得分, the total and the grade."""

    title: str
    rows: list[ScoreRow]
    total_weight: Decimal | None
    total_score: Decimal | None
    grade: str
    path: tuple

    @property
    def weight_sum(self) -> Decimal:
        return sum((r.weight for r in self.rows), ZERO)

    @property
    def score_sum(self) -> Decimal:
        return sum((r.score for r in self.rows), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return ratio_percent(self.score_sum, self.weight_sum) if self.weight_sum else None


def read_scores(r: Reader, path: tuple, value: object) -> ScoreTable:
    data = r.mapping(path, value, "评分表")
    r.unknown_keys(path, data, ("title", "rows", "total", "grade"))
    rows = []
    for i, item in enumerate(_list(r, path + ("rows",), data.get("rows"))):
        row = r.mapping(path + ("rows", i), item, "评分表的一行")
        r.unknown_keys(path + ("rows", i), row, ("name", "weight", "score", "rate"))
        weight = r.number(path + ("rows", i, "weight"), row.get("weight"))
        score = r.number(path + ("rows", i, "score"), row.get("score"))
        if weight is None or score is None:
            r.problem(path + ("rows", i), "评分表每行要有分值和得分", "weight、score 两个数", show(row))
            continue
        rows.append(ScoreRow(r.text(path + ("rows", i, "name"), row.get("name"), required=True), weight, score,
                             _rate(r, path + ("rows", i, "rate"), row.get("rate")), path + ("rows", i)))
    total = r.mapping(path + ("total",), data.get("total"))
    r.unknown_keys(path + ("total",), total, ("weight", "score"))
    return ScoreTable(r.text(path + ("title",), data.get("title"), required=True), rows,
                      r.number(path + ("total", "weight"), total.get("weight")),
                      r.number(path + ("total", "score"), total.get("score")),
                      r.text(path + ("grade",), data.get("grade")), path)
