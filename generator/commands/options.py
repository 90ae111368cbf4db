"""What the commands share: common options, exit codes, and how a command reports problems and fails."""

from __future__ import annotations

import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn

import click

from generator.content.department import ID_PATTERN
from generator.errors import ContentError, Problem

PASSED, FAILED, USAGE = 0, 1, 2  # USAGE is click's own code for a command line it cannot read
PORT_TAKEN, INTERNAL_ERROR, IO_ERROR = 69, 70, 74  # sysexits' EX_UNAVAILABLE, EX_SOFTWARE, EX_IOERR
INTERRUPTED, CLOSED_PIPE = 130, 141  # as the shell reports a program ended by SIGINT, SIGPIPE
# What each exit code means, for every command (docs/reference/cli.md lists them from here).
EXIT_CODES = {
    PASSED: "成功：命令做完了要做的事（审核通过、网站已全部发布、文件已写出）",
    FAILED: "审核有错误（`--strict` 时含警告），有部门未发布，或输入文件有问题、未写出任何文件；具体含义见各命令的说明",
    USAGE: "命令用法错误（选项、参数写错），或要读的文件不存在、无法读取（`check` 等）",
    PORT_TAKEN: "`juesuan serve` 的端口已被占用或不能使用，请用 `--port` 换一个端口",
    INTERNAL_ERROR: "本工具的内部错误（缺陷）：消息中注明出错的代码位置，请报告给维护者",
    IO_ERROR: "无法读写文件：磁盘已满、没有写入权限等",
    INTERRUPTED: "被中断（Ctrl+C）：正在生成的网站或文件没有写出，原有的保持不变",
    CLOSED_PIPE: "输出的读取方已关闭（如 `juesuan check | head`）：命令安静地停止，不再输出",
}


def fail(exc: ContentError, code: int = 1, what: str = "未生成任何文件") -> None:
    for problem in exc.problems:
        click.echo(problem.format(), err=True)
    click.echo(f"共发现 {len(exc.problems)} 个问题，{what}。", err=True)
    sys.exit(code)


def notify(notices: list[Problem]) -> None:
    """Notices, such as a file that is not read: on stderr, without failing the command (none with --quiet)."""
    for notice in notices:
        say("提示：" + notice.format(), err=True)


def closed_pipe() -> NoReturn:
    """The reader of the output went away (`juesuan check | head`): stop quietly, with the code of a program that
    SIGPIPE ended, as other tools do. What is still buffered goes nowhere, rather than to a "Broken pipe"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file behind sys.stdout (output captured in a test)
        pass
    sys.exit(CLOSED_PIPE)


QUIET, NORMAL, VERBOSE = 0, 1, 2
_VERBOSITY = "juesuan.verbosity"


def _verbosity(level: int):
    def store(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        if ctx.meta.get(_VERBOSITY, level) != level:
            raise click.BadParameter("--quiet 与 --verbose 不能同时使用", ctx, param)
        ctx.meta[_VERBOSITY] = level
    return store


def VERBOSITY(command):  # noqa: N802 (used as a decorator, like the other shared options)
    """``-q/--quiet`` and ``-v/--verbose`` on a command; its output goes through ``say`` and ``detail``."""
    command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_verbosity(VERBOSE),
                           help="详细：另外逐个列出处理的文件（serve 为请求）和用时。")(command)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity(QUIET),
                        help="安静：只输出错误和最后一行（汇总或预览地址）。")(command)


def verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_VERBOSITY, NORMAL) if ctx is not None else NORMAL


def say(text: str, err: bool = False) -> None:
    """Output that --quiet leaves out: progress, notices, warnings (errors and the last line use click.echo)."""
    if verbosity() >= NORMAL:
        click.echo(text, err=err)


def detail(text: str, err: bool = False) -> None:
    """Output only --verbose shows: each file, timings."""
    if verbosity() >= VERBOSE:
        click.echo(text, err=err)


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


PROFILE = click.option("--profile", default=None, metavar="名称",
                        help="省份格式（shaanxi 陕西、shanghai 上海、shanxi 山西、sichuan 四川，或内容目录 profiles/ 中自定义的），"
                             "优先于部门文件和 site.yaml 中的 profile。")
TOLERANCE = click.option("--tolerance", default="0.01", show_default=True, callback=_tolerance, metavar="万元",
                         help="按万元填报时，可推算数与计算值之间容许的尾差（万元）；按元填报时始终要求完全相等。")
CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
                       default=Path("content"), show_default=True, help="内容目录（<年度>/<部门标识>.yaml）。")


def department_id(ctx, param, value: str) -> str:

    if not ID_PATTERN.match(value):
        raise click.BadParameter(f"只能用小写字母、数字和连字符，如 xianyang-rsj；实际为 {value}")
    return value


TEMPLATES = click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
                         default=None, help="自定义模板目录，优先于内置模板；用 builtin/ 前缀引用内置原模板。")
