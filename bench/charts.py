"""Chart drawing cost: our SVG writer against matplotlib drawing the same two charts.

Used by bench/run.py. matplotlib is only a yardstick (``pip install -e ".[bench]"``); when it
is missing, the comparison is skipped. Both write SVG with text kept as text.
"""

from __future__ import annotations

import io

from generator.forms.chartkinds import chart_kinds
from generator.forms.profiles import load_profile
from generator.render.charts.numbered import build_charts
from generator.render.charts.series import income_structure, totals_change


def ours(computed) -> list:
    return build_charts(computed, tuple(chart_kinds()), load_profile().section_keys, ("Noto Sans CJK SC",))


def matplotlib_pair(computed):
    """The income pie and the totals bars, drawn by matplotlib as SVG (text as text)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "Noto Sans CJK SC", "svg.fonttype": "none", "svg.hashsalt": "juesuan"})
    out = []
    pie = income_structure(computed)
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    ax.pie([float(s.value) for s in pie.slices], labels=[f"{s.label} {s.share}%" for s in pie.slices])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    out.append(buffer.getvalue())
    bars = totals_change(computed)
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for s, name in enumerate(bars.series):
        xs = [g + s * 0.35 for g in range(len(bars.groups))]
        heights = [float(values[s]) for _, values in bars.groups]  # matplotlib draws floats; the yardstick only
        drawn = ax.bar(xs, heights, width=0.35, label=name)
        ax.bar_label(drawn, labels=[f"{v:.2f}" for v in heights])
    ax.set_xticks([g + 0.175 for g in range(len(bars.groups))], [label for label, _ in bars.groups])
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    out.append(buffer.getvalue())
    return out


def chart_stages(computed, timed, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    drawn = [c for c in ours(computed) if c.svg]
    stages = {f"charts: juesuan SVG writer, all {len(drawn)} charts of the example": timed(lambda: ours(computed), repeat)}
    per_chart = stages[next(iter(stages))] / len(drawn)
    stages["charts: juesuan, per chart"] = per_chart
    ratios = {}
    try:
        matplotlib_pair(computed)
    except ImportError:
        print("matplotlib 未安装，跳过作图库对比（pip install -e \".[bench]\"）")
        return stages, ratios
    stages["baseline: matplotlib, income pie + totals bars (2 charts)"] = timed(lambda: matplotlib_pair(computed), repeat)
    matplotlib_per_chart = stages["baseline: matplotlib, income pie + totals bars (2 charts)"] / 2
    ratios["chart: juesuan / matplotlib, per chart"] = per_chart / matplotlib_per_chart
    sizes = [len(svg) for svg in matplotlib_pair(computed)]
    ours_sizes = [len(c.svg) for c in drawn if c.kind.key in ("income_structure", "totals_change")]
    ratios["chart SVG bytes: juesuan / matplotlib"] = sum(ours_sizes) / sum(sizes)
    return stages, ratios
