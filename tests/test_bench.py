"""A smoke run of the scale benchmark: it builds, times every stage and reports (figures are not asserted)."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
@pytest.mark.pdf  # --pdf-sizes
def test_scale_benchmark_runs_and_reports_every_stage(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "4", "--pdf-sizes", "--workers", "2",
                    "--repeat", "2", "--coordinator-sizes", "4", "8", "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    results = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))
    (size,) = results["sizes"]
    assert size["n"] == 4 and size["serial"]["departments"] == size["parallel"]["departments"] == 4
    assert all(size["serial"]["job_stages"][stage] > 0 for stage in ("load", "compute", "check", "grids", "html", "open data"))
    assert size["rebuild_unchanged"]["rendered"] == 0 and size["rebuild_unchanged"]["reused"] == 4
    assert size["rebuild_one_edited"]["rendered"] == 1 and size["rebuild_one_edited"]["reused"] == 3
    assert size["parallel"]["worker_peak_rss"] > 0
    assert size["failed_build"]["kept"] == 3  # one file of four was broken
    assert size["rebuild_after_failure"]["rendered"] == 1 and size["rebuild_after_failure"]["reused"] == 3
    for kind in ("serial", "parallel", "serial_no_open_data"):  # each build ran twice; the report keeps one of them
        assert len(size[f"{kind}_walls"]) == 2 and size[kind]["wall"] in size[f"{kind}_walls"]
    plain = size["serial_no_open_data"]  # the same departments built on a site that publishes no open data
    assert plain["departments"] == 4 and plain["job_stages"]["open data"] == 0 < plain["job_stages"]["html"]
    report = (tmp_path / "scale.md").read_text(encoding="utf-8")
    assert "| 4 | HTML |" in report and "bare yaml.load" in report
    assert "## Targets" in report and "| HTML, per department of 4, 1 worker" in report
    assert "| the same departments on a site without open data" in report
    assert "| 4 | HTML, site without open data |" in report
    assert "## A build that fails, then the build after the fix" in report and "| 1 / 3 |" in report
    assert [build["n"] for build in results["coordinator"]] == [4, 8] and results["coordinator"][0]["peak_rss"] > 0
    assert "## The coordinator's memory" in report and "| 4 |" in report and "| 8 |" in report
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--from-json", str(tmp_path / "scale.json"),
                    "--out", str(again)], check=True, capture_output=True, timeout=60)
    assert (again / "scale.md").read_text(encoding="utf-8") == report  # the report is made from the figures alone


@pytest.mark.slow
def test_the_pdf_floor_cuts_the_example_at_a_table_into_two_whole_documents():
    from bench.pdffloor import example_print_html, halves

    html, _files = example_print_html()
    first, second = halves(html)
    tables = [f'id="t0{n}"' for n in range(1, 10)]
    assert all(html.count(t) == 1 for t in tables)
    in_first = [t for t in tables if t in first]
    assert in_first == tables[:len(in_first)] and 0 < len(in_first) < 9  # a cut between two tables
    assert [t for t in tables if t in second] == tables[len(in_first):]
    assert len(first) + len(second) > len(html) and abs(len(first) - len(second)) < len(html) / 3
    for document in (first, second):
        assert document.startswith("<!doctype html>") and "@page" in document and document.rstrip().endswith("</html>")


def test_each_benchmark_puts_its_section_into_the_report_once_and_keeps_the_others(tmp_path):
    from bench.audit import HEADING, section
    from bench.report import publish

    split = {"read_pdf": 0.9, "table_sheets": 0.01, "read_tables": 0.04, "check_computed": 0.01,
             "document_findings": 0.01, "rest": 0.03, "total": 1.0}
    run = {"label": "参照", "file": "x.pdf", "pages": 25, "profile recognised": "shanghai", "tables read": 9,
           "findings": 10, "seconds": {"pdfplumber": 0.5, "audit": 1.0, "audit_shanghai": 1.2},
           "ratios": {"audit": 2.0, "audit_shanghai": 2.4}, "split": {"audit": split, "audit_shanghai": split}}
    text = section({"when": "2026-12-02 17:00 UTC", "machine": "x86_64", "repeat": 5, "files": [run]})
    assert text.startswith(HEADING) and "| ≤ 2× | 2.00× | 是 |" in text and "| ≤ 2× | 2.40× | 否 |" in text
    report = tmp_path / "REPORT.md"
    scale = "# Benchmark\n\n## Targets\n\n| a |\n\n## Baselines and ratios\n\n| b |\n"
    report.write_text(scale, encoding="utf-8")
    publish(text, report)
    once = report.read_text(encoding="utf-8")
    assert once.startswith(scale) and once.rstrip("\n").endswith(text.rstrip("\n"))
    publish(text, report)
    assert report.read_text(encoding="utf-8") == once  # a second run replaces its section, it does not add another
    publish(scale.replace("| b |", "| c |"), report)  # the scale benchmark's own sections, the audit's kept
    again = report.read_text(encoding="utf-8")
    assert "| c |" in again and "| b |" not in again and again.count(HEADING) == 1 and again.index(HEADING) > again.index("| c |")
