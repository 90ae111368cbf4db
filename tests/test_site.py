"""The published site: indexes, relative links, sitemap, 404, data index, manifest, safe atomic writes."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, fixed_epoch, override_template, site_tree

import generator.render.siteindex
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.pipeline.staging import (
    UnsafePath,
    is_built_site,
    safe_relative,
    write_manifest,
    write_site,
)


EPOCH_DAY = "2023-11-15"  # conftest.EPOCH in China Standard Time


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def department_files():
    return sorted(CONTENT.glob("*/*.yaml"))


def test_every_department_year_has_its_page_and_the_indexes_list_them(html_site):
    files = department_files()
    assert len(files) >= 4 and len({f.parent.name for f in files}) >= 2  # the example plus synthetic, two years
    home = soup(html_site / "index.html")
    listed = {a["href"] for a in home.select(".department-list a.department-name")}
    assert listed == {f"{f.parent.name}/{f.stem}/index.html" for f in files}
    for year in {f.parent.name for f in files}:
        page = soup(html_site / year / "index.html")
        expected = {f"../{year}/{f.stem}/index.html" for f in files if f.parent.name == year}
        assert {a["href"] for a in page.select(".department-list a.department-name")} == expected
        assert page.find("h1").get_text() == f"{year} 年度部门决算"
    years = [h.get_text() for h in home.select(".year-block h2 a")]
    assert years == sorted(years, reverse=True)  # newest first


@pytest.mark.slow
def test_every_link_is_relative_and_resolves(html_site):
    """The site works from any sub-path and from file://: every link points at a file of the site."""
    checked = 0
    for page in html_site.rglob("*.html"):
        if page.name == "404.html":
            continue  # shown at any depth; its links are relative to the site root (see test_404)
        parsed = soup(page)
        ids = {tag["id"] for tag in parsed.find_all(id=True)}
        for tag in parsed.select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            if tag.name == "link" and tag.get("rel") == ["canonical"]:
                continue
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), f"{page}: {url}"
            if not parts.path:
                assert parts.fragment and parts.fragment in ids, f"{page}: {url}"
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file() and html_site.resolve() in target.parents, f"{page}: {url}"
            checked += 1
    assert checked > 100


def test_department_page_links_its_pdf_and_data(built_site):
    page = soup(built_site / "2023" / "xianyang-rsj" / "index.html")
    downloads = {a.get_text(): a["href"] for a in page.select(".downloads a")}
    assert downloads["全部数据 JSON"] == "xianyang-rsj-2023.json"
    assert downloads["下载决算表 Excel（九张表）"] == "xianyang-rsj-2023.xlsx"
    assert any(href == "xianyang-rsj-2023.pdf" for href in downloads.values())
    for block in page.select("section.table-block"):
        link = block.select_one(".table-data a")
        assert link["href"] == f"xianyang-rsj-2023-{block['id']}.csv"
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert crumbs == ["首页", "2023 年度", "咸阳市人力资源和社会保障局"]


def test_data_index_lists_every_department_year_and_its_files(html_site):
    index = json.loads((html_site / "data" / "index.json").read_text(encoding="utf-8"))
    rows = {(r["year"], r["id"]): r for r in index["departments"]}
    assert set(rows) == {(int(f.parent.name), f.stem) for f in department_files()}
    for row in rows.values():
        for path in [*row["files"].values(), *row["tables"].values()]:
            assert (html_site / path).is_file(), path
        assert set(row["tables"]) >= {f"t0{i}" for i in range(1, 10)}


def test_without_base_url_no_sitemap_nor_feed_and_404_links_from_the_root(html_site):
    """The sitemap and Atom protocols want absolute addresses: without a base URL neither is written nor linked."""
    assert not (html_site / "sitemap.xml").exists() and not (html_site / "feed.xml").exists()
    assert "Sitemap:" not in (html_site / "robots.txt").read_text(encoding="utf-8")
    for page in ("index.html", "2023/index.html", "2023/xianyang-rsj/index.html"):
        parsed = soup(html_site / page)
        assert not parsed.find("a", href=lambda h: h and h.endswith(("sitemap.xml", "feed.xml"))), page
    missing = soup(html_site / "404.html")
    assert missing.find("h1").get_text() == "页面不存在"
    assert missing.find("style") and not missing.find("link", rel="stylesheet")  # styled at any depth
    assert missing.find("a", href="index.html")


