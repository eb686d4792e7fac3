"""Transcripts as the resident saw them: button titles, never the payloads behind them.

A button click reaches Rasa as its payload (``/affirm``, ``/inform_need{"cooperation_need":
"park"}``), and Rasa's tracker keeps that. Staff must read what the resident saw and clicked,
so a payload turn is shown as the title of the button that sent it (the bot turn before it
offered the button), or, for turns stored without the buttons (older tickets, buttons the page
draws itself such as 转人工 and 有帮助), as the label of the intent it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

# What the page's own buttons and the bot's buttons say, by the intent their payload names.
INTENT_LABELS = {
    "human_handoff": "转人工",
    "affirm": "是",
    "deny": "不用了",
    "feedback_helpful": "有帮助",
    "feedback_unhelpful": "没帮助",
    "ask_cooperation": "企业合作咨询",
    "greet": "你好",
    "goodbye": "再见",
    "thank": "谢谢",
}
NEED_LABELS = {"site": "项目落地选址", "park": "合作共建园区", "capacity": "生产环节与产能布局"}
CLICKED = "（点选了一个按钮）"
_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][A-Za-z0-9_]*)(?P<entities>\{.*\})?$", re.DOTALL)


def is_payload(text: str) -> bool:
    """Whether a user turn is a button payload rather than words the resident typed."""
    return bool(_PAYLOAD.match(text.strip()))


def payload_label(payload: str) -> str:
    """A payload in the words of its button, when the buttons that offered it are unknown."""
    match = _PAYLOAD.match(payload.strip())
    if not match:
        return payload
    intent = match["intent"]
    if intent == "inform_need" and match["entities"]:
        try:
            need = json.loads(match["entities"]).get("cooperation_need")
        except (ValueError, AttributeError):
            need = None
        if isinstance(need, str) and need in NEED_LABELS:
            return NEED_LABELS[need]
    return INTENT_LABELS.get(intent, CLICKED)


def readable(turns: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """``turns`` ({who, text, time[, buttons]}) with every payload replaced by what the
    resident clicked. A bot turn's ``buttons`` may be a list of {title, payload} (as the
    tracker has them); it is kept as the titles joined by " / ", for staff to see what was
    offered."""
    out: list[dict[str, str]] = []
    offered: dict[str, str] = {}
    for turn in turns:
        who = str(turn.get("who", ""))
        text = str(turn.get("text", ""))
        row = {"who": who, "text": text, "time": str(turn.get("time", ""))}
        buttons = turn.get("buttons")
        if who == "bot":
            offered = {}
            if isinstance(buttons, list):
                titles = []
                for button in buttons:
                    if isinstance(button, Mapping) and button.get("title"):
                        titles.append(str(button["title"]))
                        offered[str(button.get("payload", "")).strip()] = str(button["title"])
                if titles:
                    row["buttons"] = " / ".join(titles)
            elif isinstance(buttons, str) and buttons:
                row["buttons"] = buttons
        elif who == "user" and is_payload(text):
            row["text"] = offered.get(text.strip()) or payload_label(text)
            row["clicked"] = "1"
        out.append(row)
    return out
