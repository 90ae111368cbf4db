"""`juesuan export` and `juesuan import`: the tables to and from an Excel workbook, and from a published PDF."""

from __future__ import annotations

from pathlib import Path

import click

from generator.authoring.pdf.importing import import_pdf
from generator.authoring.spreadsheet.workbooks import export_workbook
from generator.authoring.spreadsheet.workbooks import import_workbook as run_import
from generator.commands.options import (
    PROFILE,
    department_id,
    fail,
)
from generator.errors import ContentError


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="输出文件，默认为当前目录下的 <部门标识>-<年度>.xlsx。")
@PROFILE
def export(path: Path, output: Path | None, profile: str | None) -> None:
    """把一个部门的各表导出为 Excel 工作簿（与网站发布的相同：每表一个工作表，版式同打印稿，按省份格式）。

    \b
    示例：
      juesuan export content/2023/xianyang-rsj.yaml
      juesuan export content/2023/xianyang-rsj.yaml -o 决算表.xlsx
    """

    try:
        target = export_workbook(path, output, profile)
    except ContentError as exc:
        fail(exc, 1, "未导出")
        return
    click.echo(f"已导出 {target}")


@click.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--id", "dept_id", required=True, callback=department_id,
              help="部门标识，即部门文件名（如 xianyang-rsj）。")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="决算年度，如 2023。")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="内容目录；写入 <内容目录>/<年度>/<部门标识>.yaml。")
@click.option("--name", default=None, help="部门名称，新建部门文件时使用（默认取各表“部门：”一行，PDF 取封面）。")
@PROFILE
def import_workbook(workbook: Path, dept_id: str, year: int, content_dir: Path, name: str | None,
                    profile: str | None) -> None:
    """从决算报表工作簿（.xlsx、.xls 或 .ods，每表一个工作表，版式同打印稿）或已公开的决算 PDF 导入各表，写入部门文件的 tables 部分。

    按部门的省份格式读表（--profile，否则部门文件或 site.yaml 中的 profile）：如山西格式另有公开10表。
    工作簿按表头文字找各栏（常见的同义写法，如“科目编码”“合计”，照样认得），科目代码可在一列，也可分为类、款、项三列；
    跳过目录页、签字栏和“本表为空表”等说明；没有公开07、08表的工作表时按空表导入并给出警告。
    新建的部门文件按工作簿的金额单位（“单位：元”或“单位：万元”）填写。
    PDF 按各表的标题找表（印错的表号不影响），多页的表连续读取；扫描件（没有文字层）不能导入。

    全部数字照报表列示（含类、款、合计），由 juesuan check 核对。部门文件已存在时只替换其中的 tables 部分。
    有问题时列出全部问题（工作表和单元格，PDF 为页、行、列），退出码为 1，不写任何文件。

    \b
    示例：
      juesuan import 决算报表.xlsx --id xianyang-rsj --year 2023
      juesuan import 普陀区财政局2024年决算.pdf --id putuo-czj --year 2024 --profile shanghai
    """

    run = import_pdf if workbook.suffix.lower() == ".pdf" else run_import
    try:
        result = run(workbook, dept_id, year, content_dir, name, profile)
    except ContentError as exc:
        fail(exc, 1, "未写入任何文件")
        return
    labels = [label for label, _ in result.tables]
    what = "新建" if result.created else "更新（只替换了 tables 部分）"
    click.echo(f"已从 {workbook} 导入 {labels[0]}—{labels[-1]}，{what} {result.target}")
    for warning in result.warnings:
        click.echo(f"警告：{warning}")
    for note in result.notes:
        click.echo(f"提示：{note}")
    if result.created:
        click.echo("其余部分是 juesuan new 的带说明模板（封面为待审查、待审签），请补充。")
    for problem in result.remaining:
        click.echo(f"待补充：{problem.format()}")
    click.echo(f"请运行 juesuan check {result.target} 核对报表的计算和尾差。")
