"""widget.js on other sites: on an allowed origin the panel answers; on one not on the list
(PLANBOT_CORS_ORIGINS) it shows a Chinese notice with 在新窗口打开, never a blank frame
(issue 13, item 8). Each site is a page served from its own local port."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from planbot.launcher import free_port
from tests.browser.conftest import ARTIFACTS, open_widget

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def foreign_page(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A site that is not on the allowlist, embedding the widget as the README says."""
    base, _ = site
    root = tmp_path_factory.mktemp("foreign")
    (root / "index.html").write_text(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>别的网站</title>"
        f"</head><body><h1>别的网站</h1><script src='{base}/widget.js' "
        f"data-api-base='{base}' defer></script></body></html>",
        encoding="utf-8",
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_on_an_allowed_site_the_widget_answers(page, site, host_page) -> None:  # type: ignore[no-untyped-def]
    page.goto(host_page)
    frame = open_widget(page)
    frame.locator("#chat-input").fill("京霸铁路会建吗")
    frame.locator("#chat-input").press("Enter")
    answer = frame.locator(".msg.msg-bot[data-kind='answer']")
    answer.wait_for(timeout=15000)
    assert "京霸铁路" in answer.inner_text()
    assert page.locator("#dxpa-notice").count() == 0


def test_on_a_site_not_on_the_list_the_panel_explains_and_links_out(
    page, site, foreign_page
) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page.goto(foreign_page)
    page.locator("#dxpa-launcher").click()
    notice = page.locator("#dxpa-notice")
    expect(notice).to_be_visible(timeout=10000)
    assert "尚未获准" in notice.inner_text()
    link = notice.get_by_role("link", name="在新窗口打开")
    assert link.get_attribute("href") == base + "/"
    assert link.get_attribute("target") == "_blank"
    assert page.locator("#dxpa-frame").count() == 0  # never the browser's refused frame
    page.screenshot(path=str(ARTIFACTS / "widget-not-allowed.png"))

    with page.context.expect_page() as opened:
        link.click()
    chat = opened.value
    chat.wait_for_load_state()
    expect(chat.locator("#chat-input")).to_be_visible()
