"""The fully-stated fixtures load, and print exactly what they state."""

import shutil
from pathlib import Path

import htmltables as H
import pytest
import reference as R
from bs4 import BeautifulSoup

from generator.compute.tables import compute
from generator.content.department import load_department
from generator.forms.profiles import load_profile
from generator.pipeline.build import build

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module", params=["stated", "as-published"])
def fixture_page(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    (root / "content" / "2023").mkdir(parents=True)
    shutil.copy(FIXTURES / f"xianyang-rsj-2023-{request.param}.yaml", root / "content" / "2023" / "xianyang-rsj.yaml")
    build(root / "content", root / "site", draft=True, pdf=False)  # the as-published form has check errors
    html = (root / "site/2023/xianyang-rsj/index.html").read_text(encoding="utf-8")
    return request.param, BeautifulSoup(html, "lxml")


@pytest.mark.slow
def test_fixtures_print_the_published_figures(fixture_page):
    kind, page = fixture_page
    for tid in ("t02", "t05", "t07", "t08"):
        assert H.coded(H.table(page, tid)) == R.coded(tid)
    t03 = R.coded("t03")
    if kind == "stated":
        t03["2080502"] = ["0.70", "0.70", "", "", "", ""]
    assert H.coded(H.table(page, "t03")) == t03
    assert H.two_sided(H.table(page, "t01")) == R.two_sided("t01")
    assert H.two_sided(H.table(page, "t04")) == R.two_sided("t04")
    assert H.groups(H.table(page, "t06")) == R.basic_detail()
    assert H.fixed_rows(H.table(page, "t09")) == R.three_public()
    budget = "4106.46" if kind == "as-published" else "4039.37"
    assert f"年初预算 {budget} 万元" in page.select_one("#s-general_budget").get_text()


def test_every_figure_of_the_stated_fixture_is_stated():
    computed = compute(load_department(FIXTURES / "xianyang-rsj-2023-stated.yaml"), load_profile())
    for tid in ("t02", "t03", "t05", "t07", "t08"):
        printed = computed.form.tables[tid].body.columns  # the 2023 公开08表 prints no 年初、本年收入、年末
        for row in computed[tid].rows:
            derived = [col for col, fig in row.figures.items() if fig.computed is not None and col in printed]
            assert all(row.figures[col].stated is not None for col in derived), (tid, row.code)
    for tid in ("t01", "t04", "t06", "t09"):
        for key, fig in computed[tid].figures.items():
            assert fig.computed is None or fig.stated is not None, (tid, key)
