"""A handoff that returns, in Chromium: a resident asks for a person and leaves a phone number,
staff answer from the ticket in the workspace, and the answer appears in the resident's chat
(while the page is open, and again after a reload); the reference code opens it from another
browser.

The app runs with a real database and the real handoff actions: a scripted Rasa runs
``action_handoff``, the contact question, its validation and ``action_handoff_contact`` on a
tracker it keeps per conversation, as the rules in bot/data/rules/handoff.yml do. Rasa's NLU
and policies have their own conversation tests (tests/rasa/test_handoff.yml).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import expect
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.action_ask_handoff_contact import ActionAskHandoffContact
from actions.action_handoff import ActionHandoff
from actions.action_handoff_contact import ActionHandoffContact
from actions.validate_handoff_contact_form import ValidateHandoffContactForm
from api.main import create_app
from api.settings import Settings
from knowledge.service import create_engine
from knowledge.settings import KnowledgeSettings
from planbot.launcher import free_port
from planbot.settings import load_settings
from records.store import RecordStore
from storage.database import DatabaseSettings, create_database_engine
from tests.browser.conftest import ARTIFACTS
from tests.browser.staff_conftest_helpers import ADMIN, _seed
from tests.conftest import FakeEmbedder

pytestmark = pytest.mark.browser

REPLY_TEXT = "您好，拆迁安置房的选房时间会在街道公告栏公布，也可以拨打街道电话咨询。"


class HandoffRasa:
    """Rasa as the handoff rules drive it: 转人工 → action_handoff → the contact question →
    validation → action_handoff_contact. Everything else gets a short chit-chat reply."""

    def __init__(self) -> None:
        self.conversations: dict[str, dict[str, Any]] = {}
        self.received: list[str] = []

    def _state(self, sender: str) -> dict[str, Any]:
        return self.conversations.setdefault(sender, {"events": [], "slots": {}, "asking": False})

    def _tracker(self, sender: str, text: str) -> Tracker:
        state = self._state(sender)
        return Tracker.from_dict(
            {
                "sender_id": sender,
                "slots": dict(state["slots"]),
                "latest_message": {"text": text, "intent": {"name": "x"}, "entities": []},
                "events": list(state["events"]),
                "paused": False,
                "followup_action": None,
                "active_loop": {"name": "handoff_contact_form"} if state["asking"] else {},
                "latest_action_name": "action_listen",
            }
        )

    async def _run(self, action: Action, sender: str, text: str) -> list[dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self._tracker(sender, text), {})
        state = self._state(sender)
        for event in events:
            if event.get("event") == "slot":
                state["slots"][event["name"]] = event["value"]
        for message in dispatcher.messages:
            state["events"].append({"event": "bot", "text": message["text"], "timestamp": 0})
        return list(dispatcher.messages)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/status", "/health"):
            return httpx.Response(200, json={"model_id": "scripted"})
        if request.url.path.endswith("/tracker"):  # the app asks whether a contact is asked
            sender = request.url.path.split("/")[2]
            asking = self._state(sender)["asking"]
            return httpx.Response(
                200,
                json={
                    "active_loop": {"name": "handoff_contact_form"} if asking else {},
                    "slots": {"requested_slot": "handoff_contact" if asking else None},
                },
            )
        body = json.loads(request.content)
        sender, text = body["sender"], body["message"]
        self.received.append(text)
        state = self._state(sender)
        state["events"].append({"event": "user", "text": text, "timestamp": 0})
        if state["asking"]:
            state["asking"] = False
            if text.strip() not in ("/deny", "不留联系方式"):
                found = ValidateHandoffContactForm().validate_handoff_contact(
                    text, CollectingDispatcher(), self._tracker(sender, text), {}
                )
                state["slots"].update(found)
            messages = await self._run(ActionHandoffContact(), sender, text)
        elif "转人工" in text or text == "/human_handoff":
            messages = await self._run(ActionHandoff(), sender, text)
            messages += await self._run(ActionAskHandoffContact(), sender, text)
            state["asking"] = bool(state["slots"].get("handoff_ticket"))
        else:
            reply = {"kind": "chitchat", "text": "好的。", "citations": [], "related": []}
            messages = [{"text": "好的。", "custom": {"reply": {**reply, "buttons": []}}}]
        out = []
        for m in messages:
            out.append({"recipient_id": sender, "text": m["text"]})
            out.append({"recipient_id": sender, "custom": m["custom"]})
        return httpx.Response(200, json=out)


@pytest.fixture(scope="module")
def handoff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RecordStore]]:
    root: Path = tmp_path_factory.mktemp("handoff")
    database_url = f"sqlite:///{root / 'planbot.db'}"
    knowledge = KnowledgeSettings(index_dir=root / "index", index_check_seconds=0.2)
    embedder = FakeEmbedder()
    _seed(database_url, knowledge, embedder)
    database = create_database_engine(database_url)
    records = RecordStore(database)
    engine = create_engine(knowledge, embedder)
    wiring.configure(wiring.Services(engine, records, response_time="1个工作日内"))
    rasa = HandoffRasa()
    app = create_app(
        load_settings(
            web=Settings(
                rate_limit_per_minute=1000,
                login_attempts_per_minute=100,
                actions_in_app=False,  # the actions run on the services configured above
            ),
            knowledge=knowledge,
            database=DatabaseSettings(database_url=database_url),
        ),
        embedder=embedder,
        engine_factory=lambda: engine,
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(rasa.handle),
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", records
    finally:
        server.should_exit = True
        thread.join(10)
        wiring.configure(None)
        database.dispose()


def _page(browser: Any, width: int = 390, height: int = 844) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


def _say(page: Any, text: str, *, replies: int) -> None:
    before = page.locator(".msg.msg-bot").count()
    page.fill("#chat-input", text)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.msg-bot")).to_have_count(before + replies, timeout=15000)


def _unexpected(errors: list[str]) -> list[str]:
    """The browser logs every 4xx fetch (a wrong code on purpose); anything else counts."""
    return [e for e in errors if "Failed to load resource" not in e]


def test_a_staff_reply_reaches_the_residents_chat_and_the_code_opens_it(
    browser: Any, handoff_site: tuple[str, RecordStore]
) -> None:
    base, records = handoff_site
    resident = _page(browser)
    resident.goto(base + "/")
    _say(resident, "转人工", replies=2)
    opened = resident.locator('.msg-bot[data-kind="handoff"]').last.inner_text()
    match = re.search(r"查询码 ([0-9A-Z]{4}-[0-9A-Z]{4})", opened)
    assert match, opened
    code = match.group(1)
    assert "1个工作日内" in opened and "本对话中答复" in opened
    # The contact is optional and skippable; here it is given, by consent.
    expect(resident.locator(".reply-button", has_text="不留联系方式")).to_be_visible()
    _say(resident, "电话 139-1234-5678，下午都方便", replies=1)
    expect(resident.locator(".msg-bot").last).to_contain_text("139-****-5678")

    session_id = resident.evaluate("() => localStorage.getItem('dxpa-session-id')")
    (ticket,) = [t for t in records.tickets() if t.session_id == session_id]
    assert ticket.contact == "139-1234-5678" and ticket.code == code.replace("-", "")
    assert [t["text"] for t in ticket.transcript if t["who"] == "user"] == ["转人工"]

    # Staff answer it from the ticket in the workspace.
    staff = _page(browser, 1280, 900)
    staff.goto(base + "/staff")
    staff.fill("#login-username", ADMIN[0])
    staff.fill("#login-password", ADMIN[1])
    staff.click("#login-submit")
    expect(staff.locator("#whoami-name")).to_have_text(ADMIN[0])
    staff.goto(base + "/staff#/insights")
    item = staff.locator("#tickets-list details.ticket", has_text=code)
    item.locator("summary").click()
    expect(item).to_contain_text("139-1234-5678")  # the consented contact, for staff only
    item.locator("textarea").fill(REPLY_TEXT)
    item.get_by_role("button", name="发送答复").click()
    staff.select_option("#tickets-status", "answered")
    answered = staff.locator("#tickets-list details.ticket", has_text=code)
    expect(answered.locator(".badge")).to_have_text("已答复")
    answered.locator("summary").click()
    expect(answered).to_contain_text(REPLY_TEXT)
    staff.screenshot(path=str(ARTIFACTS / "staff-ticket-answered.png"), full_page=True)

    # The open chat asks for it (5 s after the handoff, then backing off) and shows it.
    staff_reply = resident.locator(".msg-staff")
    expect(staff_reply).to_have_count(1, timeout=20000)
    expect(staff_reply).to_contain_text(REPLY_TEXT)
    expect(staff_reply).to_contain_text(code)

    # Coming back later: the same chat, the answer is there.
    resident.reload()
    expect(resident.locator(".msg-staff")).to_have_count(1, timeout=10000)
    expect(resident.locator(".msg-staff")).to_contain_text(REPLY_TEXT)
    assert resident.evaluate("() => localStorage.getItem('dxpa-session-id')") == session_id
    resident.screenshot(path=str(ARTIFACTS / "chat-staff-reply.png"), full_page=True)

    # Another browser, without the conversation: the code opens the answer and nothing else.
    other = _page(browser)
    other.goto(base + "/")
    expect(other.locator(".msg-staff")).to_have_count(0)
    other.locator("#ticket-lookup summary").click()
    other.fill("#ticket-code", "abcd efgh")
    other.locator("#ticket-lookup-form button").click()
    expect(other.locator("#ticket-lookup-status")).to_contain_text("没有找到")
    other.fill("#ticket-code", code.lower().replace("-", " "))
    other.locator("#ticket-lookup-form button").click()
    expect(other.locator(".msg-staff")).to_have_count(2)
    expect(other.locator(".msg-staff").first).to_contain_text("已答复")
    expect(other.locator(".msg-staff").last).to_contain_text(REPLY_TEXT)
    assert "139-1234-5678" not in other.content()
    other.screenshot(path=str(ARTIFACTS / "chat-ticket-lookup.png"), full_page=True)

    # The lookup by link (/?code=…), e.g. from a notice staff send.
    linked = _page(browser)
    linked.goto(base + "/?code=" + code)
    expect(linked.locator(".msg-staff").last).to_contain_text(REPLY_TEXT)

    for page in (resident, staff, other, linked):
        assert not _unexpected(page.errors), page.errors
        page.context.close()
