"""A small SVG writer for the two chart kinds of a disclosure: grouped bars and pies.

Text stays text (``<text>`` elements in the configured CJK font), so the charts are
searchable and their labels can be read back by tests and by WeasyPrint, which draws
the same file into the PDF. Values arrive as Decimal and are printed from Decimal;
only the drawing geometry (a coordinate, a sine) is approximate, written at 0.01 px.
Same input, same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from markupsafe import escape

from generator.money import ratio_percent
from generator.render.charts.pielabels import BASELINE, LEADER, RADII, inside_wedge, place_outside, text_box

# Colours chosen for distinct grey levels (≈58, 89, 127, 164, 198, 217 of 255), so a
# black-and-white print still tells the slices apart; white edges separate them too.
PALETTE = ("#7a1f1f", "#3f5f7f", "#b0762f", "#8fa9bf", "#e0c48a", "#d9d9d9", "#5c5c5c", "#a8a8a8")
INK, MUTED, GRID = "#1f1f1f", "#595959", "#d0d0d0"
TAU = Decimal("6.283185307179586476925286766559")
WIDTH = 640
FONT_SIZE = 15  # large enough to read when a phone shows the 640-wide chart at half size
ROW = 44  # a legend entry: its label, then amount and share


@dataclass(frozen=True)
class Bars:
    """Grouped bars: each group has one value per series (e.g. last year, this year)."""

    groups: tuple[tuple[str, tuple[Decimal, ...]], ...]
    series: tuple[str, ...]


@dataclass(frozen=True)
class Slice:
    label: str
    value: Decimal
    share: Decimal  # percent, at printed precision


@dataclass(frozen=True)
class Pie:
    slices: tuple[Slice, ...]


def px(value) -> str:
    """A coordinate at 0.01 px, without trailing zeros ("12.5", "40")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: int = FONT_SIZE) -> int:
    """Approximate advance: CJK and full-width characters 1 em, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 55 // 100 for ch in text)


class Canvas:
    def __init__(self, width: int, height: int, font: str, title: str):
        self.width, self.height = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" font-family="{escape(font)}" font-size="{FONT_SIZE}" role="img">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        ]

    def text(self, x, y, content: str, anchor: str = "start", fill: str = INK, size: int = FONT_SIZE,
             weight: str = "") -> None:
        extra = f' font-size="{size}"' if size != FONT_SIZE else ""
        extra += f' font-weight="{weight}"' if weight else ""
        self.parts.append(f'<text x="{px(x)}" y="{px(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
                          f"{escape(content)}</text>")

    def rect(self, x, y, w, h, fill: str) -> None:
        self.parts.append(f'<rect x="{px(x)}" y="{px(y)}" width="{px(w)}" height="{px(h)}" fill="{fill}"/>')

    def line(self, x1, y1, x2, y2, stroke: str = GRID) -> None:
        self.parts.append(f'<line x1="{px(x1)}" y1="{px(y1)}" x2="{px(x2)}" y2="{px(y2)}" stroke="{stroke}"/>')

    def raw(self, element: str) -> None:
        self.parts.append(element)

    def svg(self) -> bytes:
        return ("\n".join(self.parts) + "\n</svg>\n").encode("utf-8")


def nice_step(top: Decimal) -> Decimal:
    """A tick step of 1, 2, 2.5 or 5 × 10^k giving four to six ticks up to ``top``."""
    raw = top / 5
    power = Decimal(10) ** (raw.adjusted())
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10


def bar_chart(bars: Bars, title: str, font: str, fmt) -> bytes:
    height = 340
    left, right, top, bottom = 80, WIDTH - 24, 56, height - 56
    values = [v for _, vs in bars.groups for v in vs]
    step = nice_step(max(values))
    ceiling = (max(values) / step).to_integral_value(rounding=ROUND_CEILING) * step
    canvas = Canvas(WIDTH, height, font, title)
    plot = bottom - top

    def y_of(value: Decimal) -> Decimal:
        return bottom - value / ceiling * plot

    tick = Decimal(0)
    while tick <= ceiling:
        canvas.line(left, y_of(tick), right, y_of(tick))
        canvas.text(left - 8, y_of(tick) + 4, f"{tick:,.0f}", anchor="end", fill=MUTED, size=13)
        tick += step
    canvas.line(left, bottom, right, bottom, stroke=INK)
    slot = Decimal(right - left) / len(bars.groups)
    bar = min(Decimal(72), slot * Decimal("0.6") / len(bars.series))
    colours = (PALETTE[3], PALETTE[0]) if len(bars.series) == 2 else PALETTE
    for g, (label, group_values) in enumerate(bars.groups):
        start = left + slot * g + (slot - bar * len(group_values)) / 2
        for s, value in enumerate(group_values):
            x = start + bar * s
            canvas.rect(x + 2, y_of(value), bar - 4, bottom - y_of(value), colours[s])
            canvas.text(x + bar / 2, y_of(value) - 6, fmt(value), anchor="middle", size=14)
        canvas.text(left + slot * g + slot / 2, bottom + 22, label, anchor="middle")
    _legend_row(canvas, [(name, colours[i]) for i, name in enumerate(bars.series)], y=24)
    return canvas.svg()


def _legend_row(canvas: Canvas, entries: list[tuple[str, str]], y: int) -> None:
    widths = [15 + 6 + text_width(name) for name, _ in entries]
    x = (canvas.width - sum(widths) - 24 * (len(entries) - 1)) // 2
    for (name, colour), w in zip(entries, widths):
        canvas.rect(x, y - 12, 15, 15, colour)
        canvas.text(x + 21, y, name)
        x += w + 24


THIN = 2  # percent: two or more slices thinner than this are drawn as one "其他" slice
INSIDE_SIZE, OUTSIDE_SIZE = 14, 13  # font sizes of a share on its slice and beside the pie
LEGEND_X = 360


def grouped(slices: list[Slice]) -> list[Slice]:
    """Largest first; thin slices merged into one, so their outside labels cannot collide."""
    ordered = sorted(slices, key=lambda s: -s.value)
    thin = [s for s in ordered if s.share < THIN]
    if len(thin) < 2:
        return ordered
    rest = [s for s in ordered if s.share >= THIN]
    label = f"其他（{thin[0].label}等 {len(thin)} 项）"
    value = sum((s.value for s in thin), Decimal(0))
    # the merged share from the exact amounts, not a sum of rounded shares (which can print 0.92% for 0.93%)
    share = ratio_percent(value, sum((s.value for s in ordered), Decimal(0))) or Decimal(0)
    return rest + [Slice(label, value, share)]


def pie_chart(pie: Pie, title: str, font: str, fmt, unit: str) -> bytes:
    """Slices clockwise from 12 o'clock, largest first; each share inside its slice when it fits there
    whole, otherwise outside with a leader line (see pielabels)."""
    slices = grouped(list(pie.slices))
    whole = sum((s.value for s in slices), Decimal(0))
    height = max(300, 40 + ROW * len(slices))
    cx, cy, r = 190, height // 2, 122
    canvas = Canvas(WIDTH, height, font, title)
    bounds, angle = [], Decimal(0)
    for piece in slices:
        bounds.append((angle, angle + piece.value / whole * TAU))
        angle = bounds[-1][1]
    inside = [_inside_point(cx, cy, r, start, end, f"{piece.share:.2f}%")
              for piece, (start, end) in zip(slices, bounds)]
    outer = [i for i, point in enumerate(inside) if point is None]
    wanted = [(sum(bounds[i]) / 2, f"{slices[i].share:.2f}%") for i in outer]
    placed = dict(zip(outer, place_outside(cx, cy, r, wanted, OUTSIDE_SIZE, height, LEGEND_X - 12)))
    legend_x = LEGEND_X
    for i, piece in enumerate(slices):
        start, end = bounds[i]
        canvas.raw(_wedge(cx, cy, r, start, end, PALETTE[i % len(PALETTE)]))
        label = f"{piece.share:.2f}%"
        if inside[i] is not None:
            colour = "#ffffff" if i % len(PALETTE) in (0, 1, 6) else INK
            x, y = inside[i]
            canvas.text(x, y + BASELINE, label, anchor="middle", fill=colour, size=INSIDE_SIZE)
            continue
        out = placed[i]
        shift = 3 if out.anchor == "start" else -3
        if not out.moved:  # straight out from the slice's middle, computed as before labels could move
            x1, y1 = _point(cx, cy, r, (start + end) / 2)
            x2, y = _point(cx, cy, r + LEADER, (start + end) / 2)
            canvas.line(x1, y1, x2, y, stroke=MUTED)
            x = x2 + shift
        else:
            if len(out.leader) == 2:
                (x1, y1), (x2, y2) = out.leader
                canvas.line(x1, y1, x2, y2, stroke=MUTED)
            else:  # bent round the pie
                points = " ".join(f"{px(a)},{px(b)}" for a, b in out.leader)
                canvas.raw(f'<polyline points="{points}" fill="none" stroke="{MUTED}"/>')
            x, y = out.x + shift, out.y
        canvas.text(x, y + BASELINE, label, anchor=out.anchor, size=OUTSIDE_SIZE)
        if out.anchor == "start":  # keep the legend clear of a label beside the pie on its right
            right = text_box(x, y + BASELINE, label, OUTSIDE_SIZE, "start").right
            legend_x = max(legend_x, math.ceil(right) + 12)
    _legend_column(canvas, slices, fmt, unit, legend_x)
    return canvas.svg()


def _inside_point(cx, cy, r, start: Decimal, end: Decimal, label: str) -> tuple[Decimal, Decimal] | None:
    """The first of the radii tried where the label's whole box lies inside the wedge, or None."""
    for fraction in RADII:
        x, y = _point(cx, cy, r * fraction, (start + end) / 2)
        box = text_box(x, y + BASELINE, label, INSIDE_SIZE, "middle")
        if inside_wedge(box, cx, cy, r, start, end):
            return x, y
    return None


