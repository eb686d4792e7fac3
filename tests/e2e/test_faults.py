"""Faults of the running assistant, each followed by its recovery, without restarting the web
app: the action server dies mid-conversation, then Rasa does (integration: real processes)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from planbot.launcher import (
    RASA_MODEL,
    Assistant,
    assistant,
    free_port,
    seeded_environment,
)
from tests.http_json import call

pytestmark = pytest.mark.integration

QUESTION = "京霸铁路会建吗"


def _chat(service: Assistant, session: str, message: str) -> list[dict[str, Any]]:
    status, body = call(
        "POST", service.base_url + "/api/chat", {"session_id": session, "message": message}
    )
    assert status == 200, body
    assert body["replies"], "an empty reply is never acceptable"
    replies: list[dict[str, Any]] = body["replies"]
    return replies


def _ready(service: Assistant) -> tuple[int, dict[str, Any]]:
    return call("GET", service.base_url + "/readyz")


def _until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    root = tmp_path_factory.mktemp("faults")
    running = assistant(
        api_port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        logs=root,
        workdir=root,
        # The separate action server, which can die on its own (the in-app executor lives and
        # dies with the web app: tests/e2e/test_actions_in_app.py).
        settings={**seeded_environment(root), "PLANBOT_ACTIONS_IN_APP": "false"},
    )
    try:
        running.start(240)
        yield running
    finally:
        running.stop()


def test_the_action_server_dies_mid_conversation_and_comes_back(service: Assistant) -> None:
    actions = next(p for p in service.processes if p.name == "actions")
    (first,) = _chat(service, "fault-actions", QUESTION)
    assert first["kind"] == "answer"

    actions.stop()
    replies = _chat(service, "fault-actions", "那高速呢？")  # the same conversation goes on
    assert [r["kind"] for r in replies] == ["error"] and "12345" in replies[0]["text"]
    status, ready = _ready(service)
    assert status == 503 and ready["components"]["actions"].startswith("unreachable")

    actions.start()
    actions.wait_ready(120)
    service.warm_up_actions()
    _until(lambda: _ready(service)[0] == 200, 60, "readiness after the actions returned")
    replies = _chat(service, "fault-actions", QUESTION)
    assert replies[0]["kind"] == "answer" and replies[0]["citations"]


def test_rasa_dies_and_comes_back(service: Assistant) -> None:
    rasa = next(p for p in service.processes if p.name == "rasa")
    rasa.stop()
    replies = _chat(service, "fault-rasa", QUESTION)
    assert [r["kind"] for r in replies] == ["error"] and "12345" in replies[0]["text"]
    status, ready = _ready(service)
    assert status == 503 and ready["components"]["rasa"].startswith("unreachable")

    rasa.start()
    rasa.wait_ready(240)
    _until(lambda: _ready(service)[0] == 200, 60, "readiness after Rasa returned")
    replies = _chat(service, "fault-rasa", QUESTION)
    assert replies[0]["kind"] == "answer" and replies[0]["citations"]
