"""`juesuan audit` on a published 25-page disclosure against pdfplumber alone reading the same file, in one run.

    .venv/bin/python bench/audit.py [--repeat N] [--own] [--publish]

Issue 26, point 3: an audit takes at most 2× what the PDF library alone needs to extract the words and ruling
lines of every page of the file. Three figures, each the median of ``--repeat`` calls after one warm-up call, in
this one process, taken in rounds (a, b, c, a, b, c, …) so that a slow spell of the shared machine falls on all three:

- (a) baseline: pdfplumber alone — the file's bytes read and opened, and for every page ``extract_words()``,
  ``lines`` and ``rects``; nothing else;
- (b) ``audit_pdf(path)``: the form recognised (every built-in profile tried, as without ``--profile``);
- (c) ``audit_pdf(path, "shanghai")``.

For information, each audit's time is split (the run of median total): reading the pages (``read_pdf``), the table
sheets (``table_sheets``), reading the tables through the importer (``read_tables``, once per profile tried), the
check rules (``check_computed``), the document's rules (``document_findings``) and the rest.

The reference file is ../shared/reference/shanghai/putuo-czj-2024.pdf (beside the checkout); without it the run says
so and measures nothing (exit 0). ``--own`` also builds this tool's own PDF of the same department
(content/2024/putuo-czj.yaml, ~20 s) and measures it the same way.
Writes bench/results/audit.json and audit.md; ``--publish`` also puts the section into bench/REPORT.md (replacing
the section of an earlier run, leaving the rest of the file as it is).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "shanghai" / "putuo-czj-2024.pdf"
OWN_SOURCE = ROOT / "content" / "2024" / "putuo-czj.yaml"
HEADING = "## 审核 PDF（juesuan audit）"
TARGET = 2.0  # audit / pdfplumber alone
STAGES = ("read_pdf", "table_sheets", "read_tables", "check_computed", "document_findings")
STAGE_NAMES = {"read_pdf": "读页面（read_pdf：逐页取文字、找表格）", "table_sheets": "拼表（table_sheets）",
               "read_tables": "按表式读表（read_tables，每个试过的格式一次）", "check_computed": "审核规则（check_computed）",
               "document_findings": "文档规则（document_findings）", "rest": "其余"}


def pdfplumber_alone(path: Path) -> int:
    """The baseline: the file opened from its bytes, every page's words and ruling lines; the pages read."""
    import pdfplumber

    with pdfplumber.open(BytesIO(path.read_bytes())) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.lines
            page.rects
        return len(pdf.pages)


