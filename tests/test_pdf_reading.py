"""Reading published disclosure PDFs: `juesuan import FILE.pdf` (every table cell back as printed) and
`juesuan audit FILE.pdf` (the check rules over the tables read, each finding at its page, row and column; the
document's own rules)."""

import re
import shutil
from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import CONTENT, ROOT
from pypdf import PdfWriter
from test_spreadsheet import figures, same_figures

from generator.audit.document import Audited, document_findings
from generator.audit.narrative import narrative_findings
from generator.audit.run import audit_pdf
from generator.authoring.pdf.importing import import_pdf
from generator.authoring.pdf.reading import PdfDocument, PdfPage, read_pdf
from generator.authoring.pdf.sections import explanation_sections
from generator.checks.engine import Context
from generator.checks.findings import ERROR
from generator.commands.cli import main
from generator.content.department import load_department
from generator.errors import ContentError
from generator.forms.layouts import load_form
from generator.forms.profiles import load_profile
from generator.forms.vocabulary import VEHICLE_KINDS
from generator.pipeline.build import build
from generator.pipeline.checking import load_computed

PUTUO_PDF = ROOT.parent / "shared" / "reference" / "shanghai" / "putuo-czj-2024.pdf"
PUTUO = CONTENT / "2024" / "putuo-czj.yaml"
needs_putuo = pytest.mark.skipif(not PUTUO_PDF.is_file(), reason="../shared/reference 不在本机")


# -- import ---------------------------------------------------------------------------------------------------

@needs_putuo
@pytest.mark.slow
def test_the_real_putuo_pdf_imports_every_table_as_printed(tmp_path):
    result = import_pdf(PUTUO_PDF, "putuo-czj", 2024, tmp_path / "content", profile="shanghai")
    assert result.created and len(result.tables) == 9
    assert same_figures(result.target, PUTUO)  # every figure of the nine tables, 尾差 as printed
    text = result.target.read_text(encoding="utf-8")
    assert "profile: shanghai" in text and "  name: 上海市普陀区财政局" in text  # the name from the cover
    # the 情况说明's facts the file has fields for, as transcribed by hand into the example
    read, typed = load_department(result.target).narrative, load_department(PUTUO).narrative
    assert {c: (n.budget, n.purpose, n.reason) for c, n in read.items.items()} == {
        c: (n.budget, n.purpose, n.reason) for c, n in typed.items.items()} and len(read.items) == 11
    for section, key in (("overall", "previous_total"), ("overall", "reason"), ("general_budget", "previous"),
                         ("operating_costs", "actual"), ("operating_costs", "previous"), ("operating_costs", "reason")):
        assert getattr(read, section)[key] == getattr(typed, section)[key], (section, key)
    assert read.fiscal.get("previous_total") is None  # 四's total contradicts its table: no 上年数 taken from it
    assert any("财政拨款收入支出决算总体情况”所写的总计与表中的不符" in n for n in result.notes)
    assert "  tables.income.合计.fiscal: -0.01" in text  # the 尾差 it prints, registered
    assert read.three_public["reason_budget"] == typed.three_public["reason_budget"] == "当年度无“三公”经费支出"
    # “部级领导干部用车0辆、主要领导干部用车0辆、…”: Shanghai's names (vehicle_names) read back to the national kinds
    assert read.assets["vehicles"] == dict.fromkeys(VEHICLE_KINDS, 0) and read.assets["equipment"] == 2
    assert read.three_public["previous"]["total"] == 0  # “与2023年度持平”
    assert _squeezed(read.performance) == _squeezed(typed.performance)
    terms = load_department(result.target).glossary
    assert len(terms) == 11 and terms[0].term == "财政拨款收入"


@pytest.mark.pdf
@pytest.mark.parametrize("department, profile, recognised", [("2023/demo-tongji", None, "shaanxi"),
                                                             ("2023/demo-tongji", "shanxi", "shanxi"),
                                                             ("2024/demo-yibao", None, "sichuan"),
                                                             ("2024/putuo-czj", "shanghai", "shanghai")])
