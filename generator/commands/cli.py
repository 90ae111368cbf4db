"""The ``juesuan`` command line: a thin layer over plain functions."""

from __future__ import annotations

import json
import os
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from generator import __version__
from generator.authoring.jsonschema import SCHEMA_NAME, write_schema
from generator.authoring.newfile import NewFileError, new_department
from generator.authoring.spreadsheet.workbooks import export_workbook
from generator.authoring.spreadsheet.workbooks import import_workbook as run_import
from generator.checks.docs import rules_markdown
from generator.checks.findings import ERROR, NOTICE, WARNING
from generator.checks.runner import load_rules
from generator.content.department import ID_PATTERN
from generator.content.siteconfig import PDF_STANDARDS
from generator.errors import ContentError, debugging, internal_problem
from generator.pipeline.build import build as run_build
from generator.pipeline.checking import SettingsByRoot, check_files
from generator.pipeline.pdfpreview import preview_pdf
from generator.pipeline.record import kept_departments
from generator.pipeline.serve import Preview, make_server, watch


def _fail(exc: ContentError, code: int = 1, what: str = "未生成任何文件") -> None:
    for problem in exc.problems:
        click.echo(problem.format(), err=True)
    click.echo(f"共发现 {len(exc.problems)} 个问题，{what}。", err=True)
    sys.exit(code)


def _tolerance(ctx, param, value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"应为数字（万元），如 0.01；实际为 {value}")
    if amount < 0:
        raise click.BadParameter("尾差容许值不能为负数")
    return amount


PROFILE = click.option("--profile", default=None, metavar="NAME",
                        help="省份格式（shaanxi 陕西、shanxi 山西、sichuan 四川，或内容目录 profiles/ 中自定义的），"
                             "优先于部门文件和 site.yaml 中的 profile。")
TOLERANCE = click.option("--tolerance", default="0.01", show_default=True, callback=_tolerance,
                         help="按万元填报时，可推算数与计算值之间容许的尾差（万元）；按元填报时始终要求完全相等。")


class _Commands(click.Group):
    """Every command's Ctrl+C and unexpected error as a message in Chinese, not click's "Aborted!" or a traceback."""

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
            click.echo(f"{_io_failure(exc)}。", err=True)
            ctx.exit(IO_ERROR)
        except Exception as exc:
            if debugging():
                raise
            click.echo(internal_problem(exc, ctx.invoked_subcommand or "juesuan").format(), err=True)
            ctx.exit(INTERNAL_ERROR)


def _io_failure(exc: OSError) -> str:
    where = f"：{exc.filename}" if exc.filename else ""
    return f"无法读写文件{where}（{exc.strerror or exc}）"


