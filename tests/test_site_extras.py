"""What a site carries beyond the disclosures: the static folder, robots.txt, the sitemap's dates, the Atom feed,
page descriptions and Open Graph tags, publication dates, draft marks, versioned asset names and the 404 page."""

import hashlib
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, fixed_epoch, override_template

import generator.pipeline.build
from generator.content.department import read_department
from generator.errors import ContentError
from generator.pipeline.build import build
from generator.source.yamlfile import load_yaml_text

BASE = "https://www.example.gov.cn/juesuan/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EPOCH_DAY = "2023-11-15"  # conftest.EPOCH in China Standard Time
LATER = "1710000000"  # 2024-03-10 in China Standard Time
LATER_DAY = "2024-03-10"
CHROMIUM = Path("/usr/bin/chromium")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def small_content(tmp_path: Path, *files: str) -> Path:
    """A content folder with the example's site.yaml and only ``files`` (the small demo departments build fast)."""
    content = tmp_path / "content"
    for rel in ("site.yaml", *files):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONTENT / rel, content / rel)
    return content


DEMOS = ("2024/demo-tongji.yaml", "2024/demo-yibao.yaml")


def manifest_paths(site: Path) -> set[str]:
    return {f["path"] for f in json.loads((site / "manifest.json").read_text(encoding="utf-8"))["files"]}


@pytest.fixture
def without_search_index(monkeypatch):
    """The builds here look at everything but the search index, which takes most of a small build's time (not
    autouse: the session's shared sites keep theirs)."""
    monkeypatch.setattr(generator.pipeline.build, "write_search_index", lambda staging: None)


# ---- the static folder, robots.txt, the site's own assets --------------------------------------------------------