def _legend_column(canvas: Canvas, slices: list[Slice], fmt, unit: str, x: int) -> None:
    y = (canvas.height - ROW * len(slices)) // 2 + 18
    for i, piece in enumerate(slices):
        canvas.rect(x, y - 12, 15, 15, PALETTE[i % len(PALETTE)])
        canvas.text(x + 22, y, piece.label)
        canvas.text(x + 22, y + 19, f"{fmt(piece.value)} {unit}  {piece.share:.2f}%", fill=MUTED, size=14)
        y += ROW


def _point(cx, cy, radius, angle: Decimal) -> tuple[Decimal, Decimal]:
    """Clockwise from 12 o'clock; the sine is the only inexact step, far below the 0.01 px written."""
    return cx + radius * Decimal(math.sin(angle)), cy - radius * Decimal(math.cos(angle))


def _wedge(cx, cy, r, start: Decimal, end: Decimal, colour: str) -> str:
    x1, y1 = _point(cx, cy, r, start)
    x2, y2 = _point(cx, cy, r, end)
    large = 1 if end - start > TAU / 2 else 0
    return (f'<path d="M{px(cx)} {px(cy)} L{px(x1)} {px(y1)} A{r} {r} 0 {large} 1 {px(x2)} {px(y2)} Z" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>')
