"""A resident's personal numbers, in whatever form, reach neither the records database, the
insights exports nor Rasa; the contact given to the contact form is the one exception
(security review, issue 14, H2)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import wiring
from actions.action_submit_inquiry import ActionSubmitInquiry
from actions.validate_contact_form import ValidateContactForm
from records.models import ConversationTurn, Feedback, Ticket
from storage.database import create_database_engine
from tests.api.conftest import FakeRasa, StaffSite

# (what the owner knows, how the resident wrote it)
NUMBERS = [
    ("13987654321", "+86 139-8765-4321"),
    ("13912340000", "１３９ １２３４ ００００"),
    ("13700001111", "0086 137.0000.1111"),
    ("69241234", "（010）6924 1234"),
    ("11010519491231002X", "110105 19491231 002x"),
    ("110105491231002", "110105-491231-002"),
    ("E12345678", "Ｅ１２３４５６７８"),
]
MESSAGE = "我的号码：" + "，".join(written for _, written in NUMBERS) + "。拆迁款什么时候发？"


def readable(text: str) -> str:
    """The letters and digits anyone reading ``text`` can get out of it, separators removed."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", text)).upper()


def say(
    site: StaffSite, rasa: FakeRasa, session: str, message: str, kind: str = "no_answer"
) -> None:
    reply = {"kind": kind, "text": "……", "citations": [], "related": [], "buttons": []}
    rasa.reply = [{"recipient_id": session, "text": "……", "custom": {"reply": reply}}]
    r = site.client.post("/api/chat", json={"session_id": session, "message": message})
    assert r.status_code == 200, r.text


def every_stored_text(database: Path) -> list[str]:
    """Every value of every row of every table, as text."""
    with sqlite3.connect(database) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return [
            str(value)
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{table}"')
            for value in row
            if value is not None
        ]


def assert_no_number_in(texts: list[str]) -> None:
    for text in texts:
        for core, _ in NUMBERS:
            assert core not in readable(text), (core, text)


