"""The ``juesuan`` command line: a thin click layer over plain functions.

Each command lives in its own module, imported when it runs (``COMMANDS``), so that ``juesuan --help`` and a
quick ``juesuan check`` do not load what other commands need (WeasyPrint, the workbook reader, Dask).
"""

from __future__ import annotations

import difflib
import importlib

import click

from generator import __version__
from generator.commands.chinese import ChineseContext, localize
from generator.commands.options import INTERNAL_ERROR, INTERRUPTED, IO_ERROR, closed_pipe, io_failure
from generator.errors import debugging, internal_problem

# name → (module, function): in the order `juesuan --help` lists them.
COMMANDS = {
    "build": ("generator.commands.build", "build"),
    "serve": ("generator.commands.serve", "serve"),
    "pdf": ("generator.commands.pdf", "pdf"),
    "check": ("generator.commands.check", "check"),
    "audit": ("generator.commands.audit", "audit"),
    "export": ("generator.commands.workbook", "export"),
    "import": ("generator.commands.workbook", "import_workbook"),
    "rules": ("generator.commands.check", "rules"),
    "schema": ("generator.commands.new", "schema"),
    "new": ("generator.commands.new", "new"),
    "profiles": ("generator.commands.profiles", "profiles"),
    "docs": ("generator.commands.docs", "docs"),
}


class _Commands(click.Group):
    """Every command in Chinese (click's own texts too, see ``chinese``); its Ctrl+C, a closed pipe and an
    unexpected error as a message in Chinese and an exit code, not click's "Aborted!" or a traceback."""

    context_class = ChineseContext

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        localize(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name]
        return localize(getattr(importlib.import_module(module), function))

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            close = difflib.get_close_matches(args[0], list(COMMANDS), n=3)
            hint = f"是否应为 {'、'.join(close)}？" if close else f"可用的命令：{'、'.join(COMMANDS)}。"
            ctx.fail(f"没有命令 {args[0]}。{hint}")
        return super().resolve_command(ctx, args)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:  # `juesuan --help | head -1`: the help is written while the options are read
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            closed_pipe()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\n已中断。正在生成的网站或文件没有写出，原有的保持不变。", err=True)
            ctx.exit(INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `juesuan check | head`: the reader has what it wanted
            closed_pipe()
        except OSError as exc:  # the machine's, not the tool's: a full disk, a folder it may not write to…
            if debugging():
                raise
            click.echo(f"{io_failure(exc)}。", err=True)
            ctx.exit(IO_ERROR)
        except Exception as exc:
            if debugging():
                raise
            click.echo(internal_problem(exc, ctx.invoked_subcommand or "juesuan").format(), err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message="juesuan %(version)s")
def main() -> None:
    """部门决算公开生成工具：由 YAML 数据生成标准的部门决算公开网页。

    \b
    示例：
      juesuan new xianyang-czj --year 2024 --name 咸阳市财政局
      juesuan check content/2024/xianyang-czj.yaml
      juesuan build --out site
      juesuan build --help
    """
