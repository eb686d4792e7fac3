"""What every action needs from a conversation: the question, the transcript, the slots that
carry the context to the next turn, and how to send a Reply so that both rich clients (the
custom payload) and plain channels (the text and buttons) get it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.answering.reply import Button, Reply


def send(dispatcher: CollectingDispatcher, reply: Reply, *, decline_reason: str = "") -> None:
    """Send a Reply; its notice (guidance, not from the sources) follows as its own message.

    ``decline_reason`` (the Gate of knowledge/answering/why.py that declined) rides beside the
    Reply in the custom payload, never inside it: the web app counts declines by it (``/metrics``).
    """
    notice = reply.notice
    main = reply.model_copy(update={"notice": ""})
    payload: dict[str, Any] = {"reply": main.model_dump()}
    if decline_reason:
        payload["decline_reason"] = decline_reason
    dispatcher.utter_message(
        text=main.text,
        buttons=[b.model_dump() for b in main.buttons],
        json_message=payload,
    )
    if notice:
        guidance = Reply(
            kind="handoff",
            text=notice,
            buttons=[Button(title="转人工服务", payload="/human_handoff")],
        )
        dispatcher.utter_message(
            text=guidance.text,
            buttons=[b.model_dump() for b in guidance.buttons],
            json_message={"reply": guidance.model_dump()},
        )


def user_text(tracker: Tracker) -> str:
    """The user's words; empty for a button payload such as ``/ask_cooperation``."""
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    return "" if text.startswith("/") else text


def transcript(tracker: Tracker, limit: int = 50) -> list[dict[str, Any]]:
    """The conversation so far as (who, text, time) turns, for a staff member to read; a bot
    turn also carries the buttons it offered, so that the record store can show a click as
    the button's title rather than its payload (records/transcript.py)."""
    turns: list[dict[str, Any]] = []
    for event in tracker.events:
        who = {"user": "user", "bot": "bot"}.get(str(event.get("event")))
        text = event.get("text")
        if who and text:
            turn: dict[str, Any] = {
                "who": who,
                "text": str(text),
                "time": str(event.get("timestamp", "")),
            }
            buttons = (event.get("data") or {}).get("buttons") if who == "bot" else None
            if buttons:
                turn["buttons"] = list(buttons)
            turns.append(turn)
    return turns[-limit:]


def remember(question: str, reply: Reply, topic: str) -> list[dict[str, Any]]:
    """Slots that let the next turn be read in context and feedback be recorded."""
    return [
        SlotSet("topic", topic),
        SlotSet("last_question", question),
        SlotSet("last_citations", [c.model_dump() for c in reply.citations]),
    ]
