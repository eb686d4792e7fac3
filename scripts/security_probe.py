"""Security probe (issue 14) against a running stack (`make run`), from outside:

1. H1: a staff upload of the YAML alias bomb (the review's 336-byte front matter, six levels,
   and larger) gets a 4xx within 5 s, while /healthz is polled every 0.2 s and must answer
   within 1 s throughout;
2. M3: Rasa's HTTP API and the action server refuse a caller without credentials;
3. L1: 250 half-sent requests (slow heads and bodies) are closed, /healthz answering throughout.

    printf '%s' "$PASSWORD" | .venv/bin/planbot staff add sec-probe --role editor --password-stdin
    .venv/bin/python scripts/security_probe.py --user sec-probe --password-file FILE

Prints one line per measurement; exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.docstore.bombs import alias_bomb  # noqa: E402


def call(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started
    except OSError:
        return 0, b"", time.monotonic() - started


class HealthWatch:
    """Polls /healthz every 0.2 s in a thread; the worst answer is what counts."""

    def __init__(self, base: str) -> None:
        self.base, self._stop = base, threading.Event()
        self.checks: list[tuple[int, float]] = []
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            status, _, took = call("GET", f"{self.base}/healthz")
            self.checks.append((status, took))
            time.sleep(0.2)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def verdict(self) -> tuple[bool, str]:
        bad = [c for c in self.checks if c[0] != 200 or c[1] > 1.0]
        slowest = max((t for _, t in self.checks), default=0.0)
        return not bad and len(self.checks) > 2, (
            f"/healthz {len(self.checks)} checks, slowest {slowest * 1000:.0f} ms, "
            f"{len(bad)} failed or over 1 s"
        )


def multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            f"Content-Type: text/markdown\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def probe_uploads(base: str, token: str) -> bool:
    ok = True
    for levels in (6, 7, 9):
        bomb = alias_bomb(levels)
        body, kind = multipart(f"bomb{levels}.md", bomb)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": kind}
        with HealthWatch(base) as watch:
            time.sleep(0.5)
            status, answer, took = call("POST", f"{base}/api/staff/documents/upload", body, headers)
            time.sleep(0.5)
        health_ok, health = watch.verdict()
        good = 400 <= status < 500 and took < 5 and health_ok
        ok &= good
        detail = json.loads(answer or b"{}").get("detail", "") if answer else ""
        print(
            f"{'ok ' if good else 'FAIL'} H1 alias bomb {levels} levels ({len(bomb)} bytes): "
            f"{status} in {took * 1000:.0f} ms «{detail}»; {health}"
        )
    return ok


def probe_services(rasa: str, actions: str) -> bool:
    ok = True
    checks = [
        ("GET", f"{rasa}/conversations/anyone/tracker", None, 401),
        ("POST", f"{rasa}/conversations/anyone/tracker/events", b"[]", 401),
        ("PUT", f"{rasa}/model", b'{"model_file": "/tmp/x.tar.gz"}', 401),
        ("GET", f"{rasa}/status", None, 401),
        ("GET", f"{rasa}/conversations/anyone/tracker?token=wrong", None, 401),
        ("POST", f"{actions}/webhook", b'{"next_action": "action_handoff"}', 401),
        ("GET", f"{actions}/actions", None, 401),
        ("POST", f"{actions}/health", None, 405),
    ]
    for method, url, body, expected in checks:
        status, _, took = call(method, url, body, {"Content-Type": "application/json"})
        good = status == expected
        ok &= good
        print(f"{'ok ' if good else 'FAIL'} M3 {method} {url}: {status} ({took * 1000:.0f} ms)")
    return ok


def probe_slow_clients(base: str, count: int, wait: float) -> bool:
    host, port = base.removeprefix("http://").split(":")
    heads = (
        b"GET /healthz HTTP/1.1\r\n",
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nContent-Length: 900\r\n\r\n{",
    )
    socks = []
    for n in range(count):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(heads[n % 2])
        socks.append(s)
    opened = time.monotonic()
    with HealthWatch(base) as watch:
        time.sleep(wait)
    closed = 0
    for s in socks:
        s.settimeout(0.05)
        try:
            data = s.recv(4096)
            closed += data.startswith(b"HTTP/1.1 408") or data == b""
        except (TimeoutError, ConnectionResetError):
            pass
        s.close()
    health_ok, health = watch.verdict()
    good = health_ok and closed == count
    print(
        f"{'ok ' if good else 'FAIL'} L1 {count} half-sent requests: {closed} closed by the server "
        f"{time.monotonic() - opened:.1f} s after opening; {health}"
    )
    return good


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--actions-url", default="http://127.0.0.1:5055")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--slow-clients", type=int, default=250)
    parser.add_argument("--slow-wait", type=float, default=12.0, help="past the head timeout")
    args = parser.parse_args()
    login = json.dumps(
        {"username": args.user, "password": args.password_file.read_text().strip()}
    ).encode()
    status, answer, _ = call(
        "POST", f"{args.base_url}/api/staff/login", login, {"Content-Type": "application/json"}
    )
    if status != 200:
        print(f"FAIL staff login: {status} {answer[:200]!r}")
        return 1
    token = json.loads(answer)["token"]
    ok = probe_uploads(args.base_url, token)
    ok &= probe_services(args.rasa_url, args.actions_url)
    ok &= probe_slow_clients(args.base_url, args.slow_clients, args.slow_wait)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
