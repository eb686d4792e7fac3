"""The handoff that returns: a ticket with a reference code first, then an optional contact."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.action_ask_handoff_contact import ActionAskHandoffContact
from actions.action_handoff import ActionHandoff
from actions.action_handoff_contact import ActionHandoffContact
from actions.validate_handoff_contact_form import ValidateHandoffContactForm
from records.reference import ALPHABET
from tests.actions.conftest import reply_of

EVENTS: list[dict[str, Any]] = [
    {"event": "user", "text": "我们是做生物医药的", "timestamp": 1.0},
    {
        "event": "bot",
        "text": "您主要想了解哪方面？",
        "timestamp": 2.0,
        "data": {
            "buttons": [
                {"title": "合作共建园区", "payload": '/inform_need{"cooperation_need": "park"}'},
                {"title": "项目落地选址", "payload": '/inform_need{"cooperation_need": "site"}'},
            ]
        },
    },
    {"event": "user", "text": '/inform_need{"cooperation_need": "park"}', "timestamp": 3.0},
    {"event": "bot", "text": "规划写到……", "timestamp": 4.0},
    {"event": "user", "text": "/human_handoff", "timestamp": 5.0},
]


def tracker(
    text: str, slots: dict[str, Any] | None = None, events: list[dict[str, Any]] | None = None
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "web-resident",
            "slots": {"last_question": "合作共建园区有哪些", **(slots or {})},
            "latest_message": {"text": text, "intent": {"name": "x"}, "entities": []},
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action: Action, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def slot(events: list[dict[str, Any]], name: str) -> Any:
    (value,) = [e["value"] for e in events if e.get("event") == "slot" and e["name"] == name]
    return value


def test_the_ticket_gets_a_code_the_resident_is_told_with_the_response_time(services) -> None:  # type: ignore[no-untyped-def]
    wiring.configure(
        wiring.Services(
            services.engine, services.records, hotline="12345", response_time="24小时内"
        )
    )
    messages, events = run(ActionHandoff(), tracker("/human_handoff", events=EVENTS))
    (ticket,) = services.records.tickets()
    assert ticket.code and len(ticket.code) == 8 and set(ticket.code) <= set(ALPHABET)
    assert slot(events, "handoff_ticket") == ticket.code
    text = reply_of(messages[0])["text"]
    assert f"查询码 {ticket.code[:4]}-{ticket.code[4:]}" in text
    assert "24小时内" in text and "本对话中答复" in text and "12345" in text
    # What the resident saw and clicked, never the payloads.
    said = [t["text"] for t in ticket.transcript if t["who"] == "user"]
    assert said == ["我们是做生物医药的", "合作共建园区", "转人工"]
    assert "/inform_need" not in str(ticket.transcript)


def test_the_contact_question_is_optional_and_says_who_sees_it(services) -> None:  # type: ignore[no-untyped-def]
    (message,), _ = run(ActionAskHandoffContact(), tracker("", {"handoff_ticket": "K7MQ4XRT"}))
    reply = reply_of(message)
    assert reply["kind"] == "form" and "可选" in reply["text"]
    assert reply["buttons"] == [{"title": "不留联系方式", "payload": "/deny"}]
    # No ticket (the store was down): nothing to ask, nothing is asked.
    assert run(ActionAskHandoffContact(), tracker(""))[0] == []


def test_only_the_phone_number_or_e_mail_is_taken_and_nobody_is_held(services) -> None:  # type: ignore[no-untyped-def]
    validate = ValidateHandoffContactForm().validate_handoff_contact
    t = tracker("")
    dispatcher = CollectingDispatcher()
    assert validate("电话 139-1234-5678，身份证110101199001011234", dispatcher, t, {}) == {
        "handoff_contact": "139-1234-5678"
    }
    assert validate("wang@example.com", dispatcher, t, {}) == {
        "handoff_contact": "wang@example.com"
    }
    # No contact in it: the question ends (the message becomes a note), it is not asked again.
    assert validate("京霸铁路会建吗", dispatcher, t, {}) == {"handoff_contact": ""}
    assert dispatcher.messages == []


def _open_ticket(services) -> str:  # type: ignore[no-untyped-def]
    ticket = services.records.add_ticket(kind="handoff", session_id="web-resident", transcript=[])
    assert ticket.code
    return str(ticket.code)


def test_a_contact_is_added_to_the_ticket(services) -> None:  # type: ignore[no-untyped-def]
    code = _open_ticket(services)
    slots = {"handoff_ticket": code, "handoff_contact": "13912345678"}
    messages, events = run(ActionHandoffContact(), tracker("13912345678", slots))
    (ticket,) = services.records.tickets()
    assert ticket.contact == "13912345678"
    text = reply_of(messages[0])["text"]
    assert "139****5678" in text and "13912345678" not in text and code[:4] in text
    assert slot(events, "handoff_contact") is None  # not kept in the tracker


def test_a_message_without_a_contact_is_attached_as_a_note(services) -> None:  # type: ignore[no-untyped-def]
    code = _open_ticket(services)
    slots = {"handoff_ticket": code, "handoff_contact": ""}
    messages, _ = run(
        ActionHandoffContact(), tracker("补偿款的事，身份证110101199001011234", slots)
    )
    (ticket,) = services.records.tickets()
    assert ticket.contact is None
    assert ticket.transcript[-1]["text"] == "补偿款的事，身份证110101********1234"
    assert "没有识别到电话或邮箱" in reply_of(messages[0])["text"]


def test_skipping_the_contact_is_confirmed(services) -> None:  # type: ignore[no-untyped-def]
    code = _open_ticket(services)
    messages, _ = run(ActionHandoffContact(), tracker("/deny", {"handoff_ticket": code}))
    (ticket,) = services.records.tickets()
    assert ticket.contact is None and ticket.transcript == []
    assert reply_of(messages[0])["text"].startswith("好的，不留联系方式。")
