"""Follow-up suggestions, feedback bound to its reply, and typed text that stays text, in
Chromium (issue 13, items 4-6)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def _ask(page: Any, question: str) -> Any:
    before = page.locator(".msg.msg-bot").count()
    page.fill("#chat-input", question)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.msg-bot")).to_have_count(before + 1, timeout=15000)
    return page.locator(".msg.msg-bot").nth(before)  # fixed: .last would follow new replies


def test_clicking_a_suggestion_asks_it_and_it_is_answered(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    page.goto(base + "/")
    answer = _ask(page, "京霸铁路会建吗")
    assert answer.get_attribute("data-kind") == "answer"
    suggestions = answer.locator(".suggestions .suggestion")
    assert 1 <= suggestions.count() <= 3
    question = suggestions.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-suggestions.png"), full_page=True)

    suggestions.first.click()
    expect(page.locator(".msg.msg-bot")).to_have_count(2, timeout=15000)
    assert rasa.sent[-1] == question
    assert page.locator(".msg.msg-user").last.inner_text().endswith(question)
    followed = page.locator(".msg.msg-bot").last
    assert followed.get_attribute("data-kind") == "answer"
    assert followed.locator(".cite-marker").count() >= 1
    assert not page.errors


def test_the_welcome_offers_checked_starters(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    page.goto(base + "/")
    starters = page.locator(".starters .starter:not(.starter-action)")
    expect(starters.first).to_be_visible()
    texts = starters.all_inner_texts()
    assert all(rasa.engine.answer(t).kind == "answer" for t in texts)
    starters.first.click()
    expect(page.locator(".msg.msg-bot[data-kind='answer']")).to_have_count(1, timeout=15000)
    assert rasa.sent[-1] == texts[0]


def test_feedback_under_an_earlier_answer_is_recorded_for_that_answer(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    records = rasa.app.state.runtime.records
    before = {f.id for f in records.feedback()}
    page.goto(base + "/")
    first = _ask(page, "京霸铁路会建吗")
    _ask(page, "永兴河谁来治理")
    first.locator(".feedback-no").click()
    missing = first.locator(".feedback-missing textarea")
    expect(missing).to_be_visible()
    missing.fill("想知道什么时候通车，我的电话13912345678")
    first.locator(".feedback-missing-send").click()
    expect(first.locator(".feedback-status")).to_contain_text("已收到")
    page.screenshot(path=str(ARTIFACTS / "chat-feedback-missing.png"), full_page=True)

    (item,) = [f for f in records.feedback() if f.id not in before]
    assert item.helpful is False
    assert item.question == "京霸铁路会建吗"
    assert any("京霸铁路" in c["quote"] for c in item.citations)
    assert "通车" in item.missing and "13912345678" not in item.missing
    assert not page.errors


def test_typed_slash_commands_are_answered_as_text(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    page.goto(base + "/")
    reply = _ask(page, "/restart")
    assert reply.get_attribute("data-kind") != "error"
    assert rasa.sent[-1] == "\uff0frestart"
    assert page.locator(".msg.msg-user").last.inner_text().endswith("/restart")


def test_a_reply_button_sends_its_server_issued_id(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    page.goto(base + "/")
    declined = _ask(page, "明天天气怎么样")
    button = declined.locator(".reply-button").first
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".msg.msg-bot")).to_have_count(2, timeout=15000)
    assert rasa.sent[-1] == "/human_handoff"  # the payload offered, mapped back by the server
