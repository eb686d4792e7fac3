"""The action server's log never holds a resident's personal number (security review, H2)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_answer import ActionAnswer
from tests.actions.conftest import TRACKERS


def test_a_failed_answer_is_logged_with_the_numbers_masked(
    services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("index missing")

    monkeypatch.setattr(services.engine, "decide_and_reply", broken)
    state = json.loads((TRACKERS / "transport_question.json").read_text(encoding="utf-8"))
    state["latest_message"]["text"] = "我的电话 139-8765-4321，京霸铁路会建吗"
    with caplog.at_level(logging.ERROR, logger="actions"):
        asyncio.run(ActionAnswer().run(CollectingDispatcher(), Tracker.from_dict(state), {}))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "139-****-4321" in logged
    assert "8765" not in logged
