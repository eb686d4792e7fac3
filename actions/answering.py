"""The shared shape of the question-answering actions (abstract, so rasa-sdk skips it)."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import context_of, remember, send, user_text
from knowledge.answering.engine import Decision
from knowledge.answering.reply import Reply
from records.privacy import mask_personal_numbers

ASK_AGAIN = Reply(kind="no_answer", text="请直接输入您想了解的问题，我会从已公布的规划中查找。")
UNAVAILABLE = Reply(
    kind="error",
    text="抱歉，规划资料查询暂时不可用，请稍后再试。急需咨询请拨打12345市民服务热线。",
)
LOG = logging.getLogger(__name__)


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
            send(dispatcher, ASK_AGAIN)
            return []
        context = context_of(tracker)
        try:
            engine = await asyncio.to_thread(wiring.engine)
            decision, reply = await asyncio.to_thread(engine.decide_and_reply, question, context)
        except Exception:  # the index or model is unavailable: say so, never go silent
            LOG.exception("could not answer %r", mask_personal_numbers(question))
            send(dispatcher, UNAVAILABLE)
            return []
        reply = self.adjust(decision, reply)
        declined = decision.kind == "no_answer" and reply.kind == "no_answer"
        # The check that declined (knowledge/answering/why.py's Gate), the /metrics label.
        gate = decision.why.gate.value if declined and decision.why else ""
        send(dispatcher, reply, decline_reason=gate)
        # A follow-up keeps the standalone question it leaned on as the context of the next.
        standalone = context.last_question if decision.follow_up else question
        return remember(standalone, reply, self.topic)
