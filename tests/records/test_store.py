from __future__ import annotations

from pathlib import Path

import pytest

from records.privacy import mask_personal_numbers
from records.store import RecordStore


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
