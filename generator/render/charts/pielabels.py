"""Where a pie's share labels go: inside their wedge when the whole label fits there, else outside.

A label inside a wedge must lie entirely within it, clear of both straight edges and of the rim;
otherwise it sits outside the pie at the end of a leader line, and outside labels on the same side
of the pie are moved apart vertically so that none overlaps another.

Geometry only, in Decimal like the rest of the charts (positions are written at 0.01 px; a sine, an arc tangent or
a square root is the only inexact step). Angles run clockwise from 12 o'clock,
as the wedges are drawn. A label is measured conservatively, 1 em for a CJK or full-width character
and 0.6 em for any other, and its box is the em box: from 0.88 em above the baseline to 0.12 em below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

PAD = Decimal(3)  # px kept clear between an inside label and its wedge's edges (the white edge is 1.5 px wide)
# Fractions of the radius tried in turn for an inside label's centre: the old fixed 0.62 first, then
# alternately outward and inward (a thin wedge is widest near the rim).
RADII = tuple(Decimal(f) for f in ("0.62", "0.66", "0.58", "0.7", "0.54", "0.74", "0.5", "0.78", "0.82", "0.86"))
ASCENT, DESCENT = Decimal("0.88"), Decimal("0.12")  # of the font size, above and below the baseline
BASELINE = 5  # px below a label's anchor point: where its baseline goes, which centres digits on the point
LEADER = 14  # px from the rim to an outside label's anchor point
GAP = 2  # px left between outside labels stacked one above the other
MARGIN = 2  # px kept between an outside label and the canvas edge
CLEAR = 4  # px: a straight leader's end lies at least this far outside the tangent at its rim point
ARC_STEP = Decimal("0.25")  # radians: a leader going further round the pie than this bends round it, a corner per step


TAU = Decimal("6.283185307179586476925286766559")
PI, HALF_PI = TAU / 2, TAU / 4
OTHER_EM = Decimal("0.6")


def _d(value) -> Decimal:
    """A math function's result (or a caller's number) as a Decimal."""
    return value if isinstance(value, Decimal) else Decimal(value)


def _turns(angle: Decimal) -> Decimal:
    """An angle brought into [0, 2π) (Decimal's % keeps the dividend's sign, unlike float's)."""
    rest = angle % TAU
    return rest + TAU if rest < 0 else rest


def label_width(text: str, size) -> Decimal:
    """A generous advance: 1 em for CJK and full-width characters, 0.6 em for the rest (digits are ~0.55)."""
    return sum((_d(size) if ord(ch) > 0x2E7F else OTHER_EM * size for ch in text), Decimal(0))


@dataclass(frozen=True)
class Box:
    left: Decimal
    top: Decimal
    right: Decimal
    bottom: Decimal

    def corners(self) -> tuple[tuple[Decimal, Decimal], ...]:
        return ((self.left, self.top), (self.right, self.top), (self.right, self.bottom), (self.left, self.bottom))

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


def text_box(x, baseline, text: str, size, anchor: str) -> Box:
    """The box a ``<text>`` element at (x, baseline) with this ``text-anchor`` covers."""
    width, x, baseline = label_width(text, size), _d(x), _d(baseline)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, baseline - ASCENT * size, left + width, baseline + DESCENT * size)


def polar(cx, cy, radius, angle) -> tuple[Decimal, Decimal]:
    return cx + radius * _d(math.sin(angle)), cy - radius * _d(math.cos(angle))


def angle_of(cx, cy, x, y) -> Decimal:
    """The direction of (x, y) from the centre, clockwise from 12 o'clock, in [0, 2π)."""
    return _turns(_d(math.atan2(x - cx, cy - y)))


def _distance(dx, dy) -> Decimal:
    return _d(math.hypot(dx, dy))


def _distance_to_box(x, y, box: Box) -> Decimal:
    dx = max(box.left - x, Decimal(0), x - box.right)
    dy = max(box.top - y, Decimal(0), y - box.bottom)
    return _distance(dx, dy)


def inside_wedge(box: Box, cx, cy, r, start: Decimal, end: Decimal, pad: Decimal = PAD) -> bool:
    """Whether the box lies within the wedge from ``start`` to ``end``, at least ``pad`` from its edges.

    Corners suffice: a box clear of the centre is seen from it under less than a half turn, between its
    extreme corners; if those lie in the wedge less than a half turn apart, so does the whole box, and its
    distance to an edge (a segment from the centre to the rim) is reached at a corner or at the segment's
    ends (the centre, and the rim point, which is at least ``pad`` from a box inside radius r − pad).
    """
    if _distance_to_box(cx, cy, box) < pad:
        return False
    sweep = end - start
    turns = []
    for x, y in box.corners():
        distance = _distance(x - cx, y - cy)
        turn = _turns(angle_of(cx, cy, x, y) - start)
        if distance > r - pad or turn > sweep:
            return False
        for off in (turn, sweep - turn):  # the angle to each straight edge
            if (distance * _d(math.sin(off)) if off < HALF_PI else distance) < pad:
                return False
        turns.append(turn)
    return max(turns) - min(turns) < PI


