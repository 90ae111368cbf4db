"""Running the checks over department files: finding last year, collecting findings."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from generator.checks.engine import Context
from generator.checks.findings import DEFAULT_TOLERANCE, ERROR, WARNING, Finding
from generator.checks.runner import run_checks
from generator.compute.tables import Computed, compute
from generator.content.department import load_department
from generator.errors import (
    ContentError,
    Problem,
    debugging,
    display_path,
    internal_problem,
)
from generator.forms.profiles import apply_profile


@dataclass
class Report:
    """Findings by department file, in the order the files were given."""

    results: list[tuple[Computed, list[Finding]]] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for _, found in self.results for f in found]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return self.count(ERROR) > 0 or (strict and self.count(WARNING) > 0)


def department_files(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and every <year>/<id>.yaml below named directories."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*/*.yaml") if p.parent.name.isdigit())
            files += sorted(p for p in path.glob("*.yaml") if path.name.isdigit())
        elif path.is_file():
            files.append(path)
        else:
            raise ContentError([Problem(str(path), None, "", "找不到该文件或目录", "部门数据文件或内容目录", str(path))])
    return files


def previous_year_file(path: Path, computed: Computed) -> Path | None:
    d = computed.department
    candidate = path.parent.parent / str(d.year - 1) / f"{d.id}.yaml"
    return candidate if path.parent.name == str(d.year) and candidate.exists() else None


def check_computed(computed: Computed, previous: Computed | None = None, tolerance: Decimal = DEFAULT_TOLERANCE,
                   only: str | None = None) -> list[Finding]:
    return run_checks(Context(computed, tolerance, previous), only)


def check_files(paths: list[Path], tolerance: Decimal = DEFAULT_TOLERANCE, only: str | None = None,
                profile: str | None = None) -> Report:
    """Load every file (raising ContentError with all load problems), then run the rules.

    Each file gets its province profile as a build would give it: ``profile`` (--profile), else the
    file's own, else its content directory's site.yaml.
    """
    files = department_files(paths)
    problems: list[Problem] = []
    loaded: list[tuple[Path, Computed]] = []
    site_profiles: dict = {}
    for path in files:
        with _collected(problems, path, "读取和计算时"):
            loaded.append((path, load_computed(path, profile, site_profiles)))
    if problems:
        raise ContentError(problems)
    report = Report()
    for path, computed in loaded:
        with _collected(problems, path, "审核时"):
            last_path = previous_year_file(path, computed)
            previous = load_computed(last_path, profile, site_profiles) if last_path else None
            report.results.append((computed, check_computed(computed, previous, tolerance, only)))
    if problems:
        raise ContentError(problems)
    return report


@contextmanager
def _collected(problems: list[Problem], path: Path, during: str) -> Iterator[None]:
    """A file's problems, and a defect it runs into (located by the file), go to ``problems``: every file is looked at."""
    try:
        yield
    except ContentError as exc:
        problems.extend(exc.problems)
    except Exception as exc:
        if debugging():
            raise
        problems.append(internal_problem(exc, display_path(path), during))


def load_computed(path: Path, profile: str | None = None, site_profiles: dict | None = None) -> Computed:
    """One department file, loaded, given its profile and computed.

    ``site_profiles`` caches each content directory's site.yaml profile across the files of one run.
    """
    from generator.content.siteconfig import load_config

    dept = load_department(path, display_path(path))
    root = content_root(path)
    cache = site_profiles if site_profiles is not None else {}
    if root not in cache:
        cache[root] = load_config(root).profile
    apply_profile(dept, profile, cache[root], root)
    return compute(dept)


def content_root(path: Path) -> Path:
    """The content directory of a department file content/<year>/<id>.yaml (where site.yaml lives)."""
    folder = path.parent
    return folder.parent if folder.name.isdigit() else folder

