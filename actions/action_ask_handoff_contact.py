"""``action_ask_handoff_contact``: after a handoff, a contact may be left, by consent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import send
from knowledge.answering.reply import Button, Reply

SKIP = Button(title="不留联系方式", payload="/deny")
ASK_HANDOFF_CONTACT = Reply(
    kind="form",
    text=(
        "如果希望工作人员打电话或发邮件联系您，可以留下手机号、座机或邮箱（可选）。"
        "联系方式只用于答复这张工单，只有负责工单的工作人员能看到。不想留下，点“不留联系方式”即可。"
    ),
    buttons=[SKIP],
)


class ActionAskHandoffContact(Action):
    def name(self) -> str:
        return "action_ask_handoff_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("handoff_ticket"):  # no ticket (the store was down): nothing to add
            send(dispatcher, ASK_HANDOFF_CONTACT)
        return []
