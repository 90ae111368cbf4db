"""When a build goes wrong for reasons other than bad input: a worker dies, a job hits a defect, a template's
expression fails, the cluster fails, the user presses Ctrl+C. Each is a message in Chinese that says which
departments it concerns; nothing is half written and the previous site stays as it was."""

import multiprocessing
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import watchfiles
from click.testing import CliRunner
from conftest import CONTENT, override_template, site_tree

import generator.commands.build
import generator.pipeline.build
import generator.pipeline.checking
import generator.pipeline.executors
import generator.pipeline.jobs
from generator.buildtime import build_time
from generator.commands.cli import main
from generator.content.siteconfig import load_config
from generator.errors import ContentError
from generator.pipeline.build import build, plan_jobs
from generator.pipeline.executors import Workers, run_batches
from generator.pipeline.record import kept_departments
from generator.pipeline.serve import Preview, watch
from generator.pipeline.settings import Settings


def messages(caught) -> list[str]:
    return [p.format() for p in caught.value.problems]


def rules_failing_for_one(module, error: Exception, monkeypatch) -> None:
    """``module.check_computed`` runs into ``error`` for demo-yibao (2024), as a defect of the tool would."""
    rules = module.check_computed

    def failing_for_one(computed, *args, **options):
        if computed.department.id == "demo-yibao":
            raise error
        return rules(computed, *args, **options)

    monkeypatch.setattr(module, "check_computed", failing_for_one)


@pytest.mark.slow
def test_a_worker_that_dies_leaves_the_previous_site_and_names_what_was_not_made(tmp_path, monkeypatch):
    site = tmp_path / "site"
    build(CONTENT, site, pdf=False)
    before = site_tree(site)
    coordinator, compute = os.getpid(), generator.pipeline.jobs.with_profile

    def dying_in_workers(department, settings):  # as if the system had killed the worker for its memory
        if os.getpid() != coordinator:
            os._exit(9)
        return compute(department, settings)

    monkeypatch.setattr(generator.pipeline.jobs, "with_profile", dying_in_workers)
    with pytest.raises(ContentError) as caught:
        build(CONTENT, site, pdf=False, jobs=2, force=True)
    [message] = messages(caught)
    assert message.startswith("--jobs: 一个生成进程意外终止") and "--jobs 1" in message
    # The largest department is made here before the workers start; the others were the workers'.
    left = message.split("崩溃），")[1].split("未生成")[0]
    assert {name.strip() for name in left.split("、")} == {"2023 年度 demo-tongji", "2024 年度 demo-tongji",
                                                          "2024 年度 demo-yibao", "2024 年度 putuo-czj"}
    assert site_tree(site) == before
    assert not list(tmp_path.glob(".site.new-*")) and kept_departments(site) == 1  # the one made before the fork


@pytest.mark.slow
def test_a_defect_met_in_one_department_names_its_file_in_a_worker_too(content_copy, tmp_path, monkeypatch):
    rules_failing_for_one(generator.pipeline.jobs, KeyError("figure"), monkeypatch)
    for jobs in (1, 2):
        with pytest.raises(ContentError) as caught:
            build(content_copy, tmp_path / f"site-{jobs}", pdf=False, jobs=jobs)
        [message] = messages(caught)
        assert message.startswith(f"{content_copy / '2024' / 'demo-yibao.yaml'}: 处理 2024 年度 咸阳市医疗保障局（演示数据） 时"
                                  "发生内部错误 KeyError: 'figure'（jobs.py 第 ")
        assert message.endswith("请把这条信息和相关文件报告给维护者；设置环境变量 JUESUAN_DEBUG=1 再运行可看到详细的调用栈")
        assert not (tmp_path / f"site-{jobs}").exists()


