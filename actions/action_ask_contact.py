"""``action_ask_contact``: the contact form asks for a phone number or e-mail, by consent."""

from __future__ import annotations

from actions.form_prompts import ASK_CONTACT, FormPrompt


class ActionAskContact(FormPrompt):
    prompt = ASK_CONTACT

    def name(self) -> str:
        return "action_ask_contact"
