"""`juesuan serve` against the network: only requests naming this machine are answered (no DNS rebinding), a
client that goes away mid-response leaves no traceback, and a bad or taken port is said in Chinese."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest
from click.testing import CliRunner
from conftest import CONTENT

import generator.commands.serve
from generator.commands.cli import main
from generator.pipeline.serve import make_server


class Stub:
    """A preview that answers every path with the same body, without building a site."""

    def __init__(self, body: bytes = b"<html><body>draft</body></html>") -> None:
        self.body = body
        self.departments: dict = {}

    def response(self, url_path: str) -> tuple[int, str, bytes]:
        return 200, "text/html; charset=utf-8", self.body

    def problems(self) -> list:
        return []


@pytest.fixture(scope="module")
def server():
    served = make_server(Stub(), "127.0.0.1", 0)
    thread = threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def raw_get(port: int, host: str | None, version: str = "1.1") -> tuple[int, str]:
    """Status and body of a GET sent byte for byte, with ``host`` as its Host header (None: no header)."""
    head = f"GET /2023/xianyang-rsj/index.html HTTP/{version}\r\n" + (f"Host: {host}\r\n" if host is not None else "")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall((head + "Connection: close\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := client.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2].decode("utf-8")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example",
                                  "localhost.evil.example:{port}", "[::1", ""])
def test_a_request_naming_another_host_is_refused_in_chinese(server, host):
    port = server.server_address[1]
    status, body = raw_get(port, host.format(port=port))
    assert status == 403
    assert "拒绝访问" in body and "draft" not in body and "Traceback" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1", "localhost:{port}", "LOCALHOST", "localhost.",
                                  "[::1]:{port}", "127.0.0.1:9999"])
def test_a_request_naming_this_machine_is_answered(server, host):
    port = server.server_address[1]
    assert raw_get(port, host.format(port=port)) == (200, "<html><body>draft</body></html>")


def test_a_request_without_a_host_header_comes_from_no_browser_and_is_answered(server):
    assert raw_get(server.server_address[1], None, version="1.0")[0] == 200


def test_a_server_on_every_interface_answers_its_addresses_but_not_other_names():
    served = make_server(Stub(), "0.0.0.0", 0)
    try:
        assert served.addressed("192.168.1.20:8000") and served.addressed(f"{socket.gethostname()}:8000")
        assert served.addressed("[fe80::1]") and not served.addressed("evil.example:8000")
    finally:
        served.server_close()


def request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "process_request_thread" in t.name]


def test_a_client_that_leaves_mid_response_leaves_no_traceback(capfd):
    served = make_server(Stub(b"x" * 32_000_000), "127.0.0.1", 0)
    threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True).start()
    try:
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", served.server_address[1]), timeout=5)
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.0 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not a goodbye
            client.close()
        deadline = time.monotonic() + 10
        while request_threads() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not request_threads()
    finally:
        served.shutdown()
        served.server_close()
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Error" not in err and err == ""


def test_a_port_out_of_range_is_refused_in_chinese():
    result = CliRunner().invoke(main, ["serve", "--content", str(CONTENT), "--port", "70000"])
    assert result.exit_code == 2
    assert "--port" in result.output and "应为 0–65535 之间的整数" in result.output and "70000" in result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output


def test_a_taken_port_is_said_and_another_suggested(monkeypatch):
    monkeypatch.setattr(generator.commands.serve, "Preview", lambda *args: Stub())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--content", str(CONTENT), "--port", str(port)])
    assert result.exit_code == 69  # PORT_TAKEN
    assert f"端口 {port} 已被占用" in result.output and "--port" in result.output
    assert "无法读写文件" not in result.output and "Traceback" not in result.output
