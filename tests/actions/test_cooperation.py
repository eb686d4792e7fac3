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
    [("想进园区", "park"), ("生产环节放哪", "capacity"), ("找块地", "site"), ("随便看看", None)],
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
