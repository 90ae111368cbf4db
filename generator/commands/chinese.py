"""click's own texts in Chinese: usage lines, help headings, error messages and type names.

click passes its texts through ``gettext``, bound in each of its modules as ``_`` (and ``ngettext``) when the module
loads; the messages domain and the locale would decide the language, so a Chinese catalogue installed for gettext
would show only where the user's locale is Chinese, and would translate every other library's texts too.
``install`` instead rebinds ``_`` and ``ngettext`` in click's modules to look up ``generator/data/click-zh.yaml``,
whatever the locale, and names click's parameter types in Chinese. What click writes without gettext (the usage
line's ``[OPTIONS]``, an argument's name, the ``Options:`` heading's colon) is set on each command by ``localize``.

``generator/commands/__init__.py`` installs the catalogue, so that it is in place before any command module
builds its options (click translates a path type's name when the option is made).
"""

from __future__ import annotations

import gettext
import importlib
import re
import unicodedata
from pathlib import Path

import click

from generator.resources import DATA
from generator.source.yamlfile import load_yaml

CATALOGUE = DATA / "click-zh.yaml"
_catalogue = load_yaml(CATALOGUE).data
MESSAGES: dict[str, str] = _catalogue["messages"]
TYPES: dict[str, str] = _catalogue["types"]
METAVARS: dict[str, str] = _catalogue["metavars"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")
# click's modules that import only on Windows; the others that use gettext are imported to be translated.
_ELSEWHERE = {"_winconsole"}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def click_modules() -> list:
    """Every module of the installed click that imports gettext, imported (the others are not: click.testing
    loads pdb)."""
    files = sorted(Path(click.__file__).parent.glob("*.py"))
    return [importlib.import_module(f"click.{file.stem}") for file in files
            if file.stem not in _ELSEWHERE and "from gettext import" in file.read_text(encoding="utf-8")]


def install() -> None:
    """Chinese for every text of click's from now on, in this process."""
    for module in click_modules():
        if getattr(module, "_", None) is gettext.gettext:
            module._ = translate
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = translate_plural
    for kind in _param_types():
        own = kind.__dict__.get("name")
        if isinstance(own, str) and own in TYPES:
            kind.name = TYPES[own]


def _param_types() -> list[type]:
    found, pending = [], [click.ParamType]
    while pending:
        kind = pending.pop()
        found.append(kind)
        pending += kind.__subclasses__()
    return found


class ChineseFormatter(click.HelpFormatter):
    """Help laid out for Chinese: ``用法：`` and ``选项：`` with a Chinese colon, and the option list's columns
    measured in display width (a Chinese character takes two columns, where click counts one)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, translate("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs rewrapped (a docstring's line break inside Chinese is no space); one marked with ``\\b``
        (examples) as it is written."""
        indent = " " * self.current_indent
        for number, paragraph in enumerate(re.split(r"\n[ \t]*\n", text.strip("\n"))):
            lines = paragraph.splitlines()
            if number:
                self.write("\n")
            if lines[0].strip() == "\b":
                shown = lines[1:]
            else:
                shown = wrap(joined(lines), max(self.width - self.current_indent, 20))
            self.write("".join(f"{indent}{line}\n" for line in shown))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def joined(lines: list[str]) -> str:
    """A paragraph's lines as one: a space between two ASCII words, none between Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and line and text[-1].isascii() and line[0].isascii():
            text += " "
        text += line
    return text


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# what a line is not broken inside: click's "[默认：content]", a run of ASCII (a word, an option, a path), spaces,
# or one character
_TOKEN = re.compile(r"\[[^\]]*\]|[\x21-\x7e]+|\s+|.")
_CLOSING = set("。，、；：）”’！？》」")  # never at the start of a line


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns, broken between Chinese characters or at spaces,
    never inside an ASCII word, never before a closing punctuation mark."""
    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and token not in _CLOSING and width(line + token.rstrip()) > columns:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() or not lines else lines


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def localize(command: click.Command) -> click.Command:
    """``command`` (and a group's subcommands) with its usage line in Chinese; returns it."""
    command.context_class = ChineseContext
    if command.options_metavar:
        command.options_metavar = _usage_words(command.options_metavar)
    if isinstance(command, click.Group):
        command.subcommand_metavar = _usage_words(command.subcommand_metavar)
        for sub in command.commands.values():
            localize(sub)
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None:
            param.metavar = _argument_metavar(param)
    return command


def _usage_words(metavar: str) -> str:
    return re.sub(r"[A-Z]+", lambda word: METAVARS.get(word.group(), word.group()), metavar)


def _argument_metavar(param: click.Argument) -> str:
    """An argument named by its type (``文件``), not by its Python name (``WORKBOOK``), marked as click marks it."""
    name = param.type.name
    if not param.required:
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")
