"""The numbered charts: figures drawn from the data, the same SVG file in the page and the PDF."""

import math
import os
import random
import re
import subprocess
import sys
from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, EXAMPLE, ROOT
from lxml import etree

from generator.buildtime import build_time
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import SiteConfig, load_config
from generator.errors import ContentError
from generator.forms.chartkinds import chart_kinds
from generator.forms.profiles import load_profile
from generator.money import ratio_percent
from generator.pipeline.build import build
from generator.render.charts.numbered import build_charts, charts_for
from generator.render.charts.pielabels import place_outside
from generator.render.charts.svg import PALETTE, Pie, Slice, grouped, pie_chart
from generator.render.html import render_print

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def computed():
    return compute(load_department(EXAMPLE), load_profile())


@pytest.fixture(scope="module")
def charts(computed):
    return {c.kind.key: c for c in charts_for(computed, load_config(CONTENT))}


def labels(chart) -> list[str]:
    return [" ".join(t.itertext()) for t in etree.fromstring(chart.svg).iter(f"{SVG}text")]


def test_example_has_seven_numbered_charts_in_document_order(charts):
    drawn = sorted((c for c in charts.values() if c.svg), key=lambda c: c.number)
    assert [(c.number, c.kind.key) for c in drawn] == [
        (1, "staff_structure"), (2, "totals_change"), (3, "income_structure"), (4, "expenditure_structure"),
        (5, "fiscal_change"), (6, "general_budget_change"), (7, "general_budget_structure")]
    assert drawn[1].caption == "图2：收、支决算总计变动情况图（单位：万元）"
    assert drawn[0].caption == "图1：人员结构图（单位：人）"


def test_bar_chart_draws_last_year_and_this_year(charts):
    text = labels(charts["totals_change"])
    assert text[0] == "图2：收、支决算总计变动情况图" or etree.fromstring(charts["totals_change"].svg).find(
        f"{SVG}title").text == "图2：收、支决算总计变动情况图"
    for expected in ("收入总计", "支出总计", "2022 年", "2023 年", "8802.00", "9192.86"):
        assert expected in text
    assert text.count("9192.86") == 2 and text.count("8802.00") == 2
    assert charts["general_budget_change"].rows == (("一般公共预算财政拨款支出", "8735.45", "8019.96", "-715.49"),)


def test_pie_charts_carry_amounts_and_shares_from_the_tables(charts):
    income = labels(charts["income_structure"])
    assert "财政拨款收入" in income and "其他收入" in income
    assert "7987.94 万元  87.78%" in income and "1112.04 万元  12.22%" in income
    assert "87.78%" in income and "12.22%" in income  # on the slices
    spending = labels(charts["expenditure_structure"])
    assert "6054.50 万元  67.42%" in spending and "2925.71 万元  32.58%" in spending
    staff = labels(charts["staff_structure"])
    assert "95 人  54.91%" in staff


def test_thin_slices_are_grouped_and_the_table_keeps_every_category(charts):
    chart = charts["general_budget_structure"]
    text = labels(chart)
    assert "社会保障和就业支出" in text and "7771.07 万元  96.90%" in text
    assert "其他（住房保障支出等 4 项）" in text and "248.90 万元  3.10%" in text
    assert [row[0] for row in chart.rows] == ["社会保障和就业支出", "住房保障支出", "卫生健康支出", "一般公共服务支出", "农林水支出"]
    assert sum(D(row[1]) for row in chart.rows) == D("8019.97")  # the 类 totals of 公开05表 as printed


def test_a_one_slice_pie_is_a_sentence_not_a_chart(charts):
    three_public = charts["three_public_structure"]
    assert three_public.svg is None and three_public.number is None
    assert three_public.sentence == "“三公”经费财政拨款支出全部为公务接待费（1.96 万元），不另绘制结构图。"