def spread(wanted: list[Decimal], step, low, high) -> list[Decimal]:
    """Positions at least ``step`` apart, in the order of ``wanted`` (ascending), each as near its wanted
    position as the others allow, within [low, high] when they fit: overlapping runs are merged into
    evenly spaced clusters centred on what their members want."""
    clusters: list[list] = []  # [index of the first member, members, position of the first]
    for i, y in enumerate(wanted):
        clusters.append([i, 1, y])
        while True:
            first, count, top = clusters[-1]
            clusters[-1][2] = top = max(min(top, high - (count - 1) * step), low)
            if len(clusters) < 2 or clusters[-2][2] + clusters[-2][1] * step <= top:
                break
            before, members = clusters[-2][0], clusters[-2][1] + count
            mean = sum(w - k * step for k, w in enumerate(wanted[before:before + members])) / members
            clusters[-2:] = [[before, members, mean]]
    return [top + k * step for _, count, top in clusters for k in range(count)]


@dataclass(frozen=True)
class Outside:
    """An outside label: anchored at (x, y) on the ``anchor`` side, with the leader through ``leader``."""

    anchor: str
    x: Decimal
    y: Decimal
    moved: bool  # False: exactly where the slice's middle points, the leader a straight radial line
    leader: tuple[tuple[Decimal, Decimal], ...]


def place_outside(cx, cy, r, labels: list[tuple], size, height, right_limit) -> list[Outside]:
    """Outside labels of the slices whose (middle angle, text) are given, none overlapping another.

    Each wants to sit LEADER px beyond the rim, straight out from its slice's middle; labels on the same
    side of the pie are spread vertically. One that moved goes as far out sideways as its leader needs to
    run straight from the rim without cutting back across the pie (and no less far than its slice's own
    direction put it), within the canvas and left of ``right_limit`` (which only clearing the pie
    overrides); when that room is lacking, its leader bends round the pie instead. Its text points away
    from the pie, so it still clears the rim.
    """
    reach = r + LEADER
    middles = [_d(m) for m, _ in labels]
    wanted = [polar(cx, cy, reach, m)[1] for m in middles]
    right = [math.sin(m) >= 0 for m in middles]
    low = MARGIN + ASCENT * size - BASELINE
    high = height - MARGIN - DESCENT * size - BASELINE
    placed: dict[int, Decimal] = {}
    for side in (True, False):
        members = sorted((i for i in range(len(middles)) if right[i] == side), key=lambda i: (wanted[i], i))
        for i, y in zip(members, spread([wanted[i] for i in members], size + GAP, low, high)):
            placed[i] = y
    result = []
    for i, (middle, text) in enumerate(zip(middles, (t for _, t in labels))):
        y, sign = placed[i], 1 if right[i] else -1
        anchor = "start" if right[i] else "end"
        rim = polar(cx, cy, r, middle)
        own = polar(cx, cy, reach, middle)[0]
        if abs(y - wanted[i]) < Decimal("0.005"):
            result.append(Outside(anchor, own, y, False, (rim, (own, y))))
            continue
        out = sign * (own - cx)  # how far out sideways, from the centre
        if abs(y - cy) < reach:  # clear of the circle LEADER px beyond the rim
            out = max(out, (reach * reach - (y - cy) ** 2).sqrt())
        width = label_width(text, size)
        room = right_limit - 3 - width - cx if right[i] else cx - MARGIN - 3 - width
        # a straight leader leaves the rim outward when it ends CLEAR px beyond the tangent at the rim point
        sine = sign * _d(math.sin(middle))
        straight = (sign * (rim[0] - cx) + (CLEAR + (y - rim[1]) * _d(math.cos(middle))) / sine) if sine > 0 \
            else Decimal("Infinity")
        if straight <= room:
            x = cx + sign * max(out, straight)
            result.append(Outside(anchor, x, y, True, (rim, (x, y))))
            continue
        x = cx + sign * max(out, min(room, straight))
        target = angle_of(cx, cy, x, y)
        turn = _turns(target - middle + PI) - PI  # the short way round
        steps = math.ceil(abs(turn) / ARC_STEP)
        bend = tuple(polar(cx, cy, reach, middle + turn * k / steps) for k in range(1, steps))
        result.append(Outside(anchor, x, y, True, (rim, *bend, (x, y))))
    return result
