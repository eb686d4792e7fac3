"""rasa_runtime's two patches of Rasa 3.6: the compiled validator of action results (each event
checked against its own branch first) accepts and refuses exactly what Rasa does, with the same
error; the model is frozen out of garbage collection once loaded.

Runs in the Rasa environment (``.venv-rasa``, Python 3.10), where Rasa is importable: the check
script compares the patched method with Rasa's own on valid and invalid results.
"""

from __future__ import annotations

import json

import pytest

from tests.rasa_runtime.rasa_env import run_in_rasa

CHECK = r"""
import json, sys
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa_runtime import action_results

results = json.loads(sys.argv[1])
upstream = RemoteAction._validate_action_result
action = RemoteAction("action_answer", None)

def outcome(method, result):
    try:
        return ["ok", method(action, result)]
    except ValidationError as error:
        return ["refused", error.message, list(error.absolute_path)]

before = [outcome(upstream, r) for r in results]
assert action_results.install() is True
assert action_results.install() is True  # idempotent
patched = RemoteAction._validate_action_result
assert patched is not upstream
after = [outcome(patched, r) for r in results]
schema = RemoteAction.action_response_format_spec()
quick = action_results.dispatched_check(schema)
full = action_results.compiled_validator(schema)
print(json.dumps({"before": before, "after": after, "dispatched": quick is not None,
                  "quick": [quick(r) for r in results],
                  "full": [full.is_valid(r) for r in results]}))
"""

RESULTS = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "topic", "value": "transport", "timestamp": None},
            {"event": "bot", "text": "你好", "data": {"custom": {"kind": "answer"}}},
        ],
        "responses": [{"text": "答案", "custom": {"kind": "answer", "citations": []}}],
    },
    {
        "events": [
            {"event": "user", "text": "你好", "parse_data": {"intent": {"name": "greet"}}},
            {"event": "action", "name": "action_listen", "policy": None},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_answer"},
            {"event": "reset_slots"},
            {"event": "slot", "name": "last_citations", "value": [{"n": 1, "quote": "原文"}]},
        ],
        "responses": [],
    },
    {"events": [{"event": "no-such-event"}], "responses": []},
    {"events": [{"event": "slot", "name": 7}], "responses": []},
    {"events": [{"event": "slot", "name": "topic"}], "responses": []},
    {"events": [{"event": "slot", "name": "topic", "value": 1, "timestamp": "now"}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"confidence": "high"}}}]},
    {"events": [{"name": "topic", "value": 1}], "responses": []},
    {"events": [{"event": 3}], "responses": []},
    {"events": [{"event": ["slot"], "name": "topic", "value": 1}], "responses": []},
    {"events": ["slot"], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
    ["not an object"],
]


@pytest.mark.integration
def test_the_compiled_validator_matches_rasa() -> None:
    outcome = run_in_rasa(CHECK, json.dumps(RESULTS))
    assert outcome["after"] == outcome["before"]
    verdicts = [o[0] for o in outcome["after"]]
    assert verdicts == ["ok"] * 3 + ["refused"] * 12
    # The per-event check is in use on Rasa 3.6's schema, and agrees with the full one.
    assert outcome["dispatched"]
    assert outcome["quick"] == outcome["full"]


FREEZE_CHECK = r"""
import asyncio, gc, json
from rasa.core import run
from rasa_runtime import gc_freeze

loaded = object()

async def fake_load(*args, **kwargs):
    return loaded

run.load_agent_on_start = fake_load
assert gc_freeze.install() is True
assert gc_freeze.install() is True  # idempotent: wrapped once
before = gc.get_freeze_count()
agent = asyncio.run(run.load_agent_on_start("model", None, None, "app", None))
print(json.dumps({"same": agent is loaded, "before": before, "after": gc.get_freeze_count(),
                  "wraps": run.load_agent_on_start.__wrapped__ is fake_load}))
"""


@pytest.mark.integration
def test_the_model_is_frozen_once_loaded() -> None:
    outcome = run_in_rasa(FREEZE_CHECK)
    assert outcome["same"] and outcome["wraps"]
    assert outcome["before"] == 0 and outcome["after"] > 1000
