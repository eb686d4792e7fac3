"""``action_submit_inquiry``: the enterprise's cooperation inquiry becomes a ticket for staff.

The closing reply states what was recorded (industry, need, whether a contact was left), the
reference number and when to expect contact (from settings), so the enterprise knows exactly
what happens next; without a contact it says staff cannot call back and names the hotline.
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
from actions.enterprise_text import NEED_LABELS
from knowledge.answering.reply import Reply
from records.models import Ticket
from records.reference import display

__all__ = ["NEED_LABELS", "ActionSubmitInquiry", "closing_text"]

LOG = logging.getLogger(__name__)


def closing_text(
    reference: str, industry: str, need: str, contact: bool, response_time: str, hotline: str
) -> str:
    """What was recorded, the reference, and what happens next (only what the service does)."""
    lines = [
        f"已记录您的合作咨询，编号 {reference}。记录的内容：",
        f"· 行业：{industry or '未说明'}",
        f"· 需求：{NEED_LABELS.get(need, '未说明')}",
        f"· 联系方式：{'已留下' if contact else '未留下'}",
    ]
    if contact:
        lines.append(f"招商服务人员会在{response_time}按您留下的联系方式与您联系。")
    else:
        lines.append(
            "您没有留下联系方式，工作人员无法主动回复；"
            f"如需进一步咨询，请拨打{hotline}市民服务热线并告知编号。"
        )
    lines.append(f"如需即时咨询，请拨打{hotline}市民服务热线。" if contact else "")
    return "\n".join(line for line in lines if line)


class ActionSubmitInquiry(Action):
    def name(self) -> str:
        return "action_submit_inquiry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        industry = str(tracker.get_slot("industry") or "")
        need = str(tracker.get_slot("cooperation_need") or "")
        contact = str(tracker.get_slot("contact") or "")
        hotline = wiring.hotline()
        try:
            store = await asyncio.to_thread(wiring.records)
            ticket = await asyncio.to_thread(
                lambda: store.add_ticket(
                    kind="cooperation",
                    session_id=tracker.sender_id,
                    summary=f"企业合作咨询：{industry}（{NEED_LABELS.get(need, need)}）",
                    contact=contact or None,
                    details={"industry": industry, "need": need},
                    transcript=transcript(tracker),
                )
            )
        except Exception:  # the store is down: say so, never drop the request silently
            LOG.exception("could not record the inquiry")
            send(dispatcher, _failed(hotline))
            return []
        text = closing_text(
            reference(ticket),
            industry,
            need,
            bool(contact),
            wiring.inquiry_response_time(),
            hotline,
        )
        send(dispatcher, Reply(kind="handoff", text=text))
        return [SlotSet("contact", None)]


def reference(ticket: Ticket) -> str:
    """The ticket's reference code as residents see it (its number on tickets made before
    codes existed)."""
    return display(ticket.code) if ticket.code else str(ticket.id)


def _failed(hotline: str) -> Reply:
    return Reply(
        kind="error",
        text=f"抱歉，系统暂时无法记录您的咨询。请稍后再试，或直接拨打{hotline}市民服务热线。",
    )
