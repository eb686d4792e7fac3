"""``validate_cooperation_form``: the enterprise's industry and what it wants.

The industry is kept in the enterprise's own words (without fillers such as 我们是做…的); it is
matched against the knowledge base when answering, so a new industry in the plan needs no
retrain. What it wants is one of three kinds: a site, a partner park, production capacity.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import send
from knowledge.answering.reply import Reply

_FILLER_HEAD = re.compile(
    r"^(?:你好|您好)?[，,]?(?:我们|我|俺们|咱们)?(?:公司|企业|厂|单位)?(?:是|主要)?"
    r"(?:做|搞|从事|干|经营|生产)?"
)
_FILLER_TAIL = re.compile(r"(?:的|行业|产业|企业|公司|方面|相关)*[。！!？?，, ]*$")

NEED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "park": ("园区", "园", "共建", "入园"),
    "capacity": ("产能", "生产", "制造", "代工", "环节", "工厂"),
    "site": ("地", "选址", "落地", "厂房", "场地", "办公"),
}


def clean_industry(text: str) -> str:
    cleaned = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", text.strip()))
    return cleaned.strip() or text.strip()


def need_from_text(text: str) -> str | None:
    for need, words in NEED_KEYWORDS.items():
        if any(w in text for w in words):
            return need
    return None


NO_INDUSTRY = Reply(kind="form", text="请用几个字说明贵企业的行业，例如“生物医药”。")
NO_NEED = Reply(kind="form", text="没太明白，请点选下面的一项，或说“找园区”“找场地”“生产环节”。")


class ValidateCooperationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_cooperation_form"

    def validate_industry(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = str(slot_value or "").strip()
        if not text or text.startswith("/") or len(text) > 100:
            send(
                dispatcher, Reply(kind="form", text="请用几个字说明贵企业的行业，例如“生物医药”。")
            )
            return {"industry": None}
        return {"industry": clean_industry(text)}

    def validate_cooperation_need(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        value = str(slot_value or "")
        need = value if value in NEED_KEYWORDS else need_from_text(value)
        if need is None:
            send(
                dispatcher,
                Reply(
                    kind="form", text="没太明白，请点选下面的一项，或说“找园区”“找场地”“生产环节”。"
                ),
            )
        return {"cooperation_need": need}