def test_no_chart_without_last_year_or_for_all_zero_figures(computed):
    dept = load_department(EXAMPLE)
    dept.narrative.overall.pop("previous_total")
    dept.overview.staff.actual.clear()
    c = compute(dept, load_profile())
    keys = {ch.kind.key for ch in charts_for(c, SiteConfig())}
    assert "totals_change" not in keys and "staff_structure" not in keys
    numbers = [ch.number for ch in charts_for(c, SiteConfig()) if ch.svg]
    assert numbers == list(range(1, len(numbers) + 1))  # no gaps


@pytest.mark.slow
def test_page_and_pdf_show_the_same_file(html_site, computed, charts):
    folder = html_site / "2023" / "xianyang-rsj"
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
    images = {img["src"]: img for img in page.select("figure.chart img")}
    printed = BeautifulSoup(render_print(computed, load_config(CONTENT).pdf, build_time(),
                                         charts=list(charts.values())), "lxml")
    assert {img["src"] for img in printed.select("figure.chart img")} == set(images)
    for chart in (c for c in charts.values() if c.svg):
        assert (folder / chart.file).read_bytes() == chart.svg
        img = images[chart.file]
        assert img["alt"].startswith(f"图{chart.number}：") and "万元" in img["alt"] or "人" in img["alt"]
        figure = img.find_parent("figure")
        assert figure.figcaption.get_text() == chart.caption
        assert [td.get_text() for td in figure.select(".chart-data tbody tr")[0].find_all(["th", "td"])] == \
            list(chart.rows[0])
    sentence = page.select_one("#s-three_public .chart-note").get_text()
    assert sentence == charts["three_public_structure"].sentence


def test_charts_are_placed_under_their_sections(html_site, charts):
    page = BeautifulSoup((html_site / "2023" / "xianyang-rsj" / "index.html").read_text(encoding="utf-8"), "lxml")
    for chart in (c for c in charts.values() if c.svg):
        section = "overview-staff" if chart.kind.section == "staff" else f"s-{chart.kind.section}"
        assert page.find(id=section).find("img", src=chart.file), chart.kind.key