@contextmanager
def stage_clock():
    """While inside: the audit's steps timed (``generator.audit.run``'s own names for them wrapped); yields the
    dict the seconds of each step add up in."""
    import generator.audit.run as audit_run
    import generator.authoring.pdf.importing as importing

    spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    homes = {name: importing if name == "read_tables" else audit_run for name in STAGES}  # where each is called
    originals = {name: getattr(homes[name], name) for name in STAGES}

    def clocked(name, fn):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return call

    for name, fn in originals.items():
        setattr(homes[name], name, clocked(name, fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(homes[name], name, fn)


def measure(path: Path, repeat: int) -> dict:
    """The three figures for one file (medians), and the split of each audit's run of median total."""
    from generator.audit.run import audit_pdf

    calls = {"pdfplumber": lambda: pdfplumber_alone(path),
             "audit": lambda: audit_pdf(path),
             "audit_shanghai": lambda: audit_pdf(path, "shanghai")}
    samples: dict[str, list[tuple[float, dict]]] = {key: [] for key in calls}
    with stage_clock() as spent:
        for round_ in range(repeat + 1):  # the first round warms up and is not counted
            for key, fn in calls.items():
                gc.collect()  # the previous call's garbage is not this one's
                for name in spent:
                    spent[name] = 0.0
                started = time.perf_counter()
                fn()
                seconds = time.perf_counter() - started
                if round_:
                    samples[key].append((seconds, dict(spent)))
    pages = pdfplumber_alone(path)
    report = audit_pdf(path)
    result = {"file": _shown(path), "pages": pages, "profile recognised": report.profile,
              "tables read": len(report.tables), "findings": len(report.findings), "seconds": {}, "split": {},
              "samples": {key: [s for s, _ in runs] for key, runs in samples.items()}}
    for key, runs in samples.items():
        result["seconds"][key] = statistics.median(s for s, _ in runs)
        if key != "pdfplumber":
            total, split = sorted(runs, key=lambda run: run[0])[(len(runs) - 1) // 2]
            result["split"][key] = {**split, "rest": total - sum(split.values()), "total": total}
    base = result["seconds"]["pdfplumber"]
    result["ratios"] = {key: result["seconds"][key] / base for key in ("audit", "audit_shanghai")}
    return result


def own_pdf(work: Path) -> Path:
    """This tool's PDF of the reference's department, built from content/2024/putuo-czj.yaml into ``work``."""
    from generator.pipeline.build import build

    content = work / "content"
    (content / "2024").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    shutil.copy(OWN_SOURCE, content / "2024" / OWN_SOURCE.name)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    build(content, work / "site", pdf=True, force=True)
    return work / "site" / "2024" / "putuo-czj" / "putuo-czj-2024.pdf"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return str(path)


# -- the report --------------------------------------------------------------------------------------------------

def section(results: dict) -> str:
    """The Markdown section of bench/REPORT.md, made from the figures alone."""
    lines = [HEADING, "",
             f"测于 {results['when']}。机器：{results['machine']}。三项在同一进程中轮流测量（pdfplumber、自动识别格式的审核、"
             f"指定 shanghai 的审核为一轮），先空跑一轮，再取 {results['repeat']} 轮的中位数；比值与同一次运行中测得的基准相比"
             "（`bench/audit.py`）。", "",
             "基准：只用 pdfplumber 读同一个文件——读出文件字节后打开，逐页 `extract_words()` 并取 `lines`、`rects`"
             "（各页的文字和框线），不做别的。", "",
             "| 目标 | 要求 | 实测 | 达到 |", "|---|---|---:|---|"]
    for run in results["files"]:
        for key, how in (("audit", "自动识别格式"), ("audit_shanghai", "指定 --profile shanghai")):
            ratio = run["ratios"][key]
            lines.append(f"| {run['label']}（{run['pages']} 页）：审核（{how}）/ pdfplumber 单独取文字和框线 "
                         f"| ≤ {TARGET:g}× | {ratio:.2f}× | {'是' if ratio <= TARGET else '否'} |")
    lines += ["", "| 文件 | 页数 | 识别出的格式 | 读出的表 | 问题 | pdfplumber 单独（s） | 审核，自动识别（s） "
                  "| 审核，指定 shanghai（s） |", "|---|---:|---|---:|---:|---:|---:|---:|"]
    for run in results["files"]:
        s = run["seconds"]
        lines.append(f"| {run['label']}（`{run['file']}`） | {run['pages']} | {run['profile recognised']} "
                     f"| {run['tables read']} | {run['findings']} | {s['pdfplumber']:.2f} | {s['audit']:.2f} "
                     f"| {s['audit_shanghai']:.2f} |")
    lines += ["", "审核用时的构成（取总用时居中的一次，秒；括号内为占该次审核的比例）：", "",
              "| 文件 / 审核 | " + " | ".join(STAGE_NAMES[k] for k in (*STAGES, "rest")) + " | 合计 |",
              "|---|" + "---:|" * (len(STAGES) + 2)]
    for run in results["files"]:
        for key, how in (("audit", "自动识别格式"), ("audit_shanghai", "指定 shanghai")):
            split = run["split"][key]
            cells = [f"{split[k]:.3f}（{split[k] / split['total']:.0%}）" for k in (*STAGES, "rest")]
            lines.append(f"| {run['label']}，{how} | " + " | ".join(cells) + f" | {split['total']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="rounds counted (after one warm-up round)")
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="the 25-page disclosure")
    parser.add_argument("--own", action="store_true", help="also this tool's own PDF of the same department")
    parser.add_argument("--publish", action="store_true", help="also put the section into bench/REPORT.md")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where audit.json/.md go")
    args = parser.parse_args()

    if not args.reference.is_file():
        print(f"跳过：找不到参照文件 {args.reference}（CI 中 ../shared 与代码目录并列；"
              "也可用 --reference 指定）。未测量任何内容。", file=sys.stderr)
        return
    results = {"when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()) + " UTC", "repeat": args.repeat,
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "files": []}
    results["files"].append({"label": "已公开的上海市普陀区财政局 2024 年度决算", **measure(args.reference, args.repeat)})
    print("reference: done", file=sys.stderr)
    if args.own:
        with tempfile.TemporaryDirectory(prefix="juesuan-bench-audit-") as tmp:
            pdf = own_pdf(Path(tmp))
            results["files"].append({"label": "本工具由同一部门的内容文件生成的 PDF", **measure(pdf, args.repeat),
                                     "file": _shown(OWN_SOURCE)})
        print("own PDF: done", file=sys.stderr)

    text = section(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "audit.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "audit.md").write_text(text, encoding="utf-8")
    if args.publish:
        publish(text)
    print(text)


if __name__ == "__main__":
    main()
