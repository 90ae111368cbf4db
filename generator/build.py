"""The build pipeline: load and validate everything, compute, render, write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jinja2 import TemplateError

from .check import check_computed
from .checks import DEFAULT_TOLERANCE, ERROR, Finding
from .compute import Computed, compute
from .config import PdfConfig, load_config
from .errors import ContentError, Problem, display_path
from .model import Department
from .pdf import build_time, download_name, pdf_filename, render_pdf
from .render import BUILTIN_TEMPLATES, PdfLink, render_department, template_problem
from .schema import load_department
from .writer import write_site

ASSETS = ("juesuan.css",)


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
        name = display_path(path, root)
        try:
            dept = load_department(path, name)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if str(dept.year) != path.parent.name:
            problems.append(dept.source.problem(("year",), "文件所在年度目录与 year 字段不一致",
                                                path.parent.name, str(dept.year)))
            continue
        departments.append(dept)
    if problems:
        raise ContentError(problems)
    return departments


def render_site(computed: list[Computed], template_dir: Path | None = None,
                findings: dict[tuple[int, str], list[Finding]] | None = None, draft: bool = False,
                pdf: PdfConfig | None = None) -> dict[str, bytes]:
    """Every department's page (and PDF, unless ``pdf`` is None) plus the shared assets."""
    files: dict[str, bytes] = {}
    tdir = str(template_dir) if template_dir else None
    built_at = build_time()
    for c in computed:
        d = c.department
        found = (findings or {}).get((d.year, d.id), [])
        folder = f"{d.year}/{d.id}"
        try:
            document = None
            if pdf:
                rendered = render_pdf(c, pdf, template_dir=tdir, findings=found, draft=draft, built_at=built_at)
                files[f"{folder}/{pdf_filename(c)}"] = rendered.data
                document = PdfLink(pdf_filename(c), download_name(c), len(rendered.data))
            page = render_department(c, tdir, findings=found, draft=draft, pdf=document)
        except TemplateError as exc:
            raise ContentError([template_problem(exc, d)]) from None
        files[f"{folder}/index.html"] = page.encode("utf-8")
    for asset in ASSETS:
        override = template_dir / "assets" / asset if template_dir else None
        source = override if override and override.exists() else BUILTIN_TEMPLATES / "assets" / asset
        files[f"assets/{asset}"] = source.read_bytes()
    return files


def build(content_dir: Path, out_dir: Path, template_dir: Path | None = None, draft: bool = False,
          tolerance: Decimal = DEFAULT_TOLERANCE, pdf: bool = True) -> BuildResult:
    """Load and validate everything, compute, check, render, then write atomically.

    A final build leaves out departments whose checks found 错误; a draft build
    publishes them with the problems listed on the page and in the PDF.
    """
    config = load_config(content_dir)
    computed = {(d.year, d.id): compute(d) for d in load_all(content_dir)}
    findings = {(year, dept_id): check_computed(c, computed.get((year - 1, dept_id)), tolerance)
                for (year, dept_id), c in computed.items()}
    refused = [c.department for key, c in computed.items()
               if not draft and any(f.severity == ERROR for f in findings[key])]
    publish = [c for c in computed.values() if c.department not in refused]
    files = render_site(publish, template_dir, findings, draft, config.pdf if pdf else None)
    write_site(out_dir, files)
    return BuildResult(out_dir, sorted(k for k in files if k.endswith((".html", ".pdf"))), findings, refused)
