"""Writing the site atomically: build everything in a temporary directory, then swap.

A failed or interrupted build leaves the previous output untouched. What the previous site
holds beyond the tool's own files is carried into the new one (see ``foreign``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from generator.errors import ContentError, Problem
from generator.libc import libc
from generator.pipeline.foreign import carry_foreign
from generator.pipeline.manifest import (
    check_staged,
    is_built_site,
    listed_files,
    write_manifest,
)


class UnsafePath(ValueError):
    """A page path that would escape the output directory."""


def safe_relative(path: str) -> PurePosixPath:
    return PurePosixPath(_checked(path))


def _checked(path: str) -> str:
    """``path`` if it stays below the folder it is relative to (as PurePosixPath reads it: not absolute, no
    ``..`` part, some name), else UnsafePath."""
    parts = path.split("/")
    if path.startswith("/") or ".." in parts or all(part in ("", ".") for part in parts):
        raise UnsafePath(path)
    return path


def write_site(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path → bytes) as the whole content of ``out_dir``."""
    with Staging(out_dir) as staging:
        for rel, data in sorted(files.items()):
            staging.write(rel, data)
        staging.commit()


class Staging:
    """A new site written file by file beside the old one, swapped in whole by ``commit``.

    Leaving the ``with`` block without committing (an error, Ctrl-C) removes it, so the
    previous site stays as it was. Every file's size and SHA-256 are kept for the manifest.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.digests: dict[str, tuple[int, str]] = {}  # path → (size, sha256)
        self.path: Path | None = None
        self._root = ""  # self.path as text: files are written by plain string paths, pathlib costs more
        self._folders: set[str] = set()
        self._listed: set[str] | None = None  # the last build's files by its manifest, read once

    def __enter__(self) -> "Staging":
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(self.out_dir)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        self.path.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
        self._root = str(self.path)
        return self

    def __exit__(self, *exc) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)

    def write(self, rel: str, data: bytes) -> tuple[int, str]:
        target = self._target(rel)
        try:
            with open(target, "wb") as out:
                out.write(data)
        except OSError as exc:  # a full disk fails the write, not the open: say which file
            exc.filename = exc.filename or target
            raise
        self.digests[rel] = (len(data), hashlib.sha256(data).hexdigest())
        return self.digests[rel]

    def adopt(self, rel: str, source: Path, size: int, sha256: str) -> None:
        """Take an unchanged file from the previous site: a hard link, or a copy across file systems."""
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        self.digests[rel] = (size, sha256)

    def detach(self) -> Path:
        """The directory being written, no longer removed on leaving the ``with`` block: the caller keeps it."""
        path, self.path = self.path, None
        return path

    def keep_foreign(self) -> list[str]:
        """Carry what the previous site holds beyond the files its manifest lists (a webmaster's ``.git``,
        ``CNAME``…) into the new one, after the tool's own files; returns the warnings (see ``foreign``)."""
        return carry_foreign(str(self.out_dir), self._root, self._last_listed())

    def is_foreign(self, rel: str) -> bool:
        """Whether the previous site holds ``rel`` and its manifest does not list it: a file a webmaster put there,
        which the new site keeps."""
        return os.path.lexists(os.path.join(self.out_dir, rel)) and rel not in self._last_listed()

    def _last_listed(self) -> set[str]:
        if self._listed is None:
            self._listed = listed_files(self.out_dir)
        return self._listed

    def commit(self, manifest: tuple[str, datetime] | None = None) -> None:
        """Swap the new site in; with ``(version, built_at)``, add manifest.json and SHA256SUMS first, once every
        file they list is found in place (ContentError if not: nothing is published)."""
        if manifest is not None:
            check_staged(self._root, self.digests, str(self.out_dir))
            write_manifest(self._root, self.digests, *manifest)
        _swap(self.path, self.out_dir)
        self.path = None

    def _target(self, rel: str) -> str:
        """Where ``rel`` goes in the staging directory, its folder made (once)."""
        folder = _checked(rel).rpartition("/")[0]
        if folder not in self._folders:
            os.makedirs(os.path.join(self._root, folder), exist_ok=True)
            self._folders.add(folder)
        return os.path.join(self._root, rel)


def recover_interrupted(out_dir: Path) -> None:
    """Clean up after a build that was killed: put back a site moved aside, drop half-written ones."""
    leftovers = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and leftovers:
        os.rename(leftovers.pop(), out_dir)
    for stale in leftovers + sorted(out_dir.parent.glob(f".{out_dir.name}.new-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):  # one atomic step: there is always a complete site at out_dir
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


AT_FDCWD, RENAME_EXCHANGE = -100, 2


def check_output_dir(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output directory whose replacement would destroy something that is not a built site."""
    out = out_dir.resolve()
    shown = str(out_dir)
    for source in inputs:
        if source.resolve() == out or out in source.resolve().parents:
            raise ContentError([Problem(shown, None, "", "输出目录包含内容或模板目录，生成时会被整体替换",
                                        "单独的目录，如 site", shown)])
    if out.exists() and not out.is_dir():
        raise ContentError([Problem(shown, None, "", "输出路径是一个文件，不是目录", "目录", shown)])
    if out.is_dir() and any(out.iterdir()) and not is_built_site(out):
        raise ContentError([Problem(shown, None, "", "输出目录已存在且不是本工具生成的站点；"
                                    "为免覆盖其中的文件，请指定新的目录，或确认后先清空它", "空目录或以前生成的站点",
                                    "含其他文件的目录")])


def write_file(target: Path, data: bytes) -> None:
    """Write one file so that readers never see it half-written."""
    with replaced_whole(target) as out:
        out.write(data)


@contextmanager
def replaced_whole(target: Path) -> Iterator[BinaryIO]:
    """A file to write in pieces that takes the place of ``target`` in one step once the block ends, and not at
    all if the block fails. A symbolic link stays: the file it points to is the one replaced. ContentError, before
    anything is written, for a target that is a folder, named pipe, device or socket."""
    real = _regular_file(target)
    real.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.chmod(temporary, 0o644)
        os.replace(temporary, real)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _regular_file(target: Path) -> Path:
    """Where writing ``target`` goes: the file itself, or the one a symbolic link points to, if it is a regular file
    or does not exist yet."""
    real = Path(os.path.realpath(target))
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    if stat.S_ISREG(mode):
        return real
    kind = _KINDS.get(stat.S_IFMT(mode), "特殊文件")
    raise ContentError([Problem(str(target), None, "", f"输出路径不是普通文件，而是{kind}；为免破坏它，未写入",
                                "普通文件或尚不存在的文件的路径", kind)])


_KINDS = {stat.S_IFDIR: "目录", stat.S_IFIFO: "命名管道", stat.S_IFCHR: "字符设备", stat.S_IFBLK: "块设备",
          stat.S_IFSOCK: "套接字"}