@pytest.mark.slow
@pytest.mark.usefixtures("without_search_index")
def test_static_files_are_published_as_they_are_and_follow_the_folder(tmp_path):
    content_copy = small_content(tmp_path, *DEMOS)
    static = content_copy / "static"
    (static / "images").mkdir(parents=True)
    icon, logo = b"\x00\x00\x01\x00icon", b"\x89PNG\r\n\x1a\nlogo"
    (static / "favicon.ico").write_bytes(icon)
    (static / "images" / "备案图标.png").write_bytes(logo)
    override_template(content_copy, "assets/juesuan.css", "body { color: #123456; }\n")  # and a site's own assets
    (content_copy / "theme" / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>",
                                                                encoding="utf-8")
    site = tmp_path / "site"
    with fixed_epoch():
        first = build(content_copy, site, pdf=False)
    assert (site / "favicon.ico").read_bytes() == icon and (site / "images" / "备案图标.png").read_bytes() == logo
    assert {"favicon.ico", "images/备案图标.png"} <= manifest_paths(site)  # the site's declared files
    [warning] = first.warnings  # no base URL: no sitemap, no feed, and how to set one
    assert "base_url" in warning and str(content_copy / "site.yaml") in warning and "--base-url" in warning
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    css = "assets/juesuan." + hashlib.sha256(b"body { color: #123456; }\n").hexdigest()[:8] + ".css"
    assert soup(site / "2024" / "demo-tongji" / "index.html").find("link", rel="stylesheet")["href"] == "../../" + css
    assert (site / css).is_file() and len(list((site / "assets").glob("logo.*.svg"))) == 1

    (static / "favicon.ico").write_bytes(b"new icon")
    (static / "images" / "备案图标.png").unlink()
    (static / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    with fixed_epoch():
        again = build(content_copy, site, pdf=False)
    assert again.reused == 2  # the departments did not change, the static folder did
    assert (site / "favicon.ico").read_bytes() == b"new icon"
    assert not (site / "images").exists() and "images/备案图标.png" not in manifest_paths(site)
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /private/\n"  # the site's


@pytest.mark.slow
@pytest.mark.usefixtures("without_search_index")
def test_the_static_folder_is_configurable_and_may_not_take_a_path_the_tool_writes(tmp_path):
    content_copy = small_content(tmp_path, DEMOS[0])
    (content_copy / "公共文件" / "2024").mkdir(parents=True)
    (content_copy / "公共文件" / "404.html").write_text("<h1>mine</h1>", encoding="utf-8")
    (content_copy / "公共文件" / "2024" / "index.html").write_text("<h1>mine</h1>", encoding="utf-8")
    (content_copy / "site.yaml").write_text("static: 公共文件\n", encoding="utf-8")
    site = tmp_path / "site"
    with pytest.raises(ContentError) as caught:
        build(content_copy, site, pdf=False)
    messages = [p.format() for p in caught.value.problems]
    assert len(messages) == 2 and all("静态文件与本工具生成的文件" in m and "网站未作任何改动" in m for m in messages)
    assert messages[1].startswith(str(content_copy / "公共文件" / "404.html")) and not site.exists()
    (content_copy / "site.yaml").write_text("static: 没有这个目录\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content_copy, site, pdf=False)
    assert "site.yaml:1: 字段 static：静态文件目录不存在" in caught.value.problems[0].format()


# ---- dates, the sitemap and the feed ---------------------------------------------------------------------------

def published(content: Path, rel: str, day: str) -> None:
    path = content / rel
    path.write_text(f"published: {day}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.usefixtures("without_search_index")
def test_dates_come_from_the_file_else_the_day_pages_were_generated(tmp_path):
    """The sitemap's lastmod and the feed's updated are the day a department was last generated: an incremental
    build keeps the day of the departments it did not render again; ``published:`` dates the feed and the page."""
    content_copy = small_content(tmp_path, "2023/demo-tongji.yaml", *DEMOS)
    site = tmp_path / "site"
    with fixed_epoch():
        build(content_copy, site, pdf=False, base_url=BASE)
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /juesuan/\n\nSitemap: {BASE}sitemap.xml\n")
    # A robots.txt the webmaster put into the site (not the tool's by the manifest, as before robots.txt was
    # generated) is kept and wins.
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = [f for f in manifest["files"] if f["path"] != "robots.txt"]
    (site / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    published(content_copy, "2024/demo-yibao.yaml", "2025-08-30")
    with fixed_epoch(LATER):
        result = build(content_copy, site, pdf=False, base_url=BASE)
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /private/\n"
    assert result.warnings == [] and result.reused == 2 and "robots.txt" not in manifest_paths(site)

    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    lastmod = {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod") for url in sitemap}
    assert lastmod[BASE + "2024/demo-yibao/"] == LATER_DAY and lastmod[BASE + "2024/"] == LATER_DAY
    assert lastmod[BASE + "2024/demo-tongji/"] == EPOCH_DAY  # taken unchanged from the last build
    assert lastmod[BASE + "2023/demo-tongji/"] == EPOCH_DAY and lastmod[BASE + "2023/"] == EPOCH_DAY
    assert lastmod[BASE] == LATER_DAY

    feed = ElementTree.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3 and feed.findtext(f"{ATOM}updated") == f"{LATER_DAY}T00:00:00+08:00"
    first = entries[0]  # by publication date, newest first: the dated one is 2025-08-30
    assert first.findtext(f"{ATOM}id") == BASE + "2024/demo-yibao/"
    assert first.findtext(f"{ATOM}published") == "2025-08-30T00:00:00+08:00"
    assert first.findtext(f"{ATOM}updated") == f"{LATER_DAY}T00:00:00+08:00"
    assert [e.find(f"{ATOM}published") for e in entries[1:]] == [None] * 2  # never a guessed publication date
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        BASE + p for p in ("2024/demo-yibao/", "2024/demo-tongji/", "2023/demo-tongji/")]

    page = soup(site / "2024" / "demo-yibao" / "index.html")
    assert page.find("footer").find("time")["datetime"] == "2025-08-30"
    assert "公开日期：2025 年 8 月 30 日" in page.find("footer").get_text()
    assert page.find("meta", property="article:published_time")["content"] == "2025-08-30"
    other = soup(site / "2023" / "demo-tongji" / "index.html").find("footer").get_text()
    assert "网页生成日期：2023 年 11 月 15 日" in other and "公开日期" not in other
    for name in ("index.html", "2024/index.html", "2024/demo-yibao/index.html"):
        head = soup(site / name)
        assert head.find("link", rel="alternate", type="application/atom+xml")["href"].endswith("feed.xml")
        footer_links = {a["href"].rsplit("/", 1)[-1] for a in head.find("footer").find_all("a")}
        assert {"sitemap.xml", "feed.xml"} <= footer_links, name


def test_a_publication_date_is_a_day_after_the_year_or_a_located_problem():
    def read(value: str):
        text = f"year: 2023\npublished: {value}\ndepartment: {{name: 某局}}\noverview: {{duties: [职责]}}\n"
        return read_department(load_yaml_text(text, "2023/x.yaml"), "x")

    assert str(read("2024-08-30").published) == "2024-08-30"
    for bad, message in (("2024-02-30", "公开日期应为年-月-日"), ("30/08/2024", "公开日期应为年-月-日"),
                         ("2023-12-31", "公开日期应在决算年度结束之后")):
        with pytest.raises(ContentError) as caught:
            read(bad)
        [problem] = [p.format() for p in caught.value.problems if "published" in p.format()]
        assert problem.startswith("2023/x.yaml:2: 字段 published：" + message), problem


# ---- what every page says about itself -------------------------------------------------------------------------

def test_every_page_has_a_description_and_open_graph_tags(html_site):
    for path in html_pages(html_site):
        page = BeautifulSoup(path.read_text(encoding="utf-8").partition("</head>")[0], "lxml")  # the head is enough
        og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        assert og["og:title"] == page.title.get_text() and og["og:locale"] == "zh_CN", path
        assert og["og:site_name"] == "部门决算公开（juesuan 示例站点）", path
        assert not page.find("meta", attrs={"name": "robots"}), path  # a final build is for search engines
        if path.name != "404.html":
            assert page.find("meta", attrs={"name": "description"})["content"] == og["og:description"], path
    department = BeautifulSoup((html_site / "2023" / "xianyang-rsj" / "index.html").read_text(encoding="utf-8")
                               .partition("</head>")[0], "lxml")
    description = department.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("咸阳市人力资源和社会保障局 2023 年度部门决算：部门概况、") and "附件" in description
    assert department.find("meta", property="og:type")["content"] == "article"


@pytest.mark.slow
@pytest.mark.usefixtures("without_search_index")
def test_a_draft_marks_every_page_noindex_and_writes_no_sitemap_nor_feed(tmp_path):
    site = tmp_path / "site"
    result = build(small_content(tmp_path, DEMOS[0]), site, pdf=False, draft=True, base_url=BASE)
    pages = html_pages(site)
    assert {"index.html", "2024/index.html", "404.html", "2024/demo-tongji/index.html"} <= {
        p.relative_to(site).as_posix() for p in pages}
    for path in pages:
        page = soup(path)
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex", path
        assert "草稿" in page.select_one("main .draft-mark").get_text(), path
        assert not page.find("a", href=lambda h: h and h.endswith(("sitemap.xml", "feed.xml"))), path
    assert not (site / "sitemap.xml").exists() and not (site / "feed.xml").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /juesuan/\n"
    assert result.warnings == []  # a draft has no sitemap by design, nothing to warn about


# ---- assets under versioned names -------------------------------------------------------------------------------

ASSET_LINK = re.compile(r'(?:href|src)="(?:\.\./)*(assets/[^"]+)"')


def test_every_linked_asset_has_a_name_carrying_its_content_hash(html_site):
    linked = {m for path in html_pages(html_site) for m in ASSET_LINK.findall(path.read_text(encoding="utf-8"))}
    published = {p.relative_to(html_site).as_posix() for p in (html_site / "assets").rglob("*") if p.is_file()}
    assert linked and linked <= published
    for rel in published:
        stem, digest, suffix = re.fullmatch(r"assets/(.+)\.([0-9a-f]{8})(\.\w+)", rel).groups()
        assert hashlib.sha256((html_site / rel).read_bytes()).hexdigest()[:8] == digest
        assert (ROOT / "templates" / "assets" / f"{stem}{suffix}").is_file()  # every published one comes from there
    assert not any(name in rel for rel in published for name in ("print", "watermark"))  # the PDF's, inlined


# ---- the 404 page ------------------------------------------------------------------------------------------------

def test_the_404_page_carries_the_stylesheet_unescaped(html_site):
    style = soup(html_site / "404.html").find("style").string
    css = next((html_site / "assets").glob("juesuan.*.css")).read_text(encoding="utf-8")
    assert style.strip() == css.strip() and "&#34;" not in style and '"Noto Serif CJK SC"' in style


@pytest.mark.browser
@pytest.mark.slow
def test_the_404_page_is_styled_in_chromium(html_site):
    """Rendered by Chromium from the file: its inline stylesheet applies (an escaped one would be dropped)."""
    if not CHROMIUM.exists():
        pytest.skip(f"没有找到 {CHROMIUM}（Debian 软件包 chromium）")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((html_site / "404.html").as_uri())
            style = page.evaluate("""() => {
                const body = getComputedStyle(document.body), h1 = getComputedStyle(document.querySelector('h1'));
                const skip = getComputedStyle(document.querySelector('.skip-link'));
                return {body: body.fontFamily, h1: h1.fontFamily, skip: skip.position};
            }""")
        finally:
            browser.close()
    assert style["body"].startswith('"Noto Serif CJK SC"'), style
    assert style["h1"].startswith('"Noto Sans CJK SC"'), style
    assert style["skip"] == "absolute", style  # the skip link is moved out of view, as on every page
