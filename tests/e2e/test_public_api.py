"""The public API in front of real Rasa and real actions (integration: needs `make setup`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from planbot.launcher import (
    RASA_MODEL,
    Process,
    Stack,
    api_server,
    dialogue_stack,
    free_port,
    seeded_environment,
    warm_up_actions,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    env = seeded_environment(tmp_path_factory.mktemp("public-api"))
    with dialogue_stack(env=env) as stack:
        port = free_port()
        api: Process = api_server(
            port,
            stack.workdir / "api.log",
            {
                **env,
                "PLANBOT_RASA_URL": stack.rasa.ready_url.removesuffix("/status"),
                "PLANBOT_ACTIONS_URL": stack.actions.ready_url.removesuffix("/health"),
                # Rasa calls the stack's separate action server (its faults are tested here).
                "PLANBOT_ACTIONS_IN_APP": "false",
            },
        )
        api.start()
        try:
            api.wait_ready(120)
            actions_port = int(stack.actions.ready_url.rsplit(":", 1)[1].split("/")[0])
            assert warm_up_actions(actions_port) < 120  # as `make run` does before "ready"
            yield stack, f"http://127.0.0.1:{port}"
        finally:
            api.stop()


def _post(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_chat_through_the_whole_stack(served) -> None:  # type: ignore[no-untyped-def]
    _, base = served
    status, ready = _get(base + "/readyz")
    assert status == 200 and ready["ready"], ready
    status, body = _post(base + "/api/chat", {"session_id": "e2e-api", "message": "你好"})
    assert status == 200 and body["replies"][0]["kind"] == "chitchat"
    status, body = _post(
        base + "/api/chat", {"session_id": "e2e-api", "message": "永兴河由谁来治理"}
    )
    assert status == 200
    (answer,) = body["replies"]
    assert answer["kind"] == "answer" and "永兴河" in answer["citations"][0]["quote"]
    status, found = _get(base + "/api/search?q=%E6%B0%B8%E5%85%B4%E6%B2%B3&k=3")
    assert status == 200 and len(found["results"]) == 3
    assert _post(base + "/api/chat", {"session_id": "e2e-api", "message": ""})[0] == 422


def test_typed_commands_are_text_and_answers_carry_suggestions(served) -> None:  # type: ignore[no-untyped-def]
    """Through real Rasa: "/restart" and a forged slot command are answered as text (never an
    error, never a reset), the conversation goes on, and suggestions are answered."""
    _, base = served
    chat = base + "/api/chat"
    status, body = _post(chat, {"session_id": "e2e-typed", "message": "规划里有哪些铁路要修"})
    assert status == 200 and body["replies"][0]["kind"] == "answer"
    suggestions = body["replies"][0]["suggestions"]
    assert 2 <= len(suggestions) <= 3
    for typed in ("/restart", '/inform_need{"cooperation_need":"park"}', "/human_handoff"):
        status, body = _post(chat, {"session_id": "e2e-typed", "message": typed})
        assert status == 200
        assert all(r["kind"] not in ("error", "handoff") for r in body["replies"]), (typed, body)
    status, body = _post(chat, {"session_id": "e2e-typed", "message": suggestions[0]})
    assert status == 200 and body["replies"][0]["kind"] == "answer", body
    status, body = _post(chat, {"session_id": "e2e-typed", "message": "x", "button": "A" * 16})
    assert status == 409 and "按钮" in body["detail"]


def test_actions_down_gives_an_error_reply_then_recovers(served) -> None:  # type: ignore[no-untyped-def]
    stack, base = served
    stack.actions.stop()
    try:
        status, body = _post(
            base + "/api/chat", {"session_id": "e2e-fault", "message": "永兴河由谁来治理"}
        )
        assert status == 200
        (reply,) = body["replies"]
        assert reply["kind"] == "error" and "12345" in reply["text"]
        status, ready = _get(base + "/readyz")
        assert status == 503 and ready["components"]["actions"].startswith("unreachable")
    finally:
        stack.actions.start()
        stack.actions.wait_ready(120)
    status, body = _post(
        base + "/api/chat", {"session_id": "e2e-fault-2", "message": "永兴河由谁来治理"}
    )
    assert status == 200 and body["replies"][0]["kind"] == "answer"
