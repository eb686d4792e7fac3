"""Ticket reference codes, staff replies and transcripts as the resident saw them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from records.reference import ALPHABET, display, new_code, normalize
from records.store import RecordStore, TicketClosed
from records.transcript import payload_label, readable
from storage.database import create_database_engine, create_schema


def test_codes_are_unambiguous_and_typed_back_in_any_form() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000  # 31^8 values: no collision in a few thousand
    assert all(len(c) == 8 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01OIL") & set(ALPHABET)
    assert display("K7MQ4XRT") == "K7MQ-4XRT"
    for typed in ("K7MQ-4XRT", "k7mq 4xrt", "ｋ７ｍｑ－４ｘｒｔ", " K7MQ4XRT "):
        assert normalize(typed) == "K7MQ4XRT"
    for bad in ("", "K7MQ-4XR", "K7MQ-4XRTT", "K0MQ-4XRT", "京霸铁路会建吗"):
        assert normalize(bad) is None


def test_clicks_read_as_the_buttons_titles() -> None:
    turns = readable(
        [
            {
                "who": "bot",
                "text": "要转吗？",
                "buttons": [{"title": "好的", "payload": "/affirm"}],
            },
            {"who": "user", "text": "/affirm"},
            {"who": "user", "text": '/inform_need{"cooperation_need": "capacity"}'},
            {"who": "user", "text": "/feedback_unhelpful"},
            {"who": "user", "text": "/some_new_intent"},
            {"who": "user", "text": "/ 不是按钮，是我打的字"},
        ]
    )
    assert [t["text"] for t in turns] == [
        "要转吗？",
        "好的",  # the title the resident saw, not the generic label
        "生产环节与产能布局",
        "没帮助",
        "（点选了一个按钮）",
        "/ 不是按钮，是我打的字",
    ]
    assert turns[0]["buttons"] == "好的"
    assert payload_label("/human_handoff") == "转人工"


def test_replies_answer_a_ticket_until_it_is_closed(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    mine = store.add_ticket(kind="handoff", session_id="s1", transcript=[])
    other = store.add_ticket(kind="handoff", session_id="s2", transcript=[])
    assert mine.code and other.code and mine.code != other.code
    assert store.waiting_tickets("s1") == 1
    reply = store.add_reply(mine.id, "已转交拆迁办。", by="admin")
    assert reply is not None
    answered = store.ticket(mine.id)
    assert answered is not None and answered.status == "answered" and answered.answered_at
    (seen,) = store.answers_for_session("s1")
    assert (seen.code, seen.text, seen.ticket_status) == (mine.code, "已转交拆迁办。", "answered")
    assert store.answers_for_session("s1", after=seen.id) == []
    assert store.answers_for_session("s2") == [] and store.waiting_tickets("s1") == 0
    assert store.ticket_by_code(mine.code) is not None and store.ticket_by_code("AAAA2222") is None
    assert store.add_reply(999, "x", by="admin") is None
    store.set_ticket_status(mine.id, "closed", by="admin")
    with pytest.raises(TicketClosed):
        store.add_reply(mine.id, "再补充一句", by="admin")
    with pytest.raises(ValueError, match="unknown ticket status"):
        store.set_ticket_status(mine.id, "done", by="admin")


def test_the_retention_rule_takes_a_closed_tickets_replies_with_it(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    ticket = store.add_ticket(kind="handoff", session_id="s", transcript=[])
    store.add_reply(ticket.id, "答复", by="admin")
    store.set_ticket_status(ticket.id, "closed", by="admin")
    assert store.purge_older_than(30, now=datetime.now(UTC) + timedelta(days=31)).tickets == 1
    assert store.replies([ticket.id]) == {ticket.id: []}


def test_a_contact_added_later_keeps_only_the_number(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    ticket = store.add_ticket(kind="handoff", session_id="s", transcript=[])
    assert ticket.code
    store.add_contact(ticket.code, "王先生 13912345678 身份证110101199001011234")
    store.add_contact(ticket.code, None, note="我的电话13812345678打不通")
    saved = store.ticket(ticket.id)
    assert saved is not None and saved.contact == "13912345678"
    assert saved.transcript[-1]["text"] == "我的电话138****5678打不通"
    assert store.add_contact("AAAA2222", "13912345678") is None


def test_an_older_database_gains_codes_and_replies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_database_engine(url)
    with engine.begin() as connection:  # the tickets table as the previous version made it
        connection.execute(
            text(
                "CREATE TABLE tickets (id INTEGER PRIMARY KEY, created_at TIMESTAMP, "
                "kind VARCHAR(32), status VARCHAR(16), session_id VARCHAR(64), summary TEXT, "
                "contact VARCHAR(200), details JSON, transcript JSON, closed_by VARCHAR(64), "
                "closed_at TIMESTAMP)"
            )
        )
    create_schema(engine)
    inspector = inspect(engine)
    columns = {c["name"] for c in inspector.get_columns("tickets")}
    assert {"code", "answered_at"} <= columns
    assert "ticket_replies" in inspector.get_table_names()
    assert any(
        i["name"] == "ix_tickets_code" and i["unique"] for i in inspector.get_indexes("tickets")
    )
    store = RecordStore(engine)
    ticket = store.add_ticket(kind="handoff", session_id="s", transcript=[])
    assert store.add_reply(ticket.id, "好", by="admin") is not None
    engine.dispose()


def test_a_staff_reply_is_stored_and_shown_without_personal_numbers(tmp_path: Path) -> None:
    """The reply is public to whoever holds the session or the reference code (review N2)."""
    store = RecordStore(f"sqlite:///{tmp_path / 'replies.db'}")
    store.create_schema()
    ticket = store.add_ticket(kind="handoff", session_id="s-1", transcript=[])
    reply = store.add_reply(
        ticket.id, "已联系您，尾号核对：13812345678，证件110101199003071234。", by="admin"
    )
    assert reply is not None
    assert "13812345678" not in reply.text and "110101199003071234" not in reply.text
