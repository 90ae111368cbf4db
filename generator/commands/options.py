"""What the commands share: common options, exit codes, and how a command reports problems and fails."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from generator.content.department import ID_PATTERN
from generator.errors import ContentError, Problem

INTERRUPTED, INTERNAL_ERROR, IO_ERROR = 130, 70, 74  # the shell's code for SIGINT; sysexits' EX_SOFTWARE, EX_IOERR


def fail(exc: ContentError, code: int = 1, what: str = "未生成任何文件") -> None:
    for problem in exc.problems:
        click.echo(problem.format(), err=True)
    click.echo(f"共发现 {len(exc.problems)} 个问题，{what}。", err=True)
    sys.exit(code)


def notify(notices: list[Problem]) -> None:
    """Notices, such as a file that is not read: on stderr, without failing the command."""
    for notice in notices:
        click.echo("提示：" + notice.format(), err=True)


def io_failure(exc: OSError) -> str:
    where = f"：{exc.filename}" if exc.filename else ""
    return f"无法读写文件{where}（{exc.strerror or exc}）"


def _tolerance(ctx, param, value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"应为数字（万元），如 0.01；实际为 {value}")
    if amount < 0:
        raise click.BadParameter("尾差容许值不能为负数")
    return amount


PROFILE = click.option("--profile", default=None, metavar="NAME",
                        help="省份格式（shaanxi 陕西、shanghai 上海、shanxi 山西、sichuan 四川，或内容目录 profiles/ 中自定义的），"
                             "优先于部门文件和 site.yaml 中的 profile。")
TOLERANCE = click.option("--tolerance", default="0.01", show_default=True, callback=_tolerance,
                         help="按万元填报时，可推算数与计算值之间容许的尾差（万元）；按元填报时始终要求完全相等。")
CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
                       default=Path("content"), show_default=True, help="内容目录（<年度>/<部门标识>.yaml）。")


def department_id(ctx, param, value: str) -> str:

    if not ID_PATTERN.match(value):
        raise click.BadParameter(f"只能用小写字母、数字和连字符，如 xianyang-rsj；实际为 {value}")
    return value


TEMPLATES = click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
                         default=None, help="自定义模板目录，优先于内置模板；用 builtin/ 前缀引用内置原模板。")
