"""Nothing of a published site is lost: one build at a time writes a site, a site is swapped in only whole, files a
webmaster put into it are kept, a folder the tool did not build is not taken for a site, and a department refused by
its checks keeps the version published before."""

import fcntl
import json
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from conftest import CONTENT, site_tree

from generator.commands.cli import main
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.foreign import carry_foreign
from generator.pipeline.manifest import listed_files, write_manifest
from generator.pipeline.sitelock import site_locked

TONGJI_2023 = os.path.join("2023", "demo-tongji.yaml")
WRONG_FIGURE = ("2010501: {name: 行政运行, fiscal: 486.32}", "2010501: {name: 行政运行, fiscal: 496.32}")


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def manifest_paths(site) -> set[str]:
    return {f["path"] for f in json.loads((site / "manifest.json").read_text(encoding="utf-8"))["files"]}


def checksums_hold(site) -> bool:
    return subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=site, capture_output=True).returncode == 0


# ---- one build at a time --------------------------------------------------------------------------------------

def test_a_second_build_refuses_at_once_naming_the_running_one_and_touches_nothing(tmp_path):
    site = tmp_path / "site"
    running = tmp_path / ".site.new-abc123"  # the running build's half-written site
    (running / "2023").mkdir(parents=True)
    (running / "2023" / "index.html").write_text("写到一半", encoding="utf-8")
    with open(tmp_path / ".site.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder = {"pid": 4242, "host": socket.gethostname(), "started": "2026-12-02 10:35:09"}
        lock.write(json.dumps(holder))
        lock.flush()
        with pytest.raises(ContentError) as caught:
            build(CONTENT, site, pdf=False)
        result = CliRunner().invoke(main, ["build", "--content", str(CONTENT), "--out", str(site), "--no-pdf"])
    [problem] = caught.value.problems
    assert "另一个生成（进程 4242，2026-12-02 10:35:09 开始）正在写入这个网站" in problem.format()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "进程 4242" in result.output and "网站未作任何改动" in result.output
    assert (running / "2023" / "index.html").read_text(encoding="utf-8") == "写到一半"
    assert not site.exists()


@pytest.mark.slow
def test_a_build_holds_the_lock_to_the_end_and_publishes_its_whole_site(tmp_path):
    """The first build, paused after its first department, keeps its staged site: the second refuses."""
    site = tmp_path / "site"
    paused, go_on = threading.Event(), threading.Event()
    results, errors = [], []

    def pausing(total):
        def step(outcome):
            paused.set()
            go_on.wait(60)
        return step

    def first_build():
        try:
            results.append(build(CONTENT, site, pdf=False, force=True, progress=pausing))
        except BaseException as exc:
            errors.append(exc)

    first = threading.Thread(target=first_build)
    first.start()
    try:
        assert paused.wait(60)
        with pytest.raises(ContentError) as caught:
            build(CONTENT, site, pdf=False, force=True)
        assert f"进程 {os.getpid()}，" in caught.value.problems[0].format()
    finally:
        go_on.set()
        first.join(120)
    assert not errors and results
    assert {p.split("/")[0] + "/" + p.split("/")[1] for p in results[0].pages if p.count("/") == 2} == {
        "2023/demo-tongji", "2023/xianyang-rsj", "2024/demo-tongji", "2024/demo-yibao", "2024/putuo-czj"}
    assert manifest_paths(site) == set(site_tree(site)) - {"manifest.json", "SHA256SUMS"} and checksums_hold(site)
    assert not (tmp_path / ".site.lock").exists()
    build(CONTENT, site, pdf=False)  # the lock is free again


@pytest.mark.slow
def test_a_staged_site_that_lost_a_file_is_not_published(tmp_path):
    site = tmp_path / "site"
    removed = []

    def removing_a_page(total):
        def step(outcome):
            if not removed:
                [staged] = tmp_path.glob(".site.new-*")
                page = staged / str(outcome.year) / outcome.id / "index.html"
                page.unlink()
                removed.append(f"{outcome.year}/{outcome.id}/index.html")
        return step

    with pytest.raises(ContentError) as caught:
        build(CONTENT, site, pdf=False, progress=removing_a_page)
    [problem] = caught.value.problems
    assert removed[0] in problem.format() and "与文件清单不符，网站未作任何改动" in problem.format()
    assert not site.exists() and not list(tmp_path.glob(".site.new-*"))


# ---- what is not the tool's stays -------------------------------------------------------------------------------

BASE_URL = "https://www.example.gov.cn/juesuan/"  # a site with one has no warning about the sitemap


def add_webmasters_files(site) -> dict[str, bytes]:
    files = {".git/HEAD": b"ref: refs/heads/gh-pages\n", ".git/objects/ab/cdef": b"\x78\x01blob",
             "CNAME": b"juesuan.example.gov.cn\n", "favicon.ico": b"\x00\x00\x01\x00",
             "2023/xianyang-rsj/附件/说明.docx": b"an upload inside a department's folder"}
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    (site / ".git" / "objects" / "ab" / "cdef").chmod(0o444)
    (site / ".git" / "refs" / "tags").mkdir(parents=True)  # empty folders
    (site / "uploads").mkdir()
    (site / "latest").symlink_to("2024")
    (site / "home.html").symlink_to("index.html")
    (site / "gone").symlink_to("nowhere")
    return files


@pytest.mark.slow
@pytest.mark.parametrize("force", [False, True])
def test_files_a_webmaster_put_into_the_site_survive_a_rebuild(tmp_path, force):
    site = tmp_path / "site"
    build(CONTENT, site, pdf=False, base_url=BASE_URL)
    ours = manifest_paths(site)
    files = add_webmasters_files(site)
    result = build(CONTENT, site, pdf=False, force=force, base_url=BASE_URL)
    for rel, data in files.items():
        assert (site / rel).read_bytes() == data, rel
    assert result.reused == (0 if force else 5) and result.warnings == []
    assert (site / ".git" / "objects" / "ab" / "cdef").stat().st_mode & 0o777 == 0o444
    assert (site / ".git" / "refs" / "tags").is_dir() and (site / "uploads").is_dir()
    links = {name: os.readlink(site / name) for name in ("latest", "home.html", "gone")}
    assert links == {"latest": "2024", "home.html": "index.html", "gone": "nowhere"}
    assert manifest_paths(site) == ours and checksums_hold(site)
    build(CONTENT, site, pdf=False)  # and again: kept from a site that kept them
    assert all((site / rel).read_bytes() == data for rel, data in files.items())


@pytest.mark.slow
def test_a_file_of_the_webmasters_where_the_tool_now_writes_gives_way_with_a_warning(content_copy, tmp_path):
    site = tmp_path / "site"
    moved = content_copy / "2024" / "demo-yibao.yaml"
    text = moved.read_text(encoding="utf-8")
    moved.unlink()
    build(content_copy, site, pdf=False)
    (site / "2024" / "demo-yibao").mkdir()
    (site / "2024" / "demo-yibao" / "index.html").write_text("站长自己放的页面", encoding="utf-8")
    (site / "2024" / "demo-yibao" / "备注.txt").write_text("保留", encoding="utf-8")
    moved.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--content", str(content_copy), "--out", str(site), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "警告：输出目录中的 2024/demo-yibao/index.html 不是本工具生成的，但本次生成的文件要用这个路径，已被替换。" in result.output
    assert "站长自己放的页面" not in (site / "2024" / "demo-yibao" / "index.html").read_text(encoding="utf-8")
    assert (site / "2024" / "demo-yibao" / "备注.txt").read_text(encoding="utf-8") == "保留"
    assert "2024/demo-yibao/备注.txt" not in manifest_paths(site) and checksums_hold(site)


def test_carrying_keeps_links_read_only_folders_and_gives_way_to_the_tools_files(tmp_path):
    """Without a build: the old site's manifest lists the tool's files; the rest goes into the new site."""
    old, new = tmp_path / "site", tmp_path / "new"
    for rel in ("index.html", "2023/a/index.html", "old/gone.html", "uploads/x.txt", "taken/y.txt", "dir.html/z"):
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text(rel, encoding="utf-8")
    write_manifest(str(old), {rel: (1, "0" * 64) for rel in ("index.html", "2023/a/index.html", "old/gone.html")},
                   "9.9", datetime(2024, 5, 1, tzinfo=timezone.utc))
    (old / "frozen").mkdir(mode=0o555)
    (old / "to-folder").symlink_to("2023", target_is_directory=True)
    for rel in ("index.html", "2023/a/index.html", "taken", "dir.html"):
        (new / rel).parent.mkdir(parents=True, exist_ok=True)
        (new / rel).write_text("the tool's", encoding="utf-8")
    warnings = carry_foreign(str(old), str(new), listed_files(old))
    assert sorted(warnings) == [f"输出目录中的 {rel} 不是本工具生成的，但本次生成的文件要用这个路径，已被替换"
                                for rel in ("dir.html", "taken")]
    assert sorted(str(p.relative_to(new)) for p in new.rglob("*")) == [
        "2023", "2023/a", "2023/a/index.html", "dir.html", "frozen", "index.html", "taken", "to-folder", "uploads",
        "uploads/x.txt"]
    assert (new / "uploads" / "x.txt").stat().st_ino == (old / "uploads" / "x.txt").stat().st_ino
    assert os.readlink(new / "to-folder") == "2023" and (new / "frozen").stat().st_mode & 0o777 == 0o555
    assert (new / "index.html").read_text(encoding="utf-8") == "the tool's"
    (new / "frozen").chmod(0o755)


# ---- a site is known by its manifest ----------------------------------------------------------------------------

def test_a_theme_folder_holding_the_stylesheet_is_not_taken_for_a_site(tmp_path):
    theme = tmp_path / "mytheme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "juesuan.css").write_text(":root { --accent: #a00; }\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(CONTENT, theme, pdf=False)
    assert "输出目录已存在且不是本工具生成的站点" in caught.value.problems[0].format()
    assert list(site_tree(theme)) == ["assets/juesuan.css"]
    assert (theme / "assets" / "juesuan.css").read_text(encoding="utf-8") == ":root { --accent: #a00; }\n"


# ---- a refused department keeps its published version ----------------------------------------------------------

def department_files(site, year: int, dept: str) -> dict[str, str]:
    return {p: h for p, h in site_tree(site).items() if p.startswith(f"{year}/{dept}/")}


def run_build(content, site, *options: str):
    return CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(site), "--no-pdf", *options])


