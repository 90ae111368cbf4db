"""Incremental builds: a department whose inputs did not change is not rendered again.

A department-year's key hashes everything its files depend on: its own file's content, the
content of its file for the year before (the previous-year rules read it), the build's
settings (site.yaml but its static folder, --draft, --no-pdf, --tolerance, --profile), the user's templates
and profiles, and the tool itself (its code, templates and data, not just its version
number). Not the build's time (nor SOURCE_DATE_EPOCH): an unchanged department keeps the day
it was generated, which its page, the sitemap's lastmod and the feed show (see ``render.pagemeta``).
The static folder's files are no department's input either: every build copies them afresh
(see ``static``), so the next build, incremental or not, publishes a changed one.

The record of the last build lives beside the site, in ``.<site>.cache.json``, never inside
it (nothing private is deployed). An unchanged department's files are taken from the
previous site by hard link, after their sizes and times (or, failing that, their SHA-256)
are found to be those recorded.

A build that fails (a bad file among a thousand, a worker killed, Ctrl+C) publishes nothing,
but the departments it finished are kept beside the site, in ``.<site>.partial/`` with
their record in ``.<site>.partial.json``: the next build takes them from there as from the
last site, so fixing one file and building again renders that file, not the province. A
successful build removes them.

A department that a final build refuses (its checks found 错误) keeps the pages the last
final build published, if they are still intact in the site: they are taken into the new
site, and their record is kept as it was, so the next build keeps them again while the file
is still wrong and renders it once it changes (see ``BuildCache.published_before``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, fields, replace
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from generator import __version__
from generator.checks.findings import Finding
from generator.pipeline.departments import Job
from generator.pipeline.jobs import Outcome
from generator.pipeline.settings import Settings
from generator.pipeline.staging import replaced_whole
from generator.render.siteindex import Entry
from generator.resources import BUILTIN_TEMPLATES, PACKAGE

FORMAT = 2  # 2: an index entry carries its dates


def cache_file(out_dir: Path) -> Path:
    return _beside(out_dir, ".cache.json")


def partial_dir(out_dir: Path) -> Path:
    """Where a failed build keeps the departments it finished."""
    return _beside(out_dir, ".partial")


def partial_file(out_dir: Path) -> Path:
    return _beside(out_dir, ".partial.json")


def _beside(out_dir: Path, suffix: str) -> Path:
    """``.<site><suffix>`` in the folder that holds the site: never deployed with it."""
    out = out_dir.resolve()
    return out.parent / f".{out.name}{suffix}"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool's own code, data and built-in templates: a changed template or rule invalidates the cache."""
    return _tree_digest((PACKAGE, BUILTIN_TEMPLATES), __version__)


def settings_fingerprint(settings: Settings) -> str:
    """Everything but the department files that the pages depend on (not the build time: see the module doc; nor the
    static folder, copied afresh by every build and linked by no page)."""
    shared = replace(settings, built_at=None, source_date_epoch=None, config=replace(settings.config, static=None))
    dirs = [Path(settings.template_dir)] if settings.template_dir else []
    if settings.content_dir:
        dirs.append(Path(settings.content_dir) / "profiles")
    return _tree_digest(tuple(dirs), tool_fingerprint(), repr(shared))


def job_key(fingerprint: str, job: Job) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    for source in (job.source, job.previous):
        if source is not None:
            digest.update(f"\0{source.name}\0{source.digest}".encode())
    return digest.hexdigest()


