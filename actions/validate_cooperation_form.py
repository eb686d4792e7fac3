"""``validate_cooperation_form``: the enterprise's industry and what it wants.

The form runs only after the enterprise said yes to the offer, with whatever its first message
already said filled in. The industry is kept in the enterprise's own words (without fillers such
as 我们是做…的 or 刚才说了呀); it is matched against the knowledge base when answering, so a new
industry in the plan needs no retrain. What it wants is one of three kinds: a site, a partner
park, production capacity.

A question asked inside the form ("先问一下，京霸铁路会建吗？") is answered by the engine and
never stored as a slot value; the form then asks its question again (or is left, by 不用了).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.answering import unavailable
from actions.conversation import send
from actions.enterprise_text import (
    NEED_KEYWORDS,
    clean_industry,
    extract_industry,
    industry_answer,
    is_question,
    need_from_text,
)
from knowledge.answering.reply import Reply

__all__ = ["ValidateCooperationForm", "clean_industry", "need_from_text"]

LOG = logging.getLogger(__name__)
NO_INDUSTRY = Reply(kind="form", text="请用几个字说明贵企业的行业，例如“生物医药”。")
NO_NEED = Reply(kind="form", text="没太明白，请点选下面的一项，或说“找园区”“找场地”“生产环节”。")


async def answer_side_question(dispatcher: CollectingDispatcher, question: str) -> None:
    """Answer a question asked in the middle of the form, as any question is answered."""
    try:
        engine = await asyncio.to_thread(wiring.engine)
        reply = await asyncio.to_thread(engine.answer, question)
    except Exception:  # the index or model is unavailable: say so, never go silent
        LOG.exception("could not answer a question inside the cooperation form")
        reply = unavailable()
    send(dispatcher, reply)


class ValidateCooperationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_cooperation_form"

    async def validate_industry(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = str(slot_value or "").strip()[:200]
        if not text or text.startswith("/"):
            send(dispatcher, NO_INDUSTRY)
            return {"industry": None}
        named = extract_industry(text)
        if named:
            return {"industry": named}
        if is_question(text):
            await answer_side_question(dispatcher, text)
            return {"industry": None}
        industry = industry_answer(text)
        if not industry:
            send(dispatcher, NO_INDUSTRY)
            return {"industry": None}
        return {"industry": industry}

    async def validate_cooperation_need(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        value = str(slot_value or "").strip()[:200]
        if value in NEED_KEYWORDS:
            return {"cooperation_need": value}
        need = need_from_text(value)
        if need is None and is_question(value) and not value.startswith("/"):
            await answer_side_question(dispatcher, value)
            return {"cooperation_need": None}
        if need is None:
            send(dispatcher, NO_NEED)
        return {"cooperation_need": need}
