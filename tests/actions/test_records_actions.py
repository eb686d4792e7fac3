from __future__ import annotations

from actions.action_answer import ActionAnswer
from actions.action_feedback import ActionFeedback
from actions.action_handoff import ActionHandoff
from actions.action_submit_inquiry import ActionSubmitInquiry
from tests.actions.conftest import reply_of, run_action


def test_handoff_records_a_ticket_with_the_masked_transcript(services) -> None:  # type: ignore[no-untyped-def]
    messages, _ = run_action(ActionHandoff(), "handoff")
    reply = reply_of(messages[0])
    assert reply["kind"] == "handoff" and "12345" in reply["text"]
    (ticket,) = services.records.tickets()
    assert ticket.kind == "handoff" and ticket.status == "open"
    assert ticket.code and f"查询码 {ticket.code[:4]}-{ticket.code[4:]}" in reply["text"]
    assert [t["who"] for t in ticket.transcript] == ["user", "bot", "user"]
    assert "138****5678" in ticket.transcript[-1]["text"]
    assert "13812345678" not in str(ticket.transcript)


def test_unhelpful_feedback_is_recorded_with_question_and_passages(services) -> None:  # type: ignore[no-untyped-def]
    messages, _ = run_action(ActionFeedback(), "feedback_unhelpful")
    assert any(b["payload"] == "/human_handoff" for b in reply_of(messages[0])["buttons"])
    (item,) = services.records.feedback()
    assert item.helpful is False
    assert item.question == "京霸铁路会建吗"
    assert item.citations[0]["url"] == "/sources/transport#p-x"


def test_inquiry_is_recorded_with_the_consented_contact(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionSubmitInquiry(), "inquiry_contact")
    assert reply_of(messages[0])["kind"] == "handoff"
    (ticket,) = services.records.tickets()
    assert ticket.kind == "cooperation"
    assert ticket.contact == "13900000000"  # the number only; the name is in the transcript
    assert ticket.details == {"industry": "生物医药", "need": "park"}
    assert {"event": "slot", "name": "contact", "value": None} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_failing_store_gives_the_hotline_not_silence(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise OSError("database is down")

    monkeypatch.setattr(services.records, "add_ticket", broken)
    messages, _ = run_action(ActionHandoff(), "handoff")
    reply = reply_of(messages[0])
    assert reply["kind"] == "error" and "12345" in reply["text"]


def test_a_handoff_is_recorded_even_when_the_index_is_unavailable(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from actions import wiring

    # The separate action server's own runtime (nothing configured), over an index that
    # does not exist: its engine never loads, the handoff is recorded all the same.
    wiring.configure(None)
    monkeypatch.setenv("PLANBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("PLANBOT_INDEX_DIR", str(tmp_path / "no-index"))
    monkeypatch.setenv("PLANBOT_EMBEDDING_MODEL", str(tmp_path / "no-model"))
    try:
        messages, _ = run_action(ActionHandoff(), "handoff")
        assert reply_of(messages[0])["kind"] == "handoff"
        assert [t.kind for t in wiring.records().tickets()] == ["handoff"]
        messages, _ = run_action(ActionAnswer(), "transport_question")
        assert reply_of(messages[0])["kind"] == "error"  # the engine is not there: said so
    finally:
        wiring.configure(None)
