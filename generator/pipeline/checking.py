"""Checking department files (``juesuan check``, and the commands that check one file first).

Every file goes through the same loader as a build (``departments``), with the settings of its content
directory, so a file that ``check`` passes is one that ``build`` publishes.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from generator.checks.findings import ERROR, WARNING, Finding
from generator.checks.runner import check_computed
from generator.compute.figures import Computed
from generator.errors import ContentError, Problem, debugging, internal_problem
from generator.pipeline.departments import (
    computed_department,
    content_root,
    named_files,
    plan,
    previous_computed,
    unread_files,
)
from generator.pipeline.pagetext import page_text
from generator.pipeline.settings import Settings, resolve_settings


@dataclass
class Report:
    """Findings by department file, in the order the files were given."""

    results: list[tuple[Computed, list[Finding]]] = field(default_factory=list)
    unread: list[Problem] = field(default_factory=list)  # YAML files the layout leaves out (departments.unread_files)

    @property
    def findings(self) -> list[Finding]:
        return [f for _, found in self.results for f in found]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return self.count(ERROR) > 0 or (strict and self.count(WARNING) > 0)


def check_files(paths: list[Path], only: str | None = None, settings: "SettingsByRoot | None" = None) -> Report:
    """Load every file (raising ContentError with all load problems), then run the rules (``only``: one rule).

    Each file is read, given its profile and computed as a build would (``departments``), with the settings of
    its content directory (``settings``: the command line's options, resolved once per directory)."""
    jobs = plan(named_files(paths))
    settings = settings or SettingsByRoot()
    problems: list[Problem] = []
    computed: dict[str, Computed] = {}
    for job in jobs:
        with _collected(problems, job.source.name, "读取和计算时"):
            computed[job.source.name] = computed_department(job.source, settings.of(Path(job.source.path)))
    if problems:
        raise ContentError(problems)
    report = Report(unread=unread_files(paths))
    for job in jobs:
        with _collected(problems, job.source.name, "审核时"):
            s = settings.of(Path(job.source.path))
            last = job.previous
            previous = (computed.get(last.name) or previous_computed(last, s)) if last is not None else None
            c = computed[job.source.name]
            text = page_text(c, s.config, s.template_dir)
            report.results.append((c, check_computed(c, previous, s.tolerance, only, page_text=text)))
    if problems:
        raise ContentError(problems)
    return report


class SettingsByRoot:
    """The settings of each content directory a run's files come from, resolved once per directory."""

    def __init__(self, **options) -> None:
        """``options``: the command line's, as ``resolve_settings`` takes them."""
        self.options = options
        self.resolved: dict[Path, Settings] = {}

    def of(self, path: Path) -> Settings:
        root = content_root(path)
        if root not in self.resolved:
            self.resolved[root] = resolve_settings(root, **self.options)
        return self.resolved[root]


def load_computed(path: Path, profile: str | None = None) -> Computed:
    """One department file, loaded, given its profile and computed, as a build of its content directory would."""
    job = plan([path])[0]
    return computed_department(job.source, resolve_settings(content_root(path), profile=profile))


@contextmanager
def _collected(problems: list[Problem], name: str, during: str) -> Iterator[None]:
    """A file's problems, and a defect it runs into (located by the file), go to ``problems``: every file is looked at."""
    try:
        yield
    except ContentError as exc:
        problems.extend(exc.problems)
    except Exception as exc:
        if debugging():
            raise
        problems.append(internal_problem(exc, name, during))
