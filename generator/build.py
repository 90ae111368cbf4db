"""The build pipeline: load and validate everything, compute, render, write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable
from decimal import Decimal
from pathlib import Path

from jinja2 import TemplateError

from .charts import chart_files, charts_for
from .check import check_computed
from .checks import DEFAULT_TOLERANCE, ERROR, Finding
from .compute import Computed, compute
from . import __version__
from .config import SiteConfig, checked_base_url, load_config
from .errors import ContentError, Problem, display_path
from .model import Department
from .opendata import data_links, open_data_files
from .pdf import build_time, download_name, pdf_filename, render_pdf
from .render import BUILTIN_TEMPLATES, PdfLink, environment, render_department, template_problem
from .profiles import apply_profile
from .schema import load_department
from .site import INDEX, Entry, site_pages
from .writer import check_output_dir, with_manifest, write_site

ASSETS = ("juesuan.css", "filter.js")


def with_base_url(config: SiteConfig, base_url: str | None) -> SiteConfig:
    """The --base-url option, checked like the config's own, overrides site.base_url."""
    if base_url is None:
        return config
    problems = []
    url = checked_base_url(base_url, lambda message, expected, found: problems.append(
        Problem("--base-url", None, "", message, expected, found)))
    if problems:
        raise ContentError(problems)
    return replace(config, site=replace(config.site, base_url=url))


@dataclass
class BuildResult:
    out_dir: Path
    pages: list[str]
    findings: dict[tuple[int, str], list[Finding]] = field(default_factory=dict)
    refused: list[Department] = field(default_factory=list)  # not published: check errors in a final build


def discover(content_dir: Path) -> list[Path]:
    """Department files: content/<year>/<id>.yaml."""
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), None, "", "内容目录不存在",
                                    "包含 <年度>/<部门标识>.yaml 的目录", str(content_dir))])
    return sorted(p for p in content_dir.glob("*/*.yaml") if p.parent.name.isdigit())


def load_all(content_dir: Path, root: Path | None = None) -> list[Department]:
    """Load every department file, collecting the problems of all of them before failing."""
    problems: list[Problem] = []
    departments: list[Department] = []
    for path in discover(content_dir):
        try:
            departments.append(load_one(path, root))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return departments


def load_one(path: Path, root: Path | None = None) -> Department:
    """One department file content/<year>/<id>.yaml, its year agreeing with its folder."""
    dept = load_department(path, display_path(path, root))
    if str(dept.year) != path.parent.name:
        raise ContentError([dept.source.problem(("year",), "文件所在年度目录与 year 字段不一致",
                                                path.parent.name, str(dept.year))])
    return dept


def render_site(computed: list[Computed], config: SiteConfig, template_dir: Path | None = None,
                findings: dict[tuple[int, str], list[Finding]] | None = None, draft: bool = False,
                pdf: bool = True, progress: Callable[[Department], None] | None = None,
                jobs: int = 1) -> dict[str, bytes]:
    """Every department's page, PDF and open data, the site's indexes, and the shared assets.

    With ``jobs`` > 1 the departments render in that many worker processes; the files are the same.
    """
    files: dict[str, bytes] = {}
    tdir = str(template_dir) if template_dir else None
    built_at = build_time()
    tasks = [(c, config, tdir, (findings or {}).get((c.department.year, c.department.id), []), draft, pdf, built_at)
             for c in computed]
    entries, problems = [], []
    for c, (department_files, entry, failed) in zip(computed, _render_all(tasks, jobs)):
        problems += failed
        files.update(department_files)
        if entry is not None:
            entries.append(entry)
        if progress:
            progress(c.department)
    if problems:
        raise ContentError(problems)
    return files | site_files(config, template_dir, entries)


def site_files(config: SiteConfig, template_dir: Path | None, entries: list[Entry]) -> dict[str, bytes]:
    """The shared assets and the site's own pages (indexes, 404, sitemap, data index)."""
    assets = {f"assets/{name}": asset(template_dir, name) for name in ASSETS}
    env = environment(str(template_dir) if template_dir else None)
    try:
        return assets | site_pages(env, config, entries, assets["assets/juesuan.css"].decode("utf-8"))
    except TemplateError as exc:
        raise ContentError([template_problem(exc)]) from None


