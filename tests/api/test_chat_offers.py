"""Typed text stays text, buttons carry server-issued ids, every reply has an id that feedback
names, and answers carry follow-up questions the engine answers (issue 13, items 4-6)."""

from __future__ import annotations

from typing import Any

from knowledge.answering.engine import AnswerEngine
from knowledge.answering.reply import Button, Reply


def _say(fake_rasa: Any, *replies: Reply) -> None:
    fake_rasa.reply = [{"recipient_id": "s", "custom": {"reply": r.model_dump()}} for r in replies]


def test_a_typed_slash_never_reaches_rasa_as_a_command(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    _say(fake_rasa, Reply(kind="no_answer", text="没有找到。"))
    for typed in ("/restart", '/inform_need{"cooperation_need":"park"}', "/human_handoff"):
        r = client.post("/api/chat", json={"session_id": "s1", "message": typed})
        assert r.status_code == 200
        sent = fake_rasa.sent[-1]["message"]
        assert not sent.startswith("/") and sent[1:] == typed[1:]
        assert r.json()["replies"][0]["kind"] != "error"


def test_buttons_carry_ids_that_map_back_to_their_payloads(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    _say(
        fake_rasa,
        Reply(
            kind="no_answer",
            text="没有找到。",
            buttons=[Button(title="转人工服务", payload="/human_handoff")],
        ),
    )
    body = client.post("/api/chat", json={"session_id": "s1", "message": "问题"}).json()
    (button,) = body["replies"][0]["buttons"]
    assert button["title"] == "转人工服务" and "/" not in button["payload"]

    click = {"session_id": "s1", "message": "转人工服务", "button": button["payload"]}
    assert client.post("/api/chat", json=click).status_code == 200
    assert fake_rasa.sent[-1]["message"] == "/human_handoff"

    # Another conversation, or an id never offered, is refused in Chinese.
    for session, bid in (("s2", button["payload"]), ("s1", "A" * 16)):
        sent = len(fake_rasa.sent)
        r = client.post("/api/chat", json={**click, "session_id": session, "button": bid})
        assert r.status_code == 409 and "按钮已失效" in r.json()["detail"]
        assert len(fake_rasa.sent) == sent


def test_feedback_under_an_earlier_answer_is_recorded_for_that_answer(  # type: ignore[no-untyped-def]
    make_client, fake_rasa, engine: AnswerEngine
) -> None:
    client = make_client()
    ids = {}
    for question in ("京霸铁路会建吗", "永兴河由谁来治理"):
        _say(fake_rasa, engine.answer(question))
        (reply,) = client.post("/api/chat", json={"session_id": "s1", "message": question}).json()[
            "replies"
        ]
        assert reply["kind"] == "answer" and reply["id"]
        ids[question] = reply["id"]

    rate = {"session_id": "s1", "reply_id": ids["京霸铁路会建吗"], "helpful": False}
    r = client.post("/api/feedback", json=rate)
    assert r.status_code == 201 and r.json()["ask_missing"] is True
    feedback_id = r.json()["feedback_id"]
    assert client.post("/api/feedback", json=rate).status_code == 409
    assert client.post("/api/feedback", json={**rate, "session_id": "s2"}).status_code == 404

    said = {
        "session_id": "s1",
        "feedback_id": feedback_id,
        "text": "想知道通车时间，电话13912345678",
    }
    assert client.post("/api/feedback/missing", json=said).status_code == 200
    assert client.post("/api/feedback/missing", json=said).status_code == 404

    records = client.app.state.runtime.records  # type: ignore[attr-defined]
    (item,) = records.feedback(helpful=False)
    assert item.question == "京霸铁路会建吗" and item.reply_id == ids["京霸铁路会建吗"]
    assert any("京霸铁路" in c["quote"] for c in item.citations)
    assert "13912345678" not in item.missing and "通车时间" in item.missing

    staff = client.app.state.runtime.records.feedback()  # type: ignore[attr-defined]
    assert len(staff) == 1


def test_answers_carry_suggestions_the_engine_answers(client, fake_rasa, engine) -> None:  # type: ignore[no-untyped-def]
    _say(fake_rasa, engine.answer("京霸铁路会建吗"))
    (reply,) = client.post(
        "/api/chat", json={"session_id": "s1", "message": "京霸铁路会建吗"}
    ).json()["replies"]
    assert 1 <= len(reply["suggestions"]) <= 3
    cited = {c["quote"] for c in reply["citations"]}
    for question in reply["suggestions"]:
        answer = engine.answer(question)
        assert answer.kind == "answer", question
        assert {c.quote for c in answer.citations} != cited


def test_the_welcome_offers_checked_starters_and_standing_buttons(
    client, fake_rasa, engine
) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/welcome", params={"session_id": "s1"}).json()
    assert body["starters"]
    assert all(engine.answer(q).kind == "answer" for q in body["starters"])
    handoff = body["actions"]["handoff"]
    _say(fake_rasa, Reply(kind="handoff", text="已转人工。"))
    click = {"session_id": "s1", "message": handoff["title"], "button": handoff["button"]}
    assert client.post("/api/chat", json=click).status_code == 200
    assert fake_rasa.sent[-1]["message"] == "/human_handoff"
    assert client.get("/api/welcome", params={"session_id": "bad id!"}).status_code == 422


def test_the_embed_check_follows_the_one_origin_setting(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(cors_origins=["https://district.example"])
    allowed = client.get("/api/embed", headers={"Origin": "https://district.example"})
    assert allowed.json() == {"allowed": True}
    assert allowed.headers["access-control-allow-origin"] == "https://district.example"
    other = client.get("/api/embed", headers={"Origin": "https://other.example"})
    assert other.json() == {"allowed": False}
    assert other.headers["access-control-allow-origin"] == "*"  # it may read the answer
    page = client.get("/")
    assert (
        "frame-ancestors 'self' https://district.example" in page.headers["content-security-policy"]
    )
