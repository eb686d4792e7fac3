from __future__ import annotations

import pytest

from actions.action_cooperation_answer import ActionCooperationAnswer
from actions.validate_contact_form import has_contact
from actions.validate_cooperation_form import clean_industry, need_from_text
from tests.actions.conftest import reply_of, run_action


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("我们是做生物医药的", "生物医药"),
        ("我们公司搞集成电路设计", "集成电路设计"),
        ("汽车零部件企业", "汽车零部件"),
        ("电子商务", "电子商务"),
    ],
)
def test_the_industry_is_kept_in_the_enterprises_words(text: str, industry: str) -> None:
    assert clean_industry(text) == industry


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("想进园区", "park"),
        ("生产环节放哪", "capacity"),
        ("找块地", "site"),
        ("找地方建厂", "site"),
        ("随便看看", None),
    ],
)
def test_what_the_enterprise_wants(text: str, need: str | None) -> None:
    assert need_from_text(text) == need


@pytest.mark.parametrize(
    ("text", "ok"),
    [("13900000000", True), ("010-12345678", True), ("a.b@example.com", True), ("王先生", False)],
)
def test_a_contact_needs_a_phone_or_an_email(text: str, ok: bool) -> None:
    assert has_contact(text) is ok


def test_answer_cites_the_industry_layout_and_the_parks(services) -> None:  # type: ignore[no-untyped-def]
    messages, events = run_action(ActionCooperationAnswer(), "cooperation_done")
    reply = reply_of(messages[0])
    assert reply["kind"] == "answer"
    quotes = " ".join(c["quote"] for c in reply["citations"])
    assert "成药生产环节" in quotes and "亦庄·永清园" in quotes
    assert reply["text"].startswith("关于“生物医药”，规划中的布局：")
    slots = {e["name"]: e["value"] for e in events}
    assert slots["topic"] == "cooperation" and "生物医药" in slots["last_question"]
    assert [c["n"] for c in reply["citations"]] == list(range(1, len(reply["citations"]) + 1))
    assert {b["payload"] for b in reply["buttons"]} == {"/affirm", "/deny"}


def test_an_industry_the_plan_does_not_name_is_said_plainly(services) -> None:  # type: ignore[no-untyped-def]
    services.engine.policy = type(services.engine.policy)()  # real thresholds: nothing matches
    messages, _ = run_action(ActionCooperationAnswer(), "cooperation_unknown_industry")
    replies = [reply_of(m) for m in messages]
    assert any("没有专门写到“餐饮连锁”" in r["text"] for r in replies)
    assert {b["payload"] for b in replies[0]["buttons"]} == {"/affirm", "/deny"}


def test_an_enterprises_first_question_is_answered_first_then_offered(services) -> None:  # type: ignore[no-untyped-def]
    from actions.action_cooperation_answer import OFFER

    messages, events = run_action(ActionCooperationAnswer(), "enterprise_first_question")
    reply = reply_of(messages[0])
    assert reply["kind"] == "answer" and reply["citations"]
    assert "成药生产环节" in " ".join(c["quote"] for c in reply["citations"])
    assert reply["text"].rstrip().endswith(OFFER)
    assert "想在大兴找地方" not in reply["text"]  # nothing raw is echoed
    slots = {e["name"]: e["value"] for e in events}
    # what was said is kept, so the form (on yes) never asks it again
    assert slots["industry"] == "生物医药" and slots["cooperation_need"] == "site"


def test_a_question_inside_the_form_is_answered_and_never_stored(services) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from actions.validate_cooperation_form import ValidateCooperationForm
    from tests.actions.conftest import load_tracker

    dispatcher = CollectingDispatcher()
    tracker = load_tracker("industry_side_question")
    result = asyncio.run(
        ValidateCooperationForm().validate_industry(
            "先问一下，京霸铁路会建吗？", dispatcher, tracker, {}
        )
    )
    assert result == {"industry": None}
    (reply,) = [reply_of(m) for m in dispatcher.messages]
    assert reply["kind"] == "answer" and "京霸铁路" in reply["citations"][0]["quote"]


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        (
            "我们是做新能源汽车零部件的企业，想在大兴或周边找地方建厂，规划有什么说法？",
            "新能源汽车零部件",
        ),
        ("刚才说了呀，新能源汽车零部件", "新能源汽车零部件"),
        ("我们是一家医疗器械企业，大兴有合适的园区吗", "医疗器械"),
        ("先问一下，京霸铁路会建吗？", ""),
    ],
)
def test_the_industry_is_cut_out_of_what_was_said(text: str, industry: str) -> None:
    from actions.enterprise_text import industry_answer, is_question

    assert (industry_answer(text) if not is_question(text) or industry else "") == industry


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("先问一下，京霸铁路会建吗？", True),
        ("京霸铁路建不建", True),
        ("听说要搬来，真的假的", True),
        ("做医疗器械的", False),
        ("新能源汽车零部件", False),
    ],
)
def test_questions_are_told_from_answers(text: str, question: bool) -> None:
    from actions.enterprise_text import is_question

    assert is_question(text) is question


def test_the_end_states_what_was_recorded() -> None:
    from actions.action_submit_inquiry import closing_text

    with_contact = closing_text("17", "生物医药", "park", True, "3个工作日内", "12345")
    assert "编号 17" in with_contact and "行业：生物医药" in with_contact
    assert "需求：合作共建园区" in with_contact and "联系方式：已留下" in with_contact
    assert "3个工作日内" in with_contact
    without = closing_text("18", "生物医药", "", False, "3个工作日内", "12345")
    assert "联系方式：未留下" in without and "需求：未说明" in without and "12345" in without


def test_an_unanswered_question_is_declined_before_the_parks_are_shown(services) -> None:  # type: ignore[no-untyped-def]
    from actions.action_cooperation_answer import OFFER

    services.engine.policy = type(services.engine.policy)()  # real thresholds
    messages, _ = run_action(ActionCooperationAnswer(), "enterprise_unanswered_question")
    replies = [reply_of(m) for m in messages]
    assert replies[0]["kind"] == "no_answer" and "12345" in replies[0]["text"]
    assert OFFER in replies[-1]["text"] or any(OFFER in r["text"] for r in replies[1:])
    assert all("开店有税收优惠" not in r["text"] for r in replies)  # nothing raw is echoed
