"""The build pipeline: load and validate everything, compute, render, write atomically."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from .compute import Computed, compute
from .errors import ContentError, Problem
from .model import Department
from .render import BUILTIN_TEMPLATES, render_department
from .schema import load_department

ASSETS = ("juesuan.css",)


@dataclass
class BuildResult:
    out_dir: Path
    pages: list[str]


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
    root = root or Path.cwd()
    for path in discover(content_dir):
        name = _display(path, root)
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


def render_site(computed: list[Computed], template_dir: Path | None = None) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    tdir = str(template_dir) if template_dir else None
    for c in computed:
        d = c.department
        try:
            page = render_department(c, tdir)
        except TemplateError as exc:
            raise ContentError([_template_problem(exc, d)]) from None
        files[f"{d.year}/{d.id}/index.html"] = page.encode("utf-8")
    for asset in ASSETS:
        override = template_dir / "assets" / asset if template_dir else None
        source = override if override and override.exists() else BUILTIN_TEMPLATES / "assets" / asset
        files[f"assets/{asset}"] = source.read_bytes()
    return files


def build(content_dir: Path, out_dir: Path, template_dir: Path | None = None) -> BuildResult:
    from .writer import write_site

    departments = load_all(content_dir)
    computed = [compute(d) for d in departments]
    files = render_site(computed, template_dir)
    write_site(out_dir, files)
    return BuildResult(out_dir, sorted(k for k in files if k.endswith(".html")))


def _template_problem(exc: TemplateError, dept: Department) -> Problem:
    """A template error (usually in a user's override) as a located message."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "模板"
    line = getattr(exc, "lineno", None)
    # Runtime errors carry no location; Jinja rewrites the traceback so that its
    # last template frame names the template file and line.
    template_frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if line is None and template_frames:
        name, line = template_frames[-1].filename, template_frames[-1].lineno
    if isinstance(exc, UndefinedError):
        message = f"模板引用了不存在的数据：{exc.message}"
    elif isinstance(exc, TemplateSyntaxError):
        message = f"模板语法错误：{exc.message}"
    elif isinstance(exc, TemplateNotFound):
        message = f"找不到模板 {exc.name}"
    else:
        message = f"模板出错：{exc}"
    return Problem(str(name), line, "", f"{message}（生成 {dept.year} 年度 {dept.name} 时）")


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
