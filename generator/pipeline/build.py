"""The build pipeline: plan the jobs, run them (or take unchanged ones from the last build),
write the new site beside the old one and swap it in whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Callable

from generator import __version__
from generator.checks.findings import DEFAULT_TOLERANCE, Finding
from generator.content.siteconfig import CONFIG_NAME
from generator.errors import ContentError
from generator.pipeline.departments import Job, discover, plan
from generator.pipeline.executors import check_executor, open_executor, run_batches
from generator.pipeline.jobs import Outcome, timed
from generator.pipeline.record import BuildCache, job_key, settings_fingerprint
from generator.pipeline.search import write_search_index
from generator.pipeline.settings import Settings, resolve_settings
from generator.pipeline.sitelock import site_locked
from generator.pipeline.staging import Staging, check_output_dir
from generator.pipeline.static import static_files, write_static
from generator.render.outputs import site_files
from generator.render.pagemeta import FEED, ROBOTS, SITEMAP


@dataclass
class BuildResult:
    out_dir: Path
    pages: list[str]
    findings: dict[tuple[int, str], list[Finding]] = field(default_factory=dict)
    refused: list[Outcome] = field(default_factory=list)  # not published: check errors in a final build
    reused: int = 0  # departments taken unchanged from the last build
    seconds: dict[str, float] = field(default_factory=dict)  # the coordinator's own stages, for benchmarks
    kept: list[Outcome] = field(default_factory=list)  # of the refused: the last published version stays in the site
    warnings: list[str] = field(default_factory=list)  # what the site lacks (no base URL), foreign files not kept


def build(content_dir: Path, out_dir: Path, template_dir: Path | None = None, draft: bool = False,
          tolerance: Decimal = DEFAULT_TOLERANCE, pdf: bool = True, base_url: str | None = None,
          progress: Callable[[int], Callable[[Outcome], None]] | None = None,
          profile: str | None = None, jobs: int = 1, executor: str | None = None, force: bool = False,
          strict: bool = False) -> BuildResult:
    """Check and render every department, then swap the new site in whole.

    Each department-year is a job (load, compute, check, render; see ``jobs``) run here, in
    ``jobs`` worker processes, or on a Dask cluster (``executor``); one whose inputs did not
    change since the last build is taken from it (see ``record``) unless ``force``. A final build
    leaves out departments whose checks found 错误, or with ``strict`` 警告 (keeping the version it published last, if
    any); a draft build publishes them with the problems listed on the page and in the PDF. If
    any file or template cannot be used, nothing is written and every problem is reported. Files
    in the output folder that are not the tool's are kept (see ``foreign``). One build at a time
    writes a site (see ``sitelock``). The static folder's files are copied in as they are (see
    ``static``); robots.txt is generated unless the site has its own. ``progress(total)``, if given,
    returns a callback called with each department's outcome.
    """
    settings = resolve_settings(content_dir, template_dir=template_dir, profile=profile, base_url=base_url,
                                draft=draft, pdf=pdf, tolerance=tolerance, strict=strict)
    template_dir = _template_dir(settings)
    check_output_dir(out_dir, [content_dir] + [d for d in (template_dir, settings.config.static) if d])
    check_executor(executor)
    with site_locked(out_dir):
        return _build(content_dir, out_dir, settings, progress or _no_progress, jobs, executor, force)


def _build(content_dir: Path, out_dir: Path, settings: Settings, progress: Callable[[int], Callable[[Outcome], None]],
           jobs: int, executor: str | None, force: bool) -> BuildResult:
    """The build proper, the site's lock held."""
    seconds: dict[str, float] = {}
    clock = partial(timed, seconds)
    with clock("plan (read files, cache keys)"):
        planned = plan_jobs(content_dir)
        cache = BuildCache.load(out_dir, settings.draft)  # --force too: a refused department keeps its last version
        fingerprint = settings_fingerprint(settings)
        keys = {(job.year, job.id): job_key(fingerprint, job) for job in planned}
    step = progress(len(planned))
    with Staging(out_dir) as staging:
        try:
            outcomes, pending = ([], planned) if force else _take_unchanged(planned, keys, cache, staging, step)
            outcomes += _render_pending(pending, keys, cache, staging, settings, jobs, executor, step, clock)
            outcomes.sort(key=lambda o: (o.year, o.id))
            problems = list(dict.fromkeys(p for o in outcomes for p in o.problems))  # a file read by two jobs: once
            if problems:
                raise ContentError(problems)
            kept = _keep_published(outcomes, cache, staging)
            entries = [o.entry for o in outcomes + kept if o.entry is not None]
            with clock("indexes"):
                static = static_files(settings.config.static)
                robots = ROBOTS not in static and not staging.is_foreign(ROBOTS)  # the site's own robots.txt wins
                for rel, data in sorted(site_files(settings.config, _template_dir(settings), entries, settings.draft,
                                                   settings.built_at, robots).items()):
                    staging.write(rel, data)
            if settings.config.show.search:
                with clock("search index"):
                    write_search_index(staging)
            with clock("manifest and swap"):
                write_static(static, staging)  # last of the site's files: any path the tool took is refused
                warnings = site_warnings(content_dir, settings) + staging.keep_foreign()
        except BaseException:  # a bad file, a dead worker, Ctrl+C…: nothing is published, finished work is kept
            cache.keep_partial(staging.detach())
            raise
        pages = sorted(k for k in staging.digests if k.endswith((".html", ".pdf")))
        with clock("manifest and swap"):
            staging.commit((__version__, settings.built_at))
            cache.save()
    return BuildResult(out_dir, pages, {(o.year, o.id): o.findings for o in outcomes},
                       [o for o in outcomes if o.refused], len(planned) - len(pending), seconds, kept, warnings)


