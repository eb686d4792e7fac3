"""``action_handoff``: a resident asks for (or needs) a person; staff get a ticket.

The ticket holds the conversation so far (personal numbers masked) and appears in the staff
workspace; the resident is told how the request continues and given the hotline.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import send, transcript
from knowledge.answering.reply import Reply

LOG = logging.getLogger(__name__)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        hotline = wiring.hotline()
        last = str(tracker.get_slot("last_question") or "")
        try:
            store = await asyncio.to_thread(wiring.records)
            ticket = await asyncio.to_thread(
                lambda: store.add_ticket(
                    kind="handoff",
                    session_id=tracker.sender_id,
                    summary=f"转人工：{last}" if last else "转人工",
                    transcript=transcript(tracker),
                )
            )
        except Exception:  # the store is down: the resident still gets a way forward
            LOG.exception("could not record the handoff")
            text = (
                f"抱歉，转人工登记暂时不可用。请直接拨打{hotline}市民服务热线，"
                "会有工作人员为您解答。"
            )
            send(dispatcher, Reply(kind="error", text=text))
            return []
        text = (
            f"已为您转人工服务（工单编号 {ticket.id}）。"
            "工作人员会在工作时间查看您的问题和对话记录，并在这里答复您。"
            f"如需即时答复，请拨打{hotline}市民服务热线。"
        )
        send(dispatcher, Reply(kind="handoff", text=text))
        return []
