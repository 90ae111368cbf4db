"""`juesuan serve`: the site as a draft preview on localhost, rebuilt as files change.

The preview lives in memory. A changed department file is reloaded, recomputed,
rechecked (with the next year's file, whose 上年 checks read it) and re-rendered on
its own; templates or site.yaml rebuild everything. Every page polls a version
number and reloads itself after a rebuild. Problems are shown in the page: check
findings as in a draft build, and a file that cannot be read at all gets a page
with its located messages in place of its disclosure. Only requests whose ``Host`` names
this machine are answered (``PreviewServer``): drafts are not for other sites' pages.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from generator.buildtime import build_time
from generator.checks.findings import DEFAULT_TOLERANCE
from generator.checks.runner import check_computed
from generator.compute.figures import Computed
from generator.content.siteconfig import SiteConfig
from generator.errors import (
    ContentError,
    Problem,
    debugging,
    display_path,
    internal_problem,
)
from generator.forms.profiles import available_profiles
from generator.pipeline.departments import computed_department, discover, plan
from generator.pipeline.pagetext import page_text
from generator.pipeline.settings import Settings, resolve_settings
from generator.render.context import PREVIEW_BANNER, PREVIEW_PROBLEMS
from generator.render.html import environment
from generator.render.outputs import render_one, site_files
from generator.render.pagemeta import PageMeta, SiteLinks
from generator.render.siteindex import INDEX, Entry

VERSION_PATH = "/__juesuan/version"
RELOADER = f"""<script>
(function () {{
  var seen = null;
  function poll() {{
    fetch("{VERSION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (v) {{
      if (seen === null) {{ seen = v; }} else if (v !== seen) {{ location.reload(); }}
    }}).catch(function () {{}}).then(function () {{ setTimeout(poll, 700); }});
  }}
  poll();
}})();
</script>
"""
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript",
         ".svg": "image/svg+xml", ".json": "application/json", ".csv": "text/csv; charset=utf-8",
         ".xml": "application/xml", ".pdf": "application/pdf",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Department:
    """One content file as the preview last saw it: its files, or the problems that stop it."""

    path: Path
    computed: Computed | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)


class Preview:
    """The site in memory, rebuilt incrementally."""

    def __init__(self, content_dir: Path, template_dir: Path | None = None,
                 tolerance: Decimal = DEFAULT_TOLERANCE, profile: str | None = None):
        self.profile = profile
        self.content_dir = content_dir.resolve()
        self.template_option = template_dir.resolve() if template_dir else None
        self.tolerance = tolerance
        self.lock = threading.Lock()
        self.version = 0
        self.departments: dict[Path, Department] = {}
        self.files: dict[str, bytes] = {}
        self.site_problems: list[Problem] = []
        self.rebuild()

    # -- rebuilding ------------------------------------------------------------
    def rebuild(self, changed: set[Path] | None = None) -> list[str]:
        """Rebuild after ``changed`` files (None: everything); returns what was rebuilt, for the log."""
        with self.lock:
            everything = changed is None or any(not self._is_department(p) for p in changed)
            try:
                self.settings = resolve_settings(self.content_dir, template_dir=self.template_option,
                                                 profile=self.profile, draft=True, pdf=False, tolerance=self.tolerance)
                self.site_problems = []
            except ContentError as exc:  # shown on every page; the departments are previewed with the defaults
                self.settings = Settings(SiteConfig(), str(self.content_dir), None, None, True, False, self.tolerance,
                                         build_time(), profiles=tuple(available_profiles(self.content_dir)))
                self.site_problems = exc.problems
            if everything:
                environment.cache_clear()  # templates may have changed on disk
                paths = set(discover(self.content_dir))
            else:
                paths = {p for p in changed if p.exists() and p.parent.parent == self.content_dir}
                for gone in [p for p in changed if not p.exists()]:
                    self.departments.pop(gone, None)
            for path in paths:
                self._load(path)
            touched = paths | self._next_years(paths)
            self._recheck_and_render(touched)
            self._assemble()
            self.version += 1
            return [display_path(p) for p in sorted(touched)]

    def _is_department(self, path: Path) -> bool:
        return path.suffix == ".yaml" and path.parent.name.isdigit() and path.parent.parent == self.content_dir

    @property
    def config(self) -> SiteConfig:
        return self.settings.config

    @property
    def template_dir(self) -> Path | None:
        return Path(self.settings.template_dir) if self.settings.template_dir else None

    def _load(self, path: Path) -> None:
        try:
            job = plan([path])[0]
            self.departments[path] = Department(path, computed_department(job.source, self.settings))
        except ContentError as exc:
            self.departments[path] = Department(path, problems=exc.problems)

    def _next_years(self, paths: set[Path]) -> set[Path]:
        later = {p.parent.parent / str(int(p.parent.name) + 1) / p.name for p in paths}
        return {p for p in later if p in self.departments}

    def _recheck_and_render(self, paths: set[Path]) -> None:
        for path in sorted(paths):
            dept = self.departments.get(path)
            if dept is None or dept.computed is None:
                continue
            last = self.departments.get(path.parent.parent / str(int(path.parent.name) - 1) / path.name)
            s = self.settings
            text = page_text(dept.computed, s.config, s.template_dir)
            findings = check_computed(dept.computed, last.computed if last else None, self.tolerance, page_text=text)
            dept.files, dept.entry, dept.problems = render_one(
                (dept.computed, s.config, s.template_dir, findings, True, False, build_time()))

    def _assemble(self) -> None:
        files: dict[str, bytes] = {}
        for dept in self.departments.values():
            files.update(dept.files)
        entries = [d.entry for d in self.departments.values() if d.entry]
        try:
            files.update(site_files(self.config, self.template_dir, entries, draft=True))
        except ContentError as exc:
            self.site_problems.extend(exc.problems)
        self.files = files

    # -- serving ---------------------------------------------------------------
    def problems(self) -> list[Problem]:
        return self.site_problems + [p for d in self.departments.values() for p in d.problems]

    def response(self, url_path: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a request path."""
        with self.lock:
            if url_path == VERSION_PATH:
                return 200, "text/plain; charset=utf-8", str(self.version).encode()
            name = unquote(urlsplit(url_path).path).lstrip("/")
            if name == "" or name.endswith("/"):
                name += INDEX
            failing = self._failing_page(name)
            if failing is not None:
                return 200, TYPES[".html"], inject(self._problem_page(failing))
            body = self.files.get(name)
            if body is None:
                return 404, TYPES[".html"], inject(self.files.get("404.html", b"<h1>404</h1>"))
            kind = TYPES.get(Path(name).suffix, "application/octet-stream")
            if not kind.startswith("text/html"):
                return 200, kind, body
            problems = self.problems()
            return 200, kind, inject(self._with_banner(body, problems) if problems else body)

    def _failing_page(self, name: str) -> list[Problem] | None:
        """The problems of the department whose page ``name`` is, when it cannot be shown."""
        parts = name.split("/")
        if len(parts) != 3 or parts[2] != INDEX:
            return None
        dept = self.departments.get(self.content_dir / parts[0] / f"{parts[1]}.yaml")
        return dept.problems if dept and dept.problems else None

    # Built-in templates only: a broken override must not hide its own error.
    def _problem_page(self, problems: list[Problem]) -> bytes:
        context = PREVIEW_PROBLEMS.context(problems=problems, site=self.config.site, show=self.config.show, root="/",
                                           canonical="", draft=True, page=PageMeta(""), links=SiteLinks())
        page = environment(None).get_template(PREVIEW_PROBLEMS.template).render(context)
        return page.encode("utf-8")

    def _with_banner(self, page: bytes, problems: list[Problem]) -> bytes:
        """The problems at the top of the page. Placed by the document's own structure (after ``<body>``), not
        by any element of our templates, so that a site's template override keeps the banner."""
        template = environment(None).get_template(PREVIEW_BANNER.template)
        banner = template.render(PREVIEW_BANNER.context(problems=problems)).encode("utf-8")
        opening = BODY.search(page)
        return page[:opening.end()] + banner + page[opening.end():] if opening else banner + page


BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject(page: bytes) -> bytes:
    """Add the reloader before </body>."""
    marker = b"</body>"
    return page.replace(marker, RELOADER.encode("utf-8") + marker, 1) if marker in page else page + RELOADER.encode()


FORBIDDEN = "拒绝访问：预览只回答用本机地址（如 127.0.0.1、localhost）访问的请求。\n".encode("utf-8")
WILDCARDS = {"", "0.0.0.0", "::"}


class PortUnavailable(Exception):
    """The preview cannot listen where it was asked to: ``str()`` says why and what to do instead, in Chinese."""


def _unavailable(exc: OSError, host: str, port: int) -> PortUnavailable | None:
    if isinstance(exc, socket.gaierror):
        return PortUnavailable(f"无法解析地址 {host}；请用 --host 127.0.0.1（只在本机预览）或本机的 IP 地址")
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if 0 < port < 65535 else 8000
        return PortUnavailable(f"端口 {port} 已被占用（可能已有一个 juesuan serve 在运行），请用 --port 换一个端口，"
                               f"如 --port {other}，或用 --port 0 自动选一个空闲端口")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return PortUnavailable(f"没有权限使用端口 {port}（1024 以下的端口要管理员权限），请用 --port 换一个端口，"
                               "如 --port 8000")
    if exc.errno == errno.EADDRNOTAVAIL:
        return PortUnavailable(f"地址 {host} 不是本机的地址，不能在它上面预览；请用 --host 127.0.0.1 或本机的 IP 地址")
    return None


