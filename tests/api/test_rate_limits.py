"""Rate limits through the `limits` package: search is limited like the chat, replicas share
one count through Redis, IPv6 clients are counted by their /64, and a count that cannot be
reached never takes the residents' chat down (but does stop log-ins)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from api.ratelimit import client_key, storage_uri
from planbot.launcher import free_port
from tests.conftest import skip_or_fail
from tests.production.servers import Redis, redis_server

CHAT = {"session_id": "s", "message": "你好"}


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    try:
        with redis_server() as server:
            yield server
    except FileNotFoundError as exc:
        skip_or_fail(str(exc))


def test_search_is_rate_limited_per_client(make_client: Callable[..., TestClient]) -> None:
    client = make_client(search_limit_per_minute=2)
    codes = [client.get("/api/search", params={"q": "铁路"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.get("/api/search", params={"q": "铁路"})
    assert int(limited.headers["Retry-After"]) >= 1
    assert "频繁" in limited.json()["detail"]


def test_two_replicas_share_one_limit_through_redis(
    make_client: Callable[..., TestClient],
    fake_rasa,
    redis: Redis,  # type: ignore[no-untyped-def]
) -> None:
    fake_rasa.reply = [{"recipient_id": "s", "text": "好"}]
    shared = {
        "rate_limit_per_minute": 3,
        "redis_host": "127.0.0.1",
        "redis_port": redis.port,
        "redis_password": redis.password,
        "redis_db": 1,
    }
    replica_a, replica_b = make_client(**shared), make_client(**shared)
    assert replica_a.post("/api/chat", json=CHAT).status_code == 200
    assert replica_b.post("/api/chat", json=CHAT).status_code == 200
    assert replica_a.post("/api/chat", json=CHAT).status_code == 200
    assert replica_b.post("/api/chat", json=CHAT).status_code == 429
    assert replica_a.post("/api/chat", json=CHAT).status_code == 429


def test_an_unreachable_count_keeps_the_chat_up_and_stops_log_ins(
    make_client: Callable[..., TestClient],
    fake_rasa,  # type: ignore[no-untyped-def]
) -> None:
    fake_rasa.reply = [{"recipient_id": "s", "text": "好"}]
    client = make_client(rate_limit_storage=f"async+redis://127.0.0.1:{free_port()}/0")
    assert client.post("/api/chat", json=CHAT).status_code == 200
    login = client.post("/api/staff/login", json={"username": "admin", "password": "x" * 12})
    assert login.status_code == 503
    assert "暂时不可用" in login.json()["detail"]


def _request_from(host: str) -> Request:
    return Request({"type": "http", "client": (host, 4000), "headers": []})


def test_an_ipv6_client_is_counted_by_its_64() -> None:
    assert client_key(_request_from("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_key(_request_from("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_key(_request_from("2001:db8:1:3::1")) == "2001:db8:1:3::/64"
    assert client_key(_request_from("::ffff:192.0.2.7")) == "192.0.2.7"
    assert client_key(_request_from("192.0.2.7")) == "192.0.2.7"


def test_the_count_is_in_redis_when_the_production_profile_has_one() -> None:
    assert storage_uri("", redis_host="", redis_port=6379, redis_password="", redis_db=0) == (
        "async+memory://"
    )
    assert (
        storage_uri("", redis_host="r.internal", redis_port=6380, redis_password="p@ss", redis_db=2)
        == "async+redis://:p%40ss@r.internal:6380/2"
    )
    assert storage_uri(
        "async+redis://x:1/0", redis_host="r", redis_port=1, redis_password="", redis_db=0
    ) == ("async+redis://x:1/0")
