"""The production profile against real servers: PostgreSQL for the app's database and Rasa's
tracker store, Redis for Rasa's lock store, several app replicas and Rasa replicas.

Integration: needs `make setup` (the model, the Rasa model, and Debian's PostgreSQL and Redis,
which these tests start privately on 127.0.0.1).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planbot.launcher import (
    RASA_MODEL,
    RASA_TOKEN,
    REPO,
    Process,
    action_server,
    api_server,
    free_port,
    rasa_server,
    service_secrets,
    wait_all_ready,
)
from tests.conftest import skip_or_fail
from tests.http_json import call
from tests.production.servers import Postgres, Redis, postgres_bin, postgres_server, redis_server

pytestmark = pytest.mark.integration

PASSWORD = "a production admin password"
PLANBOT = str(REPO / ".venv" / "bin" / "planbot")


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    if postgres_bin() is None:
        skip_or_fail("PostgreSQL is not installed (make setup installs it)")
    with postgres_server(["planbot_app", "planbot_tracker"]) as server:
        yield server


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    try:
        with redis_server() as server:
            yield server
    except FileNotFoundError as exc:
        skip_or_fail(str(exc))


@pytest.fixture(scope="module")
def production(postgres: Postgres, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The production settings shared by every process, the database seeded by `planbot build`
    and a first admin made by `planbot staff add`."""
    root = tmp_path_factory.mktemp("production")
    env = {
        "PLANBOT_ENVIRONMENT": "production",
        "PLANBOT_SECRET_KEY": secrets.token_hex(32),
        "PLANBOT_DATABASE_URL": postgres.url("planbot_app"),
        "PLANBOT_INDEX_WATCH_SECONDS": "1",
        "PLANBOT_INDEX_DIR": str(root / "index-a"),
    }
    full = {**os.environ, **env}
    subprocess.run([PLANBOT, "build"], env=full, check=True, capture_output=True)
    subprocess.run(
        [PLANBOT, "staff", "add", "admin", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        env=full,
        check=True,
        capture_output=True,
    )
    return env


def _start(processes: list[Process], timeout: float = 180) -> None:
    for p in processes:
        p.start()
    wait_all_ready(processes, timeout)


def _healthz(process: Process) -> Process:
    """An app without Rasa beside it is never "ready"; its process is up when /healthz is."""
    return dataclasses.replace(process, ready_url=process.ready_url.replace("/readyz", "/healthz"))


def _index_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, body = call("GET", base + "/readyz")
        if body["components"]["index"] == "ready":
            return
        time.sleep(0.3)
    raise AssertionError(f"{base}: the index never became ready: {body}")


def test_two_app_replicas_both_serve_a_publish_made_on_one(
    production: dict[str, str], tmp_path: Path
) -> None:
    """Replica A (two uvicorn workers) and replica B (another machine: its own index
    directory) share PostgreSQL; a publish through A is served by every worker of both."""
    env_a = dict(production)
    env_b = {**production, "PLANBOT_INDEX_DIR": str(tmp_path / "index-b")}
    port_a, port_b = free_port(), free_port()
    a = _healthz(api_server(port_a, tmp_path / "a.log", env_a, workers=2))
    b = _healthz(api_server(port_b, tmp_path / "b.log", env_b))
    try:
        _start([a, b])
        base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        _index_ready(base_a)
        _index_ready(base_b)  # B built its own index from the database at start
        _, login = call(
            "POST", base_a + "/api/staff/login", {"username": "admin", "password": PASSWORD}
        )
        token = login["token"]
        notice = "# 一、通知\n\n大兴区第三批共有产权住房将于2027年9月在瀛海镇开放申购。"
        status, created = call(
            "POST",
            base_a + "/api/staff/documents",
            {"title": "共有产权住房申购通知", "content": notice, "doc_id": "shared-ownership"},
            token,
        )
        assert status == 201, created
        started = time.monotonic()
        status, _ = call(
            "POST", base_a + "/api/staff/documents/shared-ownership/publish", token=token
        )
        assert status == 202

        def served_by_all() -> bool:
            # Several requests to A, so that both of its workers answer at least once.
            bases = [base_a] * 6 + [base_b] * 2
            for base in bases:
                query = urllib.parse.urlencode({"q": "共有产权住房申购", "k": 3})
                _, body = call("GET", f"{base}/api/search?{query}")
                if not any(r["doc_id"] == "shared-ownership" for r in body["results"]):
                    return False
            return True

        while time.monotonic() - started < 60 and not served_by_all():
            time.sleep(0.5)
        assert served_by_all(), "not every replica serves the publish within 60 s"
        print(f"\npublish served by both replicas after {time.monotonic() - started:.1f} s")
    finally:
        a.stop()
        b.stop()
        for p, name in ((a, "a"), (b, "b")):
            if p.popen is not None and p.popen.returncode not in (0, -15, None):
                print(name, p.tail())


def test_an_alias_acts_in_every_replica_within_5s_and_stops_when_deleted(
    production: dict[str, str], tmp_path: Path
) -> None:
    """Replica A (two workers) and replica B share PostgreSQL: an alias made through A is in
    force in every worker of both within 5 s (each polls the alias revision), and deleting it
    ends it as fast. Tried through the test console, which answers as the chat does."""
    env_a = {**production, "PLANBOT_INDEX_DIR": str(tmp_path / "index-a")}
    env_b = {**production, "PLANBOT_INDEX_DIR": str(tmp_path / "index-b")}
    port_a, port_b = free_port(), free_port()
    a = _healthz(api_server(port_a, tmp_path / "a.log", env_a, workers=2))
    b = _healthz(api_server(port_b, tmp_path / "b.log", env_b))
    try:
        _start([a, b])
        base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        _index_ready(base_a)
        _index_ready(base_b)
        _, login = call(
            "POST", base_a + "/api/staff/login", {"username": "admin", "password": PASSWORD}
        )
        token = login["token"]
        question = "老年卡到底靠不靠谱"
        # Every worker's engine loaded before anything is looked up: /readyz above reached one
        # of A's two workers, and a worker still loading answers the console and the passage
        # search with 503.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            codes = {
                call("POST", base + "/api/staff/try", {"question": question}, token)[0]
                for base in [base_a] * 6 + [base_b]
            }
            if codes == {200}:
                break
            time.sleep(0.5)
        assert codes == {200}, f"some worker never loaded its engine: {codes}"
        query = urllib.parse.urlencode({"q": "京霸铁路"})
        status, found = call("GET", f"{base_a}/api/staff/passages?{query}", token=token)
        assert status == 200, found
        target = found["passages"][0]

        def cited_everywhere(wanted: bool) -> bool:
            for base in [base_a] * 4 + [base_b] * 2:
                body = {"question": question}
                status, tried = call("POST", base + "/api/staff/try", body, token)
                assert status == 200, (base, status, tried)
                urls = {c["url"] for c in tried["reply"]["citations"]}
                if (target["url"] in urls) != wanted:
                    return False
            return True

        assert cited_everywhere(False)
        status, alias = call(
            "POST",
            base_a + "/api/staff/aliases",
            {"phrase": question, "doc_id": target["doc_id"], "anchor": target["anchor"]},
            token,
        )
        assert status == 201, alias
        started = time.monotonic()
        while not cited_everywhere(True):
            assert time.monotonic() - started < 5, "the alias is not in force everywhere in 5 s"
            time.sleep(0.2)
        print(f"\nalias in force on both replicas after {time.monotonic() - started:.1f} s")
        status, _ = call("DELETE", f"{base_b}/api/staff/aliases/{alias['id']}", token=token)
        assert status == 204
        started = time.monotonic()
        while not cited_everywhere(False):
            assert time.monotonic() - started < 5, "the deleted alias still acts after 5 s"
            time.sleep(0.2)
        print(f"alias gone from both replicas after {time.monotonic() - started:.1f} s")
    finally:
        a.stop()
        b.stop()
        for p, name in ((a, "a"), (b, "b")):
            if p.popen is not None and p.popen.returncode not in (0, -15, None):
                print(name, p.tail())


