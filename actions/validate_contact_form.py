"""``validate_contact_form``: a phone number or e-mail the enterprise gives by consent."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import send
from knowledge.answering.reply import Reply

_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def has_contact(text: str) -> bool:
    return bool(_PHONE.search(text) or _EMAIL.search(text))


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
        text = str(slot_value or "").strip()[:200]
        if not has_contact(text):
            send(
                dispatcher,
                Reply(
                    kind="form",
                    text="没有识别到电话或邮箱。请留下手机号（11位）、座机或邮箱；不想留下可以说“算了”。",
                ),
            )
            return {"contact": None}
        return {"contact": text}
