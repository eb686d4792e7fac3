"""``validate_handoff_contact_form``: the optional contact after a handoff.

Only a phone number or e-mail is kept (records/privacy.py ``find_contact``). A message without
one ends the question rather than repeating it: the contact is optional, so the resident is
never held in the form; ``action_handoff_contact`` then attaches the message to the ticket.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from records.privacy import find_contact

NO_CONTACT = ""  # the slot is filled (the form ends) but holds no contact


class ValidateHandoffContactForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_contact_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Nothing to ask when no ticket was opened (the record store was down)."""
        return domain_slots if tracker.get_slot("handoff_ticket") else []

    def validate_handoff_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        contact = find_contact(str(slot_value or "").strip()[:200])
        return {"handoff_contact": contact or NO_CONTACT}
