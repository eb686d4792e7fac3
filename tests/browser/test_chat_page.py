from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from knowledge.answering.reply import Reply
from tests.browser.conftest import ARTIFACTS, open_widget

pytestmark = pytest.mark.browser


# Waits use locators, not wait_for_function: the page's CSP (no eval) blocks the latter.


def _ask(page: Any, question: str) -> Any:
    before = page.locator(".msg.msg-bot").count()
    page.fill("#chat-input", question)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.msg-bot")).to_have_count(before + 1, timeout=15000)
    return page.locator(".msg.msg-bot").last


def test_a_question_gets_a_cited_answer_that_opens_the_source(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    page.goto(base + "/")
    expect(page.locator("#kb-date")).not_to_have_text("—")
    assert "自动问答助手" in page.content()
    answer = _ask(page, "京霸铁路会建吗")
    assert answer.get_attribute("data-kind") == "answer"
    assert answer.locator(".cite-marker").count() >= 1
    card = answer.locator("details.citation").first
    card.locator("summary").click()
    assert "京霸铁路" in card.inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

    href = card.locator("a").first.get_attribute("href")
    assert href and "/sources/transport#p-" in href
    source = page.context.new_page()
    source.goto(href if href.startswith("http") else base + href)
    target = source.locator(":target")
    assert "京霸铁路" in target.inner_text()
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    source.screenshot(path=str(ARTIFACTS / "source-highlighted.png"))

    sent = len(rasa.sent)
    answer.locator(".feedback-yes").click()
    expect(answer.locator(".feedback-status")).to_have_text("感谢您的反馈！")
    assert len(rasa.sent) == sent  # feedback is recorded by the service, not a dialogue turn
    assert not page.errors


def test_bot_text_is_rendered_as_text_not_html(page, site) -> None:  # type: ignore[no-untyped-def]
    base, rasa = site
    rasa.override = Reply(kind="chitchat", text='<img src=x onerror="window.pwned=1"><b>粗</b>')
    try:
        page.goto(base + "/")
        reply = _ask(page, "你好")
    finally:
        rasa.override = None
    assert "<img src=x" in reply.inner_text()
    assert page.locator("#chat-log img").count() == 0
    assert page.locator("#chat-log b").count() == 0
    assert page.evaluate("window.pwned === undefined")


def test_the_page_works_by_keyboard_alone(page, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page.goto(base + "/")
    for _ in range(30):  # the skip link and the composer are reachable with Tab
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "chat-input":
            break
    assert page.evaluate("document.activeElement.id") == "chat-input"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("永兴河谁来治理")
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.msg-bot[data-kind='answer']", timeout=15000)
    in_citation = "() => !!document.activeElement.closest('details.citation')"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(in_citation):
            break
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate(in_citation)
    page.keyboard.press("Enter")
    assert page.locator("details.citation[open]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "keyboard.png"), full_page=True)


def test_the_widget_embeds_the_assistant_in_any_page(page, site, host_page) -> None:  # type: ignore[no-untyped-def]
    page.goto(host_page)
    launcher = page.locator("#dxpa-launcher")
    launcher.wait_for()
    frame = open_widget(page)
    frame.locator("#chat-input").fill("京霸铁路会建吗")
    frame.locator("#chat-input").press("Enter")
    frame.locator(".msg.msg-bot[data-kind='answer']").wait_for(timeout=15000)
    page.screenshot(path=str(ARTIFACTS / "widget-open.png"))
    page.locator("#dxpa-close").click()
    assert not page.locator("#dxpa-panel").is_visible()
    assert page.evaluate("document.activeElement.id") == "dxpa-launcher"


@pytest.mark.parametrize("width", [320, 640])  # a phone; a 1280 px window at 200 % zoom
def test_no_horizontal_scrolling_on_narrow_screens(browser, site, width: int) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 700})
    page = context.new_page()
    try:
        page.goto(base + "/")
        _ask(page, "有哪些高速")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        page.screenshot(path=str(ARTIFACTS / f"narrow-{width}.png"), full_page=True)
    finally:
        context.close()
