"""`juesuan check` and `juesuan build` read every file through the same loader, so they agree on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, EXAMPLE, ROOT

from generator.checks.findings import ERROR
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.checking import check_files

# Each case: what is done to a copy of the example, and whether the file can be read at all.
BAD = {
    "year-folder": (lambda text: text.replace("year: 2023", "year: 2022", 1), "load"),
    "unknown-profile": (lambda text: text.replace("year: 2023", "year: 2023\nprofile: hunan", 1), "load"),
    "syntax": (lambda text: text.replace("year: 2023", "year: [2023", 1), "load"),
    "check-error": (lambda text: text.replace("tables.summary.income_total: 0.01", "tables.summary.income_total: 0.02", 1), "check"),
}


def one_bad_file(tmp_path: Path, case: str) -> Path:
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml") if (CONTENT / "site.yaml").exists() else None
    change, _ = BAD[case]
    text = EXAMPLE.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, case
    (content / "2023" / "xianyang-rsj.yaml").write_text(changed, encoding="utf-8")
    return content


def checked(content: Path) -> tuple[str, list[str]]:
    """What `check` makes of the content: "load" (cannot be read), "check" (errors) or "ok", and the messages."""
    try:
        report = check_files([content])
    except ContentError as exc:
        return "load", [p.format() for p in exc.problems]
    return ("check" if report.count(ERROR) else "ok"), [f.format() for f in report.findings if f.severity == ERROR]


def built(content: Path, out: Path) -> tuple[str, list[str]]:
    """What a final `build` makes of it: "load" (nothing published), "check" (refused) or "ok", and the messages."""
    try:
        result = build(content, out, pdf=False)
    except ContentError as exc:
        return "load", [p.format() for p in exc.problems]
    errors = [f.format() for found in result.findings.values() for f in found if f.severity == ERROR]
    return ("check" if result.refused else "ok"), errors


@pytest.mark.parametrize("case", sorted(BAD))
def test_check_and_build_agree(tmp_path, case):
    content = one_bad_file(tmp_path, case)
    (check_verdict, check_messages), (build_verdict, build_messages) = checked(content), built(content, tmp_path / "site")
    assert check_verdict == build_verdict == BAD[case][1]
    assert check_messages == build_messages and check_messages


@pytest.mark.slow
def test_a_file_in_another_years_folder_fails_both_commands(tmp_path):
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    shutil.copy(EXAMPLE, content / "2024" / "xianyang-rsj.yaml")  # says year: 2023
    runs = [subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)
            for args in (["check", str(content)], ["build", "--no-pdf", "--content", str(content),
                                                   "--out", str(tmp_path / "site")])]
    for run in runs:
        assert run.returncode in (1, 2), run.stderr
        assert "xianyang-rsj.yaml:" in run.stderr and "文件所在年度目录与 year 字段不一致" in run.stderr
    assert not (tmp_path / "site").exists()
