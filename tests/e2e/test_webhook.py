"""One conversation through Rasa's REST webhook with real Rasa, real actions, the real model and
index (integration: needs `make setup`, starts both servers on free loopback ports)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planbot.launcher import RASA_MODEL, Stack, dialogue_stack
from records.reference import display
from records.store import RecordStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('records') / 'records.db'}"


@pytest.fixture(scope="module")
def stack(database: str) -> Iterator[Stack]:
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained Rasa model at {RASA_MODEL}: run `make setup`")
    with dialogue_stack(env={"PLANBOT_DATABASE_URL": database}) as running:
        yield running


def say(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        stack.webhook, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        messages: list[dict[str, Any]] = json.loads(response.read())
    # Rasa 3.6 answers [] when the action server is down: that is a fault, never a reply.
    assert messages, "empty reply from Rasa"
    return [m["custom"]["reply"] for m in messages if "custom" in m]


def test_a_conversation_with_citations_follow_ups_and_a_handoff(
    stack: Stack, database: str
) -> None:
    sender = "e2e-resident"
    (greeting,) = say(stack, sender, "你好")
    assert greeting["kind"] == "chitchat" and "自动" in greeting["text"]

    (rail,) = say(stack, sender, "规划里有哪些铁路要修")
    assert rail["kind"] == "answer"
    quotes = " ".join(c["quote"] for c in rail["citations"])
    assert "京霸铁路" in quotes
    assert all(c["url"].startswith("/sources/plan-chapter-4#p-") for c in rail["citations"])

    (roads,) = say(stack, sender, "那高速公路呢？")
    assert roads["kind"] == "answer"
    assert any("京台高速" in c["quote"] for c in roads["citations"])

    replies = say(stack, sender, "拆迁补偿一平米给多少钱")
    assert replies[0]["kind"] == "no_answer" and "12345" in replies[0]["text"]
    assert replies[-1]["kind"] == "handoff" and "规划不针对个人作出承诺" in replies[-1]["text"]

    handoff, ask_contact = say(stack, sender, "我要转人工")
    assert handoff["kind"] == "handoff" and "12345" in handoff["text"]
    tickets = RecordStore(database).tickets()
    assert [t.kind for t in tickets] == ["handoff"]
    assert any("铁路" in turn["text"] for turn in tickets[0].transcript)
    code = tickets[0].code
    assert code and f"查询码 {code[:4]}-{code[4:]}" in handoff["text"]
    # The contact question follows, optional: a phone number given by consent joins the ticket.
    assert ask_contact["kind"] == "form" and ask_contact["buttons"][0]["payload"] == "/deny"
    (done,) = say(stack, sender, "我的电话13912345678，麻烦回电")
    assert done["kind"] == "handoff" and "139****5678" in done["text"]
    assert RecordStore(database).tickets()[0].contact == "13912345678"


def test_a_handoff_without_a_contact(stack: Stack, database: str) -> None:
    sender = "e2e-no-contact"
    handoff, _ = say(stack, sender, "转人工")
    assert handoff["kind"] == "handoff"
    (done,) = say(stack, sender, "/deny")
    assert done["text"].startswith("好的，不留联系方式。")
    # The conversation goes on as usual afterwards.
    (rail,) = say(stack, sender, "规划里有哪些铁路要修")
    assert rail["kind"] == "answer"
    (ticket,) = [t for t in RecordStore(database).tickets() if t.session_id == sender]
    assert ticket.contact is None and ticket.status == "open"


def test_an_enterprise_is_answered_first_and_its_inquiry_ends_in_a_ticket(
    stack: Stack, database: str
) -> None:
    sender = "e2e-enterprise"
    answer, *_ = say(stack, sender, "我们是做生物医药的企业，生产环节想放在哪里，规划怎么说？")
    # the first reply answers, cited; then one offer
    assert answer["kind"] == "answer"
    assert any("沧州" in c["quote"] for c in answer["citations"])
    assert answer["text"].rstrip().endswith("需要把您的需求转给招商服务人员吗？")
    assert {b["payload"] for b in answer["buttons"]} == {"/affirm", "/deny"}
    # on yes the form has nothing left to ask (industry and need were said): the contact
    (ask_contact,) = say(stack, sender, "/affirm")
    assert ask_contact["kind"] == "form" and "联系" in ask_contact["text"]
    (done,) = say(stack, sender, "联系人王先生 13900000000")
    assert done["kind"] == "handoff"
    assert "行业：生物医药" in done["text"] and "联系方式：已留下" in done["text"]
    ticket = RecordStore(database).tickets()[-1]
    # Only the contact itself is kept (the name stays in the transcript): issue 14, H2b.
    assert ticket.kind == "cooperation" and ticket.contact == "13900000000"
    assert ticket.details["industry"] == "生物医药"
    # The closing names the ticket's reference code (records/reference.py), not its row id.
    assert ticket.code and f"编号 {display(ticket.code)}" in done["text"]


def test_a_question_inside_the_form_is_answered_and_the_form_goes_on(stack: Stack) -> None:
    sender = "e2e-side-question"
    say(stack, sender, "企业合作咨询")
    (ask_industry,) = say(stack, sender, "/affirm")
    assert ask_industry["kind"] == "form" and "行业" in ask_industry["text"]
    answer, again = say(stack, sender, "先问一下，京霸铁路会建吗？")
    assert answer["kind"] == "answer" and "京霸铁路" in answer["text"]
    assert again["kind"] == "form" and "行业" in again["text"]
    (ask_need,) = say(stack, sender, "刚才说了呀，新能源汽车零部件")
    assert ask_need["kind"] == "form" and ask_need["buttons"]
    # a need button of this (still open) step acts; after the form it no longer does
    say(stack, sender, '/inform_need{"cooperation_need": "site"}')
    say(stack, sender, "算了")
    (stale,) = say(stack, sender, '/inform_need{"cooperation_need": "park"}')
    assert "按钮不再起作用" in stale["text"]


def test_logs_are_kept_for_the_servers(stack: Stack) -> None:
    assert Path(stack.rasa.log).exists() and Path(stack.actions.log).exists()
