"""``action_handoff``: a resident asks for (or needs) a person; staff get a ticket.

The ticket holds the conversation so far (personal numbers masked, button clicks as the
buttons' titles) and appears in the staff workspace, where staff answer it. The resident is
told its reference code, when staff answer (``PLANBOT_HANDOFF_RESPONSE_TIME``), and where the
answer appears: in this same chat when they come back, or on the page by the code. The contact
question follows (``handoff_contact_form``): optional, so the ticket exists whatever is said.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import send, transcript
from knowledge.answering.reply import Reply
from records.reference import display

LOG = logging.getLogger(__name__)
TICKET_SLOT = "handoff_ticket"


def opened_text(code: str, response_time: str, hotline: str) -> str:
    """What the resident is told: only what the service does (staff answer here, by code)."""
    return (
        f"已为您转人工服务，查询码 {display(code)}。"
        f"工作人员会在{response_time}查看您的问题和对话记录，并在本对话中答复您："
        "用同一浏览器再次打开本页即可看到答复，也可以在本页“查询人工答复”处输入查询码查看。"
        f"如需即时答复，请拨打{hotline}市民服务热线。"
    )


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
            return [SlotSet(TICKET_SLOT, None)]
        code = ticket.code or ""
        text = opened_text(code, wiring.response_time(), hotline)
        send(dispatcher, Reply(kind="handoff", text=text))
        return [SlotSet(TICKET_SLOT, code)]
