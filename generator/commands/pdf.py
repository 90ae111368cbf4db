"""`juesuan pdf`: one department's PDF for review."""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

import click

from generator.commands.options import (
    PROFILE,
    TEMPLATES,
    TOLERANCE,
    fail,
)
from generator.content.siteconfig import PDF_STANDARDS
from generator.errors import ContentError
from generator.pipeline.pdfpreview import preview_pdf


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="输出文件，默认为当前目录下的 <部门标识>-<年度>.pdf。")
@click.option("--draft", is_flag=True, help="草稿：加“仅供内部审核”水印，页脚注明草稿和生成时间；审核有错误也生成，并在封面后列出问题。")
@TEMPLATES
@click.option("--standard", type=click.Choice(PDF_STANDARDS), default=None,
              help="PDF 标准，默认取 site.yaml 的 pdf.standard（未配置时为 pdf/a-3a）。")
@PROFILE
@TOLERANCE
def pdf(path: Path, output: Path | None, draft: bool, template_dir: Path | None, standard: str | None,
        profile: str | None, tolerance: Decimal) -> None:
    """生成一个部门的 PDF，供审签前预览（正式 PDF 要求审核没有错误）。

    退出码：0 已生成，1 审核有错误（不能生成正式 PDF）或文件无法使用。

    \b
    示例：
      juesuan pdf content/2023/xianyang-rsj.yaml
      juesuan pdf content/2023/xianyang-rsj.yaml --draft -o 送审稿.pdf
    """

    started = time.perf_counter()
    try:
        result = preview_pdf(path, output, draft=draft, template_dir=template_dir, standard=standard,
                             tolerance=tolerance, profile=profile)
    except ContentError as exc:
        fail(exc, 1, "未生成 PDF")
        return
    if result.refused:
        for finding in result.errors:
            click.echo(finding.format(), err=True)
        click.echo(f"审核有 {len(result.errors)} 个错误，不能生成正式 PDF；改正后重试，或用 --draft 生成草稿。", err=True)
        sys.exit(1)
    kind = "草稿" if draft else "正式"
    click.echo(f"已生成{kind} PDF：{result.output}（{result.pages} 页，用时 {time.perf_counter() - started:.1f} 秒）")
