"""The action server's composition root: one answer engine and one record store per process.

rasa-sdk instantiates action classes without arguments, so they reach their collaborators
through :func:`services`, which builds them from settings on first use (not at import: loading
a SentenceTransformer while the action server imports its actions crashes rasa-sdk 3.21 on
Sanic 25). Tests and an in-process host call :func:`configure` instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from knowledge.answering.engine import AnswerEngine
from records.store import RecordStore


@dataclass(frozen=True)
class Services:
    engine: AnswerEngine
    records: RecordStore
    hotline: str = "12345"


_lock = threading.Lock()
_services: Services | None = None


def configure(services: Services | None) -> None:
    """Use these services (or forget them, with None, so the next use builds new ones)."""
    global _services
    with _lock:
        _services = services


def services() -> Services:
    global _services
    with _lock:
        if _services is None:
            _services = _build()
        return _services


def _build() -> Services:
    import tqdm

    # tqdm's default multiprocessing lock fixes the start method; Sanic then fails to spawn.
    tqdm.tqdm.set_lock(threading.RLock())

    from knowledge.service import create_engine
    from knowledge.settings import KnowledgeSettings
    from records.settings import RecordsSettings

    knowledge = KnowledgeSettings()
    engine = create_engine(knowledge)
    engine.warm_up()
    records = RecordStore(RecordsSettings().database_url)
    records.create_schema()
    return Services(engine=engine, records=records, hotline=knowledge.hotline)
