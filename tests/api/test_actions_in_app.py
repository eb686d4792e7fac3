"""The in-app action executor (PLANBOT_ACTIONS_IN_APP): the actions answer with the web app's
own engine object (one engine per process), and only a caller with the action secret (Rasa)
is let in."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from actions import wiring

SECRET = "s" * 40
WEBHOOK = "/internal/actions/webhook"
HEADER = "X-Planbot-Action-Secret"


def _call(question: str, action: str = "action_answer") -> dict[str, Any]:
    tracker = {
        "sender_id": "in-app",
        "slots": {},
        "latest_message": {"text": question, "intent": {"name": "ask_plan"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {
        "next_action": action,
        "sender_id": "in-app",
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }


def test_the_actions_use_the_web_apps_engine_and_records(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(actions_in_app=True, action_secret=SECRET)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    engine = runtime.knowledge.engine
    assert engine is not None
    # One engine: the very object the web app answers /api/search with, not a copy.
    assert wiring.engine() is engine
    assert wiring.records() is runtime.records

    response = client.post(WEBHOOK, json=_call("京霸铁路"), headers={HEADER: SECRET})
    assert response.status_code == 200, response.text
    texts = [m.get("text") or "" for m in response.json()["responses"]]
    assert any("京霸铁路" in t for t in texts), texts
    ready = client.get("/readyz").json()["components"]["actions"]
    assert ready.startswith("in app:") and not ready.startswith("in app: 0")


def test_a_call_without_the_secret_is_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client(actions_in_app=True, action_secret=SECRET)
    body = _call("京霸铁路", action="action_handoff")
    assert client.post(WEBHOOK, json=body).status_code == 401
    assert client.post(WEBHOOK, json=body, headers={HEADER: "wrong"}).status_code == 401
    assert client.post(WEBHOOK, json=body, headers={HEADER: SECRET[:-1]}).status_code == 401
    # Nothing ran: a refused handoff left no ticket.
    assert client.app.state.runtime.records.tickets() == []  # type: ignore[attr-defined]
    # Past the gate: rasa-sdk's own answers (an unknown action, a body that is no call).
    unknown = {**body, "next_action": "action_that_does_not_exist"}
    assert client.post(WEBHOOK, json=unknown, headers={HEADER: SECRET}).status_code == 404
    assert client.post(WEBHOOK, content=b"[1]", headers={HEADER: SECRET}).status_code == 400
    packed = zlib.compress(json.dumps(_call("京霸铁路")).encode())
    deflated = {HEADER: SECRET, "Content-Encoding": "deflate"}
    assert client.post(WEBHOOK, content=packed, headers=deflated).status_code == 200


def test_without_a_configured_secret_every_call_is_refused(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(actions_in_app=True, action_secret="")
    assert client.post(WEBHOOK, json=_call("京霸铁路"), headers={HEADER: ""}).status_code == 401


def test_with_a_separate_action_server_the_app_serves_no_actions(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(actions_in_app=False, action_secret=SECRET)
    assert client.post(WEBHOOK, json=_call("京霸铁路"), headers={HEADER: SECRET}).status_code == 404
    assert client.get("/readyz").json()["components"]["actions"] == "ok"  # its /health
    assert WEBHOOK not in client.get("/openapi.json").json()["paths"]


def test_the_configured_hotline_reaches_the_actions_the_page_and_the_error_replies(
    make_client: Callable[..., TestClient], fake_rasa: Any
) -> None:
    """PLANBOT_HOTLINE, given once (the settings tree's contact branch), is what the hosted
    actions, /api/info and the web app's own "unavailable" reply name."""
    from planbot.settings import ContactSettings

    client = make_client(
        contact=ContactSettings(hotline="96156"), actions_in_app=True, action_secret=SECRET
    )
    assert wiring.hotline() == "96156"
    call = _call("我家拆迁以后怎么安置", action="action_answer_relocation")
    response = client.post(WEBHOOK, json=call, headers={HEADER: SECRET})
    texts = [m.get("text") or "" for m in response.json()["responses"]]
    assert any("96156市民服务热线" in t for t in texts) and not any("12345" in t for t in texts)
    assert client.get("/api/info").json()["hotline"] == "96156"
    fake_rasa.down = True
    replies = client.post("/api/chat", json={"session_id": "s1", "message": "你好"}).json()
    assert "96156" in replies["replies"][0]["text"]
