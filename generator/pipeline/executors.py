"""Where jobs run: in this process, in local worker processes, or on a Dask cluster.

Every executor is used through the ``concurrent.futures`` interface (``submit`` and
``as_completed``), so the build does not care which one it has. A task is one
department's years in order (``run_batch``): the previous-year rules compare a year with
the one before, and a worker that has just computed last year need not load it again.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from generator import __version__
from generator.errors import ContentError, Problem, debugging, described
from generator.libc import die_with_parent
from generator.pipeline.departments import Job, SourceFile, forget
from generator.pipeline.jobs import Outcome, run_job
from generator.pipeline.record import tool_fingerprint
from generator.pipeline.settings import Settings

DASK = "dask://"
CONNECT_TIMEOUT = "10s"  # how long a build waits for the Dask scheduler before saying it cannot reach it


def run_batch(batch: list[Job], settings: Settings) -> list[Outcome]:
    try:
        return [run_job(job, settings) for job in batch]
    finally:
        forget(batch, settings)


def worker_version() -> str:
    """What a worker answers when asked which juesuan it runs: the version and a digest of its code, built-in
    templates and data (one installed from a checkout in between releases has the same version number)."""
    return f"{__version__}（代码 {tool_fingerprint()[:12]}）"


def check_executor(spec: str | None) -> None:
    """Refuse an --executor value that is not ``dask://HOST:PORT``, before any work starts."""
    if spec is None:
        return
    parts = urlsplit(spec)
    try:
        port = parts.port
    except ValueError:
        port = None
    if not spec.startswith(DASK) or not parts.hostname or port is None:
        raise ContentError([Problem("--executor", None, "", "无法识别的执行方式",
                                    "dask://主机:端口，如 dask://10.0.0.5:8786（Dask 调度器地址）", spec)])


@dataclass(frozen=True)
class Workers:
    """Where batches run, and how many of them are handed out at a time."""

    executor: Executor | None  # None: in this process
    in_flight: int = 1  # enough to keep every worker busy; the rest wait here, planned but not read
    remote: bool = False  # a cluster, whose workers may not see this machine's files: jobs go out with their texts


@contextmanager
def open_executor(spec: str | None, jobs: int, tasks: int) -> Iterator[Workers]:
    """A Dask cluster's executor for ``dask://HOST:PORT``, else ``jobs`` local processes, else this process."""
    with _terminate_as_interrupt():
        if spec is not None:
            with _dask_executor(spec) as workers:
                yield workers
        elif jobs > 1 and tasks > 1:
            with _local_pool(min(jobs, tasks)) as workers:
                yield workers
        else:
            yield Workers(None)


@contextmanager
def _local_pool(processes: int) -> Iterator[Workers]:
    # The workers are forked by the thread that submits the first batch, which is this one (the build's), and
    # it stays inside this block while they live: the parent-death signal of ``_worker_started`` is safe.
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=_fork_context(),
                               initializer=_worker_started, initargs=(os.getpid(),))
    try:
        yield Workers(pool, 4 * processes)
    except BaseException:
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)


STOP_WAIT = 10  # seconds for a terminated worker, and the pool's manager thread, to end


def _worker_started(coordinator: int) -> None:
    """In a worker: Ctrl+C (which the terminal sends to every process of the build) is the coordinator's to handle;
    interrupted here, a worker would hand back the interruption as its result and go on to its next department.
    And the worker ends with its coordinator, even one killed with ``kill -9``, rather than stay on forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked with the coordinator's handler (below)
    die_with_parent()
    if os.getppid() != coordinator:  # the coordinator was gone before the kernel was asked
        os._exit(1)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a CI job's time limit, a service manager) ends the build as Ctrl+C does: the workers are
    stopped and nothing is published. Only the main thread may handle signals; elsewhere SIGTERM keeps its default."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    coordinator = os.getpid()

    def interrupt(signum, frame):
        if os.getpid() != coordinator:  # a worker, signalled between its fork and its initializer
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """A build that failed or was interrupted does not wait for the departments its workers are still rendering.

    The pool's internals are reached for where Python offers no public handle (before 3.14): its processes, to end
    them; its call queue, whose feeder thread may be blocked writing to a worker that is gone and would then block
    the pool's shutdown for ever (the queue is told not to wait for it); and its manager thread, waited for here."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:
        queue.cancel_join_thread()
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(STOP_WAIT)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(STOP_WAIT)


def run_batches(batches: Iterable[list[Job]], settings: Settings, workers: Workers) -> Iterator[list[Outcome]]:
    """Each batch's outcomes as soon as it is done (in any order when an executor runs them).

    In an HTML build, local worker processes are forked after the first batch has run here, so
    they start with its templates compiled and its profiles, layouts and catalogues read (a
    tenth of a second each, next to ~30 ms per department); what that first batch left alive is
    then frozen for the collector (see ``_warm_objects_frozen``), also in a serial build. A PDF
    takes seconds, so there the workers start at once and warm up on their first department.
    """
    batches = list(batches)
    executor = workers.executor
    forked = isinstance(executor, ProcessPoolExecutor) and _fork_context() is not None and not settings.pdf
    if (executor is None or forked) and batches:
        yield run_batch(batches.pop(0), settings)
    with _warm_objects_frozen(bool(batches) and not settings.pdf and (executor is None or forked)):
        if executor is None:
            for batch in batches:
                yield run_batch(batch, settings)
            return
        yield from _handed_out(batches, settings, workers)