INTERRUPTED, INTERNAL_ERROR, IO_ERROR = 130, 70, 74  # the shell's code for SIGINT; sysexits' EX_SOFTWARE, EX_IOERR


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message="juesuan %(version)s")
def main() -> None:
    """部门决算公开生成工具：由 YAML 数据生成标准的部门决算公开网页。"""


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="内容目录（<年度>/<部门标识>.yaml）。")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="输出目录。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="自定义模板目录，优先于内置模板；用 builtin/ 前缀引用内置原模板。")
@click.option("--draft", is_flag=True, help="草稿：审核有错误的部门也生成，页面和 PDF 上列出问题，PDF 加“仅供内部审核”水印。")
@click.option("--no-pdf", "no_pdf", is_flag=True, help="只生成网页，不生成 PDF（预览时更快）。")
@click.option("--base-url", "base_url", default=None, metavar="URL",
              help="网站的正式地址，如 https://www.example.gov.cn/juesuan/；用于规范链接和网站地图（默认取 site.yaml 的 site.base_url）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="同时生成的进程数，默认为 CPU 核数；结果与逐个生成完全相同。")
@click.option("--executor", default=None, metavar="dask://主机:端口",
              help="交给已有的 Dask 集群生成（各工作进程需安装同一版本的 juesuan）；网站仍由本机写出。")
@click.option("--force", is_flag=True, help="全部重新生成，不沿用上次生成中未改动部门的结果。")
@PROFILE
@TOLERANCE
def build(content_dir: Path, out_dir: Path, template_dir: Path | None, draft: bool, no_pdf: bool,
          base_url: str | None, jobs: int | None, executor: str | None, force: bool, profile: str | None,
          tolerance: Decimal) -> None:
    """生成全部部门的公开网页和 PDF（先审核；正式生成时跳过有错误的部门）。"""

    started = time.perf_counter()
    progress = Progress()
    try:
        result = run_build(content_dir, out_dir, template_dir, draft=draft, tolerance=tolerance, pdf=not no_pdf,
                           base_url=base_url, progress=progress.start, profile=profile,
                           jobs=jobs or os.cpu_count() or 1, executor=executor, force=force)
    except ContentError as exc:
        progress.close()
        _fail(exc, what=_unpublished(out_dir))
        return
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"\n已中断：{_unpublished(out_dir)}。", err=True)
        sys.exit(INTERRUPTED)
    except OSError as exc:
        if debugging():
            raise
        progress.close()
        click.echo(f"{_io_failure(exc)}，{_unpublished(out_dir)}。", err=True)
        sys.exit(IO_ERROR)
    progress.close()
    findings = [f for found in result.findings.values() for f in found]
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    for dept in result.refused:
        click.echo(f"未发布：{dept.year} 年度 {dept.name}（{dept.source}）审核有错误，"
                   f"请运行 juesuan check {dept.source} 查看，或用 --draft 生成草稿。", err=True)
    mode = "草稿" if draft else "正式"
    pdfs = sum(1 for p in result.pages if p.endswith(".pdf"))
    reused = f"（其中 {result.reused} 个未改动，沿用上次结果）" if result.reused else ""
    click.echo(f"完成（{mode}）：{progress.done} 个部门{reused}、{pdfs} 个 PDF，审核错误 {errors} 个、警告 {warnings} 个，"
               f"未发布 {len(result.refused)} 个部门，用时 {time.perf_counter() - started:.2f} 秒。"
               f"网站首页：{out_dir / 'index.html'}")
    if result.refused:
        sys.exit(1)


def _unpublished(out_dir: Path) -> str:
    """What a failed build left: the site as it was, and the departments kept for the next build."""

    kept = kept_departments(out_dir)
    return "网站未作任何改动" + (f"；已完成的 {kept} 个部门已保留，再次生成时直接沿用，不必重新生成" if kept else "")


class Progress:
    """A progress bar on a terminal; one plain line per department elsewhere (CI logs)."""

    def __init__(self) -> None:
        self.done = 0
        self.bar = None

    def start(self, total: int):
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="生成", unit="个部门", file=sys.stderr, leave=False)

        def step(dept) -> None:
            self.done += 1
            if self.bar is not None:
                self.bar.set_postfix_str(f"{dept.year} {dept.id}", refresh=False)
                self.bar.update(1)
            else:
                click.echo(f"[{self.done}/{total}] {dept.year} 年度 {dept.name}")
        return step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="内容目录。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="自定义模板目录，优先于内置模板。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（只在本机预览时不要改）。")
