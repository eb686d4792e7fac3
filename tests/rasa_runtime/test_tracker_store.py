"""The embedded default's tracker store (bot/endpoints.yml, what `make run` starts) forgets:
a conversation idle too long or older than the retention is gone, and the number kept is
bounded however many residents come.

Runs in the Rasa environment: the store is made by Rasa's own loader from bot/endpoints.yml,
with the values the launcher gives it (planbot.launcher.rasa_settings), and is then driven with
a clock the check moves forward.
"""

from __future__ import annotations

import json

from planbot.launcher import rasa_settings
from tests.rasa_runtime.rasa_env import run_in_rasa

CHECK = r"""
import asyncio, json, os, sys
os.environ.update(json.loads(sys.argv[1]))
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.utils.endpoints import read_endpoint_config

DAY = 86_400.0
now = [1_700_000_000.0]
domain = Domain.load("bot/domain")


def make_store():
    config = read_endpoint_config("bot/endpoints.yml", "tracker_store")
    store = TrackerStore.create(config, domain)
    store = getattr(store, "_tracker_store", store)  # Rasa's wrapper of non-async stores
    store._clock = lambda: now[0]  # a clock this check moves
    return store


async def turn(store, sender_id):
    tracker = await store.get_or_create_tracker(sender_id)
    tracker.update(UserUttered("你好", {"name": "greet", "confidence": 1.0}, timestamp=now[0]))
    tracker.update(ActionExecuted("action_listen", timestamp=now[0]))
    await store.save(tracker)


async def main():
    out = {"type": type(make_store()).__name__}

    # Idle: a conversation left alone longer than the idle time is gone.
    store = make_store()
    await turn(store, "idle")
    now[0] += 30 * 60
    out["kept_while_active"] = await store.retrieve("idle") is not None
    now[0] += 3 * 60 * 60
    out["idle_retrieved"] = await store.retrieve("idle") is not None
    out["idle_keys"] = sorted(await store.keys())

    # Retention: a conversation kept active past the retention is gone even so.
    store = make_store()
    started = now[0]
    await turn(store, "steady")
    while now[0] - started <= 2 * DAY:  # retention 1 day (set below); a turn every hour
        now[0] += 3600
        await turn(store, "steady")
    tracker = await store.retrieve_full_tracker("steady")
    out["oldest_event_age_days"] = (
        None if tracker is None else (now[0] - tracker.events[0].timestamp) / DAY
    )

    # Bound: 500 residents, at most max_conversations kept.
    store = make_store()
    counts = []
    for i in range(500):
        now[0] += 1
        await turn(store, f"resident-{i}")
        counts.append(len(store.store))
    out["max_count"] = max(counts)
    out["latest_kept"] = await store.retrieve("resident-499") is not None
    out["first_kept"] = "resident-0" in store.store
    print(json.dumps(out))


asyncio.run(main())
"""


def _run(**settings: str) -> dict[str, object]:
    env = {
        "PLANBOT_ACTION_WEBHOOK": "http://127.0.0.1:5055/webhook",
        "PLANBOT_ACTION_SECRET": "secret",
        **rasa_settings(settings),
    }
    result: dict[str, object] = run_in_rasa(CHECK, json.dumps(env))
    return result


def test_the_default_tracker_store_forgets_and_is_bounded() -> None:
    out = _run(
        PLANBOT_TRACKER_IDLE_MINUTES="120",
        PLANBOT_CONVERSATION_RETENTION_DAYS="1",
        PLANBOT_TRACKER_MAX_CONVERSATIONS="50",
    )
    assert out["type"] == "ExpiringInMemoryTrackerStore"
    # (a) idle longer than the idle time, or started before the retention: gone
    assert out["kept_while_active"] is True
    assert out["idle_retrieved"] is False
    assert out["idle_keys"] == []
    age = out["oldest_event_age_days"]
    assert isinstance(age, float) and age <= 1, age  # a fresh start, nothing from day one
    # (b) the count stays bounded; the newest conversation is the one kept
    assert out["max_count"] == 50
    assert out["latest_kept"] is True
    assert out["first_kept"] is False
