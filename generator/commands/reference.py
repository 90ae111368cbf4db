"""The generated references under docs/: the command reference from click's own objects, and ``juesuan docs``
writing it with the others (rules, fields, template variables), each generated where its facts live.

The command group is passed in (``cli`` defines ``juesuan docs`` with this module, so this module cannot import
``cli``). tests/test_reference_docs.py regenerates everything and compares it with the committed files.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

import click

from generator.authoring.fieldreference import fields_markdown
from generator.checks.docs import rules_markdown
from generator.commands.options import EXIT_CODES
from generator.render.contextdocs import template_context_markdown

CLI_HEADER = """# 命令

本页由 `juesuan docs` 根据命令行本身（`generator/commands/cli.py`）生成，请勿手工修改。"""

# click's own options, whose help click writes in English.
VERSION_HELP = "显示版本号后退出。"
HELP_HELP = "显示用法和说明后退出。"


def cli_markdown(group: click.Group) -> str:
    """Every visible command of ``group``, in the order `juesuan --help` lists them: usage, help, arguments, options."""
    root = click.Context(group, info_name="juesuan", **group.context_settings)
    commands = [cmd for name in group.list_commands(root) if not (cmd := group.get_command(root, name)).hidden]
    help_names = "、".join(f"`{name}`" for name in root.help_option_names)
    lines = [CLI_HEADER, "", _help(group), "",
             f"用法：`juesuan [选项] 命令 [参数]…`。每个命令都可以加 {help_names} 查看本页同样的说明。", "",
             "| 命令 | 作用 |", "|---|---|"]
    lines += [f"| [`juesuan {cmd.name}`](#juesuan-{cmd.name}) | {_cell(_summary(cmd))} |" for cmd in commands]
    lines += ["", "全局选项（写在命令之前，如 `juesuan --version`）：", ""] + _options(group, root, with_help=True)
    lines += ["", "## 退出码", "", "各命令的退出码含义相同（每个命令的说明中另有它自己的细节）：", "",
              "| 退出码 | 含义 |", "|---|---|"]
    lines += [f"| {code} | {_cell(meaning)} |" for code, meaning in sorted(EXIT_CODES.items())]
    for cmd in commands:
        ctx = click.Context(cmd, info_name=cmd.name, parent=root)
        lines += _command(cmd, ctx, "##")
        if isinstance(cmd, click.Group):  # its subcommands, under it
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                lines += _command(sub, click.Context(sub, info_name=name, parent=ctx), "###")
    return "\n".join(lines) + "\n"


def _command(cmd: click.Command, ctx: click.Context, level: str) -> list[str]:
    """One command's section: usage, help, arguments, options."""
    usage = " ".join([ctx.command_path, *cmd.collect_usage_pieces(ctx)])
    lines = ["", f"{level} {ctx.command_path}", "", "```", usage, "```", "", _help(cmd)]
    arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
    if arguments:
        lines += ["", "参数：", "", "| 参数 | 类型 | 说明 |", "|---|---|---|"]
        lines += [f"| `{_metavar(p, ctx)}` | {_type(p)} | {_argument_note(p)} |" for p in arguments]
    if any(isinstance(p, click.Option) for p in cmd.params):
        lines += ["", "选项：", ""] + _options(cmd, ctx)
    return lines


def _help(cmd: click.Command) -> str:
    """The help as Markdown: a paragraph click shows as written (``\\b``, the examples) in a code block."""
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n", _text(cmd)):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            title = [lines[1], ""] if len(lines) > 1 and lines[1].endswith("：") else []
            body = inspect.cleandoc("\n".join(lines[1 + len(title) // 2:]))
            paragraphs.append("\n".join(title + ["```bash", body, "```"]))
        else:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _text(cmd: click.Command) -> str:
    return inspect.cleandoc(cmd.help or "").split("\f")[0]


def _summary(cmd: click.Command) -> str:
    return _text(cmd).split("\n\n")[0].replace("\n", "")


def _options(cmd: click.Command, ctx: click.Context, with_help: bool = False) -> list[str]:
    """The options table; each command's -h/--help is said once, above, rather than in every table."""
    help_option = cmd.get_help_option(ctx)
    rows = ["| 选项 | 类型 | 默认 | 说明 |", "|---|---|---|---|"]
    for p in cmd.get_params(ctx):
        if not isinstance(p, click.Option) or p.hidden or (p is help_option and not with_help):
            continue
        names = ", ".join(f"`{name}`" for name in [*p.opts, *p.secondary_opts])
        text = HELP_HELP if p is help_option else VERSION_HELP if p.name == "version" else p.help or ""
        rows.append(f"| {names} | {_type(p)} | {_default(p)} | {_cell(text)} |")
    return rows


def _type(p: click.Parameter) -> str:
    kind = p.type
    if isinstance(p, click.Option) and p.is_flag:
        return "开关"
    if isinstance(kind, click.Choice):
        return "、".join(f"`{choice}`" for choice in kind.choices)
    if isinstance(kind, click.Path):
        return "目录" if not kind.file_okay else "文件" if not kind.dir_okay else "路径"
    if isinstance(kind, click.IntRange):
        low = "" if kind.min is None else f"{kind.min}"
        high = "" if kind.max is None else f"{kind.max}"
        return f"整数（{low}–{high}）" if low and high else f"整数（≥{low}）" if low else f"整数（≤{high}）"
    if p.metavar and isinstance(p, click.Option):
        return f"`{p.metavar}`"
    return kind.name  # in Chinese (generator/commands/chinese.py)


def _default(p: click.Option) -> str:
    if p.required:
        return "必填"
    if p.default is None or p.is_flag or callable(p.default):
        return "—"
    return f"`{p.default}`"


def _metavar(p: click.Argument, ctx: click.Context) -> str:
    return (p.metavar or p.make_metavar(ctx)).removesuffix("...")


def _argument_note(p: click.Argument) -> str:
    if p.nargs == -1:
        return "可写多个，也可不写"
    return "必填" if p.required else "可不写"


def _cell(text: str) -> str:
    return " ".join(text.split("\n")).replace("|", "\\|")


def references(group: click.Group) -> dict[str, Callable[[], str]]:
    """Every generated reference: its path under docs/, and what generates it."""
    return {
        "rules.md": rules_markdown,
        "reference/cli.md": lambda: cli_markdown(group),
        "reference/fields.md": fields_markdown,
        "reference/template-context.md": template_context_markdown,
    }


def write_references(out: Path, group: click.Group) -> list[Path]:
    """Write every generated reference under ``out`` (the docs/ folder); returns the files written."""
    written = []
    for name, generate in references(group).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(generate().encode("utf-8"))
        written.append(target)
    return written