@pytest.mark.slow
def test_a_department_refused_by_its_checks_keeps_its_published_pages_until_fixed(content_copy, tmp_path):
    site = tmp_path / "site"
    assert run_build(content_copy, site).exit_code == 0
    published, published_2024 = department_files(site, 2023, "demo-tongji"), department_files(site, 2024, "demo-tongji")
    assert published and published_2024
    edit(content_copy / TONGJI_2023, *WRONG_FIGURE)
    for options in ((), (), ("--force",)):  # kept again while the file is still wrong, --force too
        result = run_build(content_copy, site, *options)
        assert result.exit_code == 1 and ("沿用上次结果" in result.output) == (options == ())
        assert "未发布：2023 年度 咸阳市统计局（演示数据）（content/2023/demo-tongji.yaml）审核有错误，网站上保留上次发布的版本；" \
            in result.output.replace(str(content_copy.parent) + "/", "")
        # 2024 compares with 2023's wrong figure: refused too, and kept too
        assert "未发布 2 个部门（保留上次发布的版本：2023/demo-tongji、2024/demo-tongji）" in result.output
        assert department_files(site, 2023, "demo-tongji") == published
        assert department_files(site, 2024, "demo-tongji") == published_2024
        assert 'href="../2023/demo-tongji/index.html"' in (site / "2023" / "index.html").read_text(encoding="utf-8")
        assert "2023/demo-tongji/index.html" in (site / "data" / "index.json").read_text(encoding="utf-8")
        assert published.keys() <= manifest_paths(site) and checksums_hold(site)
    edit(content_copy / TONGJI_2023, WRONG_FIGURE[1], WRONG_FIGURE[0])
    edit(content_copy / TONGJI_2023, "name: 咸阳市统计局（演示数据）", "name: 咸阳市统计局（演示数据，已改正）")
    result = run_build(content_copy, site)
    assert result.exit_code == 0 and "保留上次发布的版本" not in result.output
    assert "已改正" in (site / "2023" / "demo-tongji" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_refused_department_keeps_no_draft_and_nothing_never_published(content_copy, tmp_path):
    site = tmp_path / "site"
    build(content_copy, site, pdf=False, draft=True)
    edit(content_copy / TONGJI_2023, *WRONG_FIGURE)
    result = build(content_copy, site, pdf=False)
    assert [(o.year, o.id) for o in result.refused] == [(2023, "demo-tongji"), (2024, "demo-tongji")]
    assert result.kept == []
    assert not (site / "2023" / "demo-tongji").exists()
    assert build(content_copy, site, pdf=False).kept == [] and not (site / "2023" / "demo-tongji").exists()


@pytest.mark.slow
def test_the_folder_of_a_department_no_longer_published_does_not_stay_behind(content_copy, tmp_path):
    site = tmp_path / "site"
    build(content_copy, site, pdf=False)
    (site / "2024" / "demo-yibao" / "附件").mkdir()  # an empty folder of the webmaster's is kept, and so its parent
    (content_copy / "2024" / "demo-yibao.yaml").unlink()
    (content_copy / "2023" / "demo-tongji.yaml").unlink()
    build(content_copy, site, pdf=False)
    assert not (site / "2023" / "demo-tongji").exists()
    assert [p.name for p in (site / "2024" / "demo-yibao").iterdir()] == ["附件"]


def test_the_lock_goes_with_the_build_not_with_the_workers_it_forked(tmp_path):
    """A build killed with kill -9 leaves its lock file behind; its workers, still rendering, do not hold it."""
    site = tmp_path / "site"
    read, write = os.pipe()
    build_process = os.fork()
    if build_process == 0:  # the build: takes the lock, forks a worker, and dies without letting go
        try:
            with site_locked(site):
                worker = os.fork()
                if worker == 0:
                    time.sleep(30)
                    os._exit(0)
                os.write(write, str(worker).encode())
                os._exit(0)
        finally:
            os._exit(1)
    os.waitpid(build_process, 0)
    worker = int(os.read(read, 32))
    try:
        assert (tmp_path / ".site.lock").exists()
        with site_locked(site):
            pass
    finally:
        os.kill(worker, signal.SIGKILL)
