"""What a conversation's buttons and replies are remembered in: this process's memory, or the
production profile's Redis shared by the replicas."""

from __future__ import annotations

import asyncio

import pytest

from api.session_memory import LocalMemory
from knowledge.answering.reply import Button, Reply
from tests.conftest import skip_or_fail
from tests.production.servers import redis_server


def test_local_memory_expires_and_claims_once() -> None:
    now = [0.0]
    memory = LocalMemory(60, max_entries=3, clock=lambda: now[0])

    async def run() -> None:
        await memory.remember("s", "b:1", {"payload": "/x"})
        assert await memory.recall("s", "b:1") == {"payload": "/x"}
        assert await memory.recall("t", "b:1") is None  # another conversation
        assert await memory.claim("s", "rated:1") is True
        assert await memory.claim("s", "rated:1") is False
        now[0] = 61
        assert await memory.recall("s", "b:1") is None
        assert await memory.claim("s", "rated:1") is True  # expired, so claimable again
        for i in range(5):  # bounded: the oldest go
            await memory.remember("s", f"k:{i}", {})
        assert await memory.recall("s", "k:0") is None
        assert await memory.recall("s", "k:4") == {}

    asyncio.run(run())


@pytest.mark.integration
def test_replicas_sharing_redis_accept_each_others_buttons(make_client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    try:
        server = redis_server()
        redis = server.__enter__()
    except FileNotFoundError as exc:
        skip_or_fail(str(exc))
    try:
        settings = {
            "redis_host": "127.0.0.1",
            "redis_port": redis.port,
            "redis_password": redis.password,
        }
        one, two = make_client(**settings), make_client(**settings)
        offered = Reply(
            kind="no_answer",
            text="没有找到。",
            buttons=[Button(title="转人工服务", payload="/human_handoff")],
        )
        fake_rasa.reply = [{"custom": {"reply": offered.model_dump()}}]
        body = one.post("/api/chat", json={"session_id": "s1", "message": "问题"}).json()
        button = body["replies"][0]["buttons"][0]
        click = {"session_id": "s1", "message": button["title"], "button": button["payload"]}
        assert two.post("/api/chat", json=click).status_code == 200
        assert fake_rasa.sent[-1]["message"] == "/human_handoff"
        reply_id = body["replies"][0]["id"]
        rate = {"session_id": "s1", "reply_id": reply_id, "helpful": True}
        assert two.post("/api/feedback", json=rate).status_code == 201
        assert one.post("/api/feedback", json=rate).status_code == 409  # once, on any replica
    finally:
        server.__exit__(None, None, None)