@click.option("--port", default=8000, show_default=True, type=int, help="端口；0 表示自动选一个空闲端口。")
@PROFILE
@TOLERANCE
def serve(content_dir: Path, template_dir: Path | None, host: str, port: int, profile: str | None,
          tolerance: Decimal) -> None:
    """在本机预览网站（草稿）：修改内容、模板或站点配置后自动重新生成并刷新浏览器页面。"""
    import threading


    if not content_dir.is_dir():
        click.echo(f"内容目录不存在：{content_dir}", err=True)
        sys.exit(2)
    started = time.perf_counter()
    preview = Preview(content_dir, template_dir, tolerance, profile)
    server = make_server(preview, host, port)
    address = f"http://{host}:{server.server_address[1]}/"
    click.echo(f"已生成预览（{len(preview.departments)} 个部门文件，用时 {time.perf_counter() - started:.2f} 秒）")
    _report_problems(preview.problems())

    def report(rebuilt: list[str], problems: list) -> None:
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


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="输出文件，默认为当前目录下的 <部门标识>-<年度>.pdf。")
@click.option("--draft", is_flag=True, help="草稿：加“仅供内部审核”水印，页脚注明草稿和生成时间；审核有错误也生成，并在封面后列出问题。")
@click.option("--templates", "template_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="自定义模板目录，优先于内置模板。")
@click.option("--standard", type=click.Choice(PDF_STANDARDS), default=None,
              help="PDF 标准，默认取 site.yaml 的 pdf.standard（未配置时为 pdf/a-3a）。")
@PROFILE
@TOLERANCE
def pdf(path: Path, output: Path | None, draft: bool, template_dir: Path | None, standard: str | None,
        profile: str | None, tolerance: Decimal) -> None:
    """生成一个部门的 PDF，供审签前预览（正式 PDF 要求审核没有错误）。"""

    started = time.perf_counter()
    try:
        result = preview_pdf(path, output, draft=draft, template_dir=template_dir, standard=standard,
                             tolerance=tolerance, profile=profile)
    except ContentError as exc:
        _fail(exc, 1, "未生成 PDF")
        return
    if result.refused:
        for finding in result.errors:
            click.echo(finding.format(), err=True)
        click.echo(f"审核有 {len(result.errors)} 个错误，不能生成正式 PDF；改正后重试，或用 --draft 生成草稿。", err=True)
        sys.exit(1)
    kind = "草稿" if draft else "正式"
    click.echo(f"已生成{kind} PDF：{result.output}（{result.pages} 页，用时 {time.perf_counter() - started:.1f} 秒）")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="有警告也视为不通过（退出码 1）。")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式；json 供持续集成使用。")
@click.option("--rule", "only", default=None, metavar="ID", help="只运行一条规则（规则编号见 juesuan rules）。")
@PROFILE
@TOLERANCE
def check(paths: tuple[Path, ...], strict: bool, output: str, only: str | None, profile: str | None,
          tolerance: Decimal) -> None:
    """审核部门数据：表内、表间、文字与表、本年与上年。

    不指定 PATH 时审核 content/ 下的全部文件。退出码：0 通过，1 有错误（--strict 时含警告），2 用法错误或文件无法读取。
    """

    if only and only not in load_rules():
        click.echo(f"没有规则 {only}；可用的规则：{'、'.join(load_rules())}", err=True)
        sys.exit(2)
    try:
        report = check_files(list(paths) or [Path("content")], only, SettingsByRoot(profile=profile, tolerance=tolerance))
    except ContentError as exc:
        _fail(exc, 2, "无法审核")
        return
    if output == "json":
        payload = {"departments": [{"file": c.department.source.name, "year": c.department.year,
                                    "id": c.department.id, "findings": [f.as_dict() for f in found]}
                                   for c, found in report.results],
                   "errors": report.count(ERROR), "warnings": report.count(WARNING)}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(finding.format())
        click.echo(f"审核 {len(report.results)} 个文件：错误 {report.count(ERROR)} 个，警告 {report.count(WARNING)} 个，"
                   f"提示 {report.count(NOTICE)} 个。")
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="输出文件，默认为当前目录下的 <部门标识>-<年度>.xlsx。")
@PROFILE
def export(path: Path, output: Path | None, profile: str | None) -> None:
    """把一个部门的各表导出为 Excel 工作簿（与网站发布的相同：每表一个工作表，版式同打印稿，按省份格式）。"""

    try:
        target = export_workbook(path, output, profile)
    except ContentError as exc:
        _fail(exc, 1, "未导出")
        return
    click.echo(f"已导出 {target}")


def _department_id(ctx, param, value: str) -> str:

    if not ID_PATTERN.match(value):
        raise click.BadParameter(f"只能用小写字母、数字和连字符，如 xianyang-rsj；实际为 {value}")
    return value


@main.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--id", "dept_id", required=True, callback=_department_id,
              help="部门标识，即部门文件名（如 xianyang-rsj）。")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="决算年度，如 2023。")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="内容目录；写入 <内容目录>/<年度>/<部门标识>.yaml。")
