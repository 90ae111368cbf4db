"""Incremental builds: unchanged departments are taken from the last build, changed ones rendered again,
and the site is always the one a full build would give."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONTENT, site_tree

import generator.pipeline.record
from generator import __version__
from generator.commands.cli import main
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.search import SEARCH_FOLDER
from generator.pipeline.record import (
    cache_file,
    kept_departments,
    partial_dir,
    partial_file,
)

TONGJI_2023 = Path("2023") / "demo-tongji.yaml"


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def inodes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def department_pages(root: Path) -> set[str]:
    return {str(p.parent.relative_to(root)) for p in root.glob("*/*/index.html")}


def fresh(content: Path, tmp_path: Path, **options) -> dict[str, str]:
    """The site a full build gives, for comparison."""
    out = tmp_path / "fresh" / "site"
    build(content, out, pdf=False, force=True, **options)
    return site_tree(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_renders_nothing(content, tmp_path):
    out = tmp_path / "site"
    first = build(content, out, pdf=False)
    before, links = site_tree(out), inodes(out)
    second = build(content, out, pdf=False)
    assert (first.reused, second.reused) == (0, len(department_pages(out)))
    assert site_tree(out) == before
    kept = [p for p in links if p.count("/") == 2]  # every department's files: the same files on disk
    assert kept and all(inodes(out)[p] == links[p] for p in kept)
    assert cache_file(out).exists() and not (out / cache_file(out).name).exists()  # the record is not deployed


@pytest.mark.slow
def test_editing_one_file_renders_it_and_the_next_year_that_compares_with_it(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    links = inodes(out)
    edit(content / TONGJI_2023, "贯彻执行国家统计法律法规", "贯彻落实国家统计法律法规")
    result = build(content, out, pdf=False)
    total = len(department_pages(out))
    assert result.reused == total - 2  # 2023 and 2024 demo-tongji (its previous-year rules read 2023)
    now = inodes(out)
    changed = {p.split("/")[0] + "/" + p.split("/")[1] for p in links
               if p.count("/") == 2 and now.get(p) != links[p] and not p.startswith(SEARCH_FOLDER + "/")}
    assert changed == {"2023/demo-tongji", "2024/demo-tongji"}
    assert "贯彻落实国家统计法律法规" in (out / "2023" / "demo-tongji" / "index.html").read_text(encoding="utf-8")
    assert site_tree(out) == fresh(content, tmp_path)


@pytest.mark.slow
def test_changed_settings_templates_or_site_config_render_everything(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    assert build(content, out, pdf=False, draft=True).reused == 0
    assert build(content, out, pdf=False, draft=True).reused > 0
    templates = tmp_path / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "table.html").write_text('{% extends "builtin/parts/table.html" %}', encoding="utf-8")
    assert build(content, out, pdf=False, draft=True, template_dir=templates).reused == 0
    (templates / "parts" / "table.html").write_text('{% extends "builtin/parts/table.html" %}{# 改 #}', encoding="utf-8")
    assert build(content, out, pdf=False, draft=True, template_dir=templates).reused == 0
    edit(content / "site.yaml", "title:", "title: 新")
    assert build(content, out, pdf=False, draft=True, template_dir=templates).reused == 0


@pytest.mark.slow
def test_force_renders_everything_and_gives_the_same_site(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    before = site_tree(out)
    assert build(content, out, pdf=False, force=True).reused == 0
    assert site_tree(out) == before


@pytest.mark.slow
def test_a_damaged_file_in_the_site_is_rendered_again(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    before = site_tree(out)
    page = out / "2024" / "demo-yibao" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<h1", b"<H1", 1))  # same size, other content
    os.utime(page, ns=(0, 0))
    result = build(content, out, pdf=False)
    assert result.reused == len(department_pages(out)) - 1
    assert site_tree(out) == before


@pytest.mark.slow
def test_removed_and_added_departments(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    (content / "2024" / "demo-yibao.yaml").rename(content / "2024" / "demo-yibao2.yaml")
    build(content, out, pdf=False)
    assert "2024/demo-yibao2" in department_pages(out) and "2024/demo-yibao" not in department_pages(out)
    assert "demo-yibao/" not in (out / "2024" / "index.html").read_text(encoding="utf-8")
    assert site_tree(out) == fresh(content, tmp_path)


@pytest.mark.slow
def test_a_failed_build_leaves_site_and_record_as_they_were(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, pdf=False)
    before, record = site_tree(out), cache_file(out).read_bytes()
    good = (content / TONGJI_2023).read_text(encoding="utf-8")
    (content / TONGJI_2023).write_text(good + "\n  bad: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(content, out, pdf=False)
    assert site_tree(out) == before and cache_file(out).read_bytes() == record
    assert kept_departments(out) == 1  # demo-tongji 2024, rendered again; the unchanged ones are in the site
    (content / TONGJI_2023).write_text(good, encoding="utf-8")
    assert build(content, out, pdf=False).reused == len(department_pages(out))


@pytest.mark.slow
def test_a_failed_build_keeps_the_departments_it_finished_for_the_next(content, tmp_path):
    out = tmp_path / "site"
    good = (content / TONGJI_2023).read_text(encoding="utf-8")
    (content / TONGJI_2023).write_text(good + "\n  bad: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--no-pdf", "-j", "2"])
    assert result.exit_code == 1 and not out.exists()
    assert result.output.rstrip().endswith("网站未作任何改动；已完成的 4 个部门已保留，再次生成时直接沿用，不必重新生成。")
    assert kept_departments(out) == 4 and partial_dir(out).is_dir()
    (content / TONGJI_2023).write_text(good, encoding="utf-8")
    again = build(content, out, pdf=False)
    assert again.reused == 3  # demo-tongji 2024 compares with the 2023 file, which changed
    assert site_tree(out) == fresh(content, tmp_path)
    assert not partial_dir(out).exists() and not partial_file(out).exists() and kept_departments(out) == 0


@pytest.mark.slow
def test_an_interrupted_build_goes_on_where_it_stopped(content, tmp_path):
    out = tmp_path / "site"
    made = []

    def interrupting(total):
        def step(outcome):
            made.append(outcome)
            if len(made) == 2:
                raise KeyboardInterrupt
        return step

    with pytest.raises(KeyboardInterrupt):
        build(content, out, pdf=False, progress=interrupting)
    assert not out.exists() and kept_departments(out) == 2
    assert build(content, out, pdf=False).reused == 2
    assert site_tree(out) == fresh(content, tmp_path) and not partial_dir(out).exists()


@pytest.mark.slow
def test_refused_departments_are_remembered_and_reported_again(content, tmp_path):
    out = tmp_path / "site"
    edit(content / TONGJI_2023, "2010501: {name: 行政运行, fiscal: 486.32}", "2010501: {name: 行政运行, fiscal: 496.32}")
    first = build(content, out, pdf=False)
    second = build(content, out, pdf=False)
    refused = [(o.year, o.id) for o in first.refused]
    assert (2023, "demo-tongji") in refused and [(o.year, o.id) for o in second.refused] == refused
    assert second.reused == len(first.findings) and second.findings == first.findings
    assert any(f.severity == "错误" and f.found == first.findings[2023, "demo-tongji"][0].found
               for f in second.findings[2023, "demo-tongji"])
    assert not (out / "2023" / "demo-tongji").exists()


def test_the_largest_departments_go_to_the_workers_first():
    from generator.pipeline.build import largest_first
    from generator.pipeline.departments import Job, SourceFile

    def job(dept, year, size):
        return Job(year, dept, SourceFile(f"{year}/{dept}.yaml", str(year), dept, f"{year}/{dept}.yaml", "", size), None)

    batches = [[job("a", 2023, 10)], [job("b", 2023, 500), job("b", 2024, 10)], [job("c", 2023, 300)],
               [job("d", 2023, 10)]]
    assert [batch[0].id for batch in largest_first(batches)] == ["b", "c", "a", "d"]


@pytest.mark.slow
def test_with_no_room_to_keep_them_nothing_of_a_failed_build_stays_on_the_disk(content, tmp_path, monkeypatch):
    def disk_full(path, records):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(generator.pipeline.record, "_write_records", disk_full)
    (content / TONGJI_2023).write_text("year: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(content, tmp_path / "site", pdf=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


@pytest.mark.parametrize("records", [{}, {"2024/b": {"key": "k2", "files": {"2024/b/index.html": [3, 4, "e" * 64]}},
                                          "2023/a": {"outcome": {"name": "某部门\"甲\"", "findings": []}, "key": "k1"}}])
def test_the_record_written_one_department_at_a_time_is_the_json_of_the_whole(tmp_path, records):
    from generator.pipeline.record import FORMAT, _records, _write_records

    target = tmp_path / "cache.json"
    _write_records(target, records)
    whole = {"format": FORMAT, "generator": f"juesuan {__version__}", "departments": records}
    assert target.read_text(encoding="utf-8") == json.dumps(whole, ensure_ascii=False, sort_keys=True) + "\n"
    assert _records(target) == records
