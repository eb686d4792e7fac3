"""``action_feedback``: 这个回答有帮助吗 — recorded with the question and the cited passages."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import send
from knowledge.answering.reply import Button, Reply

LOG = logging.getLogger(__name__)


class ActionFeedback(Action):
    def name(self) -> str:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")
        helpful = intent == "feedback_helpful"
        try:
            store = await asyncio.to_thread(wiring.records)
            await asyncio.to_thread(
                lambda: store.add_feedback(
                    session_id=tracker.sender_id,
                    helpful=helpful,
                    question=str(tracker.get_slot("last_question") or ""),
                    citations=list(tracker.get_slot("last_citations") or []),
                )
            )
        except Exception:  # the resident still gets an answer; staff find it in the log
            LOG.exception("could not record feedback")
        if helpful:
            reply = Reply(kind="chitchat", text="感谢您的反馈！还有其他想了解的吗？")
        else:
            reply = Reply(
                kind="chitchat",
                text="感谢反馈，我们会据此改进。您可以换个说法再问，或转人工服务。",
                buttons=[Button(title="转人工服务", payload="/human_handoff")],
            )
        send(dispatcher, reply)
        return []