@pytest.mark.slow
def test_base_url_adds_canonical_links_and_absolute_sitemap(tmp_path):
    out = tmp_path / "site"
    with fixed_epoch():
        build(CONTENT, out, pdf=False, base_url="https://www.example.gov.cn/juesuan")
    base = "https://www.example.gov.cn/juesuan/"
    page = soup(out / "2023" / "xianyang-rsj" / "index.html")
    assert page.find("link", rel="canonical")["href"] == base + "2023/xianyang-rsj/"
    assert soup(out / "index.html").find("link", rel="canonical")["href"] == base
    assert soup(out / "2023" / "index.html").find("link", rel="canonical")["href"] == base + "2023/"
    sitemap = BeautifulSoup((out / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locs = [loc.get_text() for loc in sitemap("loc")]
    assert locs[0] == base and all(loc.startswith(base) for loc in locs)
    assert [url.lastmod.get_text() for url in sitemap("url")] == [EPOCH_DAY] * len(locs)  # the build's day
    assert soup(out / "404.html").find("base")["href"] == base
    # Links in pages stay relative: the same files work when copied elsewhere.
    assert page.select_one(".breadcrumbs a")["href"] == "../../index.html"


def sitemap_locs(path: Path) -> list[str]:
    return [loc.get_text() for loc in BeautifulSoup(path.read_text(encoding="utf-8"), "xml")("loc")]


@pytest.mark.slow
def test_past_the_protocols_limit_the_sitemap_becomes_an_index_of_parts(tmp_path, monkeypatch):
    """sitemaps.org allows 50,000 URLs per file; a limit of 3 stands in for it here (the example has 8 without PDFs)."""
    base_url = "https://www.example.gov.cn/juesuan/"
    whole = tmp_path / "whole"
    build(CONTENT, whole, pdf=False, base_url=base_url)
    monkeypatch.setattr(generator.render.siteindex, "SITEMAP_LIMIT", 3)
    split = tmp_path / "split"
    build(CONTENT, split, pdf=False, base_url=base_url)
    urls = sitemap_locs(whole / "sitemap.xml")
    assert len(urls) == 8
    index = BeautifulSoup((split / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    assert index.find("sitemapindex") and not index.find("urlset")
    names = [f"sitemap-{i}.xml" for i in range(1, 4)]
    assert sitemap_locs(split / "sitemap.xml") == [base_url + name for name in names]
    parts = [sitemap_locs(split / name) for name in names]
    assert [len(part) for part in parts] == [3, 3, 2] and sum(parts, []) == urls
    assert not (whole / "sitemap-1.xml").exists()
    listed = {f["path"] for f in json.loads((split / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert set(names) <= listed


def test_bad_base_url_is_refused_with_a_message(tmp_path):
    with pytest.raises(ContentError) as caught:
        build(CONTENT, tmp_path / "site", pdf=False, base_url="www.example.gov.cn")
    assert "http:// 或 https://" in caught.value.problems[0].format()
    assert not (tmp_path / "site").exists()


def test_manifest_lists_every_file_with_its_sha256(html_site):
    manifest = json.loads((html_site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"].startswith("juesuan ")
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p for p in site_tree(html_site) if p not in ("manifest.json", "SHA256SUMS")}
    assert set(listed) == on_disk
    for path, item in listed.items():
        data = (html_site / path).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["size"] == len(data)
    verified = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=html_site, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.parametrize("digests", [{}, {"index.html": (12, "a" * 64)},
                                     {"2023/部门/说明.pdf": (7, "b" * 64), "404.html": (0, "c" * 64), "a\"b.csv": (1, "d" * 64)}])
def test_the_manifest_written_entry_by_entry_is_laid_out_as_json_dumps_would(tmp_path, digests):
    """Written in pieces for a province's hundred thousand files, byte for byte what one json.dumps gave."""
    built_at = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
    write_manifest(str(tmp_path), digests, "9.9", built_at)
    whole = {"generator": "juesuan 9.9", "built_at": built_at.isoformat(),
             "files": [{"path": p, "size": size, "sha256": h} for p, (size, h) in sorted(digests.items())]}
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == json.dumps(whole, ensure_ascii=False, indent=1) + "\n"
    assert (tmp_path / "SHA256SUMS").read_text(encoding="utf-8") == "".join(
        f"{h}  {p}\n" for p, (_size, h) in sorted(digests.items()))
    assert is_built_site(tmp_path)


def test_a_directory_whose_manifest_is_not_ours_is_not_taken_for_a_site(tmp_path):
    (tmp_path / "manifest.json").write_text('{"name": "某个网页应用", "generator": "juesuan"}', encoding="utf-8")
    assert not is_built_site(tmp_path)


@pytest.mark.slow
def test_site_config_sets_title_footer_and_optional_parts(content_copy, tmp_path):
    (content_copy / "site.yaml").write_text(
        "site:\n  title: 咸阳市部门决算公开\n  jurisdiction: 咸阳市\n  footer: 咸阳市财政局主办\n"
        "  contact: 联系电话：029-00000000\nshow:\n  open_data: false\n  glossary: false\n", encoding="utf-8")
    build(content_copy, tmp_path / "site", pdf=False)
    home = soup(tmp_path / "site" / "index.html")
    assert home.find("h1").get_text() == "咸阳市部门决算公开"
    assert "咸阳市各部门" in home.select_one(".lead").get_text()
    footer = home.find("footer").get_text()
    assert "咸阳市财政局主办" in footer and "029-00000000" in footer
    page = soup(tmp_path / "site" / "2023" / "xianyang-rsj" / "index.html")
    assert not page.select(".table-data") and not page.find(id="part-4") and page.find(id="part-5")
    assert not list((tmp_path / "site" / "2023" / "xianyang-rsj").glob("*.csv"))


def test_site_config_errors_are_located(content_copy, tmp_path):
    (content_copy / "site.yaml").write_text(
        "site:\n  titel: 某市\n  base_url: ftp://x\nshow:\n  pdf: 是\ntemplates: nowhere\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", pdf=False)
    text = "\n".join(p.format() for p in caught.value.problems)
    assert "site.yaml:2: 字段 site.titel：未知字段 titel，是否应为 title？" in text
    assert "site.yaml:3: 字段 site.base_url" in text
    assert "site.yaml:5: 字段 show.pdf：应为 true 或 false" in text
    assert "site.yaml:6: 字段 templates：模板目录不存在" in text


@pytest.mark.slow
def test_templates_directory_from_the_config_overrides_builtin_ones(content_copy, tmp_path):
    override_template(content_copy, "parts/site_footer.html",
                      '<footer class="site-footer"><p>本站由某市财政局维护</p></footer>\n'
                      '{% include "builtin/parts/site_footer.html" %}')
    build(content_copy, tmp_path / "site", pdf=False)
    footer = soup(tmp_path / "site" / "index.html").find_all("footer")
    assert footer[0].get_text(strip=True) == "本站由某市财政局维护" and "公开数据目录" in footer[1].get_text()


@pytest.mark.parametrize("bad", ["../x.html", "/etc/passwd", "a/../../b", ""])
def test_paths_outside_the_output_are_refused(bad, tmp_path):
    with pytest.raises(UnsafePath):
        safe_relative(bad)
    with pytest.raises(UnsafePath):
        write_site(tmp_path / "site", {"index.html": b"ok", bad: b"x"})
    assert not (tmp_path / "site").exists() and list(tmp_path.iterdir()) == []


def test_output_directory_that_is_not_a_site_is_refused(tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "报告.docx").write_bytes(b"keep me")
    with pytest.raises(ContentError) as caught:
        build(CONTENT, precious, pdf=False)
    assert "不是本工具生成的站点" in caught.value.problems[0].format()
    assert (precious / "报告.docx").read_bytes() == b"keep me"
    with pytest.raises(ContentError) as caught:
        build(CONTENT, CONTENT.parent, pdf=False)
    assert "包含内容或模板目录" in caught.value.problems[0].format()


SLOW_BUILD = """
import sys, time
from pathlib import Path
from generator.pipeline.build import build
original = Path.write_bytes
def slow(self, data):
    time.sleep(0.02)
    return original(self, data)
Path.write_bytes = slow
build(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False)
"""


@pytest.mark.slow
def test_build_killed_while_writing_leaves_the_previous_site_byte_identical(tmp_path):
    out = tmp_path / "site"
    build(CONTENT, out, pdf=False)
    before = site_tree(out)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(CONTENT), str(out)], env=env)
    deadline = time.monotonic() + 60
    staged = []
    while time.monotonic() < deadline and process.poll() is None:
        staged = [p for d in tmp_path.glob(".site.new-*") for p in d.rglob("*") if p.is_file()]
        if len(staged) >= 5:
            break
        time.sleep(0.01)
    assert process.poll() is None and len(staged) >= 5, "the build should be caught halfway through writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert site_tree(out) == before
    build(CONTENT, out, pdf=False)  # the next build cleans up what the killed one left
    assert not list(tmp_path.glob(".site.new-*")) + list(tmp_path.glob(".site.old-*"))
    assert site_tree(out).keys() == before.keys()


@pytest.mark.slow
def test_failed_build_leaves_the_previous_site(content_copy, tmp_path):
    out = tmp_path / "site"
    build(content_copy, out, pdf=False)
    before = site_tree(out)
    broken = content_copy / "2023" / "xianyang-rsj.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("year: 2023", "year: [2023"), encoding="utf-8")
    with pytest.raises(ContentError):
        build(content_copy, out, pdf=False)
    assert site_tree(out) == before
    shutil.rmtree(out)


def test_every_data_cell_names_its_column_and_row_headers(example_page):
    """Multi-row headers and side-by-side groups: each amount is announced with its own headers."""
    for table in example_page.select("table.fin"):
        ids = {tag["id"]: tag.get_text(strip=True) for tag in table.select("[id]")}
        for td in table.select("td"):
            if td.get_text(strip=True):
                headers = td.get("headers")
                assert headers and all(h in ids for h in headers), (table["data-table"], td)
    t03 = example_page.find("table", attrs={"data-table": "t03"})
    cell = t03.find("th", string="住房公积金").find_parent("tr").find_all("td")[2]  # 基本支出 of 2210201
    assert [t03.find(id=h).get_text(strip=True) for h in cell["headers"]] == ["基本支出", "2", "住房公积金"]
    t01 = example_page.find("table", attrs={"data-table": "t01"})
    right = t01.find("th", string="总计").find_parent("tr").find_all("td")[-1]
    assert [t01.find(id=h).get_text(strip=True) for h in right["headers"]][0] == "支出"


@pytest.mark.slow
def test_parallel_build_writes_the_same_files_as_a_serial_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(CONTENT, tmp_path / "one", pdf=False, jobs=1)
    build(CONTENT, tmp_path / "two", pdf=False, jobs=2)
    assert site_tree(tmp_path / "one") == site_tree(tmp_path / "two")


@pytest.mark.slow
def test_a_template_error_in_a_worker_is_a_located_message(content_copy, tmp_path):
    override_template(content_copy, "parts/cover.html", "<p>{{ dept.nmae }}</p>\n")
    with pytest.raises(ContentError) as caught:
        build(content_copy, tmp_path / "site", pdf=False, jobs=2)
    messages = [p.format() for p in caught.value.problems]
    assert len(messages) == 5 and all("cover.html:1" in m and "nmae" in m for m in messages)
    assert not (tmp_path / "site").exists()