def test_two_rasa_replicas_continue_one_conversation(
    production: dict[str, str], postgres: Postgres, redis: Redis, tmp_path: Path
) -> None:
    """A form started on Rasa A goes on on Rasa B: the tracker is in PostgreSQL, the lock in
    Redis, so either replica may take any turn."""
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    env = {
        **production,
        "PLANBOT_RASA_ENDPOINTS": "bot/endpoints.production.yml",
        "PLANBOT_TRACKER_DB_HOST": "127.0.0.1",
        "PLANBOT_TRACKER_DB_PORT": str(postgres.port),
        "PLANBOT_TRACKER_DB_NAME": "planbot_tracker",
        "PLANBOT_TRACKER_DB_USER": postgres.user,
        "PLANBOT_TRACKER_DB_PASSWORD": postgres.password,
        "PLANBOT_REDIS_HOST": "127.0.0.1",
        "PLANBOT_REDIS_PORT": str(redis.port),
        "PLANBOT_REDIS_PASSWORD": redis.password,
        "PLANBOT_REDIS_DB": "0",
    }
    actions_port, port_a, port_b = free_port(), free_port(), free_port()
    actions = action_server(actions_port, tmp_path / "actions.log", env)
    rasa_a = rasa_server(port_a, actions_port, tmp_path / "rasa-a.log", tmp_path, env)
    rasa_b = rasa_server(port_b, actions_port, tmp_path / "rasa-b.log", tmp_path, env)
    processes = [actions, rasa_a, rasa_b]
    try:
        _start(processes, timeout=240)

        def say(port: int, message: str) -> list[dict[str, Any]]:
            status, body = call(
                "POST",
                f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                {"sender": "replicated-enterprise", "message": message},
            )
            assert status == 200 and body, body
            return [m["custom"]["reply"] for m in body if "custom" in m]

        answer, *_ = say(port_a, "我们是做生物医药的企业")  # answered first, then offered
        assert answer["kind"] == "answer" and answer["citations"]
        (ask_need,) = say(port_b, "/affirm")  # the other replica: the form asks the need
        assert ask_need["kind"] == "form" and ask_need["buttons"], ask_need
        (ask_contact,) = say(port_a, '/inform_need{"cooperation_need": "capacity"}')
        assert ask_contact["kind"] == "form", ask_contact
        token = service_secrets(env)[RASA_TOKEN]  # Rasa's HTTP API answers only with it
        _, tracker = call(
            "GET",
            f"http://127.0.0.1:{port_b}/conversations/replicated-enterprise/tracker?token={token}",
        )
        assert tracker["slots"]["industry"] == "生物医药"
    except Exception:
        for p in processes:
            print(p.name, p.tail())
        raise
    finally:
        for p in reversed(processes):
            p.stop()


