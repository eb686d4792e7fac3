"""``validate_contact_form``: a phone number or e-mail the enterprise gives by consent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import send
from knowledge.answering.reply import Reply
from records.privacy import find_contact


def has_contact(text: str) -> bool:
    return find_contact(text) is not None


NO_CONTACT = Reply(
    kind="form",
    text="没有识别到电话或邮箱。请留下手机号（11位）、座机或邮箱；不想留下可以说“算了”。",
)


class ValidateContactForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contact_form"

    def validate_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        # Only the phone number or e-mail: anything else in the message (an ID number given
        # with it) is not the contact the resident agreed to leave.
        contact = find_contact(str(slot_value or "").strip()[:200])
        if contact is None:
            send(
                dispatcher,
                Reply(
                    kind="form",
                    text="没有识别到电话或邮箱。请留下手机号（11位）、座机或邮箱；不想留下可以说“算了”。",
                ),
            )
            return {"contact": None}
        return {"contact": contact}
