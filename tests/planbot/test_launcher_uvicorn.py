"""The web app's uvicorn command line, as `planbot serve` starts it: X-Forwarded-For is believed
only from the configured proxies (uvicorn's default believes it from 127.0.0.1, i.e. from every
client of a server on loopback)."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest

from planbot.launcher import Process, api_server, free_port

FORGED = "203.0.113.9"


def _served_client(tmp_path: Path, env: dict[str, str]) -> str:
    """Start the launcher's uvicorn command with the echo app; the address it sees for a
    request carrying a forged X-Forwarded-For."""
    port = free_port()
    process: Process = api_server(port, tmp_path / "api.log", env, workers=1)
    process.argv[process.argv.index("api.main:create_app")] = (
        "tests.planbot.proxy_echo_app:create_app"
    )
    process.start()
    try:
        process.wait_ready(30)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": FORGED}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return str(response.read().decode())
    finally:
        process.stop(grace=5)


def test_a_client_cannot_choose_its_address_by_default(tmp_path: Path) -> None:
    assert _served_client(tmp_path, {"PLANBOT_FORWARDED_ALLOW_IPS": ""}) == "127.0.0.1"


@pytest.mark.parametrize("proxies", ["127.0.0.1", "10.0.0.5, 127.0.0.0/8"])
def test_a_configured_proxy_is_believed(tmp_path: Path, proxies: str) -> None:
    assert _served_client(tmp_path, {"PLANBOT_FORWARDED_ALLOW_IPS": proxies}) == FORGED


def test_a_proxy_elsewhere_is_not_believed_from_loopback(tmp_path: Path) -> None:
    assert _served_client(tmp_path, {"PLANBOT_FORWARDED_ALLOW_IPS": "10.0.0.5"}) == "127.0.0.1"


def _started(tmp_path: Path, env: dict[str, str]) -> tuple[Process, int]:
    port = free_port()
    process: Process = api_server(port, tmp_path / "api.log", env, workers=1)
    process.argv[process.argv.index("api.main:create_app")] = (
        "tests.planbot.proxy_echo_app:create_app"
    )
    process.start()
    process.wait_ready(30)
    return process, port


def _whole_response(conn: socket.socket) -> bytes:
    """One response read to the end of its body (the echo's is the client address)."""
    data = b""
    while b"127.0.0.1" not in data.partition(b"\r\n\r\n")[2]:
        chunk = conn.recv(4096)
        assert chunk, "closed before the response was complete"
        data += chunk
    return data


def test_an_idle_keep_alive_connection_is_closed(tmp_path: Path) -> None:
    process, port = _started(tmp_path, {"PLANBOT_API_KEEP_ALIVE_SECONDS": "1"})
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _whole_response(conn).startswith(b"HTTP/1.1 200")
            time.sleep(2.5)  # past the setting, short of uvicorn's own default (5 s)
            conn.settimeout(0.5)  # an open connection would time out here instead
            assert conn.recv(4096) == b""  # already closed by the server
    finally:
        process.stop(grace=5)


def test_past_the_concurrency_limit_a_client_gets_503_at_once(tmp_path: Path) -> None:
    """The limit counts requests being served; connections still sending a request (or idle)
    do not take their place (api/slow_clients.py)."""
    process, port = _started(tmp_path, {"PLANBOT_API_LIMIT_CONCURRENCY": "3"})
    try:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(5)]
        for c in idle[:2]:
            c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # a head not yet complete
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        busy = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(3)]
        for c in busy:
            c.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 503")
        for c in idle + busy:
            c.close()
    finally:
        process.stop(grace=5)


def test_a_bad_number_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PLANBOT_API_LIMIT_CONCURRENCY"):
        api_server(free_port(), tmp_path / "api.log", {"PLANBOT_API_LIMIT_CONCURRENCY": "lots"})
