"""``action_submit_inquiry``: the enterprise's cooperation inquiry becomes a ticket for staff."""

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

NEED_LABELS = {"site": "项目落地选址", "park": "合作共建园区", "capacity": "生产环节与产能布局"}

LOG = logging.getLogger(__name__)


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
                    contact=contact,
                    details={"industry": industry, "need": need},
                    transcript=transcript(tracker),
                )
            )
        except Exception:  # the store is down: say so, never drop the request silently
            LOG.exception("could not record the inquiry")
            send(dispatcher, _failed(hotline))
            return []
        text = (
            f"已记录您的合作咨询（编号 {ticket.id}），"
            "工作人员会在工作日内按您留下的联系方式与您联系。"
            f"如需即时咨询，请拨打{hotline}市民服务热线。"
        )
        send(dispatcher, Reply(kind="handoff", text=text))
        return [SlotSet("contact", None)]


def _failed(hotline: str) -> Reply:
    return Reply(
        kind="error",
        text=f"抱歉，系统暂时无法记录您的咨询。请稍后再试，或直接拨打{hotline}市民服务热线。",
    )
