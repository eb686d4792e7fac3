"""The action server's composition root: one answer engine and one record store per process.

rasa-sdk instantiates action classes without arguments, so they reach their collaborators
through :func:`engine` and :func:`records`, each built from settings on first use (not at
import: loading a SentenceTransformer while the action server imports its actions crashes
rasa-sdk 3.21 on Sanic 25). They are built separately so that a missing index never stops a
handoff from being recorded. Tests and an in-process host call :func:`configure` instead.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

from knowledge.answering.engine import AnswerEngine
from records.store import RecordStore


@dataclass(frozen=True)
class Services:
    engine: AnswerEngine
    records: RecordStore
    hotline: str = "12345"
    inquiry_response_time: str = "3个工作日内"


_lock = threading.Lock()
_engine: AnswerEngine | None = None
_records: RecordStore | None = None
_hotline: str | None = None
_response_time: str | None = None


def configure(services: Services | None) -> None:
    """Use these services (or forget them, with None, so the next use builds new ones)."""
    global _engine, _records, _hotline, _response_time
    with _lock:
        _engine = services.engine if services else None
        _records = services.records if services else None
        _hotline = services.hotline if services else None
        _response_time = services.inquiry_response_time if services else None


def engine() -> AnswerEngine:
    global _engine
    with _lock:
        if _engine is None:
            _engine = _build_engine()
        return _engine


def records() -> RecordStore:
    global _records
    with _lock:
        if _records is None:
            from storage.database import DatabaseSettings

            store = RecordStore(DatabaseSettings().database_url)
            store.create_schema()
            _records = store
        return _records


def hotline() -> str:
    global _hotline
    with _lock:
        if _hotline is None:
            from knowledge.settings import KnowledgeSettings

            _hotline = KnowledgeSettings().hotline
        return _hotline


def inquiry_response_time() -> str:
    """When investment staff contact an enterprise, as the closing reply states it."""
    global _response_time
    with _lock:
        if _response_time is None:
            from knowledge.settings import KnowledgeSettings

            _response_time = KnowledgeSettings().inquiry_response_time
        return _response_time


def _build_engine() -> AnswerEngine:
    import tqdm

    # tqdm's default multiprocessing lock fixes the start method; Sanic then fails to spawn.
    tqdm.tqdm.set_lock(threading.RLock())

    from knowledge.service import create_engine
    from knowledge.settings import KnowledgeSettings

    _log_knowledge_lines()
    built = create_engine(KnowledgeSettings())
    built.warm_up()
    # What is loaded now lives as long as the process: a full garbage collection would walk it
    # (94 ms here, a latency spike for whoever is answered then); frozen, it is skipped.
    gc.freeze()
    return built


def _log_knowledge_lines() -> None:
    """Sanic's worker process does not inherit rasa-sdk's logging set-up: without a handler,
    the engine's INFO lines (index reloads) would be lost."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    logging.getLogger("knowledge").setLevel(logging.INFO)
