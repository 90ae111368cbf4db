"""One build at a time per site: a lock on ``.<site>.lock`` beside the output folder.

A build cleans up what an interrupted one left beside the site (see ``staging``), takes
departments from the last build's record and writes a new record: a second build running into
the same folder would delete the first's half-written site under it. The lock is an ``flock``
on a file beside the site (never inside it: nothing of it is deployed) holding the running
build's process id, host and start time for the message; the system releases it when that
process ends, however it ends (``kill -9`` too).
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from generator.errors import ContentError, Problem

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, where a build is not locked
    fcntl = None


class SiteBusy(ContentError):
    """Another build is writing the same site."""


def lock_file(out_dir: Path) -> Path:
    out = out_dir.resolve()
    return out.parent / f".{out.name}.lock"


@contextmanager
def site_locked(out_dir: Path) -> Iterator[None]:
    """Hold the site's lock for the block; SiteBusy at once if another build holds it."""
    if fcntl is None:
        yield
        return
    path = lock_file(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(path, str(out_dir))
    _HELD.add(handle)
    try:
        os.write(handle, json.dumps(_holder(), ensure_ascii=False).encode("utf-8"))
        yield
    finally:
        # Removed while still held: a build waiting on this very file finds it gone and locks a new one.
        path.unlink(missing_ok=True)
        _HELD.discard(handle)
        os.close(handle)


_HELD: set[int] = set()  # the locks this process holds


def _not_in_forked_workers() -> None:
    """A worker process forked by the build shares its open lock file; it must not keep the site locked once the
    build itself is gone (killed with ``kill -9``, its workers finishing their departments)."""
    for handle in _HELD:
        os.close(handle)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_not_in_forked_workers)


def _acquire(path: Path, shown: str) -> int:
    """The open lock file, locked; a file removed by the build that held it just before is opened again."""
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(handle)
            os.close(handle)
            raise SiteBusy([Problem(shown, None, "", f"另一个生成（{holder}）正在写入这个网站，本次未生成；"
                                    "请等它完成后再生成（同一输出目录同时只能有一个生成）")]) from None
        except BaseException:
            os.close(handle)
            raise
        if _same_file(handle, path):
            os.ftruncate(handle, 0)
            return handle
        os.close(handle)


def _same_file(handle: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(handle)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _holder() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")}


def _read_holder(handle: int) -> str:
    """The running build as the message names it: 进程 1234，2026-12-02 10:35:09 开始."""
    try:
        holder = json.loads(os.pread(handle, 4096, 0).decode("utf-8"))
        pid, host, started = int(holder["pid"]), str(holder["host"]), str(holder["started"])
    except (OSError, ValueError, KeyError, TypeError):  # it has not written them yet
        return "进程号未知"
    where = "" if host == socket.gethostname() else f"主机 {host} 上的"
    return f"{where}进程 {pid}，{started} 开始"
