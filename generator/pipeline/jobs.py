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

import hashlib
import os
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Callable

from generator.checks.findings import ERROR, Finding
from generator.compute.tables import Computed, compute
from generator.content.department import read_department
from generator.content.siteconfig import SiteConfig
from generator.errors import ContentError, Problem, debugging, internal_problem
from generator.forms.profiles import apply_profile
from generator.pipeline.checking import check_computed
from generator.render.html import raised_in_template, template_problem
from generator.render.outputs import render_department_files
from generator.render.siteindex import Entry
from generator.source.yamlfile import load_yaml_text


@dataclass(frozen=True)
class Settings:
    """What every job of one build shares."""

    config: SiteConfig
    content_dir: str | None  # for the site's own profiles (content/profiles/)
    template_dir: str | None
    profile: str | None  # --profile
    draft: bool
    pdf: bool
    tolerance: Decimal
    built_at: datetime
    source_date_epoch: str | None = None  # the coordinator's SOURCE_DATE_EPOCH, for workers elsewhere


@dataclass(frozen=True)
class SourceFile:
    """A department file as planned by the coordinator: where it lives (for messages), its content's SHA-256
    and size, and, once the job is handed out, its text."""

    name: str  # as shown in messages, e.g. content/2023/xianyang-rsj.yaml
    year_folder: str  # the <year> folder it sits in
    stem: str  # the file name without .yaml: the department id unless the file says otherwise
    path: str  # read from here by a local job, or by the coordinator before it sends the job to a cluster
    digest: str  # SHA-256 of its bytes when the build was planned
    size: int  # in bytes
    text: str | None = None  # filled in by ``loaded``

    @classmethod
    def read(cls, path: Path, name: str) -> "SourceFile":
        """The file's digest and size; its text is read again when its job is handed out. OSError, or
        UnicodeDecodeError for a file that is not UTF-8 text."""
        data = path.read_bytes()
        data.decode("utf-8")
        return cls(name, path.parent.name, path.stem, str(path), hashlib.sha256(data).hexdigest(), len(data))

    def loaded(self) -> "SourceFile":
        """This file with its text, which must still be what was planned: the build's cache keys and its
        previous-year comparisons were made from that."""
        if self.text is not None:
            return self
        try:
            data = Path(self.path).read_bytes()
        except OSError as exc:
            raise ContentError([Problem(self.name, None, "", f"文件在生成过程中无法再读取（{exc.strerror}），本次生成未完成；"
                                        "文件恢复后再生成一次即可（已完成的部门会沿用）")]) from None
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise ContentError([Problem(self.name, None, "", "文件在生成过程中被改动，本次生成未完成；"
                                        "改完后再生成一次即可（已完成的部门会沿用）")])
        return replace(self, text=data.decode("utf-8"))


@dataclass(frozen=True)
class Job:
    year: int
    id: str
    source: SourceFile
    previous: SourceFile | None  # the same department's file for year - 1, if there is one

    def loaded(self, read: Callable[[SourceFile], SourceFile] = SourceFile.loaded) -> "Job":
        """The job with its files' texts, to hand out (see ``SourceFile.loaded``)."""
        previous = read(self.previous) if self.previous is not None else None
        return replace(self, source=read(self.source), previous=previous)


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
            department = load_source(job.source.loaded(), settings)  # a job sent to a cluster has its text already
        out.name = department.name
        with clock("compute"):
            computed = compute(department)
            _remember(_memo_key(job.source, settings), _slim(computed))
            previous = _previous(job.previous, settings)
        with clock("check"):
            out.findings = check_computed(computed, previous, settings.tolerance)
        out.refused = not settings.draft and any(f.severity == ERROR for f in out.findings)
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


def load_source(source: SourceFile, settings: Settings):
    """The department of one file, validated, its profile applied; ContentError lists every problem."""
    department = read_department(load_yaml_text(source.text, source.name), source.stem)
    if str(department.year) != source.year_folder:
        raise ContentError([department.source.problem(("year",), "文件所在年度目录与 year 字段不一致",
                                                      source.year_folder, str(department.year))])
    content_dir = Path(settings.content_dir) if settings.content_dir else None
    apply_profile(department, settings.profile, settings.config.profile, content_dir)
    return department


def _previous(source: SourceFile | None, settings: Settings) -> Computed | None:
    """Last year's figures for the previous-year rules; a broken file there is its own job's problem."""
    if source is None:
        return None
    key = _memo_key(source, settings)
    if key not in _RECENT:  # computed by last year's own job (the key has its digest), or read now
        loaded = source.loaded()  # a file edited since planning is this job's problem too: not in the try
        try:
            _remember(key, _slim(compute(load_source(loaded, settings))))
        except ContentError:
            return None
    return _RECENT[key]


# Jobs go out sorted by department and year, so a worker has usually just computed last year's file.
_RECENT: OrderedDict[tuple, Computed] = OrderedDict()
_RECENT_SIZE = 8


def _slim(computed: Computed) -> Computed:
    """The figures without what rendering caches on them (grids: thousands of cells) for the memo: the
    previous-year rules read only tables and the department, and every garbage collection walks what is kept."""
    return replace(computed)


def forget(jobs: list[Job], settings: Settings) -> None:
    """Drop these jobs' figures (and their previous years') from the memo once their batch is done: a batch is
    all the years of one department, so no other batch reads them, and kept they would only lengthen every
    garbage collection of the batches to come."""
    for job in jobs:
        for source in (job.source, job.previous):
            if source is not None:
                _RECENT.pop(_memo_key(source, settings), None)


def _memo_key(source: SourceFile, settings: Settings) -> tuple:
    return source.name, source.digest, settings.content_dir, settings.profile, settings.config.profile


def _remember(key: tuple, computed: Computed) -> None:
    _RECENT[key] = computed
    _RECENT.move_to_end(key)
    while len(_RECENT) > _RECENT_SIZE:
        _RECENT.popitem(last=False)


@contextmanager
def timed(seconds: dict[str, float], stage: str):
    """Adds the wall time of the block to ``seconds[stage]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
