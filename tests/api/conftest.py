"""API tests: the app with a fake Rasa (an httpx transport) and the small fake-embedder engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

RasaHandler = Callable[[httpx.Request], httpx.Response]


class FakeRasa:
    """Answers the webhook with whatever the test sets; records what it was sent."""

    def __init__(self) -> None:
        self.reply: Any = []
        self.status_ok = True
        self.actions_ok = True
        self.down = False
        self.sent: list[dict[str, Any]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/webhooks/rest/webhook":
            self.sent.append(json.loads(request.content))
            return httpx.Response(200, json=self.reply)
        if request.url.path == "/status":
            return httpx.Response(200 if self.status_ok else 500, json={"model_id": "m1"})
        if request.url.path == "/health":
            return httpx.Response(200 if self.actions_ok else 500, json={"status": "ok"})
        return httpx.Response(404)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def engine(documents, fake_embedder, tmp_path: Path) -> AnswerEngine:  # type: ignore[no-untyped-def]
    build_index(documents, fake_embedder, tmp_path / "index")
    return AnswerEngine(
        Retriever(load_index(tmp_path / "index"), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0),
    )


@pytest.fixture
def make_client(fake_rasa: FakeRasa, engine: AnswerEngine) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        app = create_app(
            Settings(**settings),
            engine_factory=lambda: engine,
            load_knowledge_in_background=False,
            rasa_transport=httpx.MockTransport(fake_rasa.handle),
        )
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
