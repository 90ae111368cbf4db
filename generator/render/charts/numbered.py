"""The numbered charts of the 情况说明 (图1…), drawn at build time as SVG files.

Which charts a disclosure has comes from the province profile, or from ``charts`` in
site.yaml; what each one is (kind, title, unit, section) is data in data/charts.yaml.
Numbers follow the order the charts appear in the document. The page and the PDF show
the same file: ``charts/<id>-<year>-<key>.svg`` in the department's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.compute.figures import Computed
from generator.content.siteconfig import SiteConfig
from generator.forms.chartkinds import ChartKind, chart_kinds
from generator.forms.document import prints_overview_section
from generator.money import format_amount
from generator.render.charts.series import SERIES
from generator.render.charts.svg import Bars, Pie, bar_chart, pie_chart

FIRST_SECTION = "staff"  # 第一部分 部门概况 comes before the 情况说明


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    number: int | None  # None: not drawn, a sentence says why
    file: str  # relative to the department's folder
    svg: bytes | None
    alt: str
    sentence: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def caption(self) -> str:
        return f"图{self.number}：{self.kind.title}（单位：{self.kind.unit}）"


def build_charts(c: Computed, keys: tuple[str, ...], section_order: tuple[str, ...], fonts: tuple[str, ...]) -> list[Chart]:
    """The charts of one disclosure, in document order, numbered; empty series are left out."""
    kinds = chart_kinds()
    order = {section: i for i, section in enumerate((FIRST_SECTION, *section_order))}
    chosen = sorted((kinds[k] for k in keys), key=lambda k: (order.get(k.section, len(order)), keys.index(k.key)))
    font = ", ".join([f"'{name}'" for name in fonts] + ["sans-serif"])
    charts, number = [], 0
    for kind in chosen:
        series = SERIES[kind.key](c)
        if series is None or (isinstance(series, Pie) and not series.slices):
            continue
        fmt = format_count if kind.unit == "人" else format_amount
        file = f"charts/{c.department.id}-{c.department.year}-{kind.key.replace('_', '-')}.svg"
        if isinstance(series, Pie) and len(series.slices) == 1:
            only = series.slices[0]
            sentence = f"{kind.subject}全部为{only.label}（{fmt(only.value)} {kind.unit}），不另绘制结构图。"
            charts.append(Chart(kind, None, file, None, sentence, sentence, (), ()))
            continue
        number += 1
        title = f"图{number}：{kind.title}"
        if isinstance(series, Bars):
            svg = bar_chart(series, title, font, fmt)
            headers, rows = bar_table(series, fmt)
        else:
            svg = pie_chart(series, title, font, fmt, kind.unit)
            headers, rows = pie_table(series, fmt, kind.unit)
        alt = f"{title}。{describe(series, fmt, kind.unit)}。"
        charts.append(Chart(kind, number, file, svg, alt, "", headers, rows))
    return charts


def describe(series: Bars | Pie, fmt, unit: str) -> str:
    """The chart in words, for its text alternative."""
    if isinstance(series, Bars):
        return "；".join(label + "：" + "，".join(f"{name} {fmt(v)} {unit}" for name, v in zip(series.series, values))
                        for label, values in series.groups)
    return "；".join(f"{s.label} {fmt(s.value)} {unit}，占 {s.share:.2f}%" for s in sorted(series.slices, key=lambda s: -s.value))


def format_count(value: Decimal) -> str:
    return f"{value:.0f}"


def bar_table(bars: Bars, fmt) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    headers = ("项目", *bars.series, "增减")
    rows = tuple((label, *(fmt(v) for v in values), signed(values[-1] - values[0], fmt)) for label, values in bars.groups)
    return headers, rows


def pie_table(pie: Pie, fmt, unit: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    headers = ("项目", "人数" if unit == "人" else f"金额（{unit}）", "占比")
    return headers, tuple((s.label, fmt(s.value), f"{s.share:.2f}%")
                          for s in sorted(pie.slices, key=lambda s: -s.value))


def signed(value: Decimal, fmt) -> str:
    return ("+" if value > 0 else "") + fmt(value)


def chart_files(charts: list[Chart]) -> dict[str, bytes]:
    return {chart.file: chart.svg for chart in charts if chart.svg is not None}


def charts_for(c: Computed, config: SiteConfig) -> list[Chart]:
    """The charts the profile (or site.yaml's ``charts``) asks for, in the heading font of the PDF."""
    profile = c.profile
    keys = config.charts if config.charts is not None else profile.charts
    if not prints_overview_section(profile.parts, profile.overview, FIRST_SECTION):  # no 人员情况: no 人员 chart
        kinds = chart_kinds()
        keys = tuple(key for key in keys if kinds[key].section != FIRST_SECTION)
    return build_charts(c, keys, profile.section_keys, config.pdf.heading_fonts)
