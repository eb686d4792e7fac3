"""The assistant as `make run` starts it by default: Rasa and the web app, which serves the
actions itself (PLANBOT_ACTIONS_IN_APP). A resident's question goes web app -> Rasa -> the web
app's executor and is answered with citations; the executor refuses whoever lacks the action
secret (integration: real processes, needs `make setup`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from planbot.launcher import (
    ACTION_SECRET_HEADER,
    RASA_MODEL,
    RASA_TOKEN,
    Assistant,
    assistant,
    free_port,
    seeded_environment,
    service_secrets,
)
from tests.http_json import call

pytestmark = pytest.mark.integration


# What Rasa's featurizer logs when a message without a usable vector makes it load the model
# (rasa_runtime/sentence_featurizer.py's LOADING_MODEL; Rasa's environment is not this one).
LOADING_MODEL = "loading the embedding model"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    root = tmp_path_factory.mktemp("in-app")
    running = assistant(
        api_port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        logs=root,
        workdir=root,
        settings=seeded_environment(root),
    )
    try:
        running.start(240)
        yield running
    finally:
        running.stop()


def _post(url: str, body: object, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_no_action_server_and_a_question_answered_through_the_app(service: Assistant) -> None:
    assert [p.name for p in service.processes] == ["rasa", "api"]
    status, ready = call("GET", service.base_url + "/readyz")
    assert status == 200 and ready["components"]["actions"].startswith("in app:"), ready
    status, body = call(
        "POST",
        service.base_url + "/api/chat",
        {"session_id": "in-app-e2e", "message": "京霸铁路会建吗"},
    )
    assert status == 200, body
    first = body["replies"][0]
    assert first["kind"] == "answer" and first["citations"], body


def test_the_in_app_executor_answers_rasa_only(service: Assistant) -> None:
    call_body = {
        "next_action": "action_handoff",
        "sender_id": "invented",
        "tracker": {"sender_id": "invented", "slots": {}, "events": [], "latest_message": {}},
        "domain": {},
        "version": "3.6.21",
    }
    url = service.actions_webhook
    assert url.startswith(service.base_url)
    assert _post(url, call_body, {}) == 401
    assert _post(url, call_body, {ACTION_SECRET_HEADER: "wrong"}) == 401
    unknown = {**call_body, "next_action": "action_that_does_not_exist"}
    assert _post(url, unknown, {ACTION_SECRET_HEADER: service.action_secret}) == 404


def test_rasa_takes_the_apps_vectors_and_never_loads_the_model(service: Assistant) -> None:
    """Every turn through the app (and the start-up warm-up) carries the message's vector, so
    Rasa's NLU never loads its copy of the embedding model; the vector is not kept in the
    tracker with the message."""
    for message in ("你好", "京霸铁路会建吗", "谢谢"):
        status, _ = call(
            "POST", service.base_url + "/api/chat", {"session_id": "vectors", "message": message}
        )
        assert status == 200
    rasa_log = service.processes[0].log
    assert service.processes[0].name == "rasa"
    assert LOADING_MODEL not in rasa_log.read_text("utf-8", errors="replace")
    token = service_secrets()[RASA_TOKEN]
    status, tracker = call(
        "GET",
        f"http://127.0.0.1:{service.rasa_port}/conversations/vectors/tracker?token={token}",
    )
    assert status == 200, tracker
    users = [e for e in tracker["events"] if e.get("event") == "user"]
    assert [e["text"] for e in users] == ["你好", "京霸铁路会建吗", "谢谢"]
    assert all("planbot_query_vector" not in (e.get("metadata") or {}) for e in users)
    slots = tracker.get("slots") or {}
    assert "planbot_query_vector" not in (slots.get("session_started_metadata") or {})
