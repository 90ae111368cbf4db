"""`juesuan serve`: the draft preview on localhost."""

from __future__ import annotations

import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import click

from generator.commands.options import (
    CONTENT,
    NORMAL,
    PORT_TAKEN,
    PROFILE,
    TEMPLATES,
    TOLERANCE,
    USAGE,
    VERBOSE,
    VERBOSITY,
    say,
    verbosity,
)
from generator.pipeline.serve import PortUnavailable, Preview, make_server, watch


class PortRange(click.IntRange):
    """A port number, refused in Chinese like the other options (click's own message is English)."""

    def convert(self, value, param, ctx) -> int:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"应为 {self.min}–{self.max} 之间的整数（0 表示自动选一个空闲端口）；实际为 {value}", param, ctx)


@click.command()
@CONTENT
@TEMPLATES
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（只在本机预览时不要改）。")
@click.option("--port", default=8000, show_default=True, type=PortRange(0, 65535), help="端口；0 表示自动选一个空闲端口。")
@PROFILE
@TOLERANCE
@VERBOSITY
def serve(content_dir: Path, template_dir: Path | None, host: str, port: int, profile: str | None,
          tolerance: Decimal) -> None:
    """在本机预览网站（草稿）：修改内容、模板或站点配置后自动重新生成并刷新浏览器页面。

    --quiet 只输出问题和预览地址；--verbose 另外逐条列出浏览器的请求。
    退出码：0 已停止预览，2 用法错误或内容目录不存在，69 端口已被占用或不能使用（换用 --port）。

    \b
    示例：
      juesuan serve
      juesuan serve --port 8080
      juesuan serve --content 另一个内容目录 --port 0
    """

    if not content_dir.is_dir():
        click.echo(f"内容目录不存在：{content_dir}", err=True)
        sys.exit(USAGE)
    started = time.perf_counter()
    preview = Preview(content_dir, template_dir, tolerance, profile)
    level = verbosity()  # read here: the watcher and the requests run in other threads, without click's context
    log = (lambda request: click.echo(f"{time.strftime('%H:%M:%S')} {request}")) if level >= VERBOSE else None
    try:
        server = make_server(preview, host, port, log)
    except PortUnavailable as exc:
        click.echo(f"{exc}。", err=True)
        sys.exit(PORT_TAKEN)
    address = f"http://{host}:{server.server_address[1]}/"
    say(f"已生成预览（{len(preview.departments)} 个部门文件，用时 {time.perf_counter() - started:.2f} 秒）")
    _report_problems(preview.problems())

    def report(rebuilt: list[str], problems: list) -> None:
        if level >= NORMAL:
            click.echo(f"{time.strftime('%H:%M:%S')} 已重新生成：{'、'.join(rebuilt) or '网站页面'}")
        _report_problems(problems)
        sys.stdout.flush()

    stop, ready = threading.Event(), threading.Event()
    threading.Thread(target=watch, args=(preview, stop, ready, report), daemon=True).start()
    ready.wait(10)
    click.echo(f"正在预览：{address}（按 Ctrl+C 停止）")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已停止预览。")
    finally:
        stop.set()
        server.server_close()


def _report_problems(problems: list) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)
    if problems:
        click.echo(f"共 {len(problems)} 个问题，页面上同样列出。", err=True)
