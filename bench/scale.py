"""Scale benchmark: whole builds of N synthetic departments, stage by stage, with baselines from the same run.

    .venv/bin/python bench/scale.py                  # N = 10, 100, 1000; PDFs for 20; 2 workers
    .venv/bin/python bench/scale.py --sizes 10 100 --pdf-sizes 10 --memory-docs 100

For each N (``bench/synth.py`` writes the departments: the example's shape, every check
passing) it runs the real ``build`` with 1 and with W workers, HTML only, and reports:
per-department time of each job stage (load, compute, check, charts, grids, open data, html,
pdf) as summed by the workers, the coordinator's own stages (plan, write, indexes, manifest and
swap), wall time, speed-up of W workers over 1, peak RSS of the coordinator and of the
workers, and the time of an incremental rebuild after editing one file; and, built serially
once more, the same departments on a site that publishes no open data. The machine is shared,
so each HTML build runs ``--repeat`` times (default 3), in rounds, and the report gives the
build of median wall time and the range. Baselines timed in the same run: bare Jinja rendering a page of the
same size, bare ``yaml.load`` of the same files, and (for PDFs) bare WeasyPrint laying out the
very HTML we lay out, in a warm process, and the floor under the example PDF's time here
(``pdffloor``). ``--memory-docs`` renders that many PDFs in one process and reports its RSS
before and after.

Writes bench/results/scale.json and bench/results/scale.md; ``--publish`` also copies the
Markdown to bench/REPORT.md, which the README links.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish as publish_report  # noqa: E402
from bench.pdffloor import example, pdf_floor  # noqa: E402
from bench.synth import synthesize  # noqa: E402
from generator.errors import ContentError  # noqa: E402
from generator.pipeline.build import build  # noqa: E402
from generator.pipeline.record import kept_departments  # noqa: E402

JOB_STAGES = ("load", "compute", "check", "charts", "grids", "open data", "html", "pdf")


def run_build(content: Path, out: Path, **options) -> dict:
    """One real build; what its jobs and its coordinator spent, and the peak memory of each side."""
    outcomes = []

    def progress(total):
        return outcomes.append

    with PeakRss() as coordinator:
        started = time.perf_counter()
        result = build(content, out, progress=progress, **options)
        wall = time.perf_counter() - started
    rendered = [o for o in outcomes if o.seconds]
    stages = {s: sum(o.seconds.get(s, 0.0) for o in rendered) for s in JOB_STAGES}
    return {"wall": wall, "departments": len(outcomes), "rendered": len(rendered), "reused": result.reused,
            "job_stages": stages, "coordinator_stages": result.seconds, "coordinator_peak_rss": coordinator.peak,
            "worker_peak_rss": max((o.peak_rss for o in rendered), default=0)}


class PeakRss:
    """The highest RSS of this process while the block runs, sampled every 5 ms by a thread."""

    def __enter__(self) -> "PeakRss":
        self.peak, self.running = rss_now(), True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_now())
            time.sleep(0.005)

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_now())


def rss_now() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def median_time(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def html_baselines(content: Path, site: Path) -> dict:
    """Per department: bare yaml.load of each synthetic file, and bare Jinja writing each built page again."""
    from jinja2 import Environment

    texts = [p.read_text(encoding="utf-8") for p in sorted(content.glob("*/*.yaml"))]
    pages = [p.read_text(encoding="utf-8").splitlines() for p in sorted(site.glob("*/*/index.html"))]
    template = Environment(autoescape=True).from_string("{% for line in lines %}<p>{{ line }}</p>{% endfor %}")
    return {"yaml.load per file": median_time(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts], 3)
            / len(texts),
            "Jinja page": median_time(lambda: [template.render(lines=lines) for lines in pages], 3) / len(pages)}


def pdf_baseline(repeat: int) -> dict:
    """Our PDF of the example against bare WeasyPrint writing the same HTML, both in this warm process."""
    from weasyprint import HTML

    from generator.content.siteconfig import SiteConfig
    from generator.render.charts.numbered import chart_files
    from generator.render.pdf import DOCUMENT_BASE, document_fetcher, render_pdf

    config = SiteConfig()
    computed, charts, html = example()
    fetcher = document_fetcher(chart_files(charts))

    def bare():
        HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=fetcher).write_pdf(
            pdf_variant=config.pdf.variant, pdf_tags=config.pdf.tagged, pdf_identifier=True)  # what render_pdf asks
        gc.collect()  # its garbage, which render_pdf collects too (the collector would, later, in its time)

    def ours():
        return render_pdf(computed, config.pdf, charts=charts, show=config.show)

    bare()
    pages = ours().pages  # and warm
    samples: dict[str, list[float]] = {"bare": [], "ours": []}
    for _ in range(repeat):  # interleaved, so that a noisy minute weighs on both alike
        for name, fn in (("bare", bare), ("ours", ours)):
            gc.collect()  # each starts from a collected heap
            started = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - started)
    return {"bare WeasyPrint, example, same HTML (PDF/A-3a)": statistics.median(samples["bare"]),
            "juesuan PDF, example (PDF/A-3a)": statistics.median(samples["ours"]), "example pages": pages}


def pdf_memory(documents: int) -> dict:
    """RSS of one process rendering ``documents`` PDFs in turn (the content's departments, round robin)."""
    from generator.compute.tables import compute
    from generator.content.department import load_department
    from generator.content.siteconfig import SiteConfig
    from generator.forms.profiles import load_profile
    from generator.render.charts.numbered import charts_for
    from generator.render.pdf import render_pdf

    config = SiteConfig()
    sources = sorted((ROOT / "content").glob("*/*.yaml"))
    samples = []
    for i in range(documents):
        computed = compute(load_department(sources[i % len(sources)]), load_profile())
        render_pdf(computed, config.pdf, charts=charts_for(computed, config), show=config.show)
        samples.append(rss_now())
    tenth = max(len(sources), documents // 10 // len(sources) * len(sources))  # whole rounds of the content
    return {"documents": documents, "rss_after_first": samples[0],
            "rss_mean_first_tenth": statistics.mean(samples[:tenth]),
            "rss_mean_last_tenth": statistics.mean(samples[-tenth:]), "rss_max": max(samples),
            "samples": samples}


def edit_one(content: Path) -> None:
    path = sorted(content.glob("*/*.yaml"))[len(list(content.glob("*/*.yaml"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("基准测试部门", "基准测试（修订）部门", 1), encoding="utf-8")


def after_a_failure(content: Path, out: Path, workers: int) -> dict:
    """A first build in which one file of N is broken (it fails, keeping the others), then the build after fixing it."""
    path = sorted(content.glob("*/*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nbroken: [\n", encoding="utf-8")
    started = time.perf_counter()
    try:
        build(content, out, pdf=False, jobs=workers)
        raise SystemExit(f"{path}: the broken file was built")
    except ContentError:
        failed = {"wall": time.perf_counter() - started, "kept": kept_departments(out)}
    finally:
        path.write_text(text, encoding="utf-8")
    return {"failed_build": failed, "rebuild_after_failure": run_build(content, out, pdf=False, jobs=workers)}


def without_open_data(content: Path) -> None:
    """Make the synthetic site's site.yaml publish no open data (``show.open_data: false``)."""
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    if "\n  open_data: true\n" not in text:
        raise SystemExit(f"{site_yaml}: expected a line 'open_data: true' under show:")
    site_yaml.write_text(text.replace("\n  open_data: true\n", "\n  open_data: false\n"), encoding="utf-8")


def measure_size(n: int, workers: int, pdf: bool, work: Path, repeat: int = 1) -> dict:
    """Builds of N departments: with 1 worker and with W, and (HTML) with 1 worker on a site that publishes no open
    data. Each runs ``repeat`` times, in rounds (the machine's load drifts), and the run of median wall time is kept."""
    content = work / f"content-{n}"
    synthesize(n, content)
    builds = {"serial": (content, 1), "parallel": (content, workers)}
    if not pdf:  # the same departments on a site that publishes no open data: a real build, not a subtraction
        plain = work / f"content-{n}-no-open-data"
        synthesize(n, plain)
        without_open_data(plain)
        builds["serial_no_open_data"] = (plain, 1)
    runs: dict[str, list[dict]] = {kind: [] for kind in builds}
    for i in range(repeat):
        for kind, (source, jobs) in builds.items():
            # Each run writes its own folder: replacing a site deletes thousands of files (see below).
            runs[kind].append(run_build(source, work / f"site-{n}-{kind}-{i}", pdf=pdf, jobs=jobs, force=True))
    figures: dict = {"n": n, "pdf": pdf}
    for kind, done in runs.items():
        figures[kind] = sorted(done, key=lambda run: run["wall"])[(len(done) - 1) // 2]
        figures[f"{kind}_walls"] = [run["wall"] for run in done]
    figures["speedup"] = figures["serial"]["wall"] / figures["parallel"]["wall"]
    if not pdf:
        figures["baselines"] = html_baselines(content, work / f"site-{n}-serial-0")
        site = work / f"site-{n}-parallel-0"
        unchanged = run_build(content, site, pdf=pdf, jobs=workers)
        edit_one(content)
        edited = run_build(content, site, pdf=pdf, jobs=workers)
        figures |= {"rebuild_unchanged": unchanged, "rebuild_one_edited": edited}
        figures |= after_a_failure(content, work / f"site-{n}-failed", workers)
    # Nothing is deleted until the whole run is over: on a file system without a journal, ext4
    # looks at every recently deleted inode when it creates a file, so files written minutes after
    # thousands were deleted cost ten times as much to create, and the next build would measure that.
    return figures


def targets(results: dict) -> list[str]:
    """The issue's targets against this run's figures (only those the run measured)."""
    mib = 1024 * 1024
    rows = []
    html = {f["n"]: f for f in results["sizes"] if not f["pdf"]}
    pdf = [f for f in results["sizes"] if f["pdf"]]
    if html:
        f = html[max(html)]
        per = _per_department(f["serial"])
        rows.append((f"HTML, per department of {f['n']}, 1 worker: every stage, open data (CSV, XLSX, JSON) included"
                     f"{_median_of(f, 'serial')}", "≤ 20 ms", f"{per:.1f} ms", per <= 20))
        if "serial_no_open_data" in f:
            without = _per_department(f["serial_no_open_data"])
            rows.append(("the same departments on a site without open data (show.open_data: false)"
                         f"{_median_of(f, 'serial_no_open_data')}", "≤ 20 ms", f"{without:.1f} ms", without <= 20))
        if 1000 in html:
            wall = html[1000]["parallel"]["wall"]
            rows.append((f"1,000 departments, HTML, {results['workers']} workers{_median_of(html[1000])}", "≤ 15 s",
                         f"{wall:.2f} s{_range_of(html[1000])}", wall <= 15))
        edited = [(n, g["rebuild_one_edited"]["wall"]) for n, g in html.items() if n >= 100 and "rebuild_one_edited" in g]
        for n, wall in edited[:1]:
            rows.append((f"one file edited, rebuild of {n} departments", "≤ 2 s", f"{wall:.2f} s", wall <= 2))
    if "pdf" in results:
        ours, bare = results["pdf"]["juesuan PDF, example (PDF/A-3a)"], \
            results["pdf"]["bare WeasyPrint, example, same HTML (PDF/A-3a)"]
        pages = results["pdf"].get("example pages")
        rows += [("example PDF / bare WeasyPrint, same HTML", "≤ 1.05×", f"{ours / bare:.3f}×", ours / bare <= 1.05),
                 (f"example PDF{f' ({pages} pages)' if pages else ''}, warm process", "≤ 1.5 s", f"{ours:.2f} s",
                  ours <= 1.5)]
    for f in pdf:
        rows.append((f"PDF build of {f['n']}: {results['workers']} workers against 1", "≥ 1.8×", f"{f['speedup']:.2f}×",
                     f["speedup"] >= 1.8))
    peak = max((f["parallel"]["worker_peak_rss"] for f in results["sizes"]), default=0)
    if peak:
        rows.append(("peak RSS of a worker", "≤ 500 MiB", f"{peak / mib:.0f} MiB", peak <= 500 * mib))
    if "memory" in results:
        m = results["memory"]
        growth = m["rss_mean_last_tenth"] / m["rss_mean_first_tenth"] - 1
        rows.append((f"RSS over {m['documents']} PDFs in one process, first tenth → last tenth", "flat (≤ +10 %)",
                     f"{m['rss_mean_first_tenth'] / mib:.0f} → {m['rss_mean_last_tenth'] / mib:.0f} MiB "
                     f"({growth:+.1%})", growth <= 0.10))
    return ["## Targets", "", "| target | wanted | measured | met |", "|---|---|---:|---|",
            *(f"| {name} | {wanted} | {measured} | {'yes' if met else 'no'} |" for name, wanted, measured, met in rows), ""]


def coordinator_report(builds: list[dict], workers: int) -> list[str]:
    if not builds:
        return []
    mib = 1024 * 1024
    lines = ["", "## The coordinator's memory", "",
             f"HTML builds with {workers} workers, each in a fresh process (the bench's own process has run the "
             "1-worker builds, whose leftovers would count): the peak RSS of the process that plans, hands out and "
             "writes.", "", "| N | peak RSS (MiB) | per department more than the N before (KiB) |", "|---:|---:|---:|"]
    for before, run in zip([None, *builds], builds):
        grown = (f"{(run['peak_rss'] - before['peak_rss']) / (run['n'] - before['n']) / 1024:.1f}"
                 if before else "—")
        lines.append(f"| {run['n']} | {run['peak_rss'] / mib:.0f} | {grown} |")
    return lines


def floor_report(results: dict) -> list[str]:
    if "pdf_floor" not in results:
        return []
    floor = results["pdf_floor"]
    first, second = floor["half pages"]
    return ["", "## The example PDF's floor on this machine", "",
            "What WeasyPrint itself needs for the example, whatever this tool does around it (`bench/pdffloor.py`; "
            "medians in warm processes, from the HTML to the laid-out pages or the PDF, without the collection that "
            "gives the memory back afterwards).", "", "| figure | s |", "|---|---:|",
            f"| layout alone, no PDF written, one process | {floor['layout alone']:.2f} |",
            f"| cut in two at a table ({first} + {second} pages), each half laid out and written in its own process, "
            f"both at once: the slower half, before any joining | {floor['two halves at once']:.2f} |"]


def coordinator_memory(n: int, workers: int, work: Path) -> dict:
    """One HTML build of N departments with W workers in a fresh process: the coordinator's peak RSS."""
    content = work / f"content-{n}"
    if not content.exists():
        synthesize(n, content)
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
            "from generator.pipeline.build import build; "
            f"build(Path({str(content)!r}), Path({str(work / f'site-{n}-coordinator')!r}), pdf=False, "
            f"jobs={workers}, force=True); "
            # VmHWM, not ru_maxrss: that one is kept across exec, and the fork that started this process had all of
            # the bench's memory.
            "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))")
    kib = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return {"n": n, "peak_rss": int(kib) * 1024}


def _per_department(run: dict) -> float:
    """Milliseconds per department of a build: every job stage and every coordinator stage."""
    return (sum(run["job_stages"].values()) + sum(run["coordinator_stages"].values())) / run["departments"] * 1000


def _median_of(figures: dict, kind: str = "parallel") -> str:
    walls = figures.get(f"{kind}_walls", [])
    return f", median of {len(walls)} builds" if len(walls) > 1 else ""


def _range_of(figures: dict, kind: str = "parallel") -> str:
    walls = figures.get(f"{kind}_walls", [])
    return f" ({min(walls):.2f}–{max(walls):.2f})" if len(walls) > 1 else ""


def report(results: dict) -> str:
    mib = 1024 * 1024
    lines = [f"# Benchmark: builds of N synthetic departments ({results['when']})", "",
             f"Machine: {results['machine']}. Workers: {results['workers']}. Every figure comes from the same run; "
             "ratios compare with baselines timed in that run.", ""]
    lines += targets(results)
    lines += ["## Whole builds", "",
              "| N | output | wall, 1 worker (s): median (range) | wall, W workers (s): median (range) | speed-up | ms per department (W) "
              "| rebuild, nothing changed (s) | rebuild, one file edited (s) | peak RSS, W workers: coordinator / worker (MiB) |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for f in results["sizes"]:
        par = f["parallel"]
        rebuild = (f"{f['rebuild_unchanged']['wall']:.2f}", f"{f['rebuild_one_edited']['wall']:.2f}") \
            if "rebuild_one_edited" in f else ("—", "—")
        lines.append(f"| {f['n']} | {'HTML + PDF' if f['pdf'] else 'HTML'} | {f['serial']['wall']:.2f}{_range_of(f, 'serial')} | "
                     f"{par['wall']:.2f}{_range_of(f)} | {f['speedup']:.2f}× | {par['wall'] / f['n'] * 1000:.1f} | {rebuild[0]} | "
                     f"{rebuild[1]} | {par['coordinator_peak_rss'] / mib:.0f} / {par['worker_peak_rss'] / mib:.0f} |")
    failures = [f for f in results["sizes"] if "rebuild_after_failure" in f]
    if failures:
        lines += ["", "## A build that fails, then the build after the fix", "",
                  "One file of N is broken; the build fails, publishes nothing and keeps the departments it rendered; "
                  "the file is fixed and the site built again (W workers).", "",
                  "| N | failed build (s) | departments kept | build after the fix (s) | rendered / taken as kept |",
                  "|---:|---:|---:|---:|---:|"]
        for f in failures:
            after = f["rebuild_after_failure"]
            lines.append(f"| {f['n']} | {f['failed_build']['wall']:.2f} | {f['failed_build']['kept']} | "
                         f"{after['wall']:.2f} | {after['rendered']} / {after['reused']} |")
    lines += ["", "## Stages, per department (1 worker, milliseconds; the build of median wall time)", "",
              "| N | output | " + " | ".join(JOB_STAGES) + " | plan | write | indexes | search index | manifest and swap | all |",
              "|---:|---|" + "---:|" * (len(JOB_STAGES) + 6)]
    for f in results["sizes"]:
        runs = [("HTML + PDF" if f["pdf"] else "HTML", f["serial"])]
        if "serial_no_open_data" in f:
            runs.append(("HTML, site without open data", f["serial_no_open_data"]))
        for output, serial in runs:
            n = serial["departments"]
            job = [f"{serial['job_stages'].get(s, 0.0) / n * 1000:.2f}" for s in JOB_STAGES]
            own = [f"{serial['coordinator_stages'].get(s, 0.0) / n * 1000:.2f}"
                   for s in ("plan (read files, cache keys)", "write", "indexes", "search index", "manifest and swap")]
            lines.append(f"| {n} | {output} | " + " | ".join(job + own) + f" | {_per_department(serial):.2f} |")
    lines += coordinator_report(results.get("coordinator", []), results["workers"])
    lines += floor_report(results)
    lines += ["", "## Baselines and ratios", "", "| figure | value |", "|---|---:|"]
    for f in results["sizes"]:
        if "baselines" not in f:
            continue
        base = f["baselines"]
        serial = f["serial"]
        per = serial["job_stages"]
        n = serial["departments"]
        lines += [f"| N={f['n']}: load per file / bare yaml.load | "
                  f"{per['load'] / n / base['yaml.load per file']:.2f}× |",
                  f"| N={f['n']}: html stage / bare Jinja re-writing the same pages | "
                  f"{per['html'] / n / base['Jinja page']:.2f}× |"]
    if "pdf" in results:
        pdf = results["pdf"]
        ours, bare = pdf["juesuan PDF, example (PDF/A-3a)"], pdf["bare WeasyPrint, example, same HTML (PDF/A-3a)"]
        lines += [f"| example PDF, warm process (s) | {ours:.2f} |", f"| bare WeasyPrint, same HTML (s) | {bare:.2f} |",
                  f"| our PDF / bare WeasyPrint | {ours / bare:.3f}× |"]
    if "memory" in results:
        m = results["memory"]
        lines += [f"| RSS over {m['documents']} PDFs in one process: mean of the first tenth → last tenth (MiB) | "
                  f"{m['rss_mean_first_tenth'] / mib:.0f} → {m['rss_mean_last_tenth'] / mib:.0f} |",
                  f"| RSS over {m['documents']} PDFs: after the first → highest (MiB) | "
                  f"{m['rss_after_first'] / mib:.0f} → {m['rss_max'] / mib:.0f} |"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000], help="N for HTML builds")
    parser.add_argument("--pdf-sizes", type=int, nargs="*", default=[20], help="N for builds with PDFs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each HTML build (the median is reported)")
    parser.add_argument("--pdf-repeat", type=int, default=3)
    parser.add_argument("--coordinator-sizes", type=int, nargs="*", default=[1000, 3000],
                        help="N for the coordinator's memory (an HTML build each, in a fresh process)")
    parser.add_argument("--memory-docs", type=int, default=0, help="PDFs rendered in one process for the memory figure")
    parser.add_argument("--publish", action="store_true", help="also write bench/REPORT.md")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where scale.json/.md go")
    parser.add_argument("--from-json", type=Path, help="write the report of an earlier run's scale.json, measure nothing")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    if args.from_json:
        publish(json.loads(args.from_json.read_text(encoding="utf-8")), args.out, args.publish)
        return

    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M"), "workers": args.workers,
                     "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "sizes": []}
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        for n in args.sizes:
            results["sizes"].append(measure_size(n, args.workers, False, Path(tmp), args.repeat))
            print(f"N={n} HTML: done", file=sys.stderr)
        for n in args.pdf_sizes:
            results["sizes"].append(measure_size(n, args.workers, True, Path(tmp)))
            print(f"N={n} PDF: done", file=sys.stderr)
        results["coordinator"] = [coordinator_memory(n, args.workers, Path(tmp)) for n in args.coordinator_sizes]
    if args.pdf_sizes:
        results["pdf"] = pdf_baseline(args.pdf_repeat)
        results["pdf_floor"] = pdf_floor(args.pdf_repeat)
    if args.memory_docs:  # in a fresh process: this one has just built a thousand departments
        code = f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench.scale import pdf_memory; " \
               f"print(json.dumps(pdf_memory({args.memory_docs})))"
        results["memory"] = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                                      text=True).stdout)
    publish(results, args.out, args.publish)


def publish(results: dict, out: Path, readme_report: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    text = report(results)
    (out / "scale.md").write_text(text, encoding="utf-8")
    if readme_report:  # the other benchmarks' sections (bench/audit.py, bench/xlsx.py) are kept
        publish_report(text)
    print(text)


if __name__ == "__main__":
    main()
