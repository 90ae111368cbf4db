"""`juesuan serve` in a subprocess: edits show up in the served page; errors show in the page itself."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from generator.pipeline.serve import RELOADER, VERSION_PATH, Preview

PAGE = "2023/xianyang-rsj/index.html"

pytestmark = pytest.mark.slow  # each test builds the example content for the preview (a few seconds with the server)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


def wait_for(condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


@pytest.fixture
def served(content_copy, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(content_copy), "--port", "0"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1"))
    lines = []
    address = None
    deadline = time.monotonic() + 60
    while address is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        address = found.group(0) if found else None
    assert address, "".join(lines)
    yield address, content_copy
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_an_edited_figure_appears_in_the_served_page(served):
    address, content = served
    assert "<td class=\"amount\"" in fetch(address + PAGE) or "120.00" in fetch(address + PAGE)
    before = fetch(address + VERSION_PATH)
    path = content / "2023" / "xianyang-rsj.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      training: 120.00" in text
    started = time.monotonic()
    path.write_text(text.replace("      training: 120.00", "      training: 123.45", 1), encoding="utf-8")
    assert wait_for(lambda: "123.45" in fetch(address + PAGE)), "the page did not show the new figure"
    assert time.monotonic() - started < 10
    assert fetch(address + VERSION_PATH) != before  # open pages poll this and reload themselves
    assert "培训费预算 123.45 万元" in fetch(address + PAGE)


def test_a_yaml_error_is_shown_in_the_page_with_its_location(served):
    address, content = served
    path = content / "2023" / "xianyang-rsj.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("year: 2023") + 1
    path.write_text(text.replace("year: 2023", "year: [2023", 1), encoding="utf-8")
    page = wait_for(lambda: (lambda p: p if "暂时无法预览" in p else None)(fetch(address + PAGE)))
    assert page, fetch(address + PAGE)[:3000]
    assert re.search(rf"xianyang-rsj\.yaml:{line}\b", page) or re.search(r"xianyang-rsj\.yaml:\d+", page)
    home = fetch(address + "index.html")
    assert "预览：1 个问题" in home and "xianyang-rsj.yaml" in home
    path.write_text(text, encoding="utf-8")
    assert wait_for(lambda: "咸阳市人力资源和社会保障局" in fetch(address + PAGE)
                    and "暂时无法预览" not in fetch(address + PAGE))
    assert "预览：" not in fetch(address + "index.html")


def test_check_findings_show_in_the_preview_as_in_a_draft(content_copy):
    path = content_copy / "2023" / "xianyang-rsj.yaml"
    preview = Preview(content_copy)
    assert "审核未发现问题" in preview.response("/" + PAGE)[2].decode("utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    2080101: {basic: 1248.66", "    2080101: {basic: 1348.66", 1), encoding="utf-8")
    assert text != path.read_text(encoding="utf-8")
    assert [Path(p).name for p in preview.rebuild({path.resolve()})] == ["xianyang-rsj.yaml"]
    status, kind, body = preview.response("/" + PAGE)
    page = body.decode("utf-8")
    assert status == 200 and "审核未发现问题" not in page and "[coded-hierarchy]" in page
    assert RELOADER.strip().splitlines()[0] in page


def test_only_the_changed_department_and_its_next_year_are_rebuilt(content_copy):
    preview = Preview(content_copy)
    changed = (content_copy / "2023" / "demo-tongji.yaml").resolve()
    rebuilt = preview.rebuild({changed})
    assert sorted(Path(p).name for p in rebuilt) == ["demo-tongji.yaml", "demo-tongji.yaml"]
    assert {Path(p).parent.name for p in rebuilt} == {"2023", "2024"}
    assert preview.response("/nowhere.html")[0] == 404
