"""The web app sends each message to Rasa with its query vector, computed once by the app's own
embedder (api/message_vectors.py); a client can never supply one; the start-up warm-up goes the
same way (POST /internal/rasa/warm-up, only with the action secret)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from api.message_vectors import MessageVectors
from api.routers.warm_up import WARM_UP_PATH
from knowledge.embedding import message_vector
from knowledge.embedding.embedder import query_identity
from knowledge.settings import KnowledgeSettings
from tests.conftest import FakeEmbedder

GREETING = [{"recipient_id": "s", "text": "您好！"}]
SECRET = "test-action-secret-0123456789"


def _identity() -> str:
    settings = KnowledgeSettings()
    return query_identity(settings.embedding_model, settings.query_prompt)


def _expected(embedder: FakeEmbedder, text: str) -> dict[str, Any]:
    vector = embedder.embed_queries([text])[0]
    return {message_vector.METADATA_KEY: message_vector.pack(vector, _identity())}


def test_each_message_goes_to_rasa_with_the_apps_vector_of_its_text(
    client: TestClient, fake_rasa: Any, fake_embedder: FakeEmbedder
) -> None:
    fake_rasa.reply = GREETING
    response = client.post("/api/chat", json={"session_id": "s", "message": " 京霸铁路会建吗 "})
    assert response.status_code == 200
    assert fake_rasa.sent == [{"sender": "s", "message": "京霸铁路会建吗"}]
    assert fake_rasa.metadata == [_expected(fake_embedder, "京霸铁路会建吗")]
    sent = message_vector.unpack(
        fake_rasa.metadata[0][message_vector.METADATA_KEY], _identity(), 256
    )
    assert sent is not None
    assert np.array_equal(sent, fake_embedder.embed_queries(["京霸铁路会建吗"])[0])


def test_a_clients_metadata_never_reaches_rasa(
    client: TestClient, fake_rasa: Any, fake_embedder: FakeEmbedder
) -> None:
    fake_rasa.reply = GREETING
    forged = message_vector.pack(np.eye(256, dtype=np.float32)[0], _identity())
    response = client.post(
        "/api/chat",
        json={
            "session_id": "s",
            "message": "你好",
            "metadata": {message_vector.METADATA_KEY: forged, "role": "staff"},
            message_vector.METADATA_KEY: forged,
        },
    )
    assert response.status_code == 200
    assert fake_rasa.sent == [{"sender": "s", "message": "你好"}]
    assert fake_rasa.metadata == [_expected(fake_embedder, "你好")]


def test_a_button_payload_goes_with_the_vector_of_the_payload(
    client: TestClient, fake_rasa: Any, fake_embedder: FakeEmbedder
) -> None:
    fake_rasa.reply = [
        {
            "recipient_id": "s",
            "text": "请选择",
            "buttons": [{"title": "转人工", "payload": "/human_handoff"}],
        }
    ]
    body = client.post("/api/chat", json={"session_id": "s", "message": "你好"}).json()
    button = body["replies"][0]["buttons"][0]["payload"]
    client.post("/api/chat", json={"session_id": "s", "message": "转人工", "button": button})
    assert fake_rasa.sent[-1]["message"] == "/human_handoff"
    assert fake_rasa.metadata[-1] == _expected(fake_embedder, "/human_handoff")


class BrokenEmbedder(FakeEmbedder):
    def embed_queries(self, texts: Any) -> Any:
        raise RuntimeError("no model")


def test_without_a_vector_the_message_still_goes_and_rasa_embeds_it() -> None:
    vectors = MessageVectors(BrokenEmbedder(), "var/models/none", "query: ")
    assert vectors.metadata("你好") is None


def test_the_warm_up_goes_through_the_app_with_the_secret_only(
    make_client: Callable[..., TestClient], fake_rasa: Any, fake_embedder: FakeEmbedder
) -> None:
    client = make_client(action_secret=SECRET)
    fake_rasa.reply = GREETING
    assert client.post(WARM_UP_PATH).status_code == 401
    headers = {"X-Planbot-Action-Secret": "wrong"}
    assert client.post(WARM_UP_PATH, headers=headers).status_code == 401
    assert fake_rasa.sent == []
    headers = {"X-Planbot-Action-Secret": SECRET}
    response = client.post(WARM_UP_PATH, headers=headers)
    assert response.status_code == 200, response.text
    assert fake_rasa.sent == [{"sender": "planbot-warm-up", "message": "你好"}]
    assert fake_rasa.metadata == [_expected(fake_embedder, "你好")]
    fake_rasa.down = True
    response = client.post(WARM_UP_PATH, headers=headers)
    assert response.status_code == 503 and response.json()["detail"]