def test_with_juesuan_debug_a_defect_keeps_its_traceback(content_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_DEBUG", "1")
    monkeypatch.setattr(generator.pipeline.jobs, "check_computed", lambda *args, **options: {}["figure"])
    with pytest.raises(KeyError):
        build(content_copy, tmp_path / "site", pdf=False, jobs=1)


@pytest.mark.slow
def test_an_error_raised_by_an_expression_of_a_template_is_located_in_the_template(content_copy, tmp_path):
    override_template(content_copy, "parts/cover.html", "<p>{{ dept.name }}</p>\n<p>{{ dept.name + 1 }}</p>\n")
    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", pdf=False, jobs=2)
    found = messages(caught)
    assert len(found) == 5
    assert all("cover.html:2" in m and "模板出错：TypeError" in m and "年度" in m for m in found)


def test_a_failing_cluster_is_a_message_naming_the_departments(monkeypatch):
    """Executors other than the local process pool are Dask clusters; a thread pool stands in for one here."""
    config = load_config(CONTENT)
    settings = Settings(config, str(CONTENT), None, None, False, False, Decimal("0.01"), build_time())
    batches = generator.pipeline.build.by_department(plan_jobs(CONTENT))

    def lost(batch, settings):
        raise OSError("与工作进程的连接已断开")

    monkeypatch.setattr(generator.pipeline.executors, "run_batch", lost)
    with ThreadPoolExecutor(1) as pool, pytest.raises(ContentError) as caught:
        list(run_batches(batches, settings, Workers(pool, 2, remote=True)))
    [message] = messages(caught)
    first = "、".join(f"{job.year} 年度 {job.id}" for job in batches[0])
    every = "、".join(f"{job.year} 年度 {job.id}" for batch in batches for job in batch)
    assert message == (f"--executor: Dask 集群生成 {first} 时出错（OSError: 与工作进程的连接已断开），{every} 未生成；"
                       "请检查调度器和工作进程，或去掉 --executor 在本机生成")


def test_ctrl_c_is_a_message_in_chinese_with_the_shells_exit_code(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.commands.build, "run_build", interrupted)
    result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(tmp_path / "site")])
    assert result.exit_code == 130
    assert "已中断" in result.output and "Aborted" not in result.output and "Traceback" not in result.output


def test_an_unexpected_error_in_a_command_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("意外")

    monkeypatch.setattr(generator.commands.build, "run_build", broken)
    args = ["build", "--content", str(CONTENT), "--out", str(tmp_path / "site")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 70 and "Traceback" not in result.output
    assert result.output.startswith("build: 发生内部错误 RuntimeError: 意外") and "JUESUAN_DEBUG=1" in result.output
    monkeypatch.setenv("JUESUAN_DEBUG", "1")
    assert isinstance(CliRunner().invoke(main, args).exception, RuntimeError)


def test_the_preview_server_shows_a_template_expression_error_and_survives_a_defect(content_copy, monkeypatch):
    override_template(content_copy, "parts/cover.html", "<p>{{ dept.name + 1 }}</p>\n")
    preview = Preview(content_copy)
    assert any("cover.html:1" in p.format() and "TypeError" in p.format() for p in preview.problems())

    def broken(changed):
        raise RuntimeError("意外")

    edits = [{(1, str(content_copy / "2023" / "xianyang-rsj.yaml"))}, {(1, str(content_copy / "site.yaml"))}]
    monkeypatch.setattr(watchfiles, "watch", lambda *roots, **options: iter(edits))
    monkeypatch.setattr(preview, "rebuild", broken)
    reports = []
    watch(preview, None, threading.Event(), lambda rebuilt, problems: reports.append(problems))
    assert len(reports) == 2  # it went on watching after the first failure
    assert all(p[0].format().startswith("juesuan serve: 重新生成预览时发生内部错误 RuntimeError: 意外") for p in reports)


def test_check_names_the_file_whose_rules_run_into_a_defect_and_checks_the_others(monkeypatch):
    rules_failing_for_one(generator.pipeline.checking, ZeroDivisionError("division by zero"), monkeypatch)
    result = CliRunner().invoke(main, ["check", str(CONTENT)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if "内部错误" in line]
    assert line.startswith("content/2024/demo-yibao.yaml: 审核时发生内部错误 ZeroDivisionError: division by zero")


@pytest.mark.slow
def test_an_interrupted_parallel_build_stops_its_workers_at_once(tmp_path, monkeypatch):
    coordinator, compute = os.getpid(), generator.pipeline.jobs.with_profile
    finished = tmp_path / "finished"

    def slow_in_a_worker(department, settings):
        if os.getpid() != coordinator and department.id == "demo-yibao":
            time.sleep(30)
            finished.write_text("the worker rendered on after the build had stopped")
        return compute(department, settings)

    def interrupted_at_the_second(total):
        seen = []

        def step(outcome):
            seen.append(outcome)
            if len(seen) == 2:
                raise KeyboardInterrupt
        return step

    monkeypatch.setattr(generator.pipeline.jobs, "with_profile", slow_in_a_worker)
    with pytest.raises(KeyboardInterrupt):
        build(CONTENT, tmp_path / "site", pdf=False, jobs=2, progress=interrupted_at_the_second)
    assert not multiprocessing.active_children() and not finished.exists()


def test_a_full_disk_is_the_machines_problem_not_a_defect(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "site" / "2023" / "a.pdf"))

    monkeypatch.setattr(generator.commands.build, "run_build", full)
    result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(tmp_path / "site")])
    assert result.exit_code == 74 and "内部错误" not in result.output and "Traceback" not in result.output
    assert result.output.strip() == f"无法读写文件：{tmp_path / 'site' / '2023' / 'a.pdf'}（No space left on device），网站未作任何改动。"