def _tree_digest(roots: tuple[Path, ...], *extra: str) -> str:
    digest = hashlib.sha256("\0".join(extra).encode())
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"\0{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """The last build's record: per department-year its key, outcome and files (size, time, SHA-256); and the
    record of the departments a failed build since then finished."""

    def __init__(self, out_dir: Path, records: dict[str, dict] | None = None,
                 partial: dict[str, dict] | None = None, draft: bool = False) -> None:
        self.out_dir = out_dir.resolve()
        self.records = records or {}  # the last build's, files in the site
        self.partial = partial or {}  # a failed build's since, files in partial_dir
        self.draft = draft  # this build's pages are drafts: never kept for a final build's refused department
        self.fresh: dict[str, dict] = {}  # this build's, saved once its site is in place
        self._from_site: set[str] = set()  # departments of fresh taken from the last site

    @classmethod
    def load(cls, out_dir: Path, draft: bool = False) -> "BuildCache":
        return cls(out_dir, _records(cache_file(out_dir)), _records(partial_file(out_dir)), draft)

    def reuse(self, key: str, job: Job) -> tuple[Outcome, dict[str, tuple[Path, int, str]]] | None:
        """For an unchanged department: its recorded outcome, and its files (path, size, SHA-256) in the previous
        site or in what a failed build kept, if they are all intact; the record is kept for the next build."""
        name = _name(job)
        for records, folder in ((self.records, self.out_dir), (self.partial, partial_dir(self.out_dir))):
            record = records.get(name)
            if record and record.get("key") == key:
                files = _intact_files(record, folder)
                if files is not None:
                    self.fresh[name] = record
                    if records is self.records:
                        self._from_site.add(name)
                    return outcome_from(record["outcome"]), files
        return None

    def remember(self, key: str, job: Job, outcome: Outcome, written: dict[str, tuple[int, str]],
                 site: Path) -> None:
        """Record a rendered department; ``written`` has each file's size and SHA-256, ``site`` holds them."""
        stats = {rel: (size, os.stat(os.path.join(site, rel)).st_mtime_ns, sha) for rel, (size, sha) in written.items()}
        self.fresh[_name(job)] = {"key": key, "outcome": outcome_record(outcome), "files": stats, "draft": self.draft}

    def published_before(self, year: int, dept_id: str) -> tuple[Outcome, dict[str, tuple[Path, int, str]]] | None:
        """For a department this final build refused: what the last final build published of it (its outcome, with
        the index entry, and its files in the site) if they are all intact; its record is kept for the next build."""
        name = f"{year}/{dept_id}"
        record = self.records.get(name)
        if not record or record.get("draft") is not False or record["outcome"]["refused"] \
                or not record["outcome"]["entry"]:
            return None
        files = _intact_files(record, self.out_dir)
        if files is None:
            return None
        self.fresh[name] = record
        self._from_site.add(name)
        return outcome_from(record["outcome"]), files

    def save(self) -> None:
        """This build's record, once its site is in place; what a failed build kept is not needed any more."""
        _write_records(cache_file(self.out_dir), self.fresh)
        self._drop_partial()

    def keep_partial(self, staging: Path) -> int:
        """After a failed build: keep the departments it finished (``staging``, the site it was writing, holds
        their files) for the next build; return how many. Those kept by an earlier failure are replaced; those
        taken unchanged from the last site need no keeping, the site is still there."""
        kept = {name: record for name, record in self.fresh.items() if name not in self._from_site}
        try:
            self._drop_partial()
            if kept:
                os.rename(staging, partial_dir(self.out_dir))
                _write_records(partial_file(self.out_dir), kept)
                return len(kept)
        except OSError:  # keeping is a convenience (the failure being reported matters), and a full disk wants room
            shutil.rmtree(partial_dir(self.out_dir), ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        return 0

    def _drop_partial(self) -> None:
        partial_file(self.out_dir).unlink(missing_ok=True)
        shutil.rmtree(partial_dir(self.out_dir), ignore_errors=True)


def kept_departments(out_dir: Path) -> int:
    """How many departments a failed build kept for the next one."""
    return len(_records(partial_file(out_dir))) if partial_dir(out_dir).is_dir() else 0


def _records(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT and isinstance(data.get("departments"), dict):
            return data["departments"]
    except (OSError, ValueError, AttributeError):
        pass  # no record, or one from another version: build everything
    return {}


def _write_records(path: Path, records: dict[str, dict]) -> None:
    """``{"departments": {...}, "format": …, "generator": …}``, as ``json.dumps(sort_keys=True)`` lays it out,
    written one department at a time: a province's record is tens of megabytes, and one ``dumps`` of it
    would hold several times that in memory."""
    with replaced_whole(path) as out:
        out.write(b'{"departments": {')
        separator = b""
        for name in sorted(records):
            out.write(separator + f"{_json(name)}: {_json(records[name])}".encode())
            separator = b", "
        out.write(f'}}, "format": {FORMAT}, "generator": {_json(f"juesuan {__version__}")}}}\n'.encode())


_json = partial(json.dumps, ensure_ascii=False, sort_keys=True)


def _name(job: Job) -> str:
    return f"{job.year}/{job.id}"


def _intact_files(record: dict, folder: Path) -> dict[str, tuple[Path, int, str]] | None:
    """A record's files in ``folder`` (path, size, SHA-256), or None if any is missing or changed."""
    files = {}
    for rel, (size, mtime, sha) in record["files"].items():
        path = folder / rel
        if not _intact(path, size, mtime, sha):
            return None
        files[rel] = (path, size, sha)
    return files


def _intact(path: Path, size: int, mtime: int, sha: str) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if stat.st_size != size:
        return False
    if stat.st_mtime_ns == mtime:
        return True
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha


# ---- outcomes as JSON ------------------------------------------------------------------------

def outcome_record(outcome: Outcome) -> dict:
    return {"year": outcome.year, "id": outcome.id, "source": outcome.source, "name": outcome.name,
            "refused": outcome.refused, "findings": [_finding_record(f) for f in outcome.findings],
            "entry": asdict(outcome.entry) if outcome.entry else None}


def outcome_from(record: dict) -> Outcome:
    entry = Entry(**record["entry"]) if record["entry"] else None
    return Outcome(record["year"], record["id"], record["source"], record["name"],
                   findings=[_finding_from(f) for f in record["findings"]], refused=record["refused"], entry=entry)


_DECIMAL_FIELDS = ("expected", "found")


def _finding_record(finding: Finding) -> dict:
    record = asdict(finding)
    for name in _DECIMAL_FIELDS:
        if record[name] is not None:
            record[name] = str(record[name])
    return record


def _finding_from(record: dict) -> Finding:
    values = {f.name: record.get(f.name) for f in fields(Finding)}
    for name in _DECIMAL_FIELDS:
        if values[name] is not None:
            values[name] = Decimal(values[name])
    return Finding(**values)
