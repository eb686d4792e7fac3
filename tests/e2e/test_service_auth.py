"""Rasa's HTTP API and the action server answer only those holding the run's secrets, while a
resident's turn (web app -> Rasa's REST channel -> action server) still works. Integration:
starts the real Rasa and action server on free loopback ports (needs `make setup`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from planbot.launcher import (
    ACTION_SECRET,
    ACTION_SECRET_HEADER,
    RASA_MODEL,
    RASA_TOKEN,
    Stack,
    dialogue_stack,
    service_secrets,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    database = f"sqlite:///{tmp_path_factory.mktemp('records') / 'records.db'}"
    with dialogue_stack(env={"PLANBOT_DATABASE_URL": database}) as running:
        yield running


def _call(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _rasa(stack: Stack) -> str:
    return stack.rasa.ready_url.removesuffix("/status")


def _actions(stack: Stack) -> str:
    return stack.actions.ready_url.removesuffix("/health")


def test_rasas_http_api_needs_the_token(stack: Stack) -> None:
    rasa, token = _rasa(stack), service_secrets()[RASA_TOKEN]
    assert _call("POST", stack.webhook, {"sender": "victim", "message": "你好"})[0] == 200
    for method, path, body in [
        ("GET", "/conversations/victim/tracker", None),
        ("GET", "/status", None),
        (
            "POST",
            "/conversations/victim/tracker/events",
            [{"event": "slot", "name": "contact", "value": "x"}],
        ),
        ("PUT", "/model", {"model_file": "/tmp/other.tar.gz"}),
        ("GET", "/domain", None),
    ]:
        assert _call(method, rasa + path, body)[0] == 401, path
        assert _call(method, rasa + path + "?token=wrong", body)[0] == 401, path
    status, tracker = _call("GET", f"{rasa}/conversations/victim/tracker?token={token}")
    assert status == 200 and tracker["sender_id"] == "victim"


def test_the_action_server_answers_rasa_only(stack: Stack) -> None:
    actions, secret = _actions(stack), service_secrets()[ACTION_SECRET]
    call = {
        "next_action": "action_handoff",
        "sender_id": "invented",
        "tracker": {"sender_id": "invented", "slots": {}, "events": [], "latest_message": {}},
        "domain": {},
        "version": "3.6.21",
    }
    assert _call("POST", f"{actions}/webhook", call)[0] == 401
    assert _call("POST", f"{actions}/webhook", call, {ACTION_SECRET_HEADER: "wrong"})[0] == 401
    assert _call("GET", f"{actions}/actions")[0] == 401
    assert _call("GET", f"{actions}/health")[0] == 200
    # Sanic's own errors keep their status (rasa-sdk made every one a 500).
    assert _call("POST", f"{actions}/health")[0] == 405
    unknown = {**call, "next_action": "action_that_does_not_exist"}
    status, _ = _call("POST", f"{actions}/webhook", unknown, {ACTION_SECRET_HEADER: secret})
    assert status == 404  # past the gate: rasa-sdk's own answer for an unknown action


def test_a_question_still_reaches_the_actions_through_rasa(stack: Stack) -> None:
    status, messages = _call(
        "POST", stack.webhook, {"sender": "resident", "message": "规划里有哪些铁路要修"}
    )
    assert status == 200 and messages, "Rasa got no answer from the action server"
    replies = [m["custom"]["reply"] for m in messages if "custom" in m]
    assert replies and replies[0]["kind"] == "answer"
