"""`juesuan new` and `juesuan schema`: starting a department file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.authoring.jsonschema import SCHEMA_NAME, write_schema
from generator.authoring.newfile import FormFields, NewFileError, new_department
from generator.commands.options import (
    CONTENT,
    fail,
)
from generator.errors import ContentError
from generator.pipeline.settings import resolve_settings


@click.command()
@click.argument("dept_id", metavar="部门标识")
@click.option("--year", type=int, required=True, help="决算年度，如 2024。")
@click.option("--name", default=None, help="部门名称；用 --from-previous 时默认取上年文件中的名称。")
@CONTENT
@click.option("--from-previous", "from_previous", is_flag=True,
              help="从上年文件 <内容目录>/<年度-1>/<部门标识>.yaml 开始：保留部门概况和名词解释，上年数取自上年决算，本年的数和原因清空。")
@click.option("--force", is_flag=True, help="部门文件已存在时覆盖它。")
@click.option("--profile", "profile_name", metavar="名称", default=None,
              help="省份格式：新文件写明 profile: 名称，只列出这一格式印出的字段（如上海格式不列封面的审查、审签，"
                   "山西格式列出公开10表）。默认为 site.yaml 的格式，不写入文件。")
def new(dept_id: str, year: int, name: str | None, content_dir: Path, from_previous: bool, force: bool,
        profile_name: str | None) -> None:
    """新建部门数据文件 <内容目录>/<年度>/<部门标识>.yaml：每个字段带中文说明（含义、单位、出处）。

    同时在内容目录写出 department.schema.json，文件第一行引用它，供编辑器提示。
    退出码：0 已新建，1 文件已存在（加 --force 覆盖），2 用法错误或上年文件无法读取。

    \b
    示例：
      juesuan new xianyang-czj --year 2024 --name 咸阳市财政局
      juesuan new xianyang-rsj --year 2024 --from-previous
      juesuan new putuo-czj --year 2025 --name 上海市普陀区财政局 --profile shanghai
    """

    try:
        settings = resolve_settings(content_dir, profile=profile_name, pdf=False)
        fields = FormFields.of(settings.profile_for(None), year, profile_name)
        created = new_department(content_dir, dept_id, year, name, from_previous=from_previous, force=force,
                                 fields=fields)
    except NewFileError as exc:
        click.echo(exc.message, err=True)
        sys.exit(exc.code)
    except ContentError as exc:
        fail(exc, 2, "上年文件、省份格式或站点配置无法使用，未新建部门文件")
        return
    click.echo(f"已新建 {created.path}（编辑器提示：{created.schema}）")
    if created.previous:
        click.echo(f"上年数取自 {created.previous}；本年的决算表、数和原因已清空，年初预算保留了上年的科目，"
                   "填写公开05表和各科目的年初预算数后再审核。")
    click.echo(f"填写后运行 juesuan check {created.path} 审核，juesuan serve 预览。")


@click.command()
@CONTENT
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="输出文件，默认为 <内容目录>/department.schema.json。")
def schema(content_dir: Path, out: Path | None) -> None:
    """写出部门数据文件的 JSON Schema，供编辑器（如 VS Code 的 YAML 扩展）悬停说明、补全和检查。

    \b
    示例：
      juesuan schema
      juesuan schema --out department.schema.json
    """

    try:
        target = write_schema(out or content_dir / SCHEMA_NAME)
    except ContentError as exc:
        fail(exc, 2, "未写出 JSON Schema")
        return
    except OSError as exc:
        click.echo(f"无法写出 JSON Schema：{exc.strerror}（{exc.filename}）", err=True)
        sys.exit(2)
    click.echo(f"已写出 {target}；部门文件第一行写 # yaml-language-server: $schema=../{SCHEMA_NAME} 即可引用。")
