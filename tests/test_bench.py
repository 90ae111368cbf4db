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
