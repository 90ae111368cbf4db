"""The published site in a real browser (Debian's Chromium driven by Playwright), served over loopback HTTP:
the department filter, the full-text search (also under a sub-path), every download link, axe-core (WCAG 2.1 AA and
best practices), the row names that stay in view while a wide table scrolls on a phone, and screenshots.

Needs /usr/bin/chromium, the Python package playwright and axe-core's axe.min.js: `bash scripts/setup.sh`
installs all three. Without them the tests are skipped, saying what is missing; in CI (the environment variable CI
set, as CI services do) they fail instead, so that a CI run never passes without the browser tests.
Screenshots are written to build/screenshots/ for a person to look at."""

import functools
import json
import os
import re
import struct
import threading
import time
import zipfile
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CONTENT, ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"  # installed by scripts/setup.sh
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_TAGS = WCAG_AA + ["best-practice"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
EXAMPLE_PAGE = "2023/xianyang-rsj/index.html"
EXAMPLE_NAME = "咸阳市人力资源和社会保障局"
CONTENT_TYPES = {".pdf": "application/pdf", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".csv": "text/csv", ".json": "application/json", ".xml": "application/xml"}
SETUP_HINT = "请先运行 bash scripts/setup.sh 安装浏览器测试所需的依赖"

pytestmark = pytest.mark.browser  # and pdf: the site served is built_site, with its PDFs (see conftest.py)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(present: bool, missing: str):
    """Skip the test when a tool it needs is missing, but fail it in CI: there the browser tests must run."""
    if present:
        return
    if in_ci():
        pytest.fail(f"{missing}；CI 中浏览器测试不能跳过。{SETUP_HINT}", pytrace=False)
    pytest.skip(f"{missing}，跳过浏览器测试；{SETUP_HINT}")


def playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session", autouse=True)  # session: set up before built_site, which takes a minute
def browser_tools():
    """Before the site is built for the browser: Chromium and playwright are there (or the tests are skipped)."""
    require(playwright_installed(), "没有安装 Python 包 playwright")
    require(os.access(CHROMIUM, os.X_OK), f"没有找到 {CHROMIUM}（Debian 软件包 chromium）")


def departments() -> list[Path]:
    return sorted(CONTENT.glob("*/*.yaml"))


# --- the server and the browser -------------------------------------------------------------------------------------

class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".css": "text/css",
                      ".svg": "image/svg+xml", ".csv": "text/csv; charset=utf-8", ".json": "application/json",
                      ".pdf": "application/pdf", ".xml": "application/xml", ".xlsx": CONTENT_TYPES[".xlsx"]}

    def log_message(self, format, *args):  # keep pytest's output readable
        pass


