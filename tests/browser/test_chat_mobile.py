"""Phones: the sticky composer never covers the message just sent, the typing indicator or the
start of the reply, and touch screens get no keyboard hints (issue 13, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

QUESTIONS = ["京霸铁路会建吗", "永兴河谁来治理", "有哪些高速", "拆迁怎么安置"]


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box  # type: ignore[no-any-return]


def _fully_above(page: Any, locator: Any, composer_top: float) -> None:
    box = _box(locator)
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= composer_top + 0.5, (box, composer_top)


@pytest.mark.parametrize("size", [(390, 844), (320, 640)], ids=["390x844", "320x640"])
def test_the_composer_never_covers_the_last_message_or_the_indicator(  # type: ignore[no-untyped-def]
    browser, site, size: tuple[int, int]
) -> None:
    base, _ = site
    width, height = size
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    held: list[Any] = []
    try:
        page.goto(base + "/")
        # A touch screen: no "Enter 发送，Shift+Enter 换行".
        expect(page.locator(".starters .starter").first).to_be_visible()
        assert (
            page.locator("#chat-hint").count() == 0 or not page.locator("#chat-hint").is_visible()
        )
        assert "Enter" not in page.locator("#chat-form").inner_text()

        page.route("**/api/chat", lambda route: held.append(route))
        for i, question in enumerate(QUESTIONS):
            page.fill("#chat-input", question)
            page.locator("#chat-send").tap()
            indicator = page.locator("#chat-typing .typing-inner")
            expect(indicator).to_be_visible()
            page.wait_for_timeout(400)  # let the smooth scroll finish
            composer_top = _box(page.locator("#chat-form"))["y"]
            _fully_above(page, page.locator(".msg.msg-user").last, composer_top)
            _fully_above(page, indicator, composer_top)
            if i == len(QUESTIONS) - 1:
                page.screenshot(path=str(ARTIFACTS / f"mobile-{width}-typing.png"))
            while not held:
                page.wait_for_timeout(20)
            held.pop().continue_()
            expect(page.locator(".msg.msg-bot")).to_have_count(i + 1, timeout=15000)
            page.wait_for_timeout(400)
            composer_top = _box(page.locator("#chat-form"))["y"]
            reply = page.locator(".msg.msg-bot").last
            box = _box(reply)
            # The reply's start is in view above the composer; a short one is wholly above it.
            assert 0 <= box["y"] < composer_top - 40, (box, composer_top)
            if box["height"] < composer_top:
                _fully_above(page, reply.locator(".bubble"), composer_top)
        page.screenshot(path=str(ARTIFACTS / f"mobile-{width}-answer.png"))
    finally:
        context.close()
