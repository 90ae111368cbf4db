"""Full-text search of the published disclosures: a Pagefind index of the department pages.

The index is made from the staged site, after every page is written and before the site is swapped in (see
``build``), so the published pages and their index always agree; if indexing fails the build fails and the old
site stays. Pagefind's extended binary (the ``pagefind[extended]`` package) segments Chinese into words at index
time; the browser segments the query the same way (``Intl.Segmenter``). Pagefind writes its bundle into a
temporary folder, and only what ``pagefind.js`` loads is taken into the staged site under ``pagefind/``: the
prebuilt Pagefind UIs are left out, since the pages carry their own search box (``assets/search.js``).

What is indexed is decided by the pages: department pages mark their disclosure ``data-pagefind-body`` with the
department and year as metadata and filters (``templates/department.html``); headings with an ``id`` become the
sub-results a hit links to. ``NOT_INDEXED`` leaves out what would only repeat or drown the text: the table of
contents, the amounts of the tables (row names stay searchable), captions that repeat a title, the charts and a
draft's list of check findings.

Indexing has a fixed cost (loading the Chinese dictionary) and grows with every page; a build whose department
pages are all as the last build left them takes the last index as it is (``KEY_FILE`` records what it was made from).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from pagefind_bin_extended import get_executable

from generator.errors import ContentError, Problem
from generator.pipeline.staging import Staging

SEARCH_FOLDER = "pagefind"
DEPARTMENT_PAGES = "*/*/index.html"  # <年度>/<部门标识>/index.html (forms.vocabulary.department_folder)
NOT_INDEXED = (".toc", ".table-meta", ".table-data", "table.fin td", "table.evaluation-table td.amount", "caption",
               "figure.chart", ".draft-problems", ".visually-hidden")
UI_BUNDLES = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")  # not loaded
CONFIG_FILE = "pagefind.json"
KEY_FILE = "juesuan-index.sha256"
PROBLEM_FILE = "全文搜索索引"


def write_search_index(staging: Staging) -> None:
    """Index the department pages of the site being staged and write the search bundle into it (``pagefind/``),
    or take the last build's bundle if it was made from the very same pages. A site without department pages gets
    no index (the search box then says search is not available). ContentError, in Chinese, if Pagefind cannot be
    run or fails: the build then publishes nothing."""
    pages = {rel: sha for rel, (_size, sha) in staging.digests.items() if is_department_page(rel)}
    if not pages:
        return
    key = index_key(pages)
    last = _last_bundle(staging.out_dir, key)
    if last is not None:  # the same files on disk, as for a department that did not change
        for rel, path in sorted(last.items()):
            data = path.read_bytes()
            staging.adopt(rel, path, len(data), hashlib.sha256(data).hexdigest())
    else:
        for rel, data in sorted(search_bundle(Path(staging.path)).items()):
            staging.write(rel, data)
    staging.write(f"{SEARCH_FOLDER}/{KEY_FILE}", key.encode("ascii"))


def is_department_page(rel: str) -> bool:
    path = PurePosixPath(rel)
    return len(path.parts) == 3 and path.match(DEPARTMENT_PAGES)


def index_key(pages: dict[str, str]) -> str:
    """What an index is made from: Pagefind's version, how it is run, and each page's SHA-256."""
    made_from = [f"pagefind {version('pagefind_bin_extended')}", json.dumps(NOT_INDEXED)]
    made_from += [f"{sha}  {rel}" for rel, sha in sorted(pages.items())]
    return hashlib.sha256("\n".join(made_from).encode("utf-8")).hexdigest() + "\n"


def search_bundle(site: Path) -> dict[str, bytes]:
    """The files of the search index of the department pages under ``site``, by their path in the site."""
    with tempfile.TemporaryDirectory(prefix="juesuan-search-") as work:
        bundle = Path(work) / "bundle"
        config = {"site": str(site.resolve()), "output_path": str(bundle), "glob": DEPARTMENT_PAGES,
                  "exclude_selectors": list(NOT_INDEXED), "keep_index_url": True}
        (Path(work) / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
        _run_pagefind(Path(work))
        return {f"{SEARCH_FOLDER}/{rel}": data for rel, data in _bundle_files(bundle).items() if _loaded(rel)}


def _last_bundle(site: Path, key: str) -> dict[str, Path] | None:
    """The files of the search bundle of the site as the last build left it, if it was made from what ``key`` says."""
    folder = site / SEARCH_FOLDER
    try:
        if (folder / KEY_FILE).read_text(encoding="ascii") != key:
            return None
    except (OSError, UnicodeDecodeError):
        return None
    files = {f"{SEARCH_FOLDER}/{path.relative_to(folder).as_posix()}": path
             for path in sorted(folder.rglob("*")) if path.is_file() and path.name != KEY_FILE}
    return files if f"{SEARCH_FOLDER}/pagefind-entry.json" in files else None


def _run_pagefind(work: Path) -> None:
    """Run Pagefind with the configuration file in ``work`` (it reads it from its working folder)."""
    try:
        binary = get_executable()
        done = subprocess.run([str(binary), "--silent"], cwd=work, capture_output=True,
                              env={**os.environ, "NO_COLOR": "1"})
    except OSError as exc:  # not installed, not executable, not for this machine
        raise ContentError([Problem(PROBLEM_FILE, None, "", "无法运行 Pagefind，不能建立全文搜索索引，网站未更新",
                                    "可运行的 Pagefind（pagefind[extended]，随本工具安装；可重新运行 bash scripts/setup.sh）",
                                    f"{exc.filename or 'pagefind'}：{_REASONS.get(type(exc), exc.strerror)}")]) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise ContentError([Problem(PROBLEM_FILE, None, "", "Pagefind 建立全文搜索索引失败，网站未更新",
                                    "Pagefind 正常结束", said[-1] if said else f"退出码 {done.returncode}")])


_REASONS = {FileNotFoundError: "找不到", PermissionError: "没有运行权限"}


def _bundle_files(bundle: Path) -> dict[str, bytes]:
    return {path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*")) if path.is_file()}


def _loaded(rel: str) -> bool:
    """Whether ``pagefind.js`` loads the bundle file ``rel`` (the prebuilt UIs it never does)."""
    return not rel.startswith(UI_BUNDLES)
