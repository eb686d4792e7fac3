"""A decline carries the engine's reason code beside the Reply (counted by /metrics)."""

from __future__ import annotations

import asyncio
import json

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_answer import ActionAnswer
from tests.actions.conftest import TRACKERS, reply_of, run_action


def test_a_decline_carries_its_reason_and_an_answer_none(services) -> None:  # type: ignore[no-untyped-def]
    (answered,), _ = run_action(ActionAnswer(), "transport_question")
    assert reply_of(answered)["kind"] == "answer"
    assert "decline_reason" not in answered["custom"]

    state = json.loads((TRACKERS / "transport_question.json").read_text(encoding="utf-8"))
    state["latest_message"]["text"] = "When will the railway open?"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswer().run(dispatcher, Tracker.from_dict(state), {}))
    (declined,) = dispatcher.messages
    assert reply_of(declined)["kind"] == "no_answer"
    assert declined["custom"]["decline_reason"] == "not_chinese"
    assert "decline_reason" not in declined["custom"]["reply"]  # the Reply itself is unchanged