def _handed_out(batches: list[list[Job]], settings: Settings, workers: Workers) -> Iterator[list[Outcome]]:
    """The batches run by ``workers.executor``, at most ``workers.in_flight`` at a time, so that the texts
    travelling to a cluster (and the futures of a province's thousands of departments) are never all in
    memory here at once."""
    waiting = deque(batches)
    running: dict[Future, tuple[list[Job], list[Outcome]]] = {}  # in the order handed out; with the unread jobs

    def hand_out() -> Iterator[list[Outcome]]:
        """Fill the window; a batch left with nothing to send (no file of it could be read) comes back at once."""
        while waiting and len(running) < workers.in_flight:
            sent, failed = _read_for_sending(waiting.popleft()) if workers.remote else (waiting.popleft(), [])
            if sent:
                running[workers.executor.submit(run_batch, sent, settings)] = sent, failed
            else:
                yield failed

    try:
        yield from hand_out()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in [f for f in running if f in done]:
                sent, failed = running.pop(future)
                yield failed + _outcomes(future, sent, running, waiting)
            yield from hand_out()
    finally:
        for future in running:
            future.cancel()


def _read_for_sending(batch: list[Job]) -> tuple[list[Job], list[Outcome]]:
    """The batch's jobs with their texts, for a cluster; a job whose file cannot be read, or changed since the build
    was planned, is not sent but comes back at once with that problem, as it would from a local worker. A year's
    file is also the next year's previous: it is read once, and travels once (pickle keeps one copy of a text)."""
    read: dict[str, SourceFile] = {}

    def once(source: SourceFile) -> SourceFile:
        if source.path not in read:
            read[source.path] = source.loaded()
        return read[source.path]

    sent, failed = [], []
    for job in batch:
        try:
            sent.append(job.loaded(once))
        except ContentError as exc:
            failed.append(Outcome(job.year, job.id, job.source.name, problems=exc.problems))
    return sent, failed


def _outcomes(future: Future, batch: list[Job], running: dict[Future, tuple[list[Job], list[Outcome]]],
              waiting: Iterable[list[Job]]) -> list[Outcome]:
    """A batch's outcomes; a worker that died, or a cluster that failed, as a message (never a traceback) that says
    which departments were not made. Exceptions inside a job are the job's problems (``jobs``), not these."""
    try:
        return future.result()
    except Exception as exc:
        if debugging():
            raise
        left = [*batch, *(job for jobs, _failed in running.values() for job in jobs),
                *(job for jobs in waiting for job in jobs)]
        if isinstance(exc, BrokenExecutor):  # a local worker process ended: killed for memory, or crashed in C code
            raise ContentError([Problem(
                "--jobs", None, "",
                f"一个生成进程意外终止（常见原因：内存不足被系统结束，或排版 PDF 时崩溃），{_departments(left)}未生成；"
                "可用更少的并行进程再试，如 --jobs 1（占用内存最少）")]) from None
        raise ContentError([Problem(
            "--executor", None, "",
            f"Dask 集群生成 {_departments(batch)}时出错（{described(exc)}），"
            f"{_departments(left)}未生成；请检查调度器和工作进程，或去掉 --executor 在本机生成")]) from None


def _departments(jobs: list[Job], shown: int = 5) -> str:
    """Departments for a message: 2023 年度 a、2023 年度 b … 等 12 个部门."""
    names = "、".join(f"{job.year} 年度 {job.id}" for job in jobs[:shown])
    return f"{names} 等 {len(jobs)} 个部门" if len(jobs) > shown else f"{names} "


@contextmanager
def _warm_objects_frozen(freeze: bool) -> Iterator[None]:
    """After the first department: what is alive now (modules, compiled templates, layouts, catalogues) is
    left out of the garbage collector's passes for the rest of the build, here and in workers forked from here.

    A department allocates tens of thousands of objects; the collector's full passes would walk all these
    long-lived ones again every few departments (measured: 3–4 ms of GC per department, 1.7 with this).
    """
    if not freeze:
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _fork_context():
    """Fork where there is fork (Linux): workers inherit the warm caches; elsewhere the platform's default."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


@contextmanager
def _dask_executor(spec: str) -> Iterator[Executor]:
    address = "tcp://" + spec[len(DASK):]
    try:
        from distributed import Client
    except ImportError:
        raise ContentError([Problem("--executor", None, "", "使用 Dask 集群需要安装 distributed 包",
                                    'pip install "juesuan[cluster]"', "未安装")]) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ContentError([Problem("--executor", None, "", f"无法连接 Dask 调度器 {address}：{exc}",
                                    "正在运行的 dask scheduler 地址", spec)]) from None
    client_log = logging.getLogger("distributed.client")
    level = client_log.level
    client_log.setLevel(logging.CRITICAL)  # its English "Failed to reconnect…" would come before the message below
    try:
        threads = _check_workers(client, spec)
        # Workers that join later (an adaptive cluster) find work waiting too.
        yield Workers(client.get_executor(), max(2 * threads, 64), remote=True)
    finally:
        client.close()
        client_log.setLevel(level)


def _check_workers(client, spec: str) -> int:
    """Every worker must run this very juesuan, or pages would differ by worker; returns their threads."""
    try:
        versions = client.run(worker_version)
    except Exception as exc:  # a worker without juesuan fails to unpickle the call
        raise ContentError([Problem("--executor", None, "", f"Dask 工作进程无法运行 juesuan：{exc}",
                                    f"每个工作进程都安装了 juesuan {__version__}", spec)]) from None
    if not versions:
        raise ContentError([Problem("--executor", None, "", "Dask 集群中没有工作进程",
                                    "至少一个 dask worker 已连接到调度器", spec)])
    here = worker_version()
    other = sorted({v for v in versions.values() if v != here})
    if other:
        raise ContentError([Problem("--executor", None, "", "Dask 工作进程上的 juesuan 与本机不同（版本号，或代码、内置模板和数据）；"
                                    "请在各工作进程上安装与本机相同的 juesuan", here, "、".join(other))])
    return sum(client.nthreads().values())
