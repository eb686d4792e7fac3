from __future__ import annotations

from pathlib import Path

import pytest

from records.privacy import mask_personal_numbers
from records.store import Purged, RecordStore


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("身份证110101199001011234", "身份证110101********1234"),
        ("座机010-87654321", "座机010-****4321"),
        ("104国道和S6线", "104国道和S6线"),
    ],
)
def test_personal_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked


def test_tickets_and_feedback_round_trip(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'sub' / 'r.db'}")
    store.create_schema()
    t = store.add_ticket(
        kind="handoff",
        session_id="s1",
        summary="转人工：13812345678",
        transcript=[{"who": "user", "text": "我的电话13812345678", "time": "1"}],
        contact="13812345678",
    )
    store.add_feedback(session_id="s1", helpful=True, question="问题", citations=[{"n": 1}])
    (saved,) = store.tickets(status="open")
    assert saved.id == t.id and saved.summary == "转人工：138****5678"
    assert saved.transcript[0]["text"] == "我的电话138****5678"
    assert saved.contact == "13812345678"  # given on purpose, kept for staff to call back
    assert store.tickets(status="closed") == []
    assert store.feedback()[0].citations == [{"n": 1}]


def test_the_retention_rule_removes_old_conversations(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    store.add_turn(session_id="s", message="问题", reply_kinds=["no_answer"])
    open_ticket = store.add_ticket(kind="handoff", session_id="s", transcript=[])
    closed = store.add_ticket(kind="handoff", session_id="s", transcript=[])
    store.set_ticket_status(closed.id, "closed", by="admin")
    store.add_feedback(session_id="s", helpful=False, question="q", citations=[])

    assert store.purge_older_than(30) == Purged(0, 0, 0)  # nothing is old yet
    later = datetime.now(UTC) + timedelta(days=31)
    purged = store.purge_older_than(30, now=later)
    assert (purged.turns, purged.tickets, purged.feedback) == (1, 1, 1)
    # An open ticket is still work to do: it stays until staff close it.
    assert [t.id for t in store.tickets()] == [open_ticket.id]
    assert store.turns() == [] and store.feedback() == []


def test_turns_record_whether_the_sources_answered(tmp_path: Path) -> None:
    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    store.add_turn(session_id="s", message="你好", reply_kinds=["chitchat"])
    store.add_turn(session_id="s", message="Q？", reply_kinds=["answer"])
    store.add_turn(session_id="s", message="q", reply_kinds=["no_answer", "handoff"])
    assert [t.answered for t in store.turns()] == [True, True, False]
    (gap,) = store.knowledge_gaps()
    assert (gap.question, gap.times_asked) == ("q", 1)


def test_rows_stored_before_the_masking_knew_their_form_are_masked_again(tmp_path: Path) -> None:
    """The review's rows from an earlier release: kept in clear, they are masked at start."""
    from sqlalchemy.orm import Session

    from records.models import ConversationTurn, Feedback, Ticket

    store = RecordStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    clear = "京霸铁路会建吗？我手机139/5555/7777，身份证号一一零一零一一九九零零三零七一二三四"
    with Session(store._engine) as session, session.begin():  # as the old release wrote them
        session.add(
            ConversationTurn(
                session_id="old",
                message=clear,
                question_key=clear,
                reply_kinds="answer",
                answered=True,
                reply_text="",
            )
        )
        session.add(
            Ticket(
                kind="cooperation",
                session_id="old",
                summary="转人工：" + clear,
                contact="联系人王先生 13900000000",
                details={"industry": clear},
                transcript=[{"who": "user", "text": clear, "time": "1796417243.5222387"}],
            )
        )
        session.add(Feedback(session_id="old", helpful=False, question=clear, citations=[]))
    store.add_turn(session_id="new", message="规划里有哪些铁路", reply_kinds=["answer"])

    assert store.remask() == 3
    assert store.remask() == 0  # idempotent: nothing left to change
    for path in tmp_path.glob("r.db*"):  # nor in the file's old pages or its log
        assert b"5555" not in path.read_bytes(), path.name
    (turn, new) = store.turns()
    (ticket,) = store.tickets()
    (item,) = store.feedback()
    for text in (
        turn.message,
        turn.question_key,
        ticket.summary,
        ticket.details["industry"],
        ticket.transcript[0]["text"],
        item.question,
    ):
        assert "5555" not in text and "一九九零零三零七" not in text, text
        assert mask_personal_numbers(text) == text
    assert ticket.contact == "13900000000"  # the contact itself, as the form keeps it
    assert ticket.transcript[0]["time"] == "1796417243.5222387"
    assert new.message == "规划里有哪些铁路"
