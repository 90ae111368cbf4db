"""`juesuan audit`: published disclosure PDFs checked as a finance bureau reviews them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.audit.run import audit_pdf
from generator.checks.findings import ERROR, NOTICE, WARNING
from generator.commands.options import PROFILE
from generator.errors import ContentError


@click.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--strict", is_flag=True, help="有警告也视为不通过（退出码 1）。")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式；json 供汇总或持续集成使用。")
@click.option("--previous", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="上年PDF",
              help="同一部门上一年度的决算公开 PDF：核对本年情况说明所写的上年数（收支总计、财政拨款收支总计、"
                   "一般公共预算财政拨款支出、机关运行经费、“三公”经费）与上年公开的数是否一致。只审核一个 PDF 时可用。")
@PROFILE
def audit(pdfs: tuple[Path, ...], strict: bool, output: str, previous: Path | None, profile: str | None) -> None:
    """审核已公开（或报送）的部门决算 PDF：读出各表，按 juesuan check 的同一套规则核对表内、表间的数，
    并核对文件本身：表样的各表齐全并列入目录、部门名称和年度与封面一致、没有模板残留的占位文字和重复的标点。

    PDF 可由任何软件生成（本工具、Word、WPS 等）；扫描件没有文字层，不能审核。省份格式可用 --profile 指定，
    否则取文件中各表最吻合的内置格式。每个问题注明页、表、行和列。

    退出码：0 通过，1 有错误（--strict 时含警告）或有文件无法读取。

    \b
    示例：
      juesuan audit 普陀区财政局2024年决算.pdf
      juesuan audit 报送/*.pdf --format json > 审核结果.json
      juesuan audit 2024年决算.pdf --previous 2023年决算.pdf
    """
    if previous is not None and len(pdfs) > 1:
        raise click.UsageError("--previous 只能与一个 PDF 一起用（它是该 PDF 同一部门上一年度的文件）")

    reports, unreadable = [], []
    for pdf in pdfs:
        try:
            reports.append(audit_pdf(pdf, profile, previous=previous))
        except ContentError as exc:
            unreadable += exc.problems
    errors = sum(r.count(ERROR) for r in reports)
    warnings = sum(r.count(WARNING) for r in reports)
    if output == "json":
        click.echo(json.dumps({"files": [r.as_dict() for r in reports],
                               "unreadable": [p.format() for p in unreadable],
                               "errors": errors, "warnings": warnings}, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(f"{report.shown}：{report.name} {report.year} 年度，按省份格式 {report.profile} 读出 "
                       f"{len(report.tables)} 张表")
            for finding in report.findings:
                click.echo(finding.format())
        for problem in unreadable:
            click.echo(problem.format(), err=True)
        notices = sum(r.count(NOTICE) for r in reports)
        click.echo(f"审核 {len(reports)} 个 PDF：错误 {errors} 个，警告 {warnings} 个，提示 {notices} 个"
                   + (f"；{len(unreadable)} 个问题使文件无法审核" if unreadable else "") + "。")
    failed = errors > 0 or (strict and warnings > 0) or bool(unreadable)
    sys.exit(1 if failed else 0)
