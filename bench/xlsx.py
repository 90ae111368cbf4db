"""The published workbook written by XlsxWriter against the hand-written SpreadsheetML writer, in one run.

    .venv/bin/python bench/xlsx.py [--repeat N] [--publish]

Issue 27, point 8: the workbook was to be written with XlsxWriter unless that made the open-data stage more than
1.5× slower than with the hand-written writer (``render.opendata.xlsxml``). It does, so the site keeps the hand-written
writer; the XlsxWriter version (bench/xlsxwriter_workbook.py: the same sheets, formats, document properties and
fit-to-width printing) is kept here as the candidate, to measure again when XlsxWriter changes. Both lay out the same
grids of the example department (content/2023/xianyang-rsj.yaml). Four figures, each the median of ``--repeat`` calls after one warm-up call, taken
in rounds (a, b, c, d, a, b, c, d, …) so that a slow spell of the shared machine falls on all of them:

- (a) baseline: the hand-written writer, the workbook alone (``render.opendata.workbook.workbook_bytes``);
- (b) XlsxWriter, the workbook alone;
- (c) baseline: the open-data stage as a build runs it (``render.opendata.files.open_data_files``): every table's
  CSV, the workbook, the JSON;
- (d) the same stage with the workbook written by XlsxWriter.

The grids are laid out once beforehand, as a build lays them out once for the page, the PDF and the open data.
Writes bench/results/xlsx.json and xlsx.md; ``--publish`` also puts the section into bench/REPORT.md (replacing the
section of an earlier run, leaving the rest of the file as it is).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from bench.xlsxwriter_workbook import workbook_bytes as with_xlsxwriter  # noqa: E402
from generator.compute.tables import compute  # noqa: E402
from generator.content.department import load_department  # noqa: E402
from generator.forms.profiles import load_profile  # noqa: E402
from generator.render.grid import grids_of  # noqa: E402
from generator.render.opendata.document import json_bytes  # noqa: E402
from generator.render.opendata.files import csv_text, data_links, open_data_files  # noqa: E402
from generator.render.opendata.records import records  # noqa: E402
from generator.render.opendata.workbook import workbook_bytes  # noqa: E402

EXAMPLE = ROOT / "content" / "2023" / "xianyang-rsj.yaml"
HEADING = "## 开放数据的 Excel 工作簿（XlsxWriter）"
LIMIT = 1.5  # the open-data stage with XlsxWriter / with the hand-written writer
BUILT_AT = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def xlsxwriter_stage(c, grids) -> dict[str, bytes]:
    """The open-data stage with XlsxWriter: the same CSVs and JSON, the workbook by XlsxWriter."""
    links = data_links(c)
    files = {links.tables[grid.layout.id]: csv_text(records(grid)).encode("utf-8-sig") for grid in grids}
    files[links.xlsx] = with_xlsxwriter(c, grids, BUILT_AT)
    files[links.json] = json_bytes(c)
    return files


def measure(repeat: int) -> dict:
    c = compute(load_department(EXAMPLE), load_profile())
    grids = grids_of(c)
    calls = {
        "handwritten": lambda: workbook_bytes(c, grids, BUILT_AT),
        "xlsxwriter": lambda: with_xlsxwriter(c, grids, BUILT_AT),
        "stage_handwritten": lambda: open_data_files(c, BUILT_AT),
        "stage_xlsxwriter": lambda: xlsxwriter_stage(c, grids),
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    for name, call in calls.items():  # warm-up: imports, caches
        call()
    gc.collect()
    for _ in range(repeat):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    sizes = {"handwritten": len(workbook_bytes(c, grids, BUILT_AT)), "xlsxwriter": len(with_xlsxwriter(c, grids, BUILT_AT))}
    return {"medians": {name: statistics.median(t) for name, t in times.items()},
            "ranges": {name: (min(t), max(t)) for name, t in times.items()}, "sizes": sizes,
            "sheets": len(grids)}


def section(results: dict) -> str:
    """The Markdown section of bench/REPORT.md, made from the figures alone."""
    m = results["medians"]
    stage = m["stage_xlsxwriter"] / m["stage_handwritten"]
    alone = m["xlsxwriter"] / m["handwritten"]
    ms = {name: value * 1000 for name, value in m.items()}
    lines = [
        HEADING, "",
        f"测于 {results['when']}。机器：{results['machine']}。示例部门（`content/2023/xianyang-rsj.yaml`，"
        f"{results['sheets']} 张表）的各表先排好一次，两种写法在同一进程中轮流测量，先空跑一轮，再取 {results['repeat']} "
        "轮的中位数（`bench/xlsx.py`）。基准是网站所用的手写 SpreadsheetML 写法（`generator/render/opendata/xlsxml.py`）；"
        "XlsxWriter 写法（`bench/xlsx.py` 旁的 `bench/xlsxwriter_workbook.py`）写出同样的工作表、格式、文档属性和按页宽打印。"
        f"超过 {LIMIT}× 时网站继续用手写写法。",
        "",
        "| 目标 | 要求 | 实测 | 达到 |",
        "|---|---|---:|---|",
        f"| 开放数据阶段（各表 CSV、Excel、JSON）：XlsxWriter / 手写写法 | ≤ {LIMIT}× | {stage:.2f}× | "
        f"{'是' if stage <= LIMIT else '否'} |",
        "",
        "| 测量 | 中位数（ms） | 范围（ms） |",
        "|---|---:|---:|",
    ]
    labels = {"handwritten": "工作簿：手写写法（基准）", "xlsxwriter": "工作簿：XlsxWriter",
              "stage_handwritten": "开放数据阶段：手写写法（基准）", "stage_xlsxwriter": "开放数据阶段：XlsxWriter"}
    for name, label in labels.items():
        low, high = (value * 1000 for value in results["ranges"][name])
        lines.append(f"| {label} | {ms[name]:.2f} | {low:.2f}–{high:.2f} |")
    sizes = results["sizes"]
    verdict = ("达到：网站可改用 XlsxWriter。" if stage <= LIMIT else
               "未达到：网站继续用手写写法，它也写出文档属性（标题、作者、单位、生成时间）和按页宽打印的设置。")
    lines += ["", f"工作簿单独：XlsxWriter / 手写写法 = {alone:.2f}×；文件大小 {sizes['xlsxwriter']:,} 字节 / "
                  f"{sizes['handwritten']:,} 字节。{verdict}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30, help="rounds counted (after one warm-up round)")
    parser.add_argument("--publish", action="store_true", help="also put the section into bench/REPORT.md")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where xlsx.json/.md go")
    args = parser.parse_args()
    results = {"when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()) + " UTC", "repeat": args.repeat,
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               **measure(args.repeat)}
    text = section(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "xlsx.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "xlsx.md").write_text(text, encoding="utf-8")
    if args.publish:
        publish(text)
    print(text)


if __name__ == "__main__":
    main()
