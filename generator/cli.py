"""The ``juesuan`` command line: a thin layer over plain functions."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import ContentError


def _fail(exc: ContentError) -> None:
    for problem in exc.problems:
        click.echo(problem.format(), err=True)
    click.echo(f"共发现 {len(exc.problems)} 个问题，未生成任何文件。", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message="juesuan %(version)s")
def main() -> None:
    """部门决算公开生成工具：由 YAML 数据生成标准的部门决算公开网页。"""


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="内容目录（<年度>/<部门标识>.yaml）。")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="输出目录。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="自定义模板目录，优先于内置模板；用 builtin/ 前缀引用内置原模板。")
def build(content_dir: Path, out_dir: Path, template_dir: Path | None) -> None:
    """生成全部部门的公开网页。"""
    from .build import build as run_build

    started = time.perf_counter()
    try:
        result = run_build(content_dir, out_dir, template_dir)
    except ContentError as exc:
        _fail(exc)
        return
    for page in result.pages:
        click.echo(f"已生成 {out_dir / page}")
    click.echo(f"完成：{len(result.pages)} 个页面，用时 {time.perf_counter() - started:.2f} 秒。")
