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
