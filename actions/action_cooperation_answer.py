"""``action_cooperation_answer``: what the plan lays out for the enterprise's industry.

Two extractive answers, each cited: where the plan puts this industry (here and in the partner
regions), and which co-built parks exist; then an offer to pass the inquiry to staff. When the
plan does not name the industry, the reply says so instead of stretching another passage.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.answering import UNAVAILABLE
from actions.conversation import send
from knowledge.answering.compose import combine
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.reply import Button, Reply

LOG = logging.getLogger(__name__)

# The questions this feature asks the engine; generic, in a resident's words.
LAYOUT_QUESTION = {
    "site": "{industry}在新区放在哪里",
    "park": "{industry}在新区放在哪里",
    "capacity": "{industry}的生产环节放在哪里",
}
PARKS_QUESTION = "有哪些合作共建的产业园区"
OFFER = "需要把您的咨询转给工作人员吗？工作人员会按您留下的联系方式联系您。"
OFFER_BUTTONS = [
    Button(title="需要，留下联系方式", payload="/affirm"),
    Button(title="不用了", payload="/deny"),
]


def layout_question(industry: str, need: str) -> str:
    return LAYOUT_QUESTION.get(need, LAYOUT_QUESTION["site"]).format(industry=industry)


def cooperation_reply(engine: AnswerEngine, industry: str, need: str) -> Reply:
    """The plan's layout for the industry and the co-built parks, each part only if answered.

    When the plan does not name the industry, that is said in the notice (apart from the
    quoted answer), and the parks are still shown.
    """
    layout = engine.answer(layout_question(industry, need))
    parks = engine.answer(PARKS_QUESTION)
    parts = [(f"关于“{industry}”，规划中的布局：", layout), ("规划中的合作共建园区：", parks)]
    answered = [(heading, r) for heading, r in parts if r.kind == "answer"]
    silent = "" if layout.kind == "answer" else f"已公布的规划中没有专门写到“{industry}”的布局。"
    if not answered:
        return Reply(kind="no_answer", text=f"{silent}{OFFER}", buttons=OFFER_BUTTONS)
    reply = combine(answered, closing=OFFER, buttons=OFFER_BUTTONS)
    return reply.model_copy(update={"notice": silent}) if silent else reply


class ActionCooperationAnswer(Action):
    def name(self) -> str:
        return "action_cooperation_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        industry = str(tracker.get_slot("industry") or "")
        need = str(tracker.get_slot("cooperation_need") or "site")
        try:
            engine = await asyncio.to_thread(wiring.engine)
            reply = await asyncio.to_thread(cooperation_reply, engine, industry, need)
        except Exception:  # the index or model is unavailable: say so, never go silent
            LOG.exception("could not answer the cooperation inquiry")
            send(dispatcher, UNAVAILABLE)
            return []
        send(dispatcher, reply)
        return [
            SlotSet("topic", "cooperation"),
            SlotSet("last_question", layout_question(industry, need)),
            SlotSet("last_citations", [c.model_dump() for c in reply.citations]),
        ]
