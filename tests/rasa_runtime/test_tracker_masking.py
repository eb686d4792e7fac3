"""Issue 14, H2: the phone number given in the contact form reaches Rasa unmasked (the form
needs it to make the ticket), but no tracker store keeps it: the embedded default's store
(bot/endpoints.yml) and the production profile's SQL store (bot/endpoints.production.yml's type,
here on SQLite) both save masked copies, while the turn's own tracker keeps the contact.

Runs in the Rasa environment, with the stores made by Rasa's own loader.
"""

from __future__ import annotations

import json
from pathlib import Path

from planbot.launcher import REPO, rasa_settings
from tests.rasa_runtime.rasa_env import run_in_rasa

CHECK = r"""
import asyncio, json, os, sys
os.environ.update(json.loads(sys.argv[1]))
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
import yaml

domain = Domain.load("bot/domain")
TYPED = "联系人王先生 175-8762-0345，身份证11010519810414632X"


def stores():
    default = read_endpoint_config("bot/endpoints.yml", "tracker_store")
    with open("bot/endpoints.production.yml") as f:  # its ${…} need no values here
        production = yaml.safe_load(f)["tracker_store"]["type"]
    sql = EndpointConfig(type=production, dialect="sqlite", db=sys.argv[2])
    return {"default": default, "production": sql}


async def main():
    out = {}
    for name, config in stores().items():
        store = TrackerStore.create(config, domain)
        tracker = await store.get_or_create_tracker("form")
        tracker.update(ActionExecuted("action_listen"))
        entities = [{"entity": "phone", "value": "175-8762-0345", "start": 7, "end": 20}]
        tracker.update(
            UserUttered(TYPED, {"name": "inform_contact", "confidence": 1.0}, entities)
        )
        tracker.update(SlotSet("contact", "17587620345"))
        tracker.update(SlotSet("topic", "生物医药"))
        await store.save(tracker)
        # A second turn: appended after the masked events (the SQL store counts them).
        tracker.update(UserUttered("谢谢", {"name": "thank", "confidence": 1.0}))
        await store.save(tracker)
        kept = await store.retrieve("form")
        out[name] = {
            "type": type(getattr(store, "_tracker_store", store)).__name__,
            "stored": json.dumps(kept.current_state(), ensure_ascii=False)
            + json.dumps([e.as_dict() for e in kept.events], ensure_ascii=False),
            "events": len(kept.events),
            "turn_still_has_it": tracker.get_slot("contact"),
            "topic": kept.get_slot("topic"),
            "latest": kept.latest_message.text,
        }
    print(json.dumps(out, ensure_ascii=False))


asyncio.run(main())
"""


def test_no_tracker_store_keeps_the_contact_or_other_numbers(tmp_path: Path) -> None:
    env = {
        "PLANBOT_ACTION_WEBHOOK": "http://127.0.0.1:5055/webhook",
        "PLANBOT_ACTION_SECRET": "secret",
        **rasa_settings(),
    }
    result = run_in_rasa(CHECK, json.dumps(env), str(tmp_path / "tracker.db"))
    assert result["default"]["type"] == "ExpiringInMemoryTrackerStore"
    assert result["production"]["type"] == "MaskingSQLTrackerStore"
    for name, kept in result.items():
        stored = kept["stored"]
        assert "8762" not in stored and "19810414" not in stored, name
        assert "175-****-0345" in stored and "110105********632X" in stored, name
        assert kept["turn_still_has_it"] == "17587620345", name  # the turn's own tracker
        assert kept["topic"] == "生物医药" and kept["latest"] == "谢谢", name
        assert kept["events"] >= 5, name


def test_the_production_endpoints_name_the_masking_store() -> None:
    text = (REPO / "bot" / "endpoints.production.yml").read_text()
    assert "type: rasa_runtime.tracker_store.MaskingSQLTrackerStore" in text
