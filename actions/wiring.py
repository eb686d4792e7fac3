"""The action server's composition root: one answer engine and one record store per process.

rasa-sdk instantiates action classes without arguments, so they reach their collaborators
through :func:`engine` and :func:`records`, each built from settings on first use (not at
import: loading a SentenceTransformer while the action server imports its actions crashes
rasa-sdk 3.21 on Sanic 25). They are built separately so that a missing index never stops a
handoff from being recorded. Tests call :func:`configure` with :class:`Services`; the web app,
which serves the executor in its own process (api/routers/actions.py), configures a
:class:`Host`: the actions then answer with the web app's own engine (one model, one index and
one alias follower per process) instead of building a second one.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.answering.engine import AnswerEngine
from records.store import RecordStore


@dataclass(frozen=True)
class Services:
    engine: AnswerEngine
    records: RecordStore
    # None: the configured one (``PLANBOT_HOTLINE``), read when first needed.
    hotline: str | None = None
    response_time: str = "2个工作日内"
    inquiry_response_time: str = "3个工作日内"


@dataclass(frozen=True)
class Host:
    """An in-process host's services: ``engine`` is asked on every use (the host loads its
    engine in the background and raises until it is ready), never copied."""

    engine: Callable[[], AnswerEngine]
    records: RecordStore
    hotline: str
    response_time: str
    inquiry_response_time: str


_lock = threading.Lock()
_engine: AnswerEngine | None = None
_engine_source: Callable[[], AnswerEngine] | None = None
_records: RecordStore | None = None
_hotline: str | None = None
_response_time: str | None = None
_inquiry_response_time: str | None = None


def configure(services: Services | Host | None) -> None:
    """Use these services (or forget them, with None, so the next use builds new ones)."""
    global _engine, _engine_source, _records, _hotline, _response_time, _inquiry_response_time
    with _lock:
        _engine = services.engine if isinstance(services, Services) else None
        _engine_source = services.engine if isinstance(services, Host) else None
        _records = services.records if services else None
        _hotline = services.hotline if services else None
        _response_time = services.response_time if services else None
        _inquiry_response_time = services.inquiry_response_time if services else None


def engine() -> AnswerEngine:
    global _engine
    with _lock:
        source = _engine_source
    if source is not None:  # the host's engine (outside the lock: it may take a moment)
        return source()
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


def response_time() -> str:
    """When staff answer a ticket (``PLANBOT_HANDOFF_RESPONSE_TIME``), as residents are told."""
    global _response_time
    with _lock:
        if _response_time is None:
            from records.settings import TicketSettings

            _response_time = TicketSettings().handoff_response_time
        return _response_time


def inquiry_response_time() -> str:
    """When investment staff contact an enterprise (``PLANBOT_INQUIRY_RESPONSE_TIME``), as the
    inquiry's closing reply states it."""
    global _inquiry_response_time
    with _lock:
        if _inquiry_response_time is None:
            from records.settings import TicketSettings

            _inquiry_response_time = TicketSettings().inquiry_response_time
        return _inquiry_response_time


def _build_engine() -> AnswerEngine:
    import tqdm

    # tqdm's default multiprocessing lock fixes the start method; Sanic then fails to spawn.
    tqdm.tqdm.set_lock(threading.RLock())

    from knowledge.service import create_engine
    from knowledge.settings import KnowledgeSettings

    _log_knowledge_lines()
    settings = KnowledgeSettings()
    built = create_engine(settings)
    built.warm_up()
    _follow_aliases(built, settings.alias_check_seconds)
    # What is loaded now lives as long as the process: a full garbage collection would walk it
    # (94 ms here, a latency spike for whoever is answered then); frozen, it is skipped.
    gc.freeze()
    return built


def _follow_aliases(engine: AnswerEngine, interval: float) -> None:
    """Staff aliases act here too within seconds: a follower polls their revision in the app
    database and swaps the engine's overlay (docstore.aliases)."""
    import logging

    from docstore.aliases import AliasFollower, AliasStore
    from storage.database import DatabaseSettings, create_database_engine, create_schema

    database = create_database_engine(DatabaseSettings().database_url)
    follower = AliasFollower(AliasStore(database), lambda: (engine,), interval=interval)
    try:
        create_schema(database)
        follower.tick()  # in force before the first question
    except Exception:  # the database is away: answer without aliases; the follower retries
        logging.getLogger(__name__).exception("staff aliases not loaded yet")
    follower.start()


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