def test_this_tools_pdfs_import_back_figure_for_figure(built_site, shanxi_pdf, tmp_path, department, profile,
                                                      recognised):
    year, dept = department.split("/")
    pdf = shanxi_pdf if recognised == "shanxi" else built_site / year / dept / f"{dept}-{year}.pdf"
    result = import_pdf(pdf, dept, int(year), tmp_path / "content", profile=profile)
    assert load_department(result.target).profile_name == recognised  # without --profile: the form it is printed in
    if recognised == "shanxi":  # the example in the Shanxi form: its 公开09表 prints no 会议费、培训费
        unprinted = {("t09", f"{row}.{item}") for row in ("budget", "actual") for item in ("meeting", "training")}
        read, stated = ({k: v for k, v in figures(a, b, "shanxi").items() if k not in unprinted}
                        for a, b in ((result.target, CONTENT / year / f"{dept}.yaml"),
                                     (CONTENT / year / f"{dept}.yaml", result.target)))
        assert read == stated and ("t10", "procurement.total") in read
        # and its audit is clean: 公开10表 is not held to a 情况说明 the audit does not read, and the “三公” rate is
        # over this year's 决算 (the sentence states the budget first)
        assert [f.format() for f in audit_pdf(pdf).findings if f.severity == ERROR] == []
    else:
        assert same_figures(result.target, CONTENT / year / f"{dept}.yaml")
    # what the prose gives back is what the file said: never a figure or a reason put on the wrong 项
    read, typed = load_department(result.target), load_department(CONTENT / year / f"{dept}.yaml")
    assert read.narrative.items
    for code, note in read.narrative.items.items():  # a form that prints no 年初预算 per 项 (Sichuan) gives none
        if len(code) == 3:  # Shanxi explains 五 by 类: its budget is its 项' sum, its reason theirs, joined by “；”
            own = [n for c, n in typed.narrative.items.items() if c.startswith(code)]
            assert note.budget == sum(n.budget for n in own), code
            assert set(note.reason.split("；")) == {n.reason for n in own if n.reason}, code
            continue
        own = typed.narrative.items[code]
        assert (note.reason, note.purpose) == (own.reason, own.purpose) and note.budget in (None, own.budget), code
    assert read.narrative.overall["previous_total"] == typed.narrative.overall["previous_total"]
    assert read.narrative.overall["reason"] == typed.narrative.overall["reason"]
    printed = {o.key for o in load_profile(recognised).overview}  # the 概况's sections the form prints
    assert read.overview.units == (typed.overview.units if "units" in printed else [])
    for key in ("goods", "works", "services", "small_micro"):  # 政府采购, where the form prints it as its own section
        assert read.narrative.procurement.get(key) in (None, typed.narrative.procurement.get(key)), key
    squeezed = ("".join(duties).replace(" ", "") for duties in (read.overview.duties, typed.overview.duties))
    assert next(squeezed) == next(squeezed)  # the words as printed (the PDF's own paragraphs and spacing)
    for section, key in (("general_budget", "reason"), ("general_budget", "reason_budget"),
                         ("operating_costs", "budget"), ("operating_costs", "reason")):
        assert getattr(read.narrative, section).get(key) in (None, "", getattr(typed.narrative, section).get(key))
    if read.narrative.general_budget.get("budget") is not None:  # the 年初预算 in all: the file's, or its items' sum
        assert read.narrative.general_budget["budget"] == (typed.narrative.general_budget.get("budget") or sum(
            n.budget for n in typed.narrative.items.values() if n.budget is not None))
    if "staff" in printed:  # 人员情况, where the form prints it
        counts = [(s.establishment, s.actual, s.retired, s.establishment_total, s.actual_total,
                   {k: v.replace(" ", "") for k, v in s.actual_notes.items()})
                  for s in (read.overview.staff, typed.overview.staff)]
        assert counts[0] == counts[1]
    assert [_attachment(a) for a in read.attachments] == [_attachment(a) for a in typed.attachments]
    _same_three_public(read.narrative.three_public, typed.narrative.three_public, 0 if recognised == "shanghai" else 6)
    for key in ("performance", "other"):  # the department's own text, as printed
        typed_text = getattr(typed.narrative, key)
        assert _squeezed(getattr(read.narrative, key)) == _squeezed(typed_text), key


def _same_three_public(read: dict, typed: dict, least: int) -> None:
    """Every “三公” fact read back is the file's, and the reasons, counts and 上年数 the form prints are read."""
    assert read.get("reason_budget") == typed.get("reason_budget")
    assert read.get("reason_previous") == typed.get("reason_previous")
    taken = 0
    for item, fields in read.items():
        if isinstance(fields, dict):
            for field, value in fields.items():
                if value not in (None, ""):  # read (a field the PDF did not give is empty)
                    assert value == (typed.get(item) or {}).get(field), (item, field)
                    taken += 1
    assert taken >= least  # the Shanghai example's “三公” are all 0: it has no counts or reasons by item


def _attachment(attachment) -> tuple:
    """An attachment as printed: its group, title, score table and words (Markdown's marks and spacing aside)."""
    scores = attachment.scores
    table = scores and ([(r.name, r.weight, r.score) for r in scores.rows], scores.grade, scores.title.replace(" ", ""))
    return (attachment.group, attachment.title.replace(" ", ""), table,
            re.sub(r"[#|*\-\\\s:]|\[评分表\]", "", attachment.body))


