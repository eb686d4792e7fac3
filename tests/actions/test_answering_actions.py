from __future__ import annotations

from actions.action_answer import ActionAnswer
from actions.action_answer_relocation import ActionAnswerRelocation
from actions.action_answer_transport import ActionAnswerTransport
from tests.actions.conftest import reply_of, run_action

# What every answering action returns last outside a form: the bot's turn ends there.
ENDS_TURN = {"event": "followup", "timestamp": None, "name": "action_listen"}


def _slots(events) -> dict:  # type: ignore[no-untyped-def]
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_transport_question_is_answered_with_citations(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionAnswerTransport(), "transport_question")
    assert len(messages) == 1
    reply = reply_of(messages[0])
    assert reply["kind"] == "answer"
    assert "京霸铁路" in reply["citations"][0]["quote"]
    slots = _slots(events)
    assert slots["topic"] == "transport"
    assert slots["last_question"] == "京霸铁路会建吗"
    assert slots["last_citations"][0]["quote"] == reply["citations"][0]["quote"]


def test_an_answer_ends_the_turn_outside_a_form_only(services) -> None:  # type: ignore[no-untyped-def]
    """Outside a form the answer is the bot's last word (Rasa need not predict action_listen);
    inside one Rasa goes on predicting, so the form asks its question again."""
    _, events = run_action(ActionAnswerTransport(), "transport_question")
    assert events[-1] == ENDS_TURN and events.count(ENDS_TURN) == 1
    _, events = run_action(ActionAnswer(), "industry_side_question")
    assert ENDS_TURN not in events and _slots(events)


def test_follow_up_is_answered_in_context_and_keeps_the_standalone_question(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionAnswerTransport(), "transport_follow_up")
    reply = reply_of(messages[0])
    assert reply["kind"] == "answer"
    assert "高速" in reply["citations"][0]["quote"]
    # the combined standalone question is the context of the next turn
    assert _slots(events)["last_question"] == "有哪些高速"


def test_relocation_answer_routes_to_the_official_channel(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionAnswerRelocation(), "relocation_question")
    answer, guidance = (reply_of(m) for m in messages)
    assert answer["kind"] == "answer"
    assert "人员安置" in answer["citations"][0]["quote"]
    assert "承诺" not in answer["text"]  # the answer is quotes only
    assert guidance["kind"] == "handoff"
    assert "规划不针对个人作出承诺" in guidance["text"] and "12345" in guidance["text"]
    assert _slots(events)["topic"] == "relocation"


def test_a_button_payload_is_not_taken_for_a_question(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionAnswer(), "button_payload")
    assert "按钮不再起作用" in reply_of(messages[0])["text"]
    assert events == [ENDS_TURN]


def test_a_finished_steps_button_is_answered_gracefully(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionAnswer(), "stale_need_button")
    (reply,) = [reply_of(m) for m in messages]
    assert reply["kind"] == "chitchat" and "按钮不再起作用" in reply["text"]
    assert "inform_need" not in reply["text"] and events == [ENDS_TURN]


def test_an_unavailable_index_gives_a_reply_not_silence(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("index missing")

    monkeypatch.setattr(services.engine, "decide_and_reply", broken)
    messages, events = run_action(ActionAnswer(), "transport_question")
    reply = reply_of(messages[0])
    assert reply["kind"] == "error" and "12345" in reply["text"]
    assert events == [ENDS_TURN]


def test_the_configured_hotline_is_named_not_12345(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from actions import wiring

    wiring.configure(replace(services, hotline="96156"))
    messages, _ = run_action(ActionAnswerRelocation(), "relocation_question")
    guidance = reply_of(messages[-1])
    assert "96156市民服务热线" in guidance["text"] and "12345" not in guidance["text"]

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("index missing")

    monkeypatch.setattr(services.engine, "decide_and_reply", broken)
    messages, _ = run_action(ActionAnswer(), "transport_question")
    reply = reply_of(messages[0])
    assert reply["kind"] == "error"
    assert "96156市民服务热线" in reply["text"] and "12345" not in reply["text"]


def test_without_a_hotline_given_the_settings_one_is_used(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from actions import wiring

    monkeypatch.setenv("PLANBOT_HOTLINE", "96157")
    wiring.configure(replace(services, hotline=None))
    messages, _ = run_action(ActionAnswerRelocation(), "relocation_question")
    assert "96157市民服务热线" in reply_of(messages[-1])["text"]
