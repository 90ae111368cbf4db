"""`juesuan build`: the whole site, with a progress bar."""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import click

from generator.checks.findings import ERROR, WARNING
from generator.commands.options import (
    CONTENT,
    FAILED,
    INTERRUPTED,
    IO_ERROR,
    NORMAL,
    PROFILE,
    TEMPLATES,
    TOLERANCE,
    VERBOSE,
    VERBOSITY,
    detail,
    fail,
    io_failure,
    notify,
    say,
    verbosity,
)
from generator.errors import ContentError, debugging
from generator.pipeline.build import build as run_build
from generator.pipeline.departments import unread_files
from generator.pipeline.record import kept_departments
from generator.pipeline.sitelock import SiteBusy


@click.command()
@CONTENT
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="输出目录。")
@TEMPLATES
@click.option("--draft", is_flag=True, help="草稿：审核有错误的部门也生成，页面和 PDF 上列出问题，PDF 加“仅供内部审核”水印。")
@click.option("--no-pdf", "no_pdf", is_flag=True, help="只生成网页，不生成 PDF（预览时更快）。")
@click.option("--base-url", "base_url", default=None, metavar="URL",
              help="网站的正式地址，如 https://www.example.gov.cn/juesuan/；用于规范链接、网站地图和订阅源，未配置时不生成后两者（默认取 site.yaml 的 site.base_url）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="同时生成的进程数，默认为 CPU 核数；结果与逐个生成完全相同。")
@click.option("--executor", default=None, metavar="dask://主机:端口",
              help="交给已有的 Dask 集群生成（各工作进程需安装同一版本的 juesuan）；网站仍由本机写出。")
@click.option("--force", is_flag=True, help="全部重新生成，不沿用上次生成中未改动部门的结果。")
@click.option("--strict", is_flag=True,
              help="严格：审核有警告的部门也不发布（与有错误的部门一样，网站上保留它上次发布的版本），退出码为 1；"
                   "不能与 --draft 同时使用。")
@PROFILE
@TOLERANCE
@VERBOSITY
def build(content_dir: Path, out_dir: Path, template_dir: Path | None, draft: bool, no_pdf: bool,
          base_url: str | None, jobs: int | None, executor: str | None, force: bool, strict: bool,
          profile: str | None, tolerance: Decimal) -> None:
    """生成全部部门的公开网页和 PDF（先审核；正式生成时跳过有错误的部门）。

    --quiet 只输出错误（未发布的部门、无法使用的文件）和最后一行汇总；--verbose 另外逐个列出生成的部门（含文件和
    已用时间）和写出的网页、PDF 个数。

    退出码：0 全部部门已发布；1 有部门审核有错误（--strict 时含警告）未发布（它上次发布的版本保留在网站上），
    或有文件无法使用、另一个生成正在写入同一输出目录（此时网站未作任何改动）；2 命令用法错误；74 无法读写文件；
    130 被中断。

    \b
    示例：
      juesuan build
      juesuan build --draft --no-pdf --out /tmp/草稿
      juesuan build --strict --base-url https://www.example.gov.cn/juesuan/
      juesuan build -j 4 --quiet
    """

    if strict and draft:
        raise click.UsageError("--strict 不能与 --draft 同时使用：草稿照常生成有问题的部门，并在页面上列出问题。")
    started = time.perf_counter()
    progress = Progress(verbosity(), started)
    try:
        result = run_build(content_dir, out_dir, template_dir, draft=draft, tolerance=tolerance, pdf=not no_pdf,
                           base_url=base_url, progress=progress.start, profile=profile,
                           jobs=jobs or os.cpu_count() or 1, executor=executor, force=force, strict=strict)
    except SiteBusy as exc:
        progress.close()
        fail(exc, what="网站未作任何改动")
        return
    except ContentError as exc:
        progress.close()
        fail(exc, what=_unpublished(out_dir))
        return
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"\n已中断：{_unpublished(out_dir)}。", err=True)
        sys.exit(INTERRUPTED)
    except OSError as exc:
        if debugging():
            raise
        progress.close()
        click.echo(f"{io_failure(exc)}，{_unpublished(out_dir)}。", err=True)
        sys.exit(IO_ERROR)
    progress.close()
    findings = [f for found in result.findings.values() for f in found]
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    kept = {(dept.year, dept.id) for dept in result.kept}
    notify(unread_files([content_dir]))
    for dept in result.refused:
        stays = "网站上保留上次发布的版本；" if (dept.year, dept.id) in kept else ""
        found = "审核有错误" if any(f.severity == ERROR for f in dept.findings) else "审核有警告（--strict）"
        check = f"juesuan check --strict {dept.source}" if strict else f"juesuan check {dept.source}"
        click.echo(f"未发布：{dept.year} 年度 {dept.name}（{dept.source}）{found}，{stays}"
                   f"请运行 {check} 查看，或用 --draft 生成草稿。", err=True)
    for warning in result.warnings:
        say(f"警告：{warning}。", err=True)
    detail(f"写出网页 {sum(1 for p in result.pages if p.endswith('.html'))} 个、"
           f"PDF {sum(1 for p in result.pages if p.endswith('.pdf'))} 个")
    mode = "草稿" if draft else "正式"
    pdfs = sum(1 for p in result.pages if p.endswith(".pdf"))
    reused = f"（其中 {result.reused} 个未改动，沿用上次结果）" if result.reused else ""
    names = "、".join(f"{dept.year}/{dept.id}" for dept in result.kept)
    stayed = f"（保留上次发布的版本：{names}）" if names else ""
    click.echo(f"完成（{mode}）：{progress.done} 个部门{reused}、{pdfs} 个 PDF，审核错误 {errors} 个、警告 {warnings} 个，"
               f"未发布 {len(result.refused)} 个部门{stayed}，用时 {time.perf_counter() - started:.2f} 秒。"
               f"网站首页：{out_dir / 'index.html'}")
    if result.refused:
        sys.exit(FAILED)


def _unpublished(out_dir: Path) -> str:
    """What a failed build left: the site as it was, and the departments kept for the next build."""

    kept = kept_departments(out_dir)
    return "网站未作任何改动" + (f"；已完成的 {kept} 个部门已保留，再次生成时直接沿用，不必重新生成" if kept else "")


class Progress:
    """A progress bar on a terminal; one plain line per department elsewhere (CI logs) and with --verbose (with the
    time since the start); nothing with --quiet."""

    def __init__(self, level: int, started: float) -> None:
        self.done = 0
        self.bar = None
        self.level = level
        self.started = started

    def start(self, total: int):
        if sys.stderr.isatty() and self.level == NORMAL:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="生成", unit="个部门", file=sys.stderr, leave=False)

        def step(dept) -> None:
            self.done += 1
            if self.bar is not None:
                self.bar.set_postfix_str(f"{dept.year} {dept.id}", refresh=False)
                self.bar.update(1)
            elif self.level == VERBOSE:
                click.echo(f"[{self.done}/{total}] {dept.year} 年度 {dept.name}（{dept.source}，"
                           f"已用 {time.perf_counter() - self.started:.2f} 秒）")
            elif self.level == NORMAL:
                click.echo(f"[{self.done}/{total}] {dept.year} 年度 {dept.name}")
        return step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
