"""Property-based fuzzing of the app against its own OpenAPI schema (schemathesis, in-process).

Every operation, public and staff, is called with generated data, valid and invalid (the
examples, coverage and fuzzing phases), and every response must: not be a 5xx, have a
documented status code and content type, and a body that conforms to the documented schema.
Staff operations are fuzzed with an admin's bearer token so the data gets past authentication;
a second pass without a token expects only 401 (or 400/422 for a body that cannot be parsed).

No network and no real Rasa: the ASGI app runs in this process with the fake Rasa transport and
the fake embedder, over a real SQLite document store, a live index and conversation records of
its own: one site for the whole module, on which the fuzzer may publish, roll back and delete.
Half the generated path parameters name things that exist (a document, a version, an account,
a ticket), so those operations are exercised past their 404s.

The schema is collected at import from an app that is built but never started; the fixture's
app (which schemathesis starts, once, through its own ASGI client) serves the same document.
Deterministic by default; ``FUZZ_EXAMPLES=500`` runs that many random examples per operation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from api.settings import Settings
from docstore.indexing import build_published
from docstore.store import DocumentStore
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.index.live import LiveIndex
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings
from planbot.settings import load_settings
from records.store import RecordStore
from staff.accounts import AccountStore
from storage.database import DatabaseSettings, create_database_engine, create_schema
from tests.api.conftest import ADMIN_PASSWORD, EDITOR_PASSWORD, FakeRasa
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_EXAMPLES or 25,
    deadline=None,
    derandomize=not _EXAMPLES,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
# Without a token every operation stops at the same gate: fewer examples, no coverage phase.
UNAUTHENTICATED = settings(FUZZ, max_examples=_EXAMPLES or 10)
STAFF_API = r"^/api/staff/"
LOGIN = "/api/staff/login"
LOGOUT = "/api/staff/logout"
# What exists on the fuzz site. Not the admin account: the fuzzer must not change the admin
# whose token it uses (the last active admin is protected anyway).
EXISTING: dict[str, list[Any]] = {
    "doc_id": ["transport", "ecology"],
    "version": [1, 2, 3],
    "username": ["editor"],
    "ticket_id": [1],
}


def _openapi() -> dict[str, Any]:
    """The app's OpenAPI document, from an app that is built but never started (no database,
    no index)."""
    app = create_app(
        load_settings(),
        embedder=FakeEmbedder(),
        engine_factory=lambda: None,  # type: ignore[arg-type,return-value]
        load_knowledge_in_background=False,
    )
    return app.openapi()


# Explicit configuration: a schemathesis.toml found on the way up must not change this test.
schema = schemathesis.openapi.from_dict(_openapi(), config=SchemathesisConfig())
without_token = schemathesis.openapi.from_dict(
    _openapi(), config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
).include(path_regex=STAFF_API)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> st.SearchStrategy[Any]:
    """Half the time, name a document, version, account or ticket that exists."""
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    known = {name: st.sampled_from(EXISTING[name]) for name in path_parameters if name in EXISTING}
    if not known:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.fixed_dictionaries(known).map(lambda chosen: {**path_parameters, **chosen}),
    )


@dataclass
class FuzzSite:
    app: FastAPI
    admin_token: dict[str, str]

    def admin_headers(self, case: schemathesis.Case) -> dict[str, str]:
        """The shared admin token; logging out gets a token of its own, so it never ends the
        shared one. A fresh dict each call (schemathesis adds its headers to the one passed)."""
        if case.operation.path == LOGOUT:
            return _login(self.app, "admin", ADMIN_PASSWORD)
        return dict(self.admin_token)


def _login(app: FastAPI, username: str, password: str) -> dict[str, str]:
    with asgi.get_client(app) as client:
        r = client.post(LOGIN, json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzSite]:
    root: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{root / 'planbot.db'}"
    database = create_database_engine(url)
    create_schema(database)
    store = DocumentStore(database)
    store.import_text("transport", TRANSPORT, actor="setup", origin="sources")
    store.import_text("ecology", ECOLOGY, actor="setup", origin="sources")
    store.update("transport", TRANSPORT + "\n新增一段。\n", base_version=1, actor="setup")
    knowledge_settings = KnowledgeSettings(index_dir=root / "index")
    embedder = FakeEmbedder()
    build_published(store, knowledge_settings, embedder=embedder)
    accounts = AccountStore(database)
    accounts.add("admin", ADMIN_PASSWORD, "admin")
    accounts.add("editor", EDITOR_PASSWORD, "editor")
    records = RecordStore(database)  # something in every insights list (and its CSV)
    records.add_turn(session_id="s1", message="=京台高速何时通车", reply_kinds=["no_answer"])
    records.add_feedback(
        session_id="s1",
        helpful=False,
        question="京台高速",
        citations=[{"n": 1, "doc_id": "transport", "quote": "建设京台高速"}],
    )
    records.add_ticket(
        kind="handoff",
        session_id="s1",
        transcript=[{"sender": "user", "text": "我要找人工"}],
        summary="转人工",
        contact="13900000000",
        details={"topic": "交通"},
    )

    def engine() -> AnswerEngine:
        live = LiveIndex(
            knowledge_settings.index_dir, model_id=embedder.model_id, check_seconds=0.05
        )
        return AnswerEngine(
            Retriever(live, embedder),
            policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
        )

    rasa = FakeRasa()
    rasa.reply = [{"recipient_id": "fuzz", "text": "您好"}]
    app = create_app(
        # Limits far above what the fuzzer sends, so it reaches the handlers instead of 429s
        # (429 stays documented on the two limited operations, chat and login).
        load_settings(
            web=Settings(rate_limit_per_minute=1_000_000, login_attempts_per_minute=1_000_000),
            knowledge=knowledge_settings,
            database=DatabaseSettings(database_url=url),
        ),
        embedder=embedder,
        engine_factory=engine,
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(rasa.handle),
    )
    try:
        with asgi.get_client(app):  # starts the lifespan, kept until shutdown_lifespans()
            yield FuzzSite(app, _login(app, "admin", ADMIN_PASSWORD))
    finally:
        asgi.shutdown_lifespans()
        database.dispose()


def test_the_fuzzed_app_serves_the_collected_schema(fuzz_site: FuzzSite) -> None:
    with asgi.get_client(fuzz_site.app) as client:
        served = client.get("/openapi.json").json()
    assert served == schema.raw_schema


@schema.parametrize()
@FUZZ
def test_every_operation_conforms(case: schemathesis.Case, fuzz_site: FuzzSite) -> None:
    """Public operations anonymously, staff operations with an admin's token."""
    is_staff = case.operation.path.startswith("/api/staff/") and case.operation.path != LOGIN
    headers = fuzz_site.admin_headers(case) if is_staff else None
    case.call_and_validate(app=fuzz_site.app, headers=headers, checks=CHECKS)


@without_token.exclude(path=LOGIN).parametrize()
@UNAUTHENTICATED
def test_staff_operations_without_a_token_are_refused(
    case: schemathesis.Case, fuzz_site: FuzzSite
) -> None:
    """No token: 401 before anything else, or 400/422 for a body that cannot even be parsed
    (405 for a method the operation does not have, which schemathesis also tries)."""
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    response = case.call_and_validate(app=fuzz_site.app, checks=CHECKS)
    expected = {401, 400, 422} if case.method.upper() == case.operation.method.upper() else {405}
    assert response.status_code in expected, (case.method, response.status_code, response.text)
