"""API tests: the app with a fake Rasa (an httpx transport) and the small fake-embedder engine."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from docstore.indexing import build_published
from docstore.store import DocumentStore
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.index.live import LiveIndex
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings
from planbot.settings import ContactSettings, load_settings
from records.store import RecordStore
from staff.accounts import AccountStore
from storage.database import DatabaseSettings, create_database_engine, create_schema
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder

RasaHandler = Callable[[httpx.Request], httpx.Response]


class FakeRasa:
    """Answers the webhook with whatever the test sets; records what it was sent. Its tracker
    API shows ``tracker`` for every conversation (no open form unless a test sets one)."""

    def __init__(self) -> None:
        self.reply: Any = []
        self.status_ok = True
        self.actions_ok = True
        self.down = False
        self.sent: list[dict[str, Any]] = []
        # The metadata of each webhook call, kept apart from ``sent`` (the message's query
        # vector, api/message_vectors.py; tests/api/test_message_vectors.py checks it).
        self.metadata: list[Any] = []
        self.tracker: Any = {"slots": {}, "active_loop": {}}
        self.tracker_api = True  # Rasa started with --enable-api
        self.tracker_requests: list[str] = []
        self.token = ""  # as Rasa's --auth-token: its HTTP API answers 401 without it

    def _authorized(self, request: httpx.Request) -> bool:
        return not self.token or request.url.params.get("token") == self.token

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            self.metadata.append(body.pop("metadata", None))
            self.sent.append(body)
            return httpx.Response(200, json=self.reply)
        if request.url.path.startswith("/conversations/") and request.url.path.endswith("/tracker"):
            if not self._authorized(request):
                return httpx.Response(401, json={"reason": "NotAuthenticated"})
            self.tracker_requests.append(request.url.path.split("/")[2])
            return httpx.Response(200, json=self.tracker)
        if request.url.path == "/status":
            if not self._authorized(request):
                return httpx.Response(401, json={"reason": "NotAuthenticated"})
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
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )


@pytest.fixture
def make_client(
    fake_rasa: FakeRasa, engine: AnswerEngine, fake_embedder: FakeEmbedder, tmp_path: Path
) -> Iterator[Callable[..., TestClient]]:
    """The app over the small fake-embedder index (built without the document store, so the
    store watcher is off: it would find the test's empty database "ahead" of this index)."""
    clients: list[TestClient] = []

    def make(contact: ContactSettings | None = None, **settings: Any) -> TestClient:
        # A separate action server by default here: FakeRasa answers its /health, so /readyz's
        # actions component can be taken down (tests/api/test_actions_in_app.py: in the app).
        app = create_app(
            load_settings(
                web=Settings(**{"index_watch_seconds": 0, "actions_in_app": False, **settings}),
                knowledge=KnowledgeSettings(index_dir=tmp_path / "index"),
                contact=contact,
            ),
            embedder=fake_embedder,
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


ADMIN_PASSWORD = "admin password 1"
EDITOR_PASSWORD = "editor password 1"


@dataclass
class StaffSite:
    """The app over a real document store and a live index, with an admin and an editor."""

    client: TestClient
    store: DocumentStore
    records: RecordStore
    index_dir: Path

    def login(self, username: str) -> dict[str, str]:
        password = ADMIN_PASSWORD if username == "admin" else EDITOR_PASSWORD
        r = self.client.post("/api/staff/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def engine(self) -> AnswerEngine:
        engine = self.client.app.state.runtime.knowledge.engine  # type: ignore[attr-defined]
        assert engine is not None
        return engine  # type: ignore[no-any-return]

    def wait_for_build(self) -> None:
        status = self.client.app.state.runtime.builder.wait_idle(30)  # type: ignore[attr-defined]
        assert status.state == "idle", status
        time.sleep(0.06)  # past the live index's check interval


@contextmanager
def _staff_site(root: Path, fake_rasa: FakeRasa) -> Iterator[StaffSite]:
    url = f"sqlite:///{root / 'planbot.db'}"
    database = create_database_engine(url)
    create_schema(database)
    store = DocumentStore(database)
    store.import_text("transport", TRANSPORT, actor="setup", origin="sources")
    store.import_text("ecology", ECOLOGY, actor="setup", origin="sources")
    knowledge_settings = KnowledgeSettings(index_dir=root / "index")
    embedder = FakeEmbedder()
    build_published(store, knowledge_settings, embedder=embedder)
    accounts = AccountStore(database)
    accounts.add("admin", ADMIN_PASSWORD, "admin")
    accounts.add("editor", EDITOR_PASSWORD, "editor")

    def engine() -> AnswerEngine:
        live = LiveIndex(
            knowledge_settings.index_dir, model_id=embedder.model_id, check_seconds=0.05
        )
        return AnswerEngine(
            Retriever(live, embedder),
            policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
        )

    app = create_app(
        load_settings(
            web=Settings(rate_limit_per_minute=1000, login_attempts_per_minute=1000),
            knowledge=knowledge_settings,
            database=DatabaseSettings(database_url=url),
        ),
        embedder=embedder,
        engine_factory=engine,
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(fake_rasa.handle),
    )
    with TestClient(app) as client:
        yield StaffSite(client, store, RecordStore(database), knowledge_settings.index_dir)
    database.dispose()


@pytest.fixture
def staff_site(tmp_path: Path, fake_rasa: FakeRasa) -> Iterator[StaffSite]:
    """A fresh site per test: for tests that change documents, accounts or records."""
    with _staff_site(tmp_path, fake_rasa) as site:
        yield site


@pytest.fixture(scope="module")
def shared_staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    """One site for a whole module of access checks (creating accounts costs argon2 time)."""
    with _staff_site(tmp_path_factory.mktemp("staff"), FakeRasa()) as site:
        yield site
