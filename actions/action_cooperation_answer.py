"""``action_cooperation_answer``: an enterprise's first message is answered first, then offered
a hand-over to investment staff.

The reply, each part extractive and cited: the enterprise's own question when it asked one,
where the plan puts its industry (here and in the partner regions) when it named one, and which
co-built parks exist; then one offer (需要把您的需求转给招商服务人员吗？). The cooperation form
starts only on yes, with the industry and need already taken from this message (the form never
asks for what was said). When the plan does not name the industry, the reply says so instead of
stretching another passage. Only the extracted industry is ever echoed, never the raw message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.answering import unavailable
from actions.conversation import send, user_text
from actions.enterprise_text import extract_industry, is_question, need_from_text
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
OFFER = "需要把您的需求转给招商服务人员吗？"
OFFER_BUTTONS = [
    Button(title="需要，转给招商服务人员", payload="/affirm"),
    Button(title="不用了", payload="/deny"),
]


def layout_question(industry: str, need: str) -> str:
    return LAYOUT_QUESTION.get(need, LAYOUT_QUESTION["site"]).format(industry=industry)


def cooperation_replies(
    engine: AnswerEngine, industry: str, need: str, question: str = ""
) -> list[Reply]:
    """The answer to the enterprise's own question, the plan's layout for its industry and the
    co-built parks, each part only if answered (a passage cited by an earlier part is not
    repeated by a later one), then the offer.

    When the plan does not answer the enterprise's own question, its decline comes first, as
    its own message, so the layout and parks that follow are never taken for an answer to it.
    When the plan does not name the industry, that is said in the notice (apart from the
    quoted answer), and the rest is still shown.
    """
    first: list[Reply] = []
    parts: list[tuple[str, Reply]] = []
    if question:
        own = engine.answer(question)
        if own.kind == "answer":
            parts.append(("", own))
        else:
            first.append(own)
    layout = engine.answer(layout_question(industry, need)) if industry else None
    if layout is not None:
        parts.append((f"关于“{industry}”，规划中的布局：", layout))
    parts.append(("规划中的合作共建园区：", engine.answer(PARKS_QUESTION)))
    answered = _new_parts(parts)
    silent = (
        f"已公布的规划中没有专门写到“{industry}”的布局。"
        if layout is not None and layout.kind != "answer"
        else ""
    )
    if not answered:
        return [*first, Reply(kind="no_answer", text=f"{silent}{OFFER}", buttons=OFFER_BUTTONS)]
    reply = combine(answered, closing=OFFER, buttons=OFFER_BUTTONS)
    return [*first, reply.model_copy(update={"notice": silent}) if silent else reply]


def _new_parts(parts: list[tuple[str, Reply]]) -> list[tuple[str, Reply]]:
    """The answered parts that cite something no earlier part cited."""
    seen: set[str] = set()
    kept: list[tuple[str, Reply]] = []
    for heading, reply in parts:
        urls = {c.url for c in reply.citations}
        if reply.kind != "answer" or urls <= seen:
            continue
        seen |= urls
        kept.append((heading, reply))
    return kept


class ActionCooperationAnswer(Action):
    def name(self) -> str:
        return "action_cooperation_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = user_text(tracker)
        industry = extract_industry(text) or str(tracker.get_slot("industry") or "")
        need = need_from_text(text) or str(tracker.get_slot("cooperation_need") or "")
        # A question is asked as it was said; an introduction or a request is not a question.
        question = text if is_question(text) else ""
        try:
            engine = await asyncio.to_thread(wiring.engine)
            replies = await asyncio.to_thread(cooperation_replies, engine, industry, need, question)
        except Exception:  # the index or model is unavailable: say so, never go silent
            LOG.exception("could not answer the cooperation inquiry")
            send(dispatcher, unavailable())
            return []
        for reply in replies:
            send(dispatcher, reply)
        asked = question or (layout_question(industry, need or "site") if industry else "")
        events = [
            SlotSet("topic", "cooperation"),
            SlotSet("last_question", asked or PARKS_QUESTION),
            SlotSet("last_citations", [c.model_dump() for r in replies for c in r.citations]),
        ]
        if industry:
            events.append(SlotSet("industry", industry))
        if need:
            events.append(SlotSet("cooperation_need", need))
        return events
