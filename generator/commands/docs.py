"""`juesuan docs`: the references generated from the code."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.cli import main
from generator.commands.reference import write_references


@click.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs"),
              show_default=True, help="文档目录；写入其中的 rules.md 和 reference/ 下的各页。")
def docs(out_dir: Path) -> None:
    """重新生成由代码生成的参考文档：审核规则、命令、字段说明、模板变量。

    这些页由代码生成，请勿手工修改；改动规则、命令、部门文件的读取或模板变量后运行本命令，测试核对它们是否最新。

    \b
    示例：
      juesuan docs
      juesuan docs --out /tmp/docs
    """

    for target in write_references(out_dir, main):
        click.echo(f"已写出 {target}")
