"""The full-text search index (Pagefind, generator/pipeline/search.py): built with the site from the department
pages, listed in the manifest, marked for useful results; a failure to index publishes nothing and says why in
Chinese. Searching in a browser is in tests/test_browser.py."""

import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, site_tree

from generator.errors import ContentError
from generator.pipeline import search
from generator.pipeline.build import build

pytestmark = pytest.mark.search  # the builds here make their index (tests/conftest.py)
DEPARTMENT_PAGES = sorted(f"{p.parent.name}/{p.stem}/index.html" for p in CONTENT.glob("*/*.yaml"))


def page(site, rel):
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")


def test_the_index_covers_every_department_page_and_only_what_pagefind_js_loads(html_site):
    bundle = html_site / search.SEARCH_FOLDER
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]
    assert entry["languages"]["zh-cn"]["page_count"] == len(DEPARTMENT_PAGES)
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"} <= names
    assert any(n.startswith("index/") for n in names) and any(n.startswith("fragment/") for n in names)
    assert not [n for n in names if n.startswith(search.UI_BUNDLES)], "Pagefind 自带的界面不用，不应发布"
    listed = {f["path"] for f in json.loads((html_site / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert {f"{search.SEARCH_FOLDER}/{n}" for n in names} <= listed, "索引文件应列入 manifest.json"


@pytest.mark.slow
def test_department_pages_are_marked_with_title_year_and_department_and_headings_carry_ids(html_site):
    for rel in DEPARTMENT_PAGES:
        body = page(html_site, rel).select("[data-pagefind-body]")
        assert len(body) == 1, rel
        marked = body[0]
        year, dept = rel.split("/")[:2]
        assert marked["data-year"] == year
        assert marked["data-title"].startswith(marked["data-department"]) and "年度" in marked["data-title"]
        assert marked["data-pagefind-meta"] == "title[data-title], year[data-year], department[data-department]"
        for tid in ("t01", "t09"):
            assert marked.select_one(f"#{tid}-title").name == "h3", (rel, tid)
        sections = marked.select("section.explanation, section.part > section[id]")
        assert sections, rel
        for section in sections:
            heading = section.find(["h3", "h4", "h5", "h6"], recursive=False)
            assert heading.get("id") == section["id"] + "-title", (rel, section["id"])
    for rel in ["index.html", "2023/index.html"]:
        assert not page(html_site, rel).select("[data-pagefind-body]"), f"{rel} 不应进入全文索引"


def test_every_page_has_the_search_box_hidden_until_the_script_runs(html_site):
    for rel in ["index.html", "2023/index.html", DEPARTMENT_PAGES[0]]:
        parsed = page(html_site, rel)
        form = parsed.select_one("header form#site-search[role=search]")
        assert form is not None and form.has_attr("hidden"), rel
        assert form["aria-label"] and parsed.select_one("label[for=site-search-input]")
        script = parsed.find("script", src=lambda s: s and "assets/search." in s)
        assert script is not None and (html_site / rel).parent.joinpath(script["src"]).resolve().is_file(), rel


@pytest.mark.slow
def test_the_bundle_is_the_same_for_the_same_pages(html_site):
    again = search.search_bundle(html_site)
    written = {rel: (html_site / rel).read_bytes() for rel in again}
    assert again == written
    pages = {p.relative_to(html_site).as_posix() for p in html_site.rglob("index.html")}
    assert sorted(p for p in pages if search.is_department_page(p)) == DEPARTMENT_PAGES


def test_a_site_without_department_pages_gets_no_index(tmp_path):
    (tmp_path / "content").mkdir()
    build(tmp_path / "content", tmp_path / "site", pdf=False)
    assert not (tmp_path / "site" / search.SEARCH_FOLDER).exists()
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.slow
def test_a_site_may_go_without_search(tmp_path):
    """site.yaml ``show: {search: false}``: no index, and no search box on any page."""
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "2023" / "xianyang-rsj.yaml", content / "2023")
    (content / "site.yaml").write_text("show:\n  search: false\n", encoding="utf-8")
    build(content, tmp_path / "site", pdf=False)
    assert not (tmp_path / "site" / search.SEARCH_FOLDER).exists()
    pages = ["index.html", "2023/index.html", "2023/xianyang-rsj/index.html", "404.html"]
    assert all(page(tmp_path / "site", rel).find(id="site-search") is None for rel in pages)


@pytest.mark.slow
def test_unchanged_pages_keep_their_index_and_a_failed_indexing_publishes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "2023" / "demo-tongji.yaml", content / "2023")
    site = tmp_path / "site"
    build(content, site, pdf=False)
    before = site_tree(site)

    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: disk on fire' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: failing)
    build(content, site, pdf=False, force=True)  # the same pages: the last index is taken, Pagefind is not run
    assert site_tree(site) == before

    edited = content / "2023" / "demo-tongji.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("贯彻执行国家统计法律法规", "贯彻执行统计法律法规", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content, site, pdf=False)
    message = caught.value.problems[0].format()
    assert "全文搜索索引" in message and "网站未更新" in message and "disk on fire" in message, message
    assert site_tree(site) == before, "索引失败时旧网站应原样保留"
    assert not list(tmp_path.glob(".site.new-*")), "不应留下写了一半的网站"

    monkeypatch.setattr(search, "get_executable", lambda: tmp_path / "missing")
    with pytest.raises(ContentError) as caught:
        build(content, site, pdf=False)
    assert "无法运行 Pagefind" in caught.value.problems[0].format() and "找不到" in caught.value.problems[0].format()
    assert site_tree(site) == before


def test_pagefind_is_the_extended_binary():
    done = subprocess.run([str(search.get_executable()), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("pagefind ") and "extended" in str(search.get_executable())
