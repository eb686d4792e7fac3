"""The web app's uvicorn command line, as `planbot serve` starts it: X-Forwarded-For is believed
only from the configured proxies (uvicorn's default believes it from 127.0.0.1, i.e. from every
client of a server on loopback)."""

from __future__ import annotations

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