def _render_all(tasks: list[tuple], jobs: int):
    """Each department's (files, entry, problems), in order: in this process, or in ``jobs`` workers."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (render_one(task) for task in tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        yield from pool.map(render_one, tasks)


def render_one(task: tuple) -> tuple[dict[str, bytes], Entry | None, list[Problem]]:
    """Render one department (the arguments of render_department_files); problems come back as data,
    since they cross process boundaries and tracebacks do not."""
    c = task[0]
    try:
        files, entry = render_department_files(*task)
        return files, entry, []
    except TemplateError as exc:
        return {}, None, [template_problem(exc, c.department)]
    except ContentError as exc:
        return {}, None, exc.problems


def render_department_files(c: Computed, config: SiteConfig, template_dir: str | None, findings: list[Finding],
                            draft: bool, pdf: bool, built_at) -> tuple[dict[str, bytes], Entry]:
    """One department-year's folder: page, PDF, open data; and its entry in the site's indexes."""
    d = c.department
    folder = f"{d.year}/{d.id}/"
    charts = charts_for(c, config)
    files: dict[str, bytes] = {folder + name: svg for name, svg in chart_files(charts).items()}
    entry_files = {"page": folder + INDEX}
    document = data = None
    if pdf:
        rendered = render_pdf(c, config.pdf, template_dir=template_dir, findings=findings, draft=draft,
                              built_at=built_at, show=config.show, charts=charts)
        files[folder + pdf_filename(c)] = rendered.data
        entry_files["pdf"] = folder + pdf_filename(c)
        document = PdfLink(pdf_filename(c), download_name(c), len(rendered.data))
    if config.show.open_data:
        for name, content in open_data_files(c).items():
            files[folder + name] = content
        data = data_links(c)
        entry_files |= {"xlsx": folder + data.xlsx, "json": folder + data.json}
    page = render_department(c, config, template_dir, findings=findings, draft=draft, pdf=document, data=data,
                             charts=charts)
    files[folder + INDEX] = page.encode("utf-8")
    tables = {tid: folder + name for tid, name in data.tables.items()} if data else {}
    return files, Entry(d.year, d.id, d.name, entry_files, tables)


def asset(template_dir: Path | None, name: str) -> bytes:
    """A stylesheet or script: the user's override if there is one, else the built-in file."""
    override = template_dir / "assets" / name if template_dir else None
    source = override if override and override.exists() else BUILTIN_TEMPLATES / "assets" / name
    return source.read_bytes()


def build(content_dir: Path, out_dir: Path, template_dir: Path | None = None, draft: bool = False,
          tolerance: Decimal = DEFAULT_TOLERANCE, pdf: bool = True, base_url: str | None = None,
          progress: Callable[[int], Callable[[Department], None]] | None = None,
          profile: str | None = None, jobs: int = 1) -> BuildResult:
    """Load and validate everything, compute, check, render, then write atomically.

    A final build leaves out departments whose checks found 错误; a draft build
    publishes them with the problems listed on the page and in the PDF. ``progress(total)``,
    if given, returns a callback called after each department is rendered.
    """
    config = with_base_url(load_config(content_dir), base_url)
    template_dir = template_dir or config.templates
    check_output_dir(out_dir, [content_dir] + ([template_dir] if template_dir else []))
    departments = load_all(content_dir)
    for d in departments:
        apply_profile(d, profile, config.profile, content_dir)
    computed = {(d.year, d.id): compute(d) for d in departments}
    findings = {(year, dept_id): check_computed(c, computed.get((year - 1, dept_id)), tolerance)
                for (year, dept_id), c in computed.items()}
    refused = [c.department for key, c in computed.items()
               if not draft and any(f.severity == ERROR for f in findings[key])]
    publish = [c for c in computed.values() if c.department not in refused]
    files = render_site(publish, config, template_dir, findings, draft, pdf and config.show.pdf,
                        progress(len(publish)) if progress else None, jobs)
    write_site(out_dir, with_manifest(files, __version__, build_time()))
    return BuildResult(out_dir, sorted(k for k in files if k.endswith((".html", ".pdf"))), findings, refused)
