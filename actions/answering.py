"""The shared shape of the question-answering actions (abstract, so rasa-sdk skips it)."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import remember, send, user_text
from knowledge.answering.engine import AnswerEngine, Decision
from knowledge.answering.followup import Strength, readings, strength
from knowledge.answering.reply import Reply
from records.privacy import mask_personal_numbers

ASK_AGAIN = Reply(kind="no_answer", text="请直接输入您想了解的问题，我会从已公布的规划中查找。")
# A button of a step that is already over (e.g. a need chosen after the form ended).
STALE_BUTTON = Reply(
    kind="chitchat",
    text="这一步已经结束了，按钮不再起作用。请直接输入您想了解的问题，我会从已公布的规划中查找。",
)


def unavailable() -> Reply:
    """The reply when the engine cannot answer; it names the configured hotline."""
    return Reply(
        kind="error",
        text=f"抱歉，规划资料查询暂时不可用，请稍后再试。急需咨询请拨打{wiring.hotline()}市民服务热线。",
    )


LOG = logging.getLogger(__name__)


def ending_the_turn(tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events, and outside a form a follow-up to ``action_listen``: an answer always ends
    the bot's turn there (every rule and story waits for the user after it), and saying so
    spares Rasa one prediction of every policy (about 4 ms of a question turn, measured in
    the 17th session). Inside a form Rasa predicts as before: the form asks its question again
    after a side question is answered."""
    if tracker.active_loop_name:
        return events
    return [*events, FollowupAction("action_listen")]


class AnsweringAction(Action, ABC):
    """Answers the user's message with the engine, in the context of the previous question."""

    topic = "plan"

    @abstractmethod
    def name(self) -> str: ...

    def adjust(self, decision: Decision, reply: Reply) -> Reply:
        """A topic's additions to the engine's reply (none by default)."""
        return reply

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = user_text(tracker)
        if not question:
            payload = str((tracker.latest_message or {}).get("text") or "").startswith("/")
            send(dispatcher, STALE_BUTTON if payload else ASK_AGAIN)
            return ending_the_turn(tracker, [])
        previous = str(tracker.get_slot("last_question") or "")
        try:
            engine = await asyncio.to_thread(wiring.engine)
            asked, decision, reply = await asyncio.to_thread(
                answer_in_context, engine, question, previous
            )
        except Exception:  # the index or model is unavailable: say so, never go silent
            LOG.exception("could not answer %r", mask_personal_numbers(question))
            send(dispatcher, unavailable())
            return ending_the_turn(tracker, [])
        reply = self.adjust(decision, reply)
        declined = decision.kind == "no_answer" and reply.kind == "no_answer"
        # The check that declined (knowledge/answering/why.py's Gate), the /metrics label.
        gate = decision.why.gate.value if declined and decision.why else ""
        send(dispatcher, reply, decline_reason=gate)
        # The standalone question (answered or declined) is the context of the next turn.
        return ending_the_turn(tracker, remember(asked, reply, self.topic))


def answer_in_context(
    engine: AnswerEngine, question: str, previous: str
) -> tuple[str, Decision, Reply]:
    """The standalone question asked, and the engine's decision and reply for it.

    A fragment is read against the previous turn's question (knowledge.answering.followup):
    a sure one is asked in its readings, in order, and the first one answered is kept (else the
    first reading's decline); a short message without the marks of a fragment is asked alone
    first, and read against the previous question only when alone it is declined. The engine
    gets the combined question itself, never the previous question's type.
    """
    kind = strength(question) if previous else Strength.NONE
    tried: list[tuple[str, Decision, Reply]] = []
    if kind is not Strength.STRONG:
        tried.append((question, *engine.decide_and_reply(question)))
        if kind is Strength.NONE or tried[0][2].kind == "answer":
            return tried[0]
    for reading in readings(previous, question):
        if reading == question:
            continue
        tried.append((reading, *engine.decide_and_reply(reading)))
        if tried[-1][2].kind == "answer":
            return tried[-1]
    return tried[0] if tried else (question, *engine.decide_and_reply(question))
