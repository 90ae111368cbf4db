"""The ``juesuan`` command line: a thin click layer over plain functions.

Each command lives in its own module, imported when it runs (``COMMANDS``), so that ``juesuan --help`` and a
quick ``juesuan check`` do not load what other commands need (WeasyPrint, the workbook reader, Dask).
"""

from __future__ import annotations

import importlib

import click

from generator import __version__
from generator.commands.options import INTERNAL_ERROR, INTERRUPTED, IO_ERROR, io_failure
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
    """Every command's Ctrl+C and unexpected error as a message in Chinese, not click's "Aborted!" or a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name]
        return getattr(importlib.import_module(module), function)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\n已中断。正在生成的网站或文件没有写出，原有的保持不变。", err=True)
            ctx.exit(INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
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
    """部门决算公开生成工具：由 YAML 数据生成标准的部门决算公开网页。"""


