"""`juesuan check` and `juesuan rules`."""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path

import click

from generator.checks.docs import rules_markdown
from generator.checks.findings import ERROR, NOTICE, WARNING
from generator.checks.runner import load_rules
from generator.commands.options import (
    FAILED,
    PASSED,
    PROFILE,
    TOLERANCE,
    USAGE,
    VERBOSITY,
    detail,
    fail,
    notify,
    say,
)
from generator.errors import ContentError
from generator.pipeline.checking import SettingsByRoot, check_files


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@click.option("--strict", is_flag=True, help="有警告也视为不通过（退出码 1）。")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式；json 供持续集成使用。")
@click.option("--rule", "only", default=None, metavar="规则编号", help="只运行一条规则（规则编号见 juesuan rules）。")
@PROFILE
@TOLERANCE
@VERBOSITY
def check(paths: tuple[Path, ...], strict: bool, output: str, only: str | None, profile: str | None,
          tolerance: Decimal) -> None:
    """审核部门数据：表内、表间、文字与表、本年与上年。

    不指定路径时审核 content/ 下的全部文件。--quiet 只列出错误（--strict 时含警告）和最后一行汇总；
    --verbose 另外逐个文件列出问题个数和用时。
    退出码：0 通过，1 有错误（--strict 时含警告），2 用法错误或文件无法读取。

    \b
    示例：
      juesuan check
      juesuan check content/2023/xianyang-rsj.yaml --strict
      juesuan check content/2024 --rule budget-total
      juesuan check --format json > 审核结果.json
    """

    if only and only not in load_rules():
        click.echo(f"没有规则 {only}；可用的规则：{'、'.join(load_rules())}", err=True)
        sys.exit(USAGE)
    started = time.perf_counter()
    try:
        report = check_files(list(paths) or [Path("content")], only, SettingsByRoot(profile=profile, tolerance=tolerance))
    except ContentError as exc:
        fail(exc, USAGE, "无法审核")
        return
    notify(report.unread)
    if output == "json":
        payload = {"departments": [{"file": c.department.source.name, "year": c.department.year,
                                    "id": c.department.id, "findings": [f.as_dict() for f in found]}
                                   for c, found in report.results],
                   "errors": report.count(ERROR), "warnings": report.count(WARNING)}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        failing = {ERROR, WARNING} if strict else {ERROR}
        for computed, found in report.results:
            for finding in found:
                (click.echo if finding.severity in failing else say)(finding.format())
            detail(f"已审核 {computed.department.source.name}：错误 {_count(found, ERROR)} 个，"
                   f"警告 {_count(found, WARNING)} 个，提示 {_count(found, NOTICE)} 个")
        detail(f"用时 {time.perf_counter() - started:.2f} 秒")
        click.echo(f"审核 {len(report.results)} 个文件：错误 {report.count(ERROR)} 个，警告 {report.count(WARNING)} 个，"
                   f"提示 {report.count(NOTICE)} 个。")
    sys.exit(FAILED if report.failed(strict) else PASSED)


def _count(findings: list, severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)


@click.command()
@click.option("--markdown", is_flag=True, help="输出规则说明文档（Markdown），即 docs/rules.md 的内容。")
def rules(markdown: bool) -> None:
    """列出全部审核规则：编号、级别和标题。

    \b
    示例：
      juesuan rules
      juesuan rules | grep 三公
      juesuan rules --markdown > 审核规则.md
    """

    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    for r in load_rules().values():
        click.echo(f"{r.id:<22} {r.severity}  {r.title}")
