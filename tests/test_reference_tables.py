"""The example department's page reproduces every figure of reference 000's nine tables."""

import htmltables as H
import pytest
import reference as R

# Where the published document is arithmetically wrong, the example carries the
# corrected figure (see the YAML comments in content/2023/xianyang-rsj.yaml).
CORRECTIONS = {
    # 公开03表 2080502 事业单位离退休: printed under 项目支出; its 款 20805 and 公开05表 count it as 基本支出.
    ("t03", "2080502"): ["0.70", "0.70", "", "", "", ""],
}


def expected_coded(table_id):
    rows = R.coded(table_id)
    for (tid, code), amounts in CORRECTIONS.items():
        if tid == table_id:
            rows[code] = amounts
    return rows


@pytest.mark.parametrize("table_id", ["t02", "t03", "t05", "t07", "t08"])
def test_coded_tables_match_reference(example_page, table_id):
    got = H.coded(H.table(example_page, table_id))
    assert got == expected_coded(table_id)


@pytest.mark.parametrize("table_id", ["t02", "t03", "t05"])
def test_coded_table_names_match_reference(example_page, table_id):
    assert H.coded_names(H.table(example_page, table_id)) == R.names(table_id)


@pytest.mark.parametrize("table_id", ["t01", "t04"])
def test_two_sided_tables_match_reference(example_page, table_id):
    tbl = H.table(example_page, table_id)
    assert H.two_sided(tbl) == R.two_sided(table_id)
    assert H.two_sided_labels(tbl) == R.two_sided_labels(table_id)


def test_basic_detail_matches_reference(example_page):
    assert H.groups(H.table(example_page, "t06")) == R.basic_detail()


def test_three_public_matches_reference(example_page):
    assert H.fixed_rows(H.table(example_page, "t09")) == R.three_public()


def test_blank_cells_are_blank_not_zero(example_page):
    rows = H.coded(H.table(example_page, "t02"))
    assert rows["201"] == ["10.46", "10.46", "", "", "", "", ""]
    amounts = [td.get_text(strip=True) for td in example_page.select("table.fin td.amount")]
    assert amounts and all(a != "0.00" and a != "0" for a in amounts)


HEADERS = {
    "t01": [[("收入", 3, 1), ("支出", 3, 1)],
            [("项目", 1, 1), ("行次", 1, 1), ("决算数", 1, 1), ("项目", 1, 1), ("行次", 1, 1), ("决算数", 1, 1)],
            [("栏次", 1, 1), ("", 1, 1), ("1", 1, 1), ("栏次", 1, 1), ("", 1, 1), ("2", 1, 1)]],
    "t02": [[("项目", 2, 1), ("本年收入合计", 1, 2), ("财政拨款收入", 1, 2), ("上级补助收入", 1, 2), ("事业收入", 1, 2),
             ("经营收入", 1, 2), ("附属单位上缴收入", 1, 2), ("其他收入", 1, 2)],
            [("科目代码", 1, 1), ("科目名称", 1, 1)],
            [("栏次", 2, 1)] + [(str(i), 1, 1) for i in range(1, 8)]],
    "t03": [[("项目", 2, 1), ("本年支出合计", 1, 2), ("基本支出", 1, 2), ("项目支出", 1, 2), ("上缴上级支出", 1, 2),
             ("经营支出", 1, 2), ("对附属单位补助支出", 1, 2)],
            [("科目代码", 1, 1), ("科目名称", 1, 1)],
            [("栏次", 2, 1)] + [(str(i), 1, 1) for i in range(1, 7)]],
    "t04": [[("收入", 3, 1), ("支出", 6, 1)],
            [("项目", 1, 1), ("行次", 1, 1), ("决算数", 1, 1), ("项目", 1, 1), ("行次", 1, 1), ("合计", 1, 1),
             ("一般公共预算财政拨款", 1, 1), ("政府性基金预算财政拨款", 1, 1), ("国有资本经营预算财政拨款", 1, 1)],
            [("栏次", 1, 1), ("", 1, 1), ("1", 1, 1), ("栏次", 1, 1), ("", 1, 1)] + [(str(i), 1, 1) for i in range(2, 6)]],
    "t05": [[("项目", 2, 1), ("本年支出", 3, 1)],
            [("科目代码", 1, 1), ("科目名称", 1, 1), ("小计", 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)],
            [("栏次", 2, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1)]],
    "t06": [[("科目代码", 1, 1), ("科目名称", 1, 1), ("决算数", 1, 1)] * 3],
    "t07": [[("项目", 2, 1), ("年初结转和结余", 1, 2), ("本年收入", 1, 2), ("本年支出", 3, 1), ("年末结转和结余", 1, 2)],
            [("科目代码", 1, 1), ("科目名称", 1, 1), ("小计", 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)],
            [("栏次", 2, 1)] + [(str(i), 1, 1) for i in range(1, 7)]],
    "t08": [[("项目", 2, 1), ("本年支出", 3, 1)],
            [("科目代码", 1, 1), ("科目名称", 1, 1), ("合计", 1, 1), ("基本支出", 1, 1), ("项目支出", 1, 1)],
            [("栏次", 2, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1)]],
    "t09": [[("项目", 1, 3), ("财政拨款“三公”经费", 6, 1), ("会议费", 1, 3), ("培训费", 1, 3)],
            [("合计", 1, 2), ("因公出国（境）费", 1, 2), ("公务用车购置及运行维护费", 3, 1), ("公务接待费", 1, 2)],
            [("小计", 1, 1), ("公务用车购置费", 1, 1), ("公务用车运行维护费", 1, 1)],
            [("栏次", 1, 1)] + [(str(i), 1, 1) for i in range(1, 9)]],
}


@pytest.mark.parametrize("table_id", sorted(HEADERS))
def test_header_structure(example_page, table_id):
    assert H.header_cells(H.table(example_page, table_id)) == HEADERS[table_id]


def test_every_row_spans_the_full_width(example_page):
    """Header spans and body cells add up to the same width in every table."""
    for tbl in example_page.select("table.fin"):
        header = tbl.thead.find_all("tr")
        width = sum(int(th.get("colspan", 1)) for th in header[0].find_all("th"))
        for tr in tbl.tbody.find_all("tr"):
            assert sum(int(c.get("colspan", 1)) for c in tr.find_all(["th", "td"])) == width, tbl["data-table"]


def test_table_labels_and_notes(example_page):
    for number in range(1, 10):
        block = example_page.select_one(f"#t0{number}")
        assert block.select_one(".table-label").get_text(strip=True) == f"公开0{number}表"
        assert "部门：咸阳市人力资源和社会保障局（汇总）" in block.get_text()
        assert block.select_one(".table-note").get_text(strip=True).startswith("注：")


def test_table_index_marks_empty_tables(example_page):
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in example_page.select("table.table-index tbody tr")]
    assert [r[2] for r in rows] == ["否"] * 6 + ["是", "是", "否"]
    assert rows[6][3] == rows[7][3] == "本部门不涉及故公开空表"
    assert rows[8][1] == "财政拨款“三公”经费及会议费、培训费支出决算表"
