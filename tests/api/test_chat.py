from __future__ import annotations

import pytest

ANSWER = {
    "kind": "answer",
    "text": "根据《交通规划》：\n建设京霸铁路。[1]",
    "citations": [
        {
            "n": 1,
            "doc_id": "transport",
            "doc_title": "交通规划",
            "section": "第一章 交通 > 一、铁路",
            "quote": "建设京霸铁路。",
            "url": "/sources/transport#p-1",
        }
    ],
    "related": [],
    "buttons": [],
}


def test_rasa_messages_become_replies(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    fake_rasa.reply = [
        {"recipient_id": "s1", "text": ANSWER["text"]},
        {"recipient_id": "s1", "custom": {"reply": ANSWER}},
        {"recipient_id": "s1", "text": "您好！", "buttons": [{"title": "问", "payload": "/x"}]},
    ]
    response = client.post("/api/chat", json={"session_id": "s1", "message": " 京霸铁路会建吗 "})
    assert response.status_code == 200
    body = response.json()
    assert body["session_id"] == "s1"
    assert [r["kind"] for r in body["replies"]] == ["answer", "chitchat"]
    assert body["replies"][0]["citations"][0]["quote"] == "建设京霸铁路。"
    # The button's payload is an id the service issued, never the intent it stands for.
    (button,) = body["replies"][1]["buttons"]
    assert button["title"] == "问" and button["payload"] != "/x"
    assert all(r["id"] for r in body["replies"])
    assert fake_rasa.sent == [{"sender": "s1", "message": "京霸铁路会建吗"}]


@pytest.mark.parametrize(
    "state", ["empty", "down", "broken"], ids=["actions down: []", "rasa down", "bad json"]
)
def test_a_failing_dialogue_gives_an_error_reply_never_an_empty_list(
    client, fake_rasa, state: str
) -> None:  # type: ignore[no-untyped-def]
    fake_rasa.reply = [] if state == "empty" else {"not": "a list"}
    fake_rasa.down = state == "down"
    response = client.post("/api/chat", json={"session_id": "s1", "message": "你好"})
    assert response.status_code == 200
    (reply,) = response.json()["replies"]
    assert reply["kind"] == "error" and "12345" in reply["text"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"session_id": "s1", "message": ""}, "message"),
        ({"session_id": "s1", "message": "   "}, "message"),
        ({"session_id": "s1", "message": "长" * 501}, "message"),
        ({"session_id": "s1", "message": "你好\x00"}, "message"),
        ({"session_id": "", "message": "你好"}, "session_id"),
        ({"session_id": "x" * 65, "message": "你好"}, "session_id"),
        ({"session_id": "a b", "message": "你好"}, "session_id"),
        ({"message": "你好"}, "session_id"),
    ],
)
def test_bad_input_is_a_422_that_names_the_field(client, fake_rasa, body, field) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert any(e["field"] == field for e in response.json()["detail"])
    assert fake_rasa.sent == []


def test_malformed_json_is_a_422(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/chat", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_each_client_is_rate_limited(make_client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    client = make_client(rate_limit_per_minute=2)
    fake_rasa.reply = [{"recipient_id": "s", "text": "好"}]
    codes = [
        client.post("/api/chat", json={"session_id": "s", "message": "你好"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    limited = client.post("/api/chat", json={"session_id": "s", "message": "你好"})
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["detail"]


@pytest.mark.parametrize("output", [[1], ["x"], [{"text": "t", "buttons": ["x"]}], [None]])
def test_malformed_rasa_output_never_becomes_a_5xx(client, fake_rasa, output) -> None:  # type: ignore[no-untyped-def]
    fake_rasa.reply = output
    response = client.post("/api/chat", json={"session_id": "s1", "message": "你好"})
    assert response.status_code == 200
    assert response.json()["replies"]


def test_invisible_characters_are_rejected(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/chat", json={"session_id": "s1", "message": "\u200b\u202e"})
    assert response.status_code == 422
