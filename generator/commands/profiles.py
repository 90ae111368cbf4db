"""`juesuan profiles` and `juesuan profiles show NAME`: the forms a site can use, and one of them as the tool reads it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from generator.commands.options import CONTENT, fail
from generator.errors import ContentError, display_path
from generator.forms.profiles import DEFAULT_PROFILE, Profile, is_builtin, load_profile, profile_files
from generator.forms.sections import Section
from generator.forms.wording import NONE_WORDING
from generator.pipeline.settings import resolve_settings


@click.group(invoke_without_command=True)
@CONTENT
@click.pass_context
def profiles(ctx: click.Context, content_dir: Path) -> None:
    """列出可用的省份格式：内置的和内容目录 profiles/ 中自定义的。

    每行一个格式：名称、标题、它继承的格式和文件位置；本站默认使用的格式（site.yaml 的 profile，未写时为
    shaanxi）标“默认”。有错误的自定义格式列出其全部问题，退出码为 1。

    \b
    示例：
      juesuan profiles
      juesuan profiles show shanghai
      juesuan profiles --content 另一个内容目录
    """
    ctx.obj = content_dir
    if ctx.invoked_subcommand is not None:
        return
    default = _site_default(content_dir)
    broken: list[ContentError] = []
    for name, path in profile_files(content_dir if content_dir.is_dir() else None):
        where = "内置" if is_builtin(path) else display_path(path)
        try:
            profile = load_profile(name, content_dir if content_dir.is_dir() else None)
        except ContentError as exc:
            broken.append(exc)
            click.echo(f"{name}  （有错误，见下）  {where}")
            continue
        extends = f"  继承 {' → '.join(profile.lineage[1:])}" if len(profile.lineage) > 1 else ""
        mark = "  （默认）" if name == default else ""
        click.echo(f"{name}  {profile.title}{extends}  {where}{mark}")
    if broken:
        fail(ContentError([p for exc in broken for p in exc.problems]), 1, "以上格式无法使用")


@profiles.command()
@click.argument("name", metavar="名称")
@click.pass_obj
def show(content_dir: Path, name: str) -> None:
    """显示所给名称的省份格式合并继承之后的完整内容（YAML），即生成时实际使用的格式。

    \b
    示例：
      juesuan profiles show shaanxi
      juesuan profiles show sichuan > 四川格式.yaml
    """
    try:
        profile = load_profile(name, content_dir if content_dir.is_dir() else None)
    except ContentError as exc:
        fail(exc, 2, "无法显示")
        return
    click.echo(yaml.safe_dump(profile_document(profile), allow_unicode=True, sort_keys=False, width=120), nl=False)


def profile_document(profile: Profile) -> dict:
    """A resolved profile in the shape of a profile file (what it extends merged in), with where it comes from."""
    document = {"name": profile.name, "title": profile.title, "file": _shown(profile.source)}
    if len(profile.lineage) > 1:
        document["extends"] = list(profile.lineage[1:])
    document["numbering"] = profile.numbering
    document["sections"] = _sections(profile.sections)
    document["charts"] = list(profile.charts)
    document["phrases"] = dict(profile.phrases)
    document["rules"] = dict(profile.rules)
    document["glossary"] = _shown(profile.glossary) if profile.glossary else None
    document["cover"] = {"department": profile.cover.department, "title": profile.cover.title,
                         "approvals": profile.cover.approvals}
    document["parts"] = [{"key": part.key, "title": part.title} for part in profile.parts]
    document["overview"] = [{"key": section.key, "title": section.title, "numbered": section.numbered}
                            for section in profile.overview]
    document["toc_depth"] = profile.toc_depth
    style = profile.table_style
    document["table_style"] = {"order": list(style.order), "zero": style.zero, "department_line": style.department_line,
                               "index": style.index, "unit_label": style.unit_label}
    document["tables"] = profile.tables
    document["wording"] = {**NONE_WORDING, **dict(profile.wording)}
    document["vehicle_names"] = dict(profile.vehicle_names)
    return document


def _sections(sections: tuple[Section, ...]) -> list[dict]:
    """The 情况说明's tree as a profile file writes it (a style or sub-sections only where there are some)."""
    shown = []
    for s in sections:
        fields = {"key": s.key, "title": s.title, "template": s.template or None, "numbered": s.numbered}
        if s.toc_title:
            fields["toc_title"] = s.toc_title
        if s.number_style:
            fields["number_style"] = s.number_style
        if s.optional:
            fields["optional"] = True
        if s.sections:
            fields["sections"] = _sections(s.sections)
        shown.append(fields)
    return shown


def _shown(path: str) -> str:
    """A profile's file as people find it: relative to the working directory, or for a built-in one to the package."""
    shown = display_path(Path(path))
    return shown if not Path(shown).is_absolute() else "（内置）" + Path(path).name


def _site_default(content_dir: Path) -> str:
    """The profile the site's departments get unless they name one: site.yaml's, else the built-in default."""
    if not content_dir.is_dir():
        return DEFAULT_PROFILE
    try:
        settings = resolve_settings(content_dir, pdf=False)
    except ContentError as exc:
        fail(exc, 2, "无法列出省份格式")
        sys.exit(2)
    return settings.config.profile or DEFAULT_PROFILE
