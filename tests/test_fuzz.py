"""Fuzz tests: generated department files (see ``fuzzing``) never make the tool fail as a program.

For every generated file, ``juesuan check`` exits 0, 1 or 2 as documented and says what is wrong in its own words:
no traceback, no 内部错误; a draft build's job for it (load, compute, check, the page and the open data) ends in
findings or located problems, never in a defect of the tool; and a final build given it either publishes, keeps the
published department as it was, or (exit 2) leaves the whole site byte for byte as it was.

The fast subset runs a few hundred files in this process (``JUESUAN_FUZZ_EXAMPLES``); the whole suite, as CI runs it,
also checks ``JUESUAN_FUZZ_FILES`` (10,000) more and renders a tenth as many, shared among one pytest process per
core, each with its own seed. A failure prints the generated file's text and hypothesis's ``@reproduce_failure`` line
to replay it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fixed_epoch
from hypothesis import HealthCheck, given, settings

from fuzzing import documents
from generator.commands.cli import main as cli
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.departments import plan
from generator.pipeline.executors import run_batch
from generator.pipeline.settings import resolve_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("JUESUAN_FUZZ_EXAMPLES", "300"))
FILES = int(os.environ.get("JUESUAN_FUZZ_FILES", "10000"))
RENDERED = max(1, EXAMPLES // 10)
BUILD_EXAMPLES = 40
FUZZ_SETTINGS = dict(deadline=None, database=None, derandomize=False, print_blob=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "content"
    for year in ("1999", "2023", "2024"):
        (root / year).mkdir(parents=True)
    return root


def _write(content: Path, folder: str, text: str) -> Path:
    for old in content.glob("*/fuzzed.yaml"):
        old.unlink()
    path = content / folder / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
@given(document=documents())
def test_check_answers_every_generated_file(content, document):
    path = _write(content, *document)
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, document[1])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, document[1])
    assert "内部错误" not in result.output and "Traceback" not in result.output, (result.output, document[1])


@settings(max_examples=RENDERED, **FUZZ_SETTINGS)
@given(document=documents())
def test_a_draft_job_renders_or_locates_every_generated_file(content, document):
    path = _write(content, *document)
    try:
        jobs = plan([path])
    except ContentError as exc:  # not a readable department file: check says so, as above
        assert "内部错误" not in str(exc), (str(exc), document[1])
        return
    outcome, = run_batch(jobs, resolve_settings(content, draft=True, pdf=False))
    problems = "\n".join(p.format() for p in outcome.problems)
    assert "内部错误" not in problems, (problems, document[1])
    assert outcome.problems or outcome.files, document[1]


@pytest.mark.slow
@pytest.mark.parametrize("test, total", [("test_check_answers_every_generated_file", FILES),
                                         ("test_a_draft_job_renders_or_locates_every_generated_file", FILES // 10)])
def test_thousands_of_generated_files_in_every_core(test, total):
    processes = os.cpu_count() or 1
    share = -(-total // processes)  # each process renders a tenth of its EXAMPLES
    examples = share * 10 if "draft" in test else share
    runs = [subprocess.Popen([sys.executable, "-m", "pytest", "-q", f"--hypothesis-seed={seed}",
                              "--hypothesis-show-statistics", f"{__file__}::{test}"],
                             cwd=ROOT, env={**os.environ, "JUESUAN_FUZZ_EXAMPLES": str(examples)},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for seed in range(processes)]
    outputs = [run.communicate()[0] for run in runs]
    for run, output in zip(runs, outputs):
        assert run.returncode == 0, output[-20000:]
    done = sum(int(n) for output in outputs for n in re.findall(r"(\d+) passing", output))
    assert done >= total, outputs


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """A content folder of one example department and a final site built from it."""
    base = tmp_path_factory.mktemp("fuzzsite")
    content = base / "content"
    for year in ("1999", "2023", "2024"):
        (content / year).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "2023" / "demo-tongji.yaml", content / "2023")
    site = base / "site"
    build(content, site, pdf=False)
    return content, site


@pytest.mark.slow
@settings(max_examples=BUILD_EXAMPLES, **FUZZ_SETTINGS)
@given(document=documents())
def test_a_build_of_any_file_publishes_or_keeps_the_old_site(published, document):
    content, site = published
    before = _tree(site)
    path = _write(content, *document)
    try:  # one date for every build: a build that keeps the old site writes the same manifest.json
        with fixed_epoch():
            result = CliRunner().invoke(cli, ["build", "--no-pdf", "--content", str(content), "--out", str(site)])
    finally:
        path.unlink()
    assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, document[1])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, document[1])
    assert "内部错误" not in result.output and "Traceback" not in result.output, (result.output, document[1])
    after = _tree(site)
    if result.exit_code == 2:  # nothing published
        assert after == before, (result.output, document[1])
    published = {rel: digest for rel, digest in before.items() if rel.startswith("2023/demo-tongji/")}
    assert {rel: after.get(rel) for rel in published} == published, (result.output, document[1])
    if result.exit_code != 0:  # nothing published, or the generated department refused and left out
        assert after == before or not any("/fuzzed" in rel for rel in after), (result.output, document[1])
