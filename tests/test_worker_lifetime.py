"""The worker processes of `juesuan build -j N` end with their coordinator: killed with `kill -9` (the kernel ends
them) or stopped with SIGTERM (which ends the build as Ctrl+C does). None stays behind holding its memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from generator.pipeline.executors import _worker_started

pytestmark = pytest.mark.slow

# The real command line, whose workers (not the coordinator) take two minutes over each department they get.
SCRIPT = """
import os, sys, time
from pathlib import Path

import generator.pipeline.jobs as jobs
from generator.commands.cli import main

coordinator, compute, started = os.getpid(), jobs.with_profile, Path(sys.argv[1])


def slow_in_a_worker(department, settings):
    if os.getpid() != coordinator:
        (started / str(os.getpid())).touch()
        time.sleep(120)
    return compute(department, settings)


jobs.with_profile = slow_in_a_worker
main(sys.argv[2:], prog_name="juesuan")
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@pytest.fixture
def building(tmp_path):
    """A `juesuan build -j 2 --no-pdf` whose two workers are busy; yields the process and the workers' ids."""
    started = tmp_path / "started"
    started.mkdir()
    script = tmp_path / "build.py"
    script.write_text(SCRIPT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(started), "build", "--content", str(CONTENT), "--out", str(tmp_path / "site"),
         "-j", "2", "--no-pdf", "--force"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)))
    workers: list[int] = []
    try:
        assert wait_until(lambda: len(list(started.iterdir())) == 2, 60), process.poll()
        workers = [int(p.name) for p in started.iterdir()]
        assert all(parent(pid) == process.pid for pid in workers)
        yield process, workers
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_workers_end_when_the_coordinator_is_killed_with_kill_9(building):
    process, workers = building
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 5), [p for p in workers if alive(p)]


def test_sigterm_ends_the_build_as_an_interrupt_and_stops_the_workers(building, tmp_path):
    process, workers = building
    os.kill(process.pid, signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err + out
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 5), [p for p in workers if alive(p)]
    assert not (tmp_path / "site" / "index.html").exists()  # nothing published


def test_a_worker_whose_coordinator_is_already_gone_ends_at_once():
    """Between its fork and its start-up the coordinator may have died: the kernel was not yet asked to end it."""
    child = multiprocessing.get_context("fork").Process(target=_worker_started, args=(os.getpid() + 10_000_000,))
    child.start()
    child.join(10)
    assert child.exitcode == 1
