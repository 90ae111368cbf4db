"""Benchmark harness: stage timings of the pipeline as ratios to baselines measured in the same run.

    .venv/bin/python bench/run.py [--repeat N]

Machines here are shared and noisy, so every figure is reported beside a baseline
timed in the same process: plain ``yaml.load`` (CSafeLoader) of the same file for
loading, a bare Jinja render of a template of the same size for rendering, and bare
WeasyPrint laying out the same print HTML for the PDF.
Writes bench/results/latest.json and latest.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.charts import chart_stages, ours  # noqa: E402
from generator.checks.runner import check_computed  # noqa: E402
from generator.compute.tables import compute  # noqa: E402
from generator.content.department import load_department  # noqa: E402
from generator.content.siteconfig import SiteConfig  # noqa: E402
from generator.forms.profiles import load_profile
from generator.pipeline.build import build  # noqa: E402
from generator.pipeline.checking import check_files
from generator.render.outputs import render_site  # noqa: E402

EXAMPLE = ROOT / "content" / "2023" / "xianyang-rsj.yaml"


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def pdf_stages(computed, repeat: int) -> dict[str, float]:
    """Our PDF against bare WeasyPrint laying out the very same HTML (charts included), in the same process."""
    from weasyprint import HTML

    from generator.buildtime import build_time
    from generator.content.siteconfig import PdfConfig
    from generator.render.charts.numbered import chart_files
    from generator.render.fonts import check_coverage
    from generator.render.html import render_print
    from generator.render.pdf import (
        DOCUMENT_BASE,
        document_fetcher,
        printed_text,
        render_pdf,
    )

    config = PdfConfig()
    charts = ours(computed)
    html = render_print(computed, config, build_time(), charts=charts)

    def bare(**options):
        data = HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=document_fetcher(chart_files(charts))).write_pdf(
            **options)
        gc.collect()  # its garbage, which render_pdf collects too
        return data

    stages = {
        "baseline: bare WeasyPrint, same HTML, plain PDF": timed(bare, repeat),
        "baseline: bare WeasyPrint, same HTML, PDF/A-3a": timed(lambda: bare(pdf_variant="pdf/a-3a"), repeat),
        "PDF stage: print template (Jinja)": timed(lambda: render_print(computed, config, build_time(), charts=charts),
                                                   repeat * 5),
        "PDF stage: font coverage check (fonts cached)": timed(
            lambda: check_coverage(printed_text(html, False), config.families, computed.department.source), repeat * 5),
    }
    for label, standard in (("plain", "none"), ("PDF/A-3b", "pdf/a-3b"), ("PDF/UA-1", "pdf/ua-1"),
                            ("PDF/A-3a (default)", "pdf/a-3a")):
        stages[f"PDF: juesuan, {label}"] = timed(
            lambda: render_pdf(computed, PdfConfig(standard=standard), charts=charts), repeat)
    return stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pdf-repeat", type=int, default=3, help="PDF stages take seconds each")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()

    text = EXAMPLE.read_text(encoding="utf-8")
    dept = load_department(EXAMPLE)
    computed = compute(dept, load_profile())
    page = render_site([computed], SiteConfig(), pdf=False)["2023/xianyang-rsj/index.html"].decode("utf-8")
    bare = Environment(autoescape=True).from_string("{% for line in lines %}<p>{{ line }}</p>{% endfor %}")
    lines = page.splitlines()

    stages = {
        "baseline: yaml.load (CSafeLoader)": timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.repeat),
        "baseline: bare Jinja, same page size": timed(lambda: bare.render(lines=lines), args.repeat),
        "load + validate": timed(lambda: load_department(EXAMPLE), args.repeat),
        "compute": timed(lambda: compute(dept, load_profile()), args.repeat),
        "render HTML (page, charts, open data)": timed(lambda: render_site([computed], SiteConfig(), pdf=False),
                                                       args.repeat),
        "check (all rules)": timed(lambda: check_computed(compute(dept, load_profile())), args.repeat),
        "juesuan check on content/ (load + compute + check)": timed(
            lambda: check_files([ROOT / "content"]), args.repeat),
    }
    with tempfile.TemporaryDirectory() as tmp:
        stages["whole build, HTML only (load → write)"] = timed(
            lambda: build(ROOT / "content", Path(tmp) / "site", pdf=False, force=True), max(3, args.repeat // 4))
    chart_seconds, chart_ratios = chart_stages(computed, timed, args.repeat)
    stages.update(chart_seconds)
    if not args.no_pdf:
        stages.update(pdf_stages(computed, args.pdf_repeat))

    load_base = stages["baseline: yaml.load (CSafeLoader)"]
    render_base = stages["baseline: bare Jinja, same page size"]
    ratios = {
        "load + validate / yaml.load": stages["load + validate"] / load_base,
        "render HTML (page, charts, open data) / bare Jinja": stages["render HTML (page, charts, open data)"] / render_base,
        "juesuan check on content/ / yaml.load": stages["juesuan check on content/ (load + compute + check)"] / load_base,
        **chart_ratios,
    }
    if not args.no_pdf:
        plain, archival = stages["baseline: bare WeasyPrint, same HTML, plain PDF"], \
            stages["baseline: bare WeasyPrint, same HTML, PDF/A-3a"]
        ratios.update({
            "PDF (plain) / bare WeasyPrint plain": stages["PDF: juesuan, plain"] / plain,
            "PDF (PDF/A-3a, default) / bare WeasyPrint PDF/A-3a": stages["PDF: juesuan, PDF/A-3a (default)"] / archival,
            "PDF/A-3b / plain (juesuan)": stages["PDF: juesuan, PDF/A-3b"] / stages["PDF: juesuan, plain"],
            "PDF/UA-1 / plain (juesuan)": stages["PDF: juesuan, PDF/UA-1"] / stages["PDF: juesuan, plain"],
            "PDF/A-3a / plain (juesuan)": stages["PDF: juesuan, PDF/A-3a (default)"] / stages["PDF: juesuan, plain"],
        })
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    report = {"example": str(EXAMPLE.relative_to(ROOT)), "repeat": args.repeat,
              "seconds": stages, "ratios": ratios, "python": sys.version.split()[0]}
    (out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    md = ["| stage | median ms |", "|---|---:|"] + [f"| {k} | {v * 1000:.2f} |" for k, v in stages.items()]
    md += ["", "| ratio | value |", "|---|---:|"] + [f"| {k} | {v:.3g}× |" for k, v in ratios.items()]
    (out / "latest.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
