"""Column widths of the printed tables: the estimate of each cell, the CSS auto-layout rule, and the example."""

import re

import pytest
from conftest import CONTENT, EXAMPLE
from lxml import html as lxml_html

from generator.buildtime import build_time
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import Parts, PdfConfig
from generator.forms.profiles import load_profile
from generator.render.grid import grids_of
from generator.render.html import department_context, render_print
from generator.render.printwidths import (
    CELL_PADDING,
    LANDSCAPE_8_5PT,
    PORTRAIT_9PT,
    Measure,
    column_percentages,
    fin_measure,
    least_width,
    print_widths,
    text_width,
)


def test_chinese_characters_are_one_em_and_latin_about_half():
    assert text_width("社会保障") == 4
    assert text_width("2080101") == pytest.approx(7 * 0.55)
    assert text_width("8,980.21") == pytest.approx(6 * 0.55 + 2 * 0.3)


def test_the_narrowest_width_is_the_widest_piece_a_line_cannot_break():
    assert least_width("对附属单位补助支出") == 1  # any character may start a line
    assert least_width("完成率100%") == pytest.approx(4 * 0.55)  # a number with its sign stays whole
    assert least_width("群众满意度≥95%，") == pytest.approx(1 + 3 * 0.55)  # "，" cannot start a line
    assert least_width("") == 0


def m(least, most, colspan=1, rowspan=1):
    return Measure(least, most, colspan, rowspan)


def percent(values):
    return [float(v) for v in values]


def test_columns_that_all_fit_share_the_width_in_proportion_to_their_widest_content():
    widths = percent(column_percentages([[m(1, 10), m(2, 30)]], available=100))
    assert widths == [25.0, 75.0]


def test_columns_that_do_not_fit_keep_their_minimum_and_share_the_rest_by_what_they_could_use():
    rows = [[m(6, 6), m(1, 40), m(6, 6)]]  # two amounts that must not wrap, one wrapping label
    widths = percent(column_percentages(rows, available=20))
    assert widths == [30.0, 40.0, 30.0]  # the label gets all that is left: 20 - 12 = 8


def test_a_spanning_cell_widens_the_columns_it_spans_when_they_are_too_narrow():
    rows = [[m(8, 20, colspan=2)], [m(1, 2), m(1, 3)]]
    widths = percent(column_percentages(rows, available=100))
    assert widths == pytest.approx([40.0, 60.0], abs=0.01)  # 20 shared as 2 : 3


def test_the_first_cell_of_every_evaluation_row_keeps_its_minimum_width():
    """As print.css's min-width on ``tr > :first-child``: rows after a rowspan start in a later column."""
    from generator.render.grid import GridCell
    from generator.render.printwidths import (
        EVALUATION_FIRST_CELL,
        PORTRAIT_8_5PT,
        evaluation_percentages,
    )

    rows = [[GridCell("head", "绩效指标", rowspan=2), GridCell("label", "产出指标"), GridCell("text", "甲" * 60)],
            [GridCell("label", "效益指标"), GridCell("text", "乙")]]
    widths = percent(evaluation_percentages(rows, wide=False))
    assert widths[1] / 100 * PORTRAIT_8_5PT >= EVALUATION_FIRST_CELL + CELL_PADDING - 0.01


def test_percentages_add_up_to_the_table():
    rows = [[m(3, 7), m(1.5, 2.25), m(4, 9.1)], [m(2, 20, colspan=3)]]
    assert sum(percent(column_percentages(rows, available=12))) == pytest.approx(100, abs=0.02)


@pytest.fixture(scope="module")
def example():
    return compute(load_department(EXAMPLE), load_profile())


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_amount_or_code_of_the_content_is_squeezed_below_its_width(path):
    """Every column holds its widest amount, code and 行次 on one line, on the page the table is printed on."""
    context = department_context(compute(load_department(path), load_profile()), [], False, Parts(), [])
    widths = print_widths(context["grids"], context["evaluation_groups"])
    for grid in context["grids"]:
        available = LANDSCAPE_8_5PT if grid.layout.wide else PORTRAIT_9PT
        columns = widths[grid.layout.id]
        assert len(columns) == grid.column_count
        for row in grid.body:
            col = 0
            for cell in row:
                if cell.kind in ("amount", "code", "line") and cell.colspan == 1:
                    room = float(columns[col]) / 100 * available
                    assert room >= fin_measure(cell).least - 0.01, (grid.layout.id, cell.kind, cell.text or cell.value)
                col += cell.colspan


@pytest.mark.slow
def test_the_print_document_gives_every_table_its_columns(example):
    document = render_print(example, PdfConfig(), build_time())
    tree = lxml_html.document_fromstring(document)
    tables = tree.xpath("//table[contains(@class, 'fin')] | //section[contains(@class, 'evaluation')]//table")
    assert len(tables) == len(grids_of(example)) + 7  # the nine tables and the example's seven 自评表
    assert len(tree.xpath("//colgroup")) == len(tables)  # the reports' small 评分表 keep the automatic layout
    for table in tables:
        cols = table.xpath("./colgroup/col")
        assert cols, table.get("data-table")
        shares = [float(re.fullmatch(r"width: ([\d.]+)%", col.get("style")).group(1)) for col in cols]
        assert sum(shares) == pytest.approx(100, abs=0.05)
        assert min(shares) * 100 > CELL_PADDING  # no column collapses to nothing


def test_the_page_lays_its_tables_out_by_their_content(html_site):
    page = (html_site / "2023" / "xianyang-rsj" / "index.html").read_text(encoding="utf-8")
    assert "<colgroup>" not in page