@click.option("--name", default=None, help="部门名称，新建部门文件时使用（默认取各表“部门：”一行）。")
@PROFILE
def import_workbook(workbook: Path, dept_id: str, year: int, content_dir: Path, name: str | None,
                    profile: str | None) -> None:
    """从决算报表工作簿（每表一个工作表，版式同打印稿）导入各表，写入部门文件的 tables 部分。

    按部门的省份格式读表（--profile，否则部门文件或 site.yaml 中的 profile）：如山西格式另有公开10表。

    全部数字照报表列示（含类、款、合计），由 juesuan check 核对。部门文件已存在时只替换其中的 tables 部分。
    工作簿有问题时列出全部问题（工作表和单元格），退出码为 1，不写任何文件。
    """

    try:
        result = run_import(workbook, dept_id, year, content_dir, name, profile)
    except ContentError as exc:
        _fail(exc, 1, "未写入任何文件")
        return
    labels = [label for label, _ in result.tables]
    what = "新建" if result.created else "更新（只替换了 tables 部分）"
    click.echo(f"已从 {workbook} 导入 {labels[0]}—{labels[-1]}，{what} {result.target}")
    for note in result.notes:
        click.echo(f"提示：{note}")
    if result.created:
        click.echo("其余部分是 juesuan new 的带说明模板（封面为待审查、待审签），请补充。")
    for problem in result.remaining:
        click.echo(f"待补充：{problem.format()}")
    click.echo(f"请运行 juesuan check {result.target} 核对报表的计算和尾差。")


@main.command()
@click.option("--markdown", is_flag=True, help="输出规则说明文档（Markdown），即 docs/rules.md 的内容。")
def rules(markdown: bool) -> None:
    """列出全部审核规则。"""

    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    for r in load_rules().values():
        click.echo(f"{r.id:<22} {r.severity}  {r.title}")


CONTENT = click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
                       default=Path("content"), show_default=True, help="内容目录（<年度>/<部门标识>.yaml）。")


@main.command()
@CONTENT
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="输出文件，默认为 <内容目录>/department.schema.json。")
def schema(content_dir: Path, out: Path | None) -> None:
    """写出部门数据文件的 JSON Schema，供编辑器（如 VS Code 的 YAML 扩展）悬停说明、补全和检查。"""

    try:
        target = write_schema(out or content_dir / SCHEMA_NAME)
    except OSError as exc:
        click.echo(f"无法写出 JSON Schema：{exc.strerror}（{exc.filename}）", err=True)
        sys.exit(2)
    click.echo(f"已写出 {target}；部门文件第一行写 # yaml-language-server: $schema=../{SCHEMA_NAME} 即可引用。")


@main.command()
@click.argument("dept_id", metavar="部门标识")
@click.option("--year", type=int, required=True, help="决算年度，如 2024。")
@click.option("--name", default=None, help="部门名称；用 --from-previous 时默认取上年文件中的名称。")
@CONTENT
@click.option("--from-previous", "from_previous", is_flag=True,
              help="从上年文件 <内容目录>/<年度-1>/<部门标识>.yaml 开始：保留部门概况和名词解释，上年数取自上年决算，本年的数和原因清空。")
@click.option("--force", is_flag=True, help="部门文件已存在时覆盖它。")
def new(dept_id: str, year: int, name: str | None, content_dir: Path, from_previous: bool, force: bool) -> None:
    """新建部门数据文件 <内容目录>/<年度>/<部门标识>.yaml：每个字段带中文说明（含义、单位、出处）。

    同时在内容目录写出 department.schema.json，文件第一行引用它，供编辑器提示。
    退出码：0 已新建，1 文件已存在（加 --force 覆盖），2 用法错误或上年文件无法读取。
    """

    try:
        created = new_department(content_dir, dept_id, year, name, from_previous=from_previous, force=force)
    except NewFileError as exc:
        click.echo(exc.message, err=True)
        sys.exit(exc.code)
    except ContentError as exc:
        _fail(exc, 2, "上年文件无法读取，未新建部门文件")
        return
    click.echo(f"已新建 {created.path}（编辑器提示：{created.schema}）")
    if created.previous:
        click.echo(f"上年数取自 {created.previous}；本年的决算表、数和原因已清空，年初预算保留了上年的科目，"
                   "填写公开05表和各科目的年初预算数后再审核。")
    click.echo(f"填写后运行 juesuan check {created.path} 审核，juesuan serve 预览。")
