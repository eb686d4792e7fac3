"""``action_handoff_contact``: the end of the optional contact question after a handoff.

A contact is added to the ticket (its own field, seen only with the ticket permission); a
message without one is attached to the ticket as the resident's note; a skip is confirmed. In
every case the resident hears again where the answer will appear.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.conversation import send, user_text
from knowledge.answering.reply import Reply
from records.privacy import mask_personal_numbers
from records.reference import display

LOG = logging.getLogger(__name__)


def closing_text(code: str, contact: str | None, noted: bool, response_time: str) -> str:
    where = f"工作人员会在{response_time}在本对话中答复您，请记下查询码 {display(code)}。"
    if contact:
        shown = mask_personal_numbers(contact)
        return f"已记下您的联系方式（{shown}），仅用于答复这张工单。{where}"
    if noted:
        return (
            "没有识别到电话或邮箱，这次就不留联系方式了；您刚才的话已附在工单上转给工作人员。"
            f"{where}如果想问规划里的问题，可以直接再问我。"
        )
    return f"好的，不留联系方式。{where}"


class ActionHandoffContact(Action):
    def name(self) -> str:
        return "action_handoff_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = str(tracker.get_slot("handoff_ticket") or "")
        if not code:
            return [SlotSet("handoff_contact", None)]
        given = tracker.get_slot("handoff_contact")  # None: skipped; "": a message, no contact
        contact = str(given) if given else None
        note = user_text(tracker) if given == "" else ""
        if contact or note:
            try:
                store = await asyncio.to_thread(wiring.records)
                await asyncio.to_thread(lambda: store.add_contact(code, contact, note))
            except Exception:  # the ticket stands; only the addition is lost, and said so
                LOG.exception("could not add the contact to the ticket")
                text = (
                    "抱歉，联系方式暂时没能记到工单上。工单本身已经登记，工作人员会在本对话中答复您；"
                    f"如需即时答复，请拨打{wiring.hotline()}市民服务热线。"
                )
                send(dispatcher, Reply(kind="error", text=text))
                return [SlotSet("handoff_contact", None)]
        text = closing_text(code, contact, bool(note), wiring.response_time())
        send(dispatcher, Reply(kind="handoff", text=text))
        return [SlotSet("handoff_contact", None)]
