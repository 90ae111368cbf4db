"""Builds handed to a Dask cluster (--executor dask://HOST:PORT) give the same site as a local build."""

import socket

import pytest
from click.testing import CliRunner
from conftest import CONTENT, site_tree

import generator.pipeline.executors
from generator import __version__
from generator.commands.cli import main
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.record import tool_fingerprint

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as local:
        yield local


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_site_as_this_machine(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    address = cluster.scheduler_address.removeprefix("tcp://")
    here = build(CONTENT, tmp_path / "here", pdf=False)
    there = build(CONTENT, tmp_path / "there", pdf=False, executor=f"dask://{address}")
    assert there.pages == here.pages and len(there.pages) > 4
    assert site_tree(tmp_path / "there") == site_tree(tmp_path / "here")
    with distributed.Client(cluster.scheduler_address) as client:  # the work was done by the cluster's workers
        assert sum(client.run(lambda dask_worker: len(dask_worker.data) + dask_worker.state.executed_count).values()) > 0


def test_executor_that_is_not_a_dask_address_is_refused_in_chinese(tmp_path):
    result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"),
                                       "--no-pdf", "--executor", "spark://x:1"])
    assert result.exit_code != 0 and "无法识别的执行方式" in result.output and "dask://主机:端口" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()


@pytest.mark.slow
def test_unreachable_scheduler_is_reported_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(generator.pipeline.executors, "CONNECT_TIMEOUT", "1s")  # refused at once; the wait is no matter
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"),
                                       "--no-pdf", "--executor", f"dask://127.0.0.1:{port}"])
    assert result.exit_code != 0 and "无法连接 Dask 调度器" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()


@pytest.mark.slow
def test_workers_whose_code_differs_from_this_machines_are_refused(cluster, tmp_path, monkeypatch):
    """Same version number, other code (a checkout between releases): their pages could differ from ours."""
    monkeypatch.setattr(generator.pipeline.executors, "tool_fingerprint", lambda: "0" * 64)
    address = cluster.scheduler_address.removeprefix("tcp://")
    with pytest.raises(ContentError) as caught:
        build(CONTENT, tmp_path / "site", pdf=False, executor=f"dask://{address}")
    [problem] = caught.value.problems
    assert problem.message.startswith("Dask 工作进程上的 juesuan 与本机不同")
    assert problem.expected == f"{__version__}（代码 000000000000）"
    assert problem.found == f"{__version__}（代码 {tool_fingerprint()[:12]}）"
    assert not (tmp_path / "site").exists()