@pytest.mark.slow
def test_running_out_of_memory_in_one_department_says_so(content_copy, tmp_path, monkeypatch):
    rules_failing_for_one(generator.pipeline.jobs, MemoryError(), monkeypatch)
    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", pdf=False)
    [message] = messages(caught)
    assert message == (f"{content_copy / '2024' / 'demo-yibao.yaml'}: 处理 2024 年度 咸阳市医疗保障局（演示数据） 时内存不足；"
                       "可用更少的并行进程再试，如 --jobs 1")


@pytest.mark.slow
def test_a_file_edited_during_the_build_is_named_and_the_next_build_takes_the_edit(content_copy, tmp_path):
    """Jobs read their files when they start; one edited since the build was planned would not match the cache
    key and the previous-year comparisons made from the planned content, so the build stops and says so."""
    edited = content_copy / "2024" / "demo-yibao.yaml"
    original = edited.read_text(encoding="utf-8")

    def edit_after_the_first(total):  # xianyang-rsj, the largest, goes first; demo-yibao comes later
        def step(outcome):
            if not edited.read_text(encoding="utf-8").endswith("# 改过\n"):
                edited.write_text(original + "# 改过\n", encoding="utf-8")
        return step

    site = tmp_path / "site"
    with pytest.raises(ContentError) as caught:
        build(content_copy, site, pdf=False, progress=edit_after_the_first)
    assert messages(caught) == [f"{edited}: 文件在生成过程中被改动，本次生成未完成；改完后再生成一次即可（已完成的部门会沿用）"]
    assert not site.exists() and kept_departments(site) == 4
    again = build(content_copy, site, pdf=False)
    assert again.reused == 4 and (site / "2024" / "demo-yibao" / "index.html").is_file()


@pytest.mark.slow
def test_a_file_two_jobs_read_is_reported_once_when_it_is_edited_during_the_build(content_copy, tmp_path):
    """demo-tongji's 2023 file is its 2023 job's and, for the previous-year rules, its 2024 job's too."""
    edited = content_copy / "2023" / "demo-tongji.yaml"
    original = edited.read_text(encoding="utf-8")

    def edit_after_the_first(total):  # xianyang-rsj, the largest, goes first
        def step(outcome):
            edited.write_text(original + "# 改过\n", encoding="utf-8")
        return step

    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", pdf=False, progress=edit_after_the_first)
    assert messages(caught) == [f"{edited}: 文件在生成过程中被改动，本次生成未完成；改完后再生成一次即可（已完成的部门会沿用）"]
