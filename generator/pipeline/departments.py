"""The one place that turns department files into computed departments, for every command.

Finding the files (``content/<year>/<id>.yaml``) and each one's file for the year before, reading and
validating a file, checking that its ``year`` is its folder's, choosing its profile, computing its tables
and running the rules: ``build``, ``check``, ``serve``, ``pdf``, ``export`` and ``import`` all go through
here, so they cannot disagree about a file.

A file is planned from its digest and size (``SourceFile``); its text is read when its job is handed out
(``SourceFile.loaded``), so a province's content is never all in memory at once. Only regular files inside the
content directory are read (a symlink leading out of it is refused); YAML files the layout leaves out (``.yml``,
``.YAML``, those in sub-folders of a year folder) are named by ``unread_files`` for the commands to mention.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from generator.compute.figures import Computed
from generator.compute.tables import compute
from generator.content.department import read_department
from generator.content.model import Department
from generator.errors import ContentError, Problem, display_path
from generator.pipeline.settings import Settings
from generator.source.yamlfile import Unreadable, inside, load_yaml_text, outside, read_regular

SUFFIX = ".yaml"


@dataclass(frozen=True)
class SourceFile:
    """A department file as planned: where it lives (for messages), its content's SHA-256 and size, and, once
    its job is handed out, its text."""

    name: str  # as shown in messages, e.g. content/2023/xianyang-rsj.yaml
    year_folder: str  # the folder it sits in: its year, for files under a content directory
    stem: str  # the file name without .yaml: the department id unless the file says otherwise
    path: str  # read from here by a local job, or by the coordinator before it sends the job to a cluster
    digest: str  # SHA-256 of its bytes when the run was planned
    size: int  # in bytes
    text: str | None = None  # filled in by ``loaded``

    @classmethod
    def read(cls, path: Path, name: str) -> "SourceFile":
        """The file's digest and size; its text is read again when its job is handed out. Unreadable, or
        UnicodeDecodeError for a file that is not UTF-8 text."""
        data = read_regular(path)
        data.decode("utf-8")
        return cls(name, path.parent.name, path.stem, str(path), hashlib.sha256(data).hexdigest(), len(data))

    def loaded(self) -> "SourceFile":
        """This file with its text, which must still be what was planned: the build's cache keys and its
        previous-year comparisons were made from that."""
        if self.text is not None:
            return self
        try:
            data = read_regular(Path(self.path))
        except Unreadable as exc:
            raise ContentError([Problem(self.name, None, "", f"文件在生成过程中无法再读取（{exc}），本次生成未完成；"
                                        "文件恢复后再生成一次即可（已完成的部门会沿用）")]) from None
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise ContentError([Problem(self.name, None, "", "文件在生成过程中被改动，本次生成未完成；"
                                        "改完后再生成一次即可（已完成的部门会沿用）")])
        return replace(self, text=data.decode("utf-8"))


@dataclass(frozen=True)
class Job:
    """One department-year: its file, and the same department's file for the year before if there is one."""

    year: int
    id: str
    source: SourceFile
    previous: SourceFile | None

    def loaded(self, read: Callable[[SourceFile], SourceFile] = SourceFile.loaded) -> "Job":
        """The job with its files' texts, to hand out (see ``SourceFile.loaded``)."""
        previous = read(self.previous) if self.previous is not None else None
        return replace(self, source=read(self.source), previous=previous)


# -- finding the files ---------------------------------------------------------------------------------------

def discover(content_dir: Path) -> list[Path]:
    """Department files: content/<year>/<id>.yaml."""
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), None, "", "内容目录不存在",
                                    "包含 <年度>/<部门标识>.yaml 的目录", str(content_dir))])
    return sorted(p for p in content_dir.glob(f"*/*{SUFFIX}") if is_year(p.parent.name))


def is_year(name: str) -> bool:
    """Whether a folder's name is a year's: ASCII digits (``str.isdigit`` also takes ``²⁰²⁴``)."""
    return name.isascii() and name.isdigit()


def unread_files(paths: list[Path]) -> list[Problem]:
    """A notice for each YAML file in the year folders of ``paths`` (content or year directories, as ``named_files``
    takes them) that is not read: not named ``<id>.yaml`` (``.yml``, ``.YAML``), or in a sub-folder of a year folder;
    and for each one in a folder whose digits are not ASCII ones (``²⁰²⁴``)."""
    notices = []
    for folder in _year_folders(paths):
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                read = path.parent == folder and name.endswith(SUFFIX) and is_year(folder.name)
                if name.lower().endswith((".yaml", ".yml")) and not read:
                    notices.append(Problem(display_path(path), None, "", _unread_reason(path, folder)))
    return notices


def _year_folders(paths: list[Path]) -> list[Path]:
    folders = []
    for path in paths:
        if path.is_dir():
            folders += [path] if path.name.isdigit() else sorted(f for f in path.iterdir() if f.name.isdigit()
                                                                 and f.is_dir())
    return folders