@pytest.mark.slow
def test_same_data_gives_the_same_bytes():
    script = ("import hashlib, sys; from pathlib import Path; from generator.render.charts.numbered import charts_for;"
              "from generator.compute.tables import compute; from generator.content.siteconfig import SiteConfig;"
              "from generator.content.department import load_department; from generator.forms.profiles import load_profile;"
              f"cs = charts_for(compute(load_department(Path({str(EXAMPLE)!r})), load_profile()), SiteConfig());"
              "print(hashlib.sha256(b''.join(c.svg or b'' for c in cs)).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_palette_tells_slices_apart_in_grayscale():
    def grey(colour):
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b
    levels = sorted(grey(c) for c in PALETTE[:6])
    assert all(b - a >= 15 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.slow
def test_site_config_chooses_the_charts_and_their_numbering(content_copy, tmp_path):
    sichuan = ["totals_change", "income_structure", "expenditure_structure", "fiscal_change",
               "general_budget_change", "general_budget_structure", "three_public_structure"]
    (content_copy / "site.yaml").write_text("charts: [" + ", ".join(reversed(sichuan)) + "]\n", encoding="utf-8")
    c = compute(load_department(content_copy / "2023" / "xianyang-rsj.yaml"), load_profile())
    drawn = [ch for ch in charts_for(c, load_config(content_copy)) if ch.svg]
    # Sections in document order; within a section, the order of the list.
    assert [ch.kind.key for ch in drawn] == sichuan[:4] + ["general_budget_structure", "general_budget_change"]
    assert [ch.number for ch in drawn] == [1, 2, 3, 4, 5, 6]
    (content_copy / "site.yaml").write_text("charts: []\n", encoding="utf-8")
    build(content_copy, tmp_path / "site", pdf=False)
    page = (tmp_path / "site" / "2023" / "xianyang-rsj" / "index.html").read_text(encoding="utf-8")
    assert "<figure" not in page and not (tmp_path / "site" / "2023" / "xianyang-rsj" / "charts").exists()


def test_unknown_chart_in_the_config_is_located(content_copy):
    (content_copy / "site.yaml").write_text("charts:\n  - totals_chnage\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(content_copy)
    assert "site.yaml:2: 字段 charts[1]：没有这种图，是否应为 totals_change？" in caught.value.problems[0].format()


def test_every_chart_kind_has_a_series_and_a_profile_lists_only_known_kinds():
    from generator.render.charts.series import SERIES
    assert set(SERIES) == set(chart_kinds())
    assert set(load_profile().charts) <= set(chart_kinds())
    sections = {"staff", *load_profile().section_keys}
    assert all(kind.section in sections for kind in chart_kinds().values())


def test_charts_follow_the_configured_heading_font(computed):
    chart = build_charts(computed, ("income_structure",), load_profile().section_keys, ("黑体", "Noto Sans CJK SC"))[0]
    assert etree.fromstring(chart.svg).get("font-family") == "'黑体', 'Noto Sans CJK SC', sans-serif"


def test_the_merged_slice_share_is_computed_from_the_amounts_not_added_from_rounded_shares():
    whole = D("10000")
    values = [D("9908.80"), D("30.40"), D("30.40"), D("30.40")]  # three thin slices of 0.304% each
    slices = [Slice(str(i), v, ratio_percent(v, whole)) for i, v in enumerate(values)]
    assert sum(s.share for s in slices[1:]) == D("0.90")  # what adding the printed shares gave
    merged = grouped(slices)[-1]
    assert merged.label.startswith("其他") and merged.share == D("0.91")  # 91.20 / 10000


# --- where a pie's share labels go: inside their wedge only when they fit there whole ----------------------------

SHARE = re.compile(r"\d+\.\d\d%")


def estimated_box(text, size) -> tuple[float, float, float, float]:
    """left, top, right, bottom of a <text>: 1 em per CJK character, 0.6 em per other; the em box vertically."""
    width = sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text.text)
    x, baseline = float(text.get("x")), float(text.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
    return left, baseline - 0.88 * size, left + width, baseline + 0.12 * size


def outline(box, per_edge=24):
    """Points all round the box's edge, corners included."""
    left, top, right, bottom = box
    for k in range(per_edge + 1):
        t = k / per_edge
        yield from ((left + t * (right - left), top), (left + t * (right - left), bottom),
                    (left, top + t * (bottom - top)), (right, top + t * (bottom - top)))


def pie_layout(svg: bytes):
    """Each wedge (centre, radius, start and end angle clockwise from 12 o'clock) with the share label drawn
    after it and the points of its leader line if any; and the canvas size and the legend's left edge."""
    root = etree.fromstring(svg)
    wedges = []
    for element in root:
        if element.tag == f"{SVG}path":
            cx, cy, x1, y1, r, _, _, large, _, x2, y2 = map(float, re.findall(r"-?[\d.]+", element.get("d")))
            start, end = (math.atan2(x - cx, cy - y) % math.tau for x, y in ((x1, y1), (x2, y2)))
            sweep = (end - start) % math.tau or math.tau
            assert (sweep > math.pi) == (large == 1)
            wedges.append({"centre": (cx, cy), "r": r, "start": start, "sweep": sweep, "label": None, "leader": []})
        elif wedges and element.tag == f"{SVG}text" and SHARE.fullmatch(element.text or ""):
            assert wedges[-1]["label"] is None
            wedges[-1]["label"] = element
        elif wedges and element.tag in (f"{SVG}line", f"{SVG}polyline") and wedges[-1]["label"] is None:
            points = element.get("points") or "{x1},{y1} {x2},{y2}".format(**element.attrib)
            wedges[-1]["leader"] = [tuple(map(float, p.split(","))) for p in points.split()]
    legend = min(float(rect.get("x")) for rect in root.iter(f"{SVG}rect") if rect.get("width") == "15")
    return wedges, float(root.get("width")), float(root.get("height")), legend


def within_wedge(point, wedge, pad=1.0) -> bool:
    """Inside the wedge, at least ``pad`` from the rim and from both straight edges."""
    (cx, cy), (x, y) = wedge["centre"], point
    distance = math.hypot(x - cx, y - cy)
    turn = (math.atan2(x - cx, cy - y) - wedge["start"]) % math.tau
    if distance > wedge["r"] - pad or turn > wedge["sweep"]:
        return False
    return all((distance * math.sin(off) if off < math.pi / 2 else distance) >= pad
               for off in (turn, wedge["sweep"] - turn))


def assert_labels_readable(svg: bytes, shares: list[str]) -> tuple[int, int]:
    """Every slice has its share; one inside lies wholly within its own wedge; one outside has a leader,
    overlaps no other label, stays clear of the pie and the legend and on the canvas. (inside, outside)."""
    wedges, _, height, legend = pie_layout(svg)
    assert [w["label"].text for w in wedges] == shares
    outside, leaders = [], []
    for wedge in wedges:
        label = wedge["label"]
        size = float(label.get("font-size"))
        box = estimated_box(label, size)
        if label.get("text-anchor") == "middle":
            assert not wedge["leader"]
            assert all(within_wedge(point, wedge) for point in outline(box)), (label.text, box)
        else:
            (cx, cy), r = wedge["centre"], wedge["r"]
            leader = wedge["leader"]
            assert len(leader) >= 2 and abs(math.hypot(leader[0][0] - cx, leader[0][1] - cy) - r) < 0.1, label.text
            assert within_wedge(leader[0], dict(wedge, r=r + 1), pad=0)  # from the rim of its own slice
            end_x = float(label.get("x")) + (-3 if label.get("text-anchor") == "start" else 3)
            assert abs(leader[-1][0] - end_x) < 0.02 and box[1] < leader[-1][1] < box[3]  # to its text
            leaders.append((len(outside), label.text, leader))
            assert all(math.hypot(x - cx, y - cy) > r + 2 for x, y in outline(box)), (label.text, box)
            assert 0 <= box[0] and box[2] < legend and 0 <= box[1] and box[3] <= height, (label.text, box)
            outside.append((label.text, box))
    for i, (text, box) in enumerate(outside):
        for other, second in outside[i + 1:]:
            apart = box[2] <= second[0] or second[2] <= box[0] or box[3] <= second[1] or second[3] <= box[1]
            assert apart, (text, box, other, second)
    (cx, cy), r = wedges[0]["centre"], wedges[0]["r"]
    for own, text, leader in leaders:  # outside the pie after leaving the rim, and across no other label
        for (x1, y1), (x2, y2) in zip(leader, leader[1:]):
            for x, y in ((x1 + (x2 - x1) * k / 32, y1 + (y2 - y1) * k / 32) for k in range(1, 33)):
                assert math.hypot(x - cx, y - cy) > r - 0.5, (text, leader)
                assert not any(b[0] < x < b[2] and b[1] < y < b[3] for j, (_, b) in enumerate(outside) if j != own), \
                    (text, leader)
    return len(wedges) - len(outside), len(outside)


def pie_of(*parts) -> Pie:
    whole = sum((D(v) for _, v in parts), D(0))
    return Pie(tuple(Slice(label, D(v), ratio_percent(D(v), whole)) for label, v in parts))


def draw(pie: Pie) -> bytes:
    return pie_chart(pie, "图：结构图", "'Noto Sans CJK SC', sans-serif", lambda v: f"{v:.2f}", "万元")


def shares_of(pie: Pie) -> list[str]:
    return [f"{s.share:.2f}%" for s in grouped(list(pie.slices))]


@pytest.mark.parametrize("parts, inside", [
    # a thin slice beside a big one: the 8.13% wedge is too narrow at mid-radius for its label (it straddled)
    ((("卫生健康支出", "2024.92"), ("社会保障和就业支出", "187.14"), ("住房保障支出", "88.74")), None),
    # two thin slices side by side at 12 o'clock: their outside labels collided
    ((("一般公共服务支出", "1027.99"), ("社会保障和就业支出", "146.58"), ("住房保障支出", "63.26"),
      ("卫生健康支出", "44.55")), None),
    ((("财政拨款收入", "9300"), ("其他收入", "700")), 1),  # 7%: once inside, straddling; now outside
    ((("一般公共服务支出（含人大事务、政协事务、政府办公厅（室）及相关机构事务）", "5123.45"),
      ("社会保障和就业支出（行政事业单位养老支出）", "611.11"),
      ("节能环保支出（污染防治、自然生态保护及能源节约利用）", "540"), ("住房保障支出（住房改革支出）", "333.33"),
      ("农林水支出", "290"), ("卫生健康支出（行政事业单位医疗）", "222.22"), ("教育支出", "120")), None),
])
def test_pie_labels_lie_inside_their_wedge_or_outside_without_overlapping(parts, inside):
    pie = pie_of(*parts)
    counts = assert_labels_readable(draw(pie), shares_of(pie))
    assert counts[0] >= 1 and counts[1] >= 1  # both kinds drawn: the big slice inside, the thin one outside
    if inside is not None:
        assert counts[0] == inside


def test_pie_labels_stay_readable_for_many_shapes_of_pie():
    rng = random.Random(20261202)
    drawn = [0, 0]
    for _ in range(300):
        n = rng.randint(2, 9)
        big = rng.random() < 0.5  # half the pies have one dominant slice, as disclosures often do
        values = [rng.randint(1, 100) * (rng.choice((1, 30)) if big and i == 0 else 1) for i in range(n)]
        pie = pie_of(*((f"第{i}项支出", str(v)) for i, v in enumerate(values)))
        counts = assert_labels_readable(draw(pie), shares_of(pie))
        drawn = [drawn[0] + counts[0], drawn[1] + counts[1]]
    assert min(drawn) > 100  # both placements well exercised


def test_outside_labels_crowded_at_twelve_oclock_spread_and_their_leaders_bend_round_the_pie():
    cx, cy, r = 190, 150, 122
    placed = place_outside(cx, cy, r, [(0.02 * k, "9.99%") for k in range(1, 9)], 13, 300, right_limit=348)
    heights = [p.y for p in placed]
    assert all(b - a >= 13 for a, b in zip(heights, heights[1:]))  # one em apart at least: no overlap
    assert any(len(p.leader) > 2 for p in placed)  # no room to run straight: bent round the pie
    for p in placed:  # geometry in Decimal; measured here in floats
        inner = ((float(p.x) + 3, float(p.y) + 5 + dy) for dy in (-0.88 * 13, 0.12 * 13))  # corners nearest the pie
        assert p.anchor == "start" and all(math.hypot(x - cx, y - cy) > r for x, y in inner)
        leader = [(float(x), float(y)) for x, y in p.leader]
        for (x1, y1), (x2, y2) in zip(leader, leader[1:]):
            assert all(math.hypot(x1 + (x2 - x1) * k / 32 - cx, y1 + (y2 - y1) * k / 32 - cy) > r - 0.5
                       for k in range(1, 33))


def test_example_pies_keep_their_labels_readable(charts):
    pies = [c for c in charts.values() if c.svg and c.kind.key.endswith("_structure")]
    assert len(pies) == 4
    for chart in pies:
        legend = [t.text.rsplit("  ", 1)[1] for t in etree.fromstring(chart.svg).iter(f"{SVG}text")
                  if t.text and "  " in t.text]
        assert_labels_readable(chart.svg, legend)