def site_warnings(content_dir: Path, settings: Settings) -> list[str]:
    """What the site lacks by its settings: without a base URL, the sitemap and the feed (their protocols want
    absolute addresses; a draft writes neither anyway)."""
    if settings.draft or settings.config.site.base_url:
        return []
    return [f"未配置网站正式地址，没有生成网站地图（{SITEMAP}）和订阅源（{FEED}），搜索引擎和订阅者找不到新公开的决算；"
            f"请在 {content_dir / CONFIG_NAME} 中写上 site: 下的 base_url: https://网站地址/（如 "
            f"https://www.example.gov.cn/juesuan/），或生成时加 --base-url https://网站地址/"]


def _template_dir(settings: Settings) -> Path | None:
    return Path(settings.template_dir) if settings.template_dir else None


def _no_progress(total: int) -> Callable[[Outcome], None]:
    return lambda outcome: None


def _keep_published(outcomes: list[Outcome], cache: BuildCache, staging: Staging) -> list[Outcome]:
    """For each refused department that the last final build published: its published files, linked into
    ``staging`` from the site; returns their outcomes as recorded then (with the entry for the indexes)."""
    kept = []
    for refused in (o for o in outcomes if o.refused):
        published = cache.published_before(refused.year, refused.id)
        if published is not None:
            outcome, files = published
            for rel, (path, size, sha) in files.items():
                staging.adopt(rel, path, size, sha)
            kept.append(outcome)
    return kept


def _take_unchanged(planned: list[Job], keys: dict, cache: BuildCache, staging: Staging,
                    step: Callable[[Outcome], None]) -> tuple[list[Outcome], list[Job]]:
    """The departments whose inputs did not change, linked into ``staging`` from the last site (or from what a failed
    build kept); returns their outcomes and the jobs left to render."""
    outcomes, pending = [], []
    for job in planned:
        reused = cache.reuse(keys[job.year, job.id], job)
        if reused is None:
            pending.append(job)
            continue
        outcome, files = reused
        for rel, (path, size, sha) in files.items():
            staging.adopt(rel, path, size, sha)
        outcomes.append(outcome)
        step(outcome)
    return outcomes, pending


def _render_pending(pending: list[Job], keys: dict, cache: BuildCache, staging: Staging, settings: Settings,
                    jobs: int, executor: str | None, step: Callable[[Outcome], None], clock) -> list[Outcome]:
    """Render ``pending`` here, in worker processes or on a cluster, writing each department into ``staging`` as it
    comes back and recording it in ``record``."""
    outcomes = []
    by_key = {(job.year, job.id): job for job in pending}
    batches = largest_first(by_department(pending))
    with open_executor(executor, jobs, len(batches)) as workers:
        for done in run_batches(batches, settings, workers):
            for outcome in done:
                with clock("write"):
                    written = {rel: staging.write(rel, data) for rel, data in sorted(outcome.files.items())}
                outcome.files = {}  # on disk now; a province's PDFs need not stay in memory
                if not outcome.problems:
                    key = (outcome.year, outcome.id)
                    cache.remember(keys[key], by_key[key], outcome, written, staging.path)
                outcomes.append(outcome)
                step(outcome)
    return outcomes


def plan_jobs(content_dir: Path) -> list[Job]:
    """One job per department file, with the same department's file for the year before if there is one; by
    department, then year (a worker has then usually just computed a job's previous year)."""
    return sorted(plan(discover(content_dir)), key=lambda job: (job.id, job.year))


def largest_first(batches: list[list[Job]]) -> list[list[Job]]:
    """The departments with the most text first (the longest to render), so that no worker starts a
    large one while the others run out of work. Ties keep the file order."""
    return sorted(batches, key=lambda batch: -sum(job.source.size for job in batch))


def by_department(jobs: list[Job]) -> list[list[Job]]:
    """Jobs grouped by department, years in order (``plan_jobs`` sorts them so)."""
    batches: list[list[Job]] = []
    for job in jobs:
        if batches and batches[-1][0].id == job.id:
            batches[-1].append(job)
        else:
            batches.append([job])
    return batches