def make_server(preview: Preview, host: str, port: int, log: Callable[[str], None] | None = None) -> PreviewServer:
    """The preview's HTTP server at ``host:port`` (PortUnavailable if it cannot listen there); ``log``, if given, is
    told each request answered."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if not self.server.addressed(self.headers.get("Host")):
                self._send(403, "text/plain; charset=utf-8", FORBIDDEN)
                return
            self._send(*preview.response(self.path))

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_request(self, code="-", size="-"):
            if log is not None:
                log(f"{self.command} {self.path} {getattr(code, 'value', code)}")

        def log_message(self, *args):  # the terminal shows rebuilds, and requests only through ``log``
            pass

    try:
        return PreviewServer(host, port, Handler)
    except OSError as exc:
        unavailable = _unavailable(exc, host, port)
        if unavailable is None:
            raise
        raise unavailable from None


class PreviewServer(ThreadingHTTPServer):
    """Answers only requests that name the address it listens on, and keeps quiet when a client goes away."""

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__((host, port), handler)
        self.names = {"localhost", "127.0.0.1", "::1", host.lower(), self.server_address[0]}

    def addressed(self, header: str | None) -> bool:
        """Whether a ``Host`` header names this server. A page of another site whose name was made to resolve
        to this machine (DNS rebinding) sends its own name, and would otherwise read the drafts. A request
        without the header comes from no browser. The port is not compared: a forwarded one (ssh -L) differs."""
        if header is None:
            return True
        try:
            name = (urlsplit("//" + header.strip()).hostname or "").rstrip(".")
        except ValueError:  # "[::1" and the like
            return False
        if name in self.names:
            return True
        return self.server_address[0] in WILDCARDS and (_is_ip(name) or name in _machine_names())

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the browser left mid-response (closed, reloaded)
            return
        super().handle_error(request, client_address)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@cache
def _machine_names() -> set[str]:
    return {socket.gethostname().lower(), socket.getfqdn().lower()}


def watch(preview: Preview, stop: threading.Event, ready: threading.Event, report) -> None:
    """Rebuild on every batch of changes under the content and template directories.

    ``ready`` is set once the watcher runs, so no edit made after the address is shown is missed.
    """
    from watchfiles import watch as watch_files

    roots = [preview.content_dir] + [p for p in {preview.template_option, preview.config.templates} if p]
    for changes in watch_files(*roots, stop_event=stop, debounce=200, step=50, rust_timeout=100,
                               yield_on_timeout=True):
        ready.set()
        if not changes:
            continue
        try:
            rebuilt = preview.rebuild({Path(path).resolve() for _, path in changes})
        except Exception as exc:  # a defect: say so and keep watching, the next edit may rebuild fine
            if debugging():
                raise
            report([], [internal_problem(exc, "juesuan serve", "重新生成预览时")])
            continue
        report(rebuilt, preview.problems())