def _unread_reason(path: Path, folder: Path) -> str:
    if not is_year(folder.name):
        return f"未读取：年度目录名应为阿拉伯数字，如 2024（实际为 {folder.name}）"
    if path.parent != folder:
        return f"未读取：部门数据文件应直接放在年度目录中，如 {folder.name}/{path.stem}{SUFFIX}"
    return f"未读取：部门数据文件的扩展名应为小写的 {SUFFIX}，如 {path.stem}{SUFFIX}"


def named_files(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and every <year>/<id>.yaml below named directories."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += discover(path) if not is_year(path.name) else sorted(path.glob(f"*{SUFFIX}"))
        elif os.path.lexists(path):  # a file, or what reading it will say is not one
            files.append(path)
        else:
            raise ContentError([Problem(str(path), None, "", "找不到该文件或目录", "部门数据文件或内容目录", str(path))])
    return files


def content_root(path: Path) -> Path:
    """The content directory of a department file content/<year>/<id>.yaml (where site.yaml lives)."""
    folder = path.parent
    return folder.parent if is_year(folder.name) else folder


def previous_path(path: Path) -> Path | None:
    """The same department's file for the year before: content/<year - 1>/<id>.yaml, if there is one."""
    folder = path.parent
    if not is_year(folder.name):
        return None
    candidate = folder.parent / str(int(folder.name) - 1) / path.name
    return candidate if candidate.is_file() else None


def plan(paths: list[Path]) -> list[Job]:
    """One job per department file, in the order given, with its previous year's file. ContentError names every
    file that cannot be read."""
    problems: list[Problem] = []
    sources: dict[Path, SourceFile] = {}
    previous = {path: previous_path(path) for path in paths}
    for path in paths:
        for each in (path, previous[path]):
            if each is None or each in sources:
                continue
            name = display_path(each)
            if _leads_out(each):
                problems.append(outside(name))
                continue
            try:
                sources[each] = SourceFile.read(each, name)
            except UnicodeDecodeError:
                problems.append(Problem(name, None, "", "文件不是 UTF-8 编码的文本", "UTF-8 编码的 YAML 文件"))
            except Unreadable as exc:
                problems.append(Problem(name, None, "", f"无法读取文件：{exc}"))
    if problems:
        raise ContentError(problems)
    jobs = []
    for path in dict.fromkeys(paths):
        source, last = sources[path], previous[path]
        year = int(source.year_folder) if is_year(source.year_folder) else 0
        jobs.append(Job(year, source.stem, source, sources.get(last) if last else None))
    return jobs


def _leads_out(path: Path) -> bool:
    """Whether a department file, or its year folder, is a symlink out of its content directory (resolving the path
    only when one of them is a symlink: planning a province's files stays cheap)."""
    return (path.is_symlink() or path.parent.is_symlink()) and not inside(path, content_root(path))


# -- reading and computing -----------------------------------------------------------------------------------

def read_source(source: SourceFile) -> Department:
    """The department of one file, validated; its year must be its folder's. ContentError lists every problem."""
    department = read_department(load_yaml_text(source.text, source.name), source.stem)
    if is_year(source.year_folder) and str(department.year) != source.year_folder:
        raise ContentError([department.source.problem(("year",), "文件所在年度目录与 year 字段不一致",
                                                      source.year_folder, str(department.year))])
    return department


def computed_department(source: SourceFile, settings: Settings) -> Computed:
    """One file read, validated, given its profile and computed (its text read now if it is not yet)."""
    return with_profile(read_source(source.loaded()), settings)


def with_profile(department: Department, settings: Settings) -> Computed:
    """A department computed under the profile the settings give it (see ``Settings.profile_for``)."""
    return compute(department, settings.profile_of(department))


def previous_computed(source: SourceFile | None, settings: Settings) -> Computed | None:
    """Last year's figures for the previous-year rules; a broken file there is its own job's problem."""
    if source is None:
        return None
    key = _memo_key(source, settings)
    if key not in _RECENT:  # computed by last year's own job (the key has its digest), or read now
        loaded = source.loaded()  # a file edited since planning is this job's problem too: not in the try
        try:
            _remember(key, computed_department(loaded, settings))
        except ContentError:
            return None
    return _RECENT[key]


def remember(source: SourceFile, settings: Settings, computed: Computed) -> None:
    """Keep a department's figures for the next year's job, which compares against them."""
    _remember(_memo_key(source, settings), computed.slim())


# Jobs go out sorted by department and year, so a worker has usually just computed last year's file.
_RECENT: OrderedDict[tuple, Computed] = OrderedDict()
_RECENT_SIZE = 8


def forget(jobs: list[Job], settings: Settings) -> None:
    """Drop these jobs' figures (and their previous years') from the memo once their batch is done: a batch is
    all the years of one department, so no other batch reads them, and kept they would only lengthen every
    garbage collection of the batches to come."""
    for job in jobs:
        for source in (job.source, job.previous):
            if source is not None:
                _RECENT.pop(_memo_key(source, settings), None)


def _memo_key(source: SourceFile, settings: Settings) -> tuple:
    return source.name, source.digest, settings.content_dir, settings.profile, settings.config.profile


def _remember(key: tuple, computed: Computed) -> None:
    _RECENT[key] = computed
    _RECENT.move_to_end(key)
    while len(_RECENT) > _RECENT_SIZE:
        _RECENT.popitem(last=False)