@contextmanager
def served(directory: Path):
    """``directory`` over HTTP on a free loopback port; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def base_url(built_site):
    """The built site over HTTP on a free loopback port, for the whole module."""
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(browser_tools):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """A page in a fresh browser context that records script errors and any request leaving the site."""

    def __init__(self, browser, base_url, **options):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"脚本错误：{error}"))
        self.page.on("console", lambda m: m.type == "error" and "404" not in m.text  # reported with the URL below
                     and self.problems.append(f"控制台错误：{m.text}"))
        self.page.on("request", lambda r: r.url.startswith((base_url, "data:", "about:"))
                     or self.problems.append(f"站外请求：{r.url}"))
        self.page.on("response", lambda r: r.status < 400 or r.url == base_url + "favicon.ico"  # the browser's own guess
                     or self.problems.append(f"HTTP {r.status}：{r.url}"))

    def open(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        return self.page

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def tab(browser, base_url):
    tabs = []

    def new(at: str = base_url, **options) -> Tab:
        tabs.append(Tab(browser, at, **options))
        return tabs[-1]

    yield new
    for t in tabs:
        t.context.close()


# --- the filter on the home page -------------------------------------------------------------------------------------

def visible_names(page) -> list[str]:
    return page.eval_on_selector_all("li[data-name]", "els => els.filter(e => e.offsetParent !== null)"
                                                      ".map(e => e.dataset.name)")


def visible_years(page) -> list[str]:
    return page.eval_on_selector_all(".year-block", "els => els.filter(e => e.offsetParent !== null).map(e => e.id"
                                                    " || e.getAttribute('aria-labelledby'))")


def test_filter_narrows_the_departments_and_announces_the_count(tab):
    t = tab(**DESKTOP)
    page = t.open("index.html")
    form, field, status = page.locator("#filter-form"), page.locator("#filter"), page.locator("#filter-status")
    assert form.is_visible(), "脚本运行后应显示筛选框"
    assert status.get_attribute("aria-live") == "polite"
    everyone = visible_names(page)
    all_years = visible_years(page)
    assert len(everyone) == len(departments()) and len(all_years) >= 2

    query = "人力资源"
    expected = [n for n in everyone if query in n]
    assert expected and len(expected) < len(everyone)
    field.press_sequentially(query, delay=20)  # real key presses: the filter listens to "input"
    page.wait_for_function("document.getElementById('filter-status').textContent !== ''")
    assert visible_names(page) == expected
    assert len(visible_years(page)) < len(all_years), "没有匹配部门的年度应整体隐藏"
    for year in page.locator(".year-block").all():
        matches = year.locator("li[data-name]:not([hidden])").count()
        assert year.is_visible() == (matches > 0)
    assert f"找到 {len(expected)} 个" in status.inner_text()

    field.fill("人社")  # the example in the placeholder: the characters of the name, in order
    assert visible_names(page) == [EXAMPLE_NAME] and "找到 1 个" in status.inner_text()

    field.fill("海关")
    assert visible_names(page) == [] and visible_years(page) == []
    assert "没有" in status.inner_text() and "海关" in status.inner_text()

    field.fill("")
    assert visible_names(page) == everyone and visible_years(page) == all_years
    assert status.inner_text().strip() == ""

    field.fill(query)
    page.locator(f"li[data-name='{EXAMPLE_NAME}'] a.department-name").first.click()
    page.wait_for_url("**/" + EXAMPLE_PAGE)
    assert page.locator("h1").inner_text().replace(" ", "") == "2023年度部门决算"
    assert EXAMPLE_NAME in page.title() and "2023 年度部门决算" in page.title()
    assert page.locator("section.table-block").count() == 9
    t.assert_clean()


# --- every download link ---------------------------------------------------------------------------------------------

DOWNLOADS = "a[href$='.pdf'], a[href$='.csv'], a[href$='.xlsx'], a[href$='.json']"


def check_download(request, url: str) -> str:
    """Fetch one linked file and check that its type and bytes are what the link promises; returns its extension."""
    response = request.get(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    suffix = Path(urlsplit(url).path).suffix
    assert response.headers["content-type"].startswith(CONTENT_TYPES[suffix]), (url, response.headers["content-type"])
    body = response.body()
    assert int(response.headers["content-length"]) == len(body) > 0, url
    if suffix == ".pdf":
        assert body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:], url
    elif suffix == ".xlsx":
        with zipfile.ZipFile(BytesIO(body)) as workbook:
            assert workbook.testzip() is None and "xl/workbook.xml" in workbook.namelist(), url
    elif suffix == ".json":
        assert json.loads(body.decode("utf-8")), url
    elif suffix == ".csv":
        assert body.startswith(b"\xef\xbb\xbf"), f"{url}: CSV 应以 UTF-8 BOM 开头，Excel 才能正确识别中文"
        text = body.decode("utf-8-sig")
        assert len(text.splitlines()) >= 2 and "\ufffd" not in text, url  # a header and at least the 合计 row
    return suffix


def test_every_pdf_csv_xlsx_and_json_link_returns_the_file(tab):
    t = tab(**DESKTOP)
    page = t.open("index.html")
    request = t.context.request
    home_links = page.eval_on_selector_all(DOWNLOADS, "els => els.map(e => e.href)")  # resolved by the browser
    kinds = [check_download(request, url) for url in home_links]
    count = len(departments())
    assert kinds.count(".pdf") == kinds.count(".xlsx") == count, home_links
    assert ".json" in kinds  # the open-data index in the footer

    pages = page.eval_on_selector_all("a.department-name", "els => els.map(e => e.getAttribute('href'))")
    assert len(pages) == count
    checked = 0
    for href in pages:
        dept = t.open(href)
        downloads = dept.eval_on_selector_all(".downloads a", "els => els.map(e => e.href)")
        assert sorted(Path(urlsplit(u).path).suffix for u in downloads) == [".json", ".pdf", ".xlsx"], href
        tables = dept.locator("section.table-block").count()
        csvs = dept.eval_on_selector_all("section.table-block .table-data a", "els => els.map(e => e.href)")
        assert tables == 9 and len(csvs) == tables, href
        for url in set(downloads + csvs + dept.eval_on_selector_all(DOWNLOADS, "els => els.map(e => e.href)")):
            check_download(request, url)
            checked += 1
    assert checked >= count * 12
    t.assert_clean()


# --- axe-core --------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")  # before built_site too
def axe_source() -> str:
    require(AXE_JS.is_file(), f"没有找到 axe-core（{AXE_JS.relative_to(ROOT)}）")
    return AXE_JS.read_text(encoding="utf-8")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}（{len(v['nodes'])} 处）{v['helpUrl']}")
        for node in v["nodes"][:4]:
            summary = (node.get("failureSummary") or "").strip().splitlines()
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[-1].strip() if summary else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", ["index.html", "2023/index.html", EXAMPLE_PAGE])
def test_axe_finds_no_wcag_21_aa_violations_nor_best_practice_findings(axe_source, tab, path, width):
    """At 320 px the wide tables scroll, so every scrolling region must also be reachable by keyboard. Best practices
    too: each landmark named once (a table's section, not its scroll box), no empty header cell."""
    t = tab(viewport={"width": width, "height": 900})
    page = t.open(path)
    page.add_script_tag(content=axe_source)
    started = time.monotonic()
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                         resultTypes: ['violations']})""", AXE_TAGS)
    elapsed = time.monotonic() - started
    print(f"axe {result['testEngine']['version']} {path}: {elapsed:.1f} s")
    assert not result["violations"], f"{path} 的无障碍问题（axe-core，WCAG 2.1 AA 及最佳实践）：\n{describe(result['violations'])}"
    assert elapsed < 30, f"axe 在 {path} 上运行了 {elapsed:.0f} 秒"
    t.assert_clean()


# --- reflow (WCAG 1.4.10: usable at 320 CSS pixels without scrolling sideways) ----------------------------------------

def test_every_page_reflows_at_320_css_pixels(tab, built_site):
    t = tab(viewport={"width": 320, "height": 640})
    pages = ["index.html", "404.html"] + sorted(str(p.relative_to(built_site)) for p in built_site.glob("*/**/index.html"))
    assert len(pages) == 2 + len({f.parent for f in departments()}) + len(departments())
    wide = {}
    for path in pages:
        page = t.open(path)
        # Anything reaching past the viewport, except inside the boxes that scroll on purpose.
        too_wide = page.evaluate("""() => Array.from(document.body.querySelectorAll('*'))
            .filter(e => !e.parentElement.closest('.table-scroll') && e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                   + ' → ' + Math.round(e.getBoundingClientRect().right) + 'px')""")
        if page.evaluate("document.scrollingElement.scrollWidth") > 320:
            wide[path] = too_wide
    assert not wide, f"宽 320 像素时页面可横向滚动：{wide}"
    t.assert_clean()


# --- screenshots and the phone layout --------------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} 不是 PNG"
    assert len(data) > 10_000, f"{path} 只有 {len(data)} 字节，截图可能是空白的"
    return struct.unpack(">II", data[16:24])


def no_horizontal_page_scroll(page, width: int, where: str):
    sizes = page.evaluate("({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["inner"] == width, f"{where}: 视口宽 {sizes['inner']}，应为 {width}"
    assert sizes["scroll"] <= width, f"{where}: 页面可横向滚动（内容宽 {sizes['scroll']} > 视口 {width}）"


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_and_no_sideways_scrolling(tab, device):
    options = PHONE if device == "phone" else DESKTOP
    width, scale = options["viewport"]["width"], options.get("device_scale_factor", 1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    t = tab(**options)
    shots = []

    page = t.open("index.html")
    shots.append((SCREENSHOTS / f"index-{device}.png", dict(full_page=True)))
    page.screenshot(path=shots[-1][0], **shots[-1][1])
    no_horizontal_page_scroll(page, width, "首页")

    page = t.open(EXAMPLE_PAGE)
    shots.append((SCREENSHOTS / f"department-{device}-top.png", {}))
    page.screenshot(path=shots[-1][0])
    no_horizontal_page_scroll(page, width, EXAMPLE_PAGE)
    page.evaluate("document.getElementById('t03').scrollIntoView({block: 'start'})")
    shots.append((SCREENSHOTS / f"department-{device}-t03.png", {}))
    page.screenshot(path=shots[-1][0])
    assert -1 < page.evaluate("document.getElementById('t03').getBoundingClientRect().top") < 50

    # The wide tables scroll inside their own box, which stays within the viewport.
    boxes = page.eval_on_selector_all(".table-scroll", """els => els.map(e => {
        const before = e.scrollLeft; e.scrollLeft = 80; const moved = e.scrollLeft - before; e.scrollLeft = before;
        const table = e.closest('section.table-block');
        return {id: (table || e.closest('[id]')).id, fin: !!table, overflow: getComputedStyle(e).overflowX, right: e.getBoundingClientRect().right,
                scroll: e.scrollWidth, client: e.clientWidth, moved: moved};
    })""")
    assert sum(b["fin"] for b in boxes) == 9  # 公开01表—公开09表, plus tables in the text
    for box in boxes:
        assert box["right"] <= width + 0.5, f"{box['id']} 的表格框超出视口：{box}"
        if box["scroll"] > box["client"]:
            assert box["overflow"] in ("auto", "scroll") and box["moved"] > 0, f"{box['id']} 的宽表不能在框内横向滚动：{box}"
    overflowing = [b["id"] for b in boxes if b["scroll"] > b["client"] and b["fin"]]
    if device == "phone":
        assert len(overflowing) == 9, f"手机上九张表都应在框内横向滚动，实际：{overflowing}"
    no_horizontal_page_scroll(page, width, EXAMPLE_PAGE + "#t03")

    height = options["viewport"]["height"] * scale
    for path, option in shots:
        w, h = png_size(path)
        assert w == width * scale and (h >= height if option.get("full_page") else h == height), f"{path}: {w}×{h}"
    t.assert_clean()


# --- full-text search (Pagefind) -------------------------------------------------------------------------------------

SEARCH_RESULTS = "#site-search-list .search-result"


def search_for(page, words: str) -> str:
    """Type ``words`` into the site search as a person would; returns the announced status once results show."""
    field = page.locator("#site-search-input")
    assert page.locator("#site-search").is_visible(), "脚本运行后应显示搜索框"
    assert field.get_attribute("placeholder"), "搜索框应有提示文字"
    field.fill("")
    field.press_sequentially(words, delay=20)
    page.wait_for_function("""words => { const s = document.getElementById('site-search-status').textContent;
                                        return s.includes(words) || s.includes('不能'); }""", arg=words)
    return page.locator("#site-search-status").inner_text()


def test_search_finds_三公经费_in_several_departments_and_a_result_opens_its_section(tab, axe_source):
    t = tab(**DESKTOP)
    page = t.open("2023/index.html")  # a page below the root: the index is found from the page's way to it
    status = search_for(page, "三公经费")
    page.wait_for_selector(SEARCH_RESULTS)
    count = int(re.search(r"找到 (\d+) 个", status).group(1))
    pages = page.eval_on_selector_all("#site-search-list a.search-title", "els => els.map(e => e.href)")
    assert len(pages) == min(count, 10) and len({urlsplit(u).path.split("/")[2] for u in pages}) >= 3, pages
    assert all(page.locator(f"{SEARCH_RESULTS}:nth-child({i + 1}) mark").count() for i in range(len(pages)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#site-search-results").screenshot(path=SCREENSHOTS / "search-results-desktop.png")
    page.add_script_tag(content=axe_source)  # the results too are accessible
    found = page.evaluate("tags => axe.run('#site-search-results', {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert not found["violations"], describe(found["violations"])

    section = page.locator("#site-search-list a.search-section", has_text="三公").first
    href = section.get_attribute("href")
    path, anchor = urlsplit(href).path.lstrip("/"), urlsplit(href).fragment
    assert path.endswith("/index.html") and anchor, href
    section.click()
    page.wait_for_url(f"**/{path}#{anchor}")
    assert -1 < page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 50
    assert "三公" in page.locator(f"#{anchor}").inner_text()

    assert "没有找到" in search_for(page, "海关缉私")
    assert page.locator(SEARCH_RESULTS).count() == 0
    t.assert_clean()


def test_search_works_under_a_sub_path_and_says_so_where_there_is_no_index(tab, built_site, tmp_path):
    (tmp_path / "city").mkdir()
    (tmp_path / "city" / "juesuan").symlink_to(built_site, target_is_directory=True)
    with served(tmp_path) as host:
        t = tab(at=host, **PHONE)
        page = t.open("city/juesuan/" + EXAMPLE_PAGE)
        search_for(page, "就业")
        page.wait_for_selector(SEARCH_RESULTS)
        links = page.eval_on_selector_all("#site-search-list a", "els => els.map(e => e.getAttribute('href'))")
        assert links and all(link.startswith("/city/juesuan/20") for link in links), links
        page.locator("#site-search-results").screenshot(path=SCREENSHOTS / "search-results-phone.png")
        t.assert_clean()

    t = tab(**DESKTOP)  # as in `juesuan serve`, which has no index: the box says search is for the published site
    t.page.route("**/pagefind/**", lambda route: route.fulfill(status=404, body="not found"))
    page = t.open("index.html")
    assert "不能全文搜索" in search_for(page, "三公经费") and "预览" in page.locator("#site-search-status").inner_text()
    assert [p for p in t.problems if "/pagefind/" not in p] == []


# --- wide tables on a phone: the row names stay in view ---------------------------------------------------------------

def test_on_a_phone_the_row_names_stay_in_view_while_a_wide_table_scrolls(tab):
    """Each of the nine tables scrolled to its right end: what a reader sees at the box's left edge, on every row in
    view whose name is one cell, is that name, drawn over the amounts. (A name spanning the code columns, 合计,
    scrolls with them; its words stay in view while the cell lasts.)"""
    t = tab(**PHONE)
    page = t.open(EXAMPLE_PAGE)
    seen = page.evaluate("""() => Array.from(document.querySelectorAll('section.table-block')).map(block => {
        block.scrollIntoView({block: 'start'});
        const box = block.querySelector('.table-scroll');
        box.scrollLeft = box.scrollWidth;
        const left = box.getBoundingClientRect().left + 4;
        const rows = Array.from(box.querySelectorAll('tbody tr')).filter(r => r.querySelector('th[scope=row]:not([colspan])'))
          .filter(r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; });
        const other = rows.map(r => { const b = r.getBoundingClientRect();
            const hit = document.elementFromPoint(left, (b.top + b.bottom) / 2);
            return hit && hit.closest('th[scope=row]') ? '' : (hit ? hit.outerHTML.slice(0, 80) : 'nothing'); });
        return {id: block.id, moved: box.scrollLeft, rows: rows.length, other: other.filter(Boolean)};
    })""")
    assert len(seen) == 9 and all(s["moved"] > 0 for s in seen), seen
    assert sum(s["rows"] > 0 for s in seen) >= 7, seen  # 公开07、08表 may hold only their 合计 row
    assert not [s for s in seen if s["other"]], f"横向滚动后，表格左边应是各行的名称：{seen}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for tid, left in (("t03", 260), ("t09", 300)):  # the viewport: an element screenshot waits on the tall table
        page.evaluate("""([id, left]) => { const block = document.getElementById(id); block.scrollIntoView({block: 'start'});
                                           block.querySelector('.table-scroll').scrollLeft = left; }""", [tid, left])
        page.screenshot(path=SCREENSHOTS / f"department-phone-{tid}-scrolled.png")
    t.assert_clean()
