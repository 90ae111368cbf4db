"""Synthetic departments for benchmarks: N department files in the shape of the example content.

    .venv/bin/python bench/synth.py 100 /tmp/bench-content

Each file is one of the content's departments (the real example and the demonstration
ones, in turn) under a new id and name, with its prose varied, so N files have the
example's shape — ~60 项 rows across the tables, a full 公开06表, prose, 附件 and the
charts — and every identity still holds (a final build publishes all of them).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "content").glob("*/*.yaml"))


def synthesize(count: int, target: Path) -> list[Path]:
    """Write ``count`` department files (and the example's site.yaml) under ``target``; return their paths."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", target / "site.yaml")
    written = []
    for i in range(count):
        source = SOURCES[i % len(SOURCES)]
        year = source.parent.name
        text = source.read_text(encoding="utf-8")
        name = _department_name(text)
        text = text.replace(f"name: {name}", f"name: 基准测试部门{i + 1:04d}", 1)
        text = text.replace("主要职责", f"主要职责（基准测试样本 {i + 1}）", 1)
        folder = target / year
        folder.mkdir(exist_ok=True)
        path = folder / f"bench-{i + 1:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _department_name(text: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("department:"))
    for line in lines[start:start + 5]:
        if line.strip().startswith("name:"):
            return line.split("name:", 1)[1].split("#")[0].strip()
    raise ValueError("department.name not found")


if __name__ == "__main__":
    paths = synthesize(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"已生成 {len(paths)} 个部门文件：{sys.argv[2]}")