def test_the_database_going_away_and_coming_back(
    production: dict[str, str], postgres: Postgres, tmp_path: Path
) -> None:
    """PostgreSQL stops: /readyz shows it, staff calls get 503, search still answers from the
    index; PostgreSQL returns: everything works again without a restart."""
    port = free_port()
    app = _healthz(api_server(port, tmp_path / "app.log", dict(production)))
    base = f"http://127.0.0.1:{port}"
    try:
        _start([app])
        _index_ready(base)
        _, login = call(
            "POST", base + "/api/staff/login", {"username": "admin", "password": PASSWORD}
        )
        token = login["token"]
        postgres.stop()
        try:
            status, ready = call("GET", base + "/readyz")
            # Shown, yet the replica stays "ready": residents are answered without it.
            assert ready["components"]["database"].startswith("unreachable")
            status, body = call("GET", base + "/api/staff/documents", token=token)
            assert status == 503 and "数据库" in body["detail"]
            query = urllib.parse.urlencode({"q": "京霸铁路"})
            status, found = call("GET", f"{base}/api/search?{query}")
            assert status == 200 and found["results"]
        finally:
            postgres.start()
        deadline = time.monotonic() + 30
        status = 0
        while time.monotonic() < deadline and status != 200:
            status, body = call("GET", base + "/api/staff/documents", token=token)
            time.sleep(0.3)
        assert status == 200 and body["documents"]
        _, ready = call("GET", base + "/readyz")
        assert ready["components"]["database"] == "ready"
    finally:
        app.stop()
