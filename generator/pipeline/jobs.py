"""One department-year as a unit of work: load, compute, check and render, anywhere.

A job sent to a cluster carries the text of its department file (and of the same
department's file for the year before, which the previous-year rules compare against), so
a remote worker needs no access to the content directory; the settings every job shares
travel with it. Jobs run
in this process, in worker processes, or on a Dask cluster (see ``executors``); each
returns its files as bytes and its findings and problems as data, and the coordinator
writes them.

The coordinator plans every job from each file's digest and size; the texts are read only
when the job runs (or, for a cluster, just before it is sent), by ``SourceFile.loaded``, so
a province's content is never all in the coordinator's memory at once.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from generator.checks.findings import ERROR, WARNING, Finding
from generator.checks.runner import check_computed
from generator.errors import ContentError, Problem, debugging, internal_problem
from generator.pipeline.departments import (
    Job,
    previous_computed,
    read_source,
    remember,
    with_profile,
)
from generator.pipeline.pagetext import page_text
from generator.pipeline.settings import Settings
from generator.render.html import raised_in_template, template_problem
from generator.render.outputs import render_department_files
from generator.render.siteindex import Entry


@dataclass
class Outcome:
    """What a job hands back; plain data, since it may cross process and machine boundaries."""

    year: int
    id: str
    source: str
    name: str = ""  # the department's name, for messages
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the build cannot go on: bad file or template
    refused: bool = False  # check errors in a final build: not published
    files: dict[str, bytes] = field(default_factory=dict)
    entry: Entry | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for benchmarks
    peak_rss: int = 0  # the worker's peak resident memory so far, in bytes (0 where unknown)


def run_job(job: Job, settings: Settings) -> Outcome:
    """Load, compute, check and (unless refused) render one department-year."""
    with _source_date(settings.source_date_epoch):
        outcome = _run(job, settings)
    outcome.peak_rss = peak_rss()
    return outcome


def peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux reports KiB); 0 where not available."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def _source_date(epoch: str | None):
    """A worker on another machine dates its files as the coordinator would (reproducible builds)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch == before:
        yield
        return
    _set_env("SOURCE_DATE_EPOCH", epoch)
    try:
        yield
    finally:
        _set_env("SOURCE_DATE_EPOCH", before)


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _run(job: Job, settings: Settings) -> Outcome:
    out = Outcome(job.year, job.id, job.source.name)
    clock = partial(timed, out.seconds)
    department = None
    try:
        with clock("load"):
            department = read_source(job.source.loaded())  # a job sent to a cluster has its text already
        out.name = department.name
        with clock("compute"):
            computed = with_profile(department, settings)
            remember(job.source, settings, computed)
            previous = previous_computed(job.previous, settings)
        with clock("check"):
            text = page_text(computed, settings.config, settings.template_dir)
            out.findings = check_computed(computed, previous, settings.tolerance, page_text=text)
        refusing = (ERROR, WARNING) if settings.strict else (ERROR,)
        out.refused = not settings.draft and any(f.severity in refusing for f in out.findings)
        if not out.refused:
            out.files, out.entry = render_department_files(
                computed, settings.config, settings.template_dir, out.findings, settings.draft, settings.pdf,
                settings.built_at, clock=clock)
    except ContentError as exc:
        out.problems = exc.problems
    except Exception as exc:  # located here: in a province's build, "which department?" is the first question
        during = f"处理 {job.year} 年度 {out.name or job.id} 时"
        if isinstance(exc, MemoryError):
            out.problems = [Problem(job.source.name, None, "", f"{during}内存不足；可用更少的并行进程再试，如 --jobs 1")]
        elif debugging():
            raise
        else:
            out.problems = [template_problem(exc, department) if raised_in_template(exc) else
                            internal_problem(exc, job.source.name, during)]
    return out


@contextmanager
def timed(seconds: dict[str, float], stage: str):
    """Adds the wall time of the block to ``seconds[stage]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
