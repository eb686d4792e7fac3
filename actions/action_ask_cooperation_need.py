"""``action_ask_cooperation_need``: the cooperation form asks what the enterprise wants."""

from __future__ import annotations

from actions.form_prompts import ASK_NEED, FormPrompt


class ActionAskCooperationNeed(FormPrompt):
    prompt = ASK_NEED

    def name(self) -> str:
        return "action_ask_cooperation_need"