def _squeezed(text: str) -> str:
    """Markdown's words as printed: spacing (the PDF drops it between a figure and a character) and the generated
    自评 summary (printed before the text in some forms) aside."""
    paragraphs = [p for p in text.split("\n\n") if not p.startswith("本部门开展了部门整体支出绩效自评")]
    return "".join(paragraphs).replace(" ", "").replace("\n", "")


def test_a_file_that_is_not_a_pdf_or_has_no_text_is_said_so(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(ContentError) as caught:
        read_pdf(bad, "bad.pdf")
    assert "不是可以读取的 PDF 文件" in caught.value.problems[0].format()
    scan = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with scan.open("wb") as out:
        writer.write(out)
    result = CliRunner().invoke(main, ["import", str(scan), "--id", "x", "--year", "2024",
                                       "--content", str(tmp_path / "content")])
    assert result.exit_code == 1 and "没有文字层（可能是扫描件）" in result.output
    assert not (tmp_path / "content").exists()


# -- audit ----------------------------------------------------------------------------------------------------

@needs_putuo
@pytest.mark.slow
def test_the_putuo_pdf_audit_finds_its_real_table_error_at_its_cell():
    report = audit_pdf(PUTUO_PDF)
    assert report.profile == "shanghai" and len(report.tables) == 9 and report.year == 2024
    errors = [f for f in report.findings if f.severity == ERROR]
    assert [f.rule for f in errors] == ["basic-detail-06", "pdf-text-figures", "pdf-text-figures"]
    table, fiscal, share = errors
    # 302 商品和服务支出 is printed 171.07; its 款 add up to 171.09
    assert table.field == "tables.basic_detail.302"
    assert "第 16 页“一般公共预算财政拨款基本支出决算表" in table.file and "第 6 行第 8 列" in table.file
    # 四 says the 财政拨款 total is 0.3 万元: the 财政拨款收入支出决算总表 says 2,961.68
    assert fiscal.where.startswith("情况说明“四、") and "0.3万元" in fiscal.message and "2961.68" in fiscal.message
    # 五（二）: 一般公共服务支出 2106.66 of 2940.05 is 71.65%, printed 71.73%
    assert share.where.startswith("情况说明“五、") and "71.73%" in share.message and "71.65%" in share.message
    assert all(f.file.endswith("第 21 页") for f in (fiscal, share))


@pytest.mark.pdf
def test_a_changed_amount_in_a_draft_pdf_is_found_at_its_table_row_and_column(tmp_path, built_site):
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    source = (CONTENT / "2024" / "demo-tongji.yaml").read_text(encoding="utf-8")
    assert "\n  expenditure:" in source and "previous_total: 1314.24" in source
    # the 合计 line of 公开03表 stated one 万元 off: printed as stated in a draft; and 一's 上年数 not last year's
    (content / "2024" / "demo-tongji.yaml").write_text(
        source.replace("\n  expenditure:", "\n  expenditure:\n    合计: {basic: 1.00}", 1)
        .replace("previous_total: 1314.24", "previous_total: 1304.24"), encoding="utf-8")
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    build(content, tmp_path / "site", draft=True)
    pdf = tmp_path / "site" / "2024" / "demo-tongji" / "demo-tongji-2024.pdf"
    last = built_site / "2023" / "demo-tongji" / "demo-tongji-2023.pdf"  # year to year: last year's published PDF
    report = audit_pdf(pdf, previous=last)
    wrong = [f for f in report.findings if f.severity == ERROR and f.field.startswith("tables.expenditure.合计")]
    assert wrong and all("第 16 页“支出决算表" in f.file and "第 7 行" in f.file for f in wrong), [f.format() for f in wrong]
    # the 基本支出 cell changed (column 4), and the 本年支出合计 printed from it (column 3); nothing else
    assert {(f.field, f.file[-5:]) for f in wrong} == {("tables.expenditure.合计.basic", "第 4 列"),
                                                      ("tables.expenditure.合计.total", "第 3 列")}
    assert report.name == "咸阳市统计局（演示数据）"  # the draft's slanted watermark is not read as text
    # the 上年数 the 情况说明 states, held to last year's published PDF (check's rule previous-year)
    yearly = [f for f in report.findings if f.rule == "previous-year"]
    assert [(f.field, f.expected, f.found) for f in yearly] == [
        ("narrative.overall.previous_total", Decimal("1314.24"), Decimal("1304.24"))]
    page = int(re.search(r"第 (\d+) 页$", yearly[0].file).group(1))  # the page of 一 (the section that states it)
    assert "一、收入支出决算总体情况说明" in [line.replace(" ", "") for line in read_pdf(pdf, "x").pages[page - 1].lines]
    with pytest.raises(ContentError, match="不是同一部门上一年度的决算公开 PDF"):
        audit_pdf(pdf, previous=built_site / "2024" / "demo-yibao" / "demo-yibao-2024.pdf")


@pytest.mark.pdf
def test_a_correct_pdf_audits_clean_and_the_cli_says_so(built_site):
    pdf = built_site / "2024" / "demo-yibao" / "demo-yibao-2024.pdf"
    result = CliRunner().invoke(main, ["audit", str(pdf), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"errors": 0' in result.output and '"warnings": 0' in result.output


def audited(lines: list[str], found: dict | None = None) -> list:
    pages = [PdfPage(1, ["某某局", "2024 年度部门决算"]), PdfPage(2, ["目 录", "收入支出决算总表"]), PdfPage(3, lines)]
    form = load_form(2023, load_profile())
    return document_findings(Audited(PdfDocument("x.pdf", pages), form, found if found is not None else
                                     {tid: 3 for tid in form.tables}, "某某局", 2024))


def test_the_document_rules_find_residue_doubled_marks_other_names_and_years_and_missing_tables():
    found = audited(["本年支出较上年增加（减少）XX 万元。。", "部门：另一局（汇总） 公开02表 金额单位：万元",
                     "第二部分 2023 年度部门决算表"], found={"t01": 3})
    by_rule = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(f)
    assert {f.message for f in by_rule["pdf-residue"]} == {"模板的占位文字“增加（减少）”没有改写",
                                                             "模板的占位文字“XX”没有改写"}
    assert [f.message for f in by_rule["pdf-punctuation"]] == ["标点“。。”重复"]
    assert sorted(f.message for f in by_rule["pdf-name-year"]) == ["年度为 2023，封面为 2024",
                                                                  "部门为“另一局”，封面为“某某局”"]
    assert len(by_rule["pdf-tables"]) == 8  # only 公开01表 was found
    assert all(f.file == "x.pdf 第 3 页" for rule in ("pdf-residue", "pdf-name-year") for f in by_rule[rule])
    assert not [f for f in audited(["部门：某某局（汇总） 公开02表 金额单位：万元"]) if f.rule != "pdf-toc"]


def test_the_printed_explanation_is_held_to_its_tables_and_to_itself():
    c = load_computed(CONTENT / "2023" / "xianyang-rsj.yaml")
    body = ["一、收入支出决算总体情况说明",
            "2023 年度收入总计、支出总计均为 9192.86 万元，与上年相比收入、支出总计增加 390.86 万元，增长 4.45%。",
            "图1：收入支出总计（单位：万元）", "9192.86 8802.00",  # a chart's labels: no prose
            "四、财政拨款收入支出决算总体情况说明",
            "2023 年度财政拨款收入总计、支出总计均为 8057.00 万元。",
            "二、收入决算情况说明", "2023 年度本年收入合计 9099.99 万元，其中：财政拨款收入 7987.94 万元，占 87.78%；"
            "其他收入 1112.04 万元，占 12.20%。"]
    doc = PdfDocument("x.pdf", [PdfPage(1, ["咸阳市人力资源和社会保障局"]), PdfPage(2, ["目 录", *body[:1]]),
                                PdfPage(3, body, [], body)])
    sections = explanation_sections(doc, c.profile)
    assert set(sections) == {"overall", "fiscal", "income"} and sections["overall"][0] == 3
    assert "9192.86 8802.00" not in sections["overall"][1]
    found = list(narrative_findings(Context(c), doc, sections))
    messages = {f.where.split("“")[1][:2]: f.message for f in found}
    assert len(found) == 3 and all(f.severity == ERROR and f.file == "x.pdf 第 3 页" for f in found)
    assert "幅度应为 4.44%，文中为 4.45%" in messages["一、"]  # 390.86 over 8802.00
    assert "8057.00 万元" in messages["四、"] and "8057.93" in messages["四、"]
    assert "12.20%" in messages["二、"] and "12.22%" in messages["二、"]


@needs_putuo
def test_a_pdf_of_another_department_does_not_overwrite_a_file(tmp_path):
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "2023" / "xianyang-rsj.yaml", content / "2023")
    before = (content / "2023" / "xianyang-rsj.yaml").read_bytes()
    with pytest.raises(ContentError) as caught:
        import_pdf(PUTUO_PDF, "xianyang-rsj", 2023, content, profile="shanghai")
    assert "PDF 封面的部门“上海市普陀区财政局”不是部门文件" in caught.value.problems[0].format()
    assert (content / "2023" / "xianyang-rsj.yaml").read_bytes() == before