def test_a_chat_turn_leaves_no_personal_number_in_the_records_database(
    staff_site: StaffSite, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    say(staff_site, fake_rasa, "s1", MESSAGE)
    # What the action server writes from the same conversation: a handoff and feedback.
    staff_site.records.add_ticket(
        kind="handoff",
        session_id="s1",
        summary=f"转人工：{MESSAGE}",
        transcript=[{"who": "user", "text": MESSAGE, "time": "1733340000.12345"}],
        details={"industry": MESSAGE},
    )
    staff_site.records.add_feedback(session_id="s1", helpful=False, question=MESSAGE, citations=[])

    stored = every_stored_text(tmp_path / "planbot.db")
    assert any("拆迁款什么时候发" in text for text in stored)  # the turn is there, masked
    assert_no_number_in(stored)
    assert_no_number_in([sent["message"] for sent in fake_rasa.sent])
    assert "1733340000.12345" in "".join(stored)  # a timestamp is not an ID number


def test_the_insights_exports_mask_rows_stored_before_the_masking_knew_a_form(
    staff_site: StaffSite,
) -> None:
    database = create_database_engine(f"sqlite:///{staff_site.index_dir.parent / 'planbot.db'}")
    with Session(database) as session, session.begin():  # rows written unmasked, as of old
        session.add(
            ConversationTurn(
                session_id="old",
                message=MESSAGE,
                question_key="k",
                reply_kinds="no_answer",
                answered=False,
            )
        )
        session.add(Feedback(session_id="old", helpful=False, question=MESSAGE, citations=[]))
        session.add(
            Ticket(
                kind="cooperation",
                session_id="old",
                summary=MESSAGE,
                contact="13987654321",
                transcript=[{"who": "user", "text": MESSAGE, "time": "1"}],
            )
        )
    database.dispose()
    admin = staff_site.login("admin")
    for name in ("unanswered", "unhelpful", "tickets"):
        r = staff_site.client.get(f"/api/staff/insights/{name}?format=csv", headers=admin)
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        assert rows, name
        for row in rows:
            contact = row.pop("contact", None)
            assert_no_number_in(list(row.values()))
            if name == "tickets":
                assert contact == "13987654321"  # given by consent for a call back: kept


CONTACT_FORM_OPEN = {
    "active_loop": {"name": "contact_form"},
    "slots": {"requested_slot": "contact"},
}


def test_the_contact_form_answer_reaches_rasa_as_given(
    staff_site: StaffSite, fake_rasa: FakeRasa
) -> None:
    fake_rasa.tracker = CONTACT_FORM_OPEN
    say(staff_site, fake_rasa, "s2", "联系人王先生 139 8765 4321", kind="form")
    assert fake_rasa.sent[-1]["message"] == "联系人王先生 139 8765 4321"
    assert fake_rasa.tracker_requests == ["s2"]
    # The question log still masks it: only the ticket's contact field keeps it.
    (turn,) = staff_site.records.turns()
    assert turn.message == "联系人王先生 139 **** 4321"


def test_the_contact_form_keeps_the_contact_and_nothing_else(
    staff_site: StaffSite, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    message = "我的电话是13712345678，身份证330101197001012222"
    fake_rasa.tracker = CONTACT_FORM_OPEN
    say(staff_site, fake_rasa, "s6", message, kind="form")
    # Rasa (and its tracker store) gets the contact; the ID number given with it is masked.
    sent = fake_rasa.sent[-1]["message"]
    assert sent == "我的电话是13712345678，身份证330101********2222"

    # The action server, on what Rasa got: the form fills the contact slot from the message's
    # text, its validation keeps the phone number only, and the inquiry becomes a ticket.
    tracker = Tracker.from_dict(
        {
            "sender_id": "s6",
            "slots": {"industry": "生物医药", "cooperation_need": "park"},
            "latest_message": {"text": sent},
            "events": [{"event": "user", "text": sent, "timestamp": 1733340000.12345}],
            "active_loop": {"name": "contact_form"},
        }
    )
    slots = ValidateContactForm().validate_contact(sent, CollectingDispatcher(), tracker, {})
    assert slots == {"contact": "13712345678"}
    tracker.slots.update(slots)
    wiring.configure(wiring.Services(engine=staff_site.engine(), records=staff_site.records))
    try:
        asyncio.run(ActionSubmitInquiry().run(CollectingDispatcher(), tracker, {}))
    finally:
        wiring.configure(None)

    (ticket,) = staff_site.records.tickets()
    assert ticket.contact == "13712345678"
    stored = every_stored_text(tmp_path / "planbot.db")
    assert "13712345678" in stored
    for text in stored:
        assert "197001012222" not in readable(text), text


def test_a_contact_stored_directly_is_only_the_contact(staff_site: StaffSite) -> None:
    ticket = staff_site.records.add_ticket(
        kind="cooperation",
        session_id="s7",
        transcript=[],
        contact="邮箱 a.b@example.com，护照E12345678",
    )
    assert ticket.contact == "a.b@example.com"


@pytest.mark.parametrize(
    "tracker",
    [
        {"active_loop": {"name": "cooperation_form"}, "slots": {"requested_slot": "industry"}},
        {"active_loop": {}, "slots": {"requested_slot": None}},
        {"active_loop": {"name": "contact_form"}, "slots": {"requested_slot": None}},
        ["not", "a", "tracker"],
    ],
)
def test_anywhere_else_rasa_gets_the_number_masked(
    staff_site: StaffSite, fake_rasa: FakeRasa, tracker: object
) -> None:
    fake_rasa.tracker = tracker
    say(staff_site, fake_rasa, "s3", "我的电话139-8765-4321")
    assert fake_rasa.sent[-1]["message"] == "我的电话139-****-4321"


def test_when_rasa_cannot_tell_the_number_is_masked(
    staff_site: StaffSite, fake_rasa: FakeRasa
) -> None:
    fake_rasa.tracker_api = False  # Rasa without its HTTP API: 404
    say(staff_site, fake_rasa, "s4", "护照E12345678")
    assert fake_rasa.sent[-1]["message"] == "护照E******78"


def test_rasa_is_asked_about_the_form_only_when_there_is_a_number(
    staff_site: StaffSite, fake_rasa: FakeRasa
) -> None:
    say(staff_site, fake_rasa, "s5", "2035年京霸铁路会建吗？补助500元吗？")
    assert fake_rasa.sent[-1]["message"] == "2035年京霸铁路会建吗？补助500元吗？"
    assert fake_rasa.tracker_requests == []
