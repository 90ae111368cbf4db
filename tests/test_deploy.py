"""Deployment as docs/webmasters/deploy.md tells it: the example site built with a base URL under a sub-path and served
by a real nginx (/usr/sbin/nginx) with the page's own configuration block, taken from the page word for word.

nginx runs unprivileged as a child process (no daemon, no master process) with a temporary prefix and a free
loopback port. Every HTML page is crawled over HTTP: each internal link and asset answers 200, a missing address
answers the site's 404.html with status 404, the feed and the sitemap parse and each address in them answers 200,
the search index under pagefind/ is served as it is and a search in Chromium finds and opens a section, and the
cache and compression headers are those the page promises."""

import gzip
import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin
from urllib.request import Request, urlopen
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, fixed_epoch
from playwright.sync_api import sync_playwright

from generator.pipeline.build import build

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
DEPLOY_DOC = ROOT / "docs" / "webmasters" / "deploy.md"
DOC_ROOT = "/srv/www"  # where the page's configuration serves the site from: /srv/www/juesuan/
SUB_PATH = "/juesuan/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMMUTABLE = "public, max-age=31536000, immutable"

pytestmark = pytest.mark.slow

SERVER = """daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{block}
    }}
}}
"""


def documented_block() -> str:
    """The nginx configuration block of deploy.md: the one that serves the sub-path."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOY_DOC.read_text(encoding="utf-8"), re.S)
    [block] = [b for b in blocks if f"location {SUB_PATH} " in b]
    assert f"root {DOC_ROOT};" in block
    return block


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def deployed(tmp_path_factory):
    """The example site (HTML only) built into <tmp>/www/juesuan with the base URL it is served at, and nginx
    serving it; yields (site folder, base URL)."""
    if not NGINX.exists() or not MIME_TYPES.exists():
        pytest.skip(f"没有找到 {NGINX}（Debian 软件包 nginx）")
    work = tmp_path_factory.mktemp("deploy")
    port = free_port()
    base = f"http://127.0.0.1:{port}{SUB_PATH}"
    site = work / "www" / SUB_PATH.strip("/")
    with fixed_epoch():
        build(CONTENT, site, pdf=False, base_url=base)
    prefix = work / "nginx"
    prefix.mkdir()
    block = documented_block().replace(f"root {DOC_ROOT};", f"root {work / 'www'};")
    config = prefix / "nginx.conf"
    config.write_text(SERVER.format(prefix=prefix, mime_types=MIME_TYPES, port=port, block=block), encoding="utf-8")
    server = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(port, server)
        yield site, base
    finally:
        server.terminate()
        server.wait(10)


def wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"nginx 未能启动：{server.stderr.read().decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx 10 秒内未开始监听")


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    try:
        with urlopen(Request(url, headers=headers), timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def links(base_url: str, html: bytes) -> set[str]:
    """Every address a page links or loads, absolute (by the page's <base> if it has one), without fragments."""
    parsed = BeautifulSoup(html, "lxml")
    base = parsed.find("base")
    page_base = urljoin(base_url, base["href"]) if base else base_url
    values = (tag.get("href") or tag.get("src") for tag in parsed.select("[href], [src]") if tag.name != "base")
    return {urldefrag(urljoin(page_base, value)).url for value in values if not value.startswith("#")}


def test_every_page_link_and_asset_answers_under_the_sub_path(deployed):
    site, base = deployed
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) >= 8
    targets: set[str] = set()
    for rel in pages:
        status, headers, body = fetch(base + rel)
        assert status == 200, rel
        assert headers["Content-Type"] == "text/html; charset=utf-8", rel
        targets |= links(base + rel, body)
    missing_status, _, missing = fetch(base + "2023/no-such-department/index.html")
    assert missing_status == 404 and missing == (site / "404.html").read_bytes()
    targets |= links(base + "2023/no-such-department/index.html", missing)  # its links, from any depth
    outside = sorted(url for url in targets if not url.startswith(base))
    assert outside == [], "links leaving the site"
    broken = [(url, status) for url in sorted(targets) if (status := fetch(url)[0]) != 200]
    assert broken == []
    assert any("/assets/juesuan." in url for url in targets) and len(targets) > 60


def test_feed_and_sitemap_parse_and_every_address_in_them_answers(deployed):
    site, base = deployed
    status, headers, body = fetch(base + "feed.xml")
    assert status == 200
    feed = ElementTree.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(list(CONTENT.glob("*/*.yaml")))
    addresses = {link.get("href") for link in feed.iter(f"{ATOM}link")} | {e.findtext(f"{ATOM}id") for e in entries}
    status, _, body = fetch(base + "sitemap.xml")
    assert status == 200
    sitemap = ElementTree.fromstring(body)
    addresses |= {url.findtext(f"{SITEMAP_NS}loc") for url in sitemap}
    assert all(url.findtext(f"{SITEMAP_NS}lastmod") for url in sitemap)
    assert base + "feed.xml" in addresses and base + "2023/xianyang-rsj/" in addresses
    assert [(url, status) for url in sorted(addresses) if (status := fetch(url)[0]) != 200] == []
    robots = fetch(base + "robots.txt")[2].decode("utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_the_search_index_is_served_as_it_is(deployed):
    site, base = deployed
    if not (site / "pagefind").is_dir():
        pytest.skip("网站没有 pagefind/ 目录（没有全文搜索索引）")
    files = sorted(p.relative_to(site).as_posix() for p in (site / "pagefind").rglob("*") if p.is_file())
    assert files
    for rel in files:
        status, headers, body = fetch(base + rel, **{"Accept-Encoding": "gzip"})
        if rel.endswith((".js", ".json", ".css")):
            body = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        else:  # already gzip data, read by the search script itself: never compressed again
            assert "Content-Encoding" not in headers, rel
        assert status == 200 and body == (site / rel).read_bytes(), rel


def test_cache_and_compression_headers_are_those_the_page_promises(deployed):
    site, base = deployed
    [css] = [p.relative_to(site).as_posix() for p in (site / "assets").glob("juesuan.*.css")]
    status, headers, _ = fetch(base + css, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Cache-Control"] == IMMUTABLE and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    status, headers, _ = fetch(base + "2023/xianyang-rsj/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Cache-Control"] == "no-cache" and headers["Content-Encoding"] == "gzip"
    [csv] = sorted((site / "2023" / "xianyang-rsj").glob("*.csv"))[:1]
    status, headers, _ = fetch(base + csv.relative_to(site).as_posix())
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"


@pytest.mark.browser
def test_a_search_in_chromium_through_nginx_finds_departments_and_opens_a_section(deployed):
    """The search box of a page under the sub-path, as a citizen uses it: the index loads through nginx, the results
    link to the department pages under the base URL, a section link opens that section."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("没有找到 /usr/bin/chromium（Debian 软件包 chromium）")
    _site, base = deployed
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.goto(base + "2024/index.html")
            page.locator("#site-search-input").press_sequentially("三公经费", delay=20)
            page.wait_for_selector("#site-search-list a.search-title")
            found = page.eval_on_selector_all("#site-search-list a.search-title", "els => els.map(e => e.href)")
            assert len({urldefrag(u)[0] for u in found}) >= 3 and all(u.startswith(base) for u in found), found
            section = page.locator("#site-search-list a.search-section").first
            href = section.get_attribute("href")
            section.click()
            page.wait_for_url(href if href.startswith("http") else urljoin(page.url, href))
            anchor = urldefrag(page.url)[1]
            assert anchor and page.locator(f"#{anchor}").is_visible()
        finally:
            browser.close()
