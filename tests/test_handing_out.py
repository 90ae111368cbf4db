"""How the coordinator hands jobs out: planned from each file's digest, read only when handed out, a few at a time,
so that a province's content and its thousands of futures are never all in the coordinator's memory."""

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from conftest import CONTENT

from generator.buildtime import build_time
from generator.content.siteconfig import load_config
from generator.forms.profiles import available_profiles
from generator.errors import ContentError
from generator.pipeline.build import by_department, plan_jobs
from generator.pipeline.departments import SourceFile
from generator.pipeline.executors import Workers, run_batches
from generator.pipeline.settings import Settings


class Recording(ThreadPoolExecutor):
    """A stand-in for a cluster's executor: notes how many tasks it holds at once and what they carry."""

    def __init__(self):
        super().__init__(1)
        self.lock, self.held, self.most, self.texts = threading.Lock(), 0, 0, []

    def submit(self, fn, batch, settings):
        with self.lock:
            self.held += 1
            self.most = max(self.most, self.held)
            self.texts.append([job.source.text for job in batch])
        future = super().submit(fn, batch, settings)
        future.add_done_callback(self._released)
        return future

    def _released(self, future):
        with self.lock:
            self.held -= 1


def settings_for_html():
    return Settings(load_config(CONTENT), str(CONTENT), None, None, False, False, Decimal("0.01"), build_time(),
                    profiles=tuple(available_profiles(CONTENT)))


def test_planned_jobs_carry_the_digest_of_their_files_not_their_text():
    jobs = plan_jobs(CONTENT)
    assert len(jobs) == 5 and all(job.source.text is None and len(job.source.digest) == 64 for job in jobs)
    rsj = next(job for job in jobs if job.id == "xianyang-rsj")
    assert rsj.source.size == (CONTENT / "2023" / "xianyang-rsj.yaml").stat().st_size
    assert rsj.loaded().source.text == (CONTENT / "2023" / "xianyang-rsj.yaml").read_text(encoding="utf-8")


def test_a_cluster_is_handed_a_few_batches_at_a_time_with_their_texts():
    batches = by_department(plan_jobs(CONTENT))
    assert len(batches) == 4
    with Recording() as cluster:
        outcomes = [o for done in run_batches(batches, settings_for_html(), Workers(cluster, 1, remote=True))
                    for o in done]
    assert sorted((o.year, o.id) for o in outcomes) == sorted((job.year, job.id) for batch in batches for job in batch)
    assert not any(o.problems for o in outcomes)
    assert cluster.most == 1 and len(cluster.texts) == 4
    assert all(text and "department:" in text for texts in cluster.texts for text in texts)


def test_a_file_removed_after_planning_is_named_when_its_job_reads_it(tmp_path):
    target = tmp_path / "2023" / "demo-tongji.yaml"
    target.parent.mkdir()
    shutil.copy(CONTENT / "2023" / "demo-tongji.yaml", target)
    source = SourceFile.read(target, "content/2023/demo-tongji.yaml")
    target.unlink()
    with pytest.raises(ContentError) as caught:
        source.loaded()
    assert [p.format() for p in caught.value.problems] == [
        "content/2023/demo-tongji.yaml: 文件在生成过程中无法再读取（文件不存在），本次生成未完成；"
        "文件恢复后再生成一次即可（已完成的部门会沿用）"]


def test_a_file_edited_before_it_is_sent_to_a_cluster_is_its_jobs_problem_and_the_others_go_on(content_copy):
    """As with local workers: the jobs that read the file (its own year, and the next year's previous) come back
    with the problem, unsent; a batch with nothing left to send is not submitted at all."""
    batches = by_department(plan_jobs(content_copy))
    edited = content_copy / "2023" / "demo-tongji.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 改过\n", encoding="utf-8")
    settings = Settings(load_config(content_copy), str(content_copy), None, None, False, False, Decimal("0.01"),
                        build_time(), profiles=tuple(available_profiles(content_copy)))
    with Recording() as cluster:
        outcomes = {(o.year, o.id): o for done in run_batches(batches, settings, Workers(cluster, 1, remote=True))
                    for o in done}
    assert sorted(outcomes) == [(2023, "demo-tongji"), (2023, "xianyang-rsj"), (2024, "demo-tongji"),
                                (2024, "demo-yibao"), (2024, "putuo-czj")]
    for key in [(2023, "demo-tongji"), (2024, "demo-tongji")]:
        assert [p.format() for p in outcomes[key].problems] == [
            f"{edited}: 文件在生成过程中被改动，本次生成未完成；改完后再生成一次即可（已完成的部门会沿用）"]
    assert not any(outcomes[key].problems for key in [(2023, "xianyang-rsj"), (2024, "demo-yibao"), (2024, "putuo-czj")])
    assert len(cluster.texts) == 3  # xianyang-rsj, demo-yibao and putuo-czj; demo-tongji was never sent
