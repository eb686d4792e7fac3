"""rasa_runtime.fast_load: a model loaded for prediction, without Rasa's training step, predicts
exactly what Rasa's own loader's model predicts (DIET's intent ranking, TED's action
probabilities), to the last bit.

Runs in the Rasa environment on the model ``make setup`` trains; both loaders in one process.
"""

from __future__ import annotations

import pytest

from planbot.launcher import RASA_MODEL
from tests.rasa_runtime.rasa_env import run_in_rasa

CHECK = r"""
import asyncio, json, sys
import rasa.core.agent
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.trackers import EventVerbosity
from rasa_runtime import fast_load

MESSAGES = ["你好", "京霸铁路什么时候通车", "大兴有哪些产业园区", "谢谢", "今天天气怎么样"]


async def predictions(model):
    agent = rasa.core.agent.Agent.load(model)
    intents = []
    for text in MESSAGES:
        parsed = await agent.parse_message(text)
        intents.append([(i["name"], repr(i["confidence"])) for i in parsed["intent_ranking"]])
    for text in MESSAGES[:3]:
        await agent.handle_text(text, sender_id="check")
    tracker = await agent.tracker_store.retrieve("check")
    components = [n._component for n in agent.processor.graph_runner._instantiated_nodes.values()]
    teds = [c for c in components if isinstance(c, TEDPolicy) and not isinstance(c, RulePolicy)]
    actions = [
        [repr(p) for p in ted.predict_action_probabilities(tracker, agent.domain).probabilities]
        for ted in teds
    ]
    return {"intents": intents, "actions": actions, "teds": len(teds)}


model = sys.argv[1]
before = asyncio.run(predictions(model))
assert fast_load.install() is True
assert fast_load.install() is True  # idempotent
after = asyncio.run(predictions(model))
print(json.dumps({"before": before, "after": after}))
"""


@pytest.mark.integration
def test_a_model_loaded_without_training_predicts_the_same() -> None:
    if not RASA_MODEL.exists():
        pytest.fail("no trained Rasa model: run `make setup`")
    outcome = run_in_rasa(CHECK, str(RASA_MODEL))
    assert outcome["before"]["teds"] >= 1, "the check must reach a TED policy"
    assert outcome["after"] == outcome["before"]
