"""``action_ask_industry``: the cooperation form asks the enterprise's industry."""

from __future__ import annotations

from actions.form_prompts import ASK_INDUSTRY, FormPrompt


class ActionAskIndustry(FormPrompt):
    prompt = ASK_INDUSTRY

    def name(self) -> str:
        return "action_ask_industry"
