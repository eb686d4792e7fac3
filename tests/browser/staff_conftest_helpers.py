"""A real app for the staff workspace's browser tests: its own SQLite database and index.

Unlike the chat page's ``site`` fixture, the staff pages need the whole back end: the document
store, accounts, tokens, the background index builder and an engine that follows new builds.
Only the embedding model (a fake) and Rasa (a mock transport) stand in for the real thing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from api.main import create_app
from api.settings import Settings
from docstore.indexing import build_published
from docstore.store import DocumentStore
from knowledge.service import create_engine
from knowledge.settings import KnowledgeSettings
from planbot.launcher import free_port
from planbot.settings import load_settings
from records.store import RecordStore
from staff.accounts import AccountStore
from storage.database import DatabaseSettings, create_database_engine, create_schema
from tests.conftest import TRANSPORT, FakeEmbedder

ADMIN = ("admin", "Admin-pass-2024")
EDITOR = ("editor", "Editor-pass-2024")


@dataclass(frozen=True)
class StaffSite:
    base: str
    database_url: str
    index_dir: Path


def _no_rasa(request: httpx.Request) -> httpx.Response:
    """The staff pages never talk to Rasa; the chat routes get a harmless empty answer."""
    if request.url.path in ("/status", "/health"):
        return httpx.Response(200, json={"model_id": "scripted"})
    return httpx.Response(200, json=[])


def _seed(database_url: str, knowledge: KnowledgeSettings, embedder: FakeEmbedder) -> None:
    """One published document, its index built, two accounts and one open ticket."""
    database = create_database_engine(database_url)
    try:
        create_schema(database)
        store = DocumentStore(database)
        store.import_text("transport", TRANSPORT, actor="setup", origin="sources")
        build_published(store, knowledge, embedder=embedder)
        accounts = AccountStore(database)
        accounts.add(ADMIN[0], ADMIN[1], "admin")
        accounts.add(EDITOR[0], EDITOR[1], "editor")
        records = RecordStore(database)
        records.add_ticket(
            kind="handoff",
            session_id="web-test",
            summary="转人工：机场拆迁怎么安置",
            transcript=[
                {"who": "user", "text": "机场拆迁怎么安置", "time": "1"},
                {"who": "bot", "text": "请拨打12345。", "time": "2"},
            ],
        )
        unhelpful = records.add_feedback(
            session_id="web-test",
            helpful=False,
            question="京霸铁路什么时候通车",
            citations=[{"n": 1, "doc_title": "交通规划", "section": "一、铁路", "quote": "建设"}],
        )
        records.add_missing(unhelpful.id, "web-test", "通车的年份")
        records.add_turn(
            session_id="web-test", message="地铁几号线到黄村", reply_kinds=["no_answer"]
        )
    finally:
        database.dispose()


@contextmanager
def serve_staff_site(root: Path) -> Iterator[StaffSite]:
    """Seed a database and an index under ``root`` and serve the app on a free port."""
    database_url = f"sqlite:///{root / 'planbot.db'}"
    knowledge = KnowledgeSettings(index_dir=root / "index", index_check_seconds=0.2)
    embedder = FakeEmbedder()
    _seed(database_url, knowledge, embedder)
    app = create_app(
        load_settings(
            web=Settings(rate_limit_per_minute=1000, login_attempts_per_minute=100),
            knowledge=knowledge,
            database=DatabaseSettings(database_url=database_url),
        ),
        embedder=embedder,
        engine_factory=lambda: create_engine(knowledge, embedder),
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(_no_rasa),
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("the staff test app did not start")
    try:
        yield StaffSite(f"http://127.0.0.1:{port}", database_url, knowledge.index_dir)
    finally:
        server.should_exit = True
        thread.join(10)
