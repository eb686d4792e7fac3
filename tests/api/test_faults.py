"""Faults the web app must live through without a restart."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from api.main import create_app
from api.settings import Settings
from docstore.indexing import build_published
from docstore.store import DocumentStore
from knowledge.index.store import current_path
from knowledge.settings import KnowledgeSettings
from planbot.settings import load_settings
from staff.accounts import AccountStore
from staff.tokens import TokenStore
from storage.database import DatabaseSettings, create_database_engine, create_schema
from tests.api.conftest import FakeRasa, StaffSite
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder


def test_an_index_damaged_on_disk_is_detected_at_start_and_rebuilt_from_the_store(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'planbot.db'}"
    database = create_database_engine(url)
    create_schema(database)
    store = DocumentStore(database)
    store.import_text("transport", TRANSPORT, actor="setup")
    store.import_text("ecology", ECOLOGY, actor="setup")
    knowledge = KnowledgeSettings(index_dir=tmp_path / "index")
    build_published(store, knowledge, embedder=FakeEmbedder())
    damaged = current_path(knowledge.index_dir).resolve() / "dense.faiss"
    damaged.write_bytes(damaged.read_bytes()[:-64])

    app = create_app(
        load_settings(
            web=Settings(knowledge_retry_seconds=0.2, index_watch_seconds=0),
            knowledge=knowledge,
            database=DatabaseSettings(database_url=url),
        ),
        embedder=FakeEmbedder(),
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(FakeRasa().handle),
    )
    with TestClient(app) as client:
        first = client.get("/readyz").json()["components"]["index"]
        assert first.startswith("failed: IndexUnavailable") and "damaged" in first
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if client.get("/readyz").json()["components"]["index"] == "ready":
                break
            time.sleep(0.1)
        assert client.get("/readyz").json()["components"]["index"] == "ready"
        hits = client.get("/api/search", params={"q": "京霸铁路"}).json()["results"]
        assert hits and hits[0]["doc_id"] == "transport"
        assert app.state.runtime.builder.status.requested_by == "系统启动"
    database.dispose()


def test_staff_calls_get_503_while_the_database_is_away(staff_site: StaffSite) -> None:
    headers = staff_site.login("admin")
    gone = create_engine("sqlite:////nonexistent-directory/planbot.db")
    app = staff_site.client.app
    app.state.web.tokens = TokenStore(gone, secret_key="k" * 40, lifetime=timedelta(hours=1))  # type: ignore[attr-defined]
    r = staff_site.client.get("/api/staff/documents", headers=headers)
    assert r.status_code == 503 and r.headers["retry-after"] == "10"
    assert "数据库" in r.json()["detail"]
    app.state.runtime.accounts = AccountStore(gone)  # type: ignore[attr-defined]
    r = staff_site.client.post("/api/staff/login", json={"username": "a", "password": "b"})
    assert r.status_code == 503


def test_an_oversized_upload_is_refused_before_login_is_even_checked(
    staff_site: StaffSite,
) -> None:
    client = staff_site.client
    huge = b"x" * 3_000_000  # over the 2 MB upload limit
    r = client.post(
        "/api/staff/documents/upload", files={"file": ("big.md", huge, "text/markdown")}
    )
    assert r.status_code == 413 and "过大" in r.json()["detail"]

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"y" * 50_000  # 2 MB in pieces, with no declared length

    r = client.post("/api/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
