import fcntl
import gc
import hashlib
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
EXAMPLE = CONTENT / "2023" / "xianyang-rsj.yaml"
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the tests' builds: 2023-11-14 22:13:20 UTC


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="重新生成 tests/golden 下的金标准文件（示例页面和各省份格式的整站）")


def pytest_configure(config):
    """No automatic full collections of the cyclic garbage collector during the tests (as the build does while it
    lays out a PDF, see generator.render.pdfengine.without_full_collections): the session keeps big parsed pages
    alive, and Python's full collections walked them again and again, a third of the fast tests' time.
    The young generations are still collected; the peak memory of the fast tests stays the same (~240 MB)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()  # the modules and the collected tests live as long as the session: never walk them again


def pytest_collection_modifyitems(items):
    """A test that uses ``built_site`` waits for the example's PDFs to be made: it is a ``pdf`` test."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pdf)


@pytest.fixture(scope="session")
def update_golden(request):
    return request.config.getoption("--update-golden")


@contextmanager
def fixed_epoch(value: str = EPOCH):
    """SOURCE_DATE_EPOCH set to ``value`` for a build, then as it was: the same input gives the same bytes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", value)
        yield


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """``example_site(profile)``: the example content built HTML only (``juesuan build --no-pdf``) in ``profile``
    (None: the site's own), dated by EPOCH; built once per profile for the whole session. Tests only read it."""
    sites: dict[str | None, Path] = {}

    def site(profile: str | None = None) -> Path:
        if profile not in sites:
            out = tmp_path_factory.mktemp(f"html-{profile or 'site'}") / "site"
            with fixed_epoch():
                build(CONTENT, out, pdf=False, profile=profile, force=True)
            sites[profile] = out
        return sites[profile]

    return site


@pytest.fixture(scope="session")
def html_site(example_site):
    """The example content built once for the whole session, HTML only: every page, chart, index and open-data
    file (no base URL: no sitemap, no feed), but no PDF and no link to one. Use it unless the test looks at PDFs (then: built_site)."""
    return example_site()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The example content built once for the whole run with its PDFs (a minute or more): only for tests that
    look at the PDFs or at the links to them; such tests are marked ``pdf`` (see pytest_collection_modifyitems).
    Under pytest-xdist the workers share one build: the first to need it builds, the others wait for it."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's folder, above each worker's
    out, done = shared / "built-site" / "site", shared / "built-site" / "done"
    done.parent.mkdir(exist_ok=True)
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            build(CONTENT, out)
            done.touch()
    return out


@pytest.fixture(scope="session")
def shanxi_pdf(tmp_path_factory) -> Path:
    """The 2023 demo department built alone in the Shanxi form (site.yaml ``profile: shanxi``), with its PDF: the
    built-in form no example department uses."""
    content = tmp_path_factory.mktemp("shanxi") / "content"
    (content / "2023").mkdir(parents=True)
    shutil.copy(CONTENT / "2023" / "demo-tongji.yaml", content / "2023")
    (content / "site.yaml").write_text("profile: shanxi\n", encoding="utf-8")
    with fixed_epoch():
        build(content, content.parent / "site")
    return content.parent / "site" / "2023" / "demo-tongji" / "demo-tongji-2023.pdf"


@pytest.fixture(scope="session")
def example_page(html_site):
    """The example department's page, from the HTML-only build."""
    return BeautifulSoup((html_site / "2023" / "xianyang-rsj" / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the example content tree."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def site_tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256: two builds gave the same site when these are equal."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def override_template(content: Path, name: str, text: str) -> None:
    """A site whose site.yaml points at content/theme, holding one template ``name`` (e.g. parts/cover.html)."""
    target = content / "theme" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    (content / "site.yaml").write_text("templates: theme\n", encoding="utf-8")


def build_page(tmp_path: Path, text: str, year: int = 2023, dept_id: str = "test") -> BeautifulSoup:
    """Build one department file in a fresh content tree and parse its page (a draft: the short files of the tests
    leave out what a final build requires, such as last year's figures)."""
    content = tmp_path / "content" / str(year)
    content.mkdir(parents=True)
    (content / f"{dept_id}.yaml").write_text(text, encoding="utf-8")
    build(tmp_path / "content", tmp_path / "site", pdf=False, draft=True)
    return BeautifulSoup((tmp_path / "site" / str(year) / dept_id / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(autouse=True)
def _search_index_where_asked(request, monkeypatch):
    """Builds in tests make no full-text search index (Pagefind: about half a second a build) unless the test is
    marked ``search``; the session's shared sites are built before this applies, so they have one."""
    if request.node.get_closest_marker("search") is None:
        monkeypatch.setattr("generator.pipeline.build.write_search_index", lambda staging: None)
