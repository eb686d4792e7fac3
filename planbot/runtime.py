"""The composition root: one :class:`Runtime` per process builds every shared service, once.

Why: the web app, the actions and the CLI each used to assemble their own engine, stores and
settings, with two lifecycles for one engine (a background loader in the app, lazy module
globals in the action server). A Runtime is built from the one settings tree
(planbot/settings.py) and owns, for the whole process:

* the embedding model (wrapped in :class:`~knowledge.embedding.recent.RecentQueries`, so a
  message embedded for Rasa is not embedded again to answer it) — one copy, shared by the
  engine and the index builder;
* the engine holder (:class:`~planbot.holder.KnowledgeHolder`: background load, retry, reload),
  created with the configured hotline and contact;
* the database and its stores (documents, records, aliases, knowledge gaps, staff accounts,
  two-step log-in, audit log);
* the index builder (:class:`~docstore.indexing.IndexBuilder`: publishing asks it for a
  rebuild) and the staff aliases' follower.

One lifecycle: :meth:`Runtime.warm_up` (schema, alias follower, engine load, index watcher),
:meth:`Runtime.reload` (a fresh engine swapped in), :meth:`Runtime.close`. Building a Runtime
loads nothing and connects to nothing; heavy libraries are imported when first used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from docstore.aliases import AliasFollower, AliasStore
from docstore.audit import AuditLog
from docstore.indexing import IndexBuilder
from docstore.store import DocumentStore
from knowledge.answering.engine import AnswerEngine
from knowledge.embedding.embedder import Embedder
from knowledge.embedding.recent import RecentQueries
from planbot.holder import KnowledgeHolder
from planbot.settings import PlanbotSettings
from records.gaps import GapStore
from records.store import RecordStore
from staff.accounts import AccountStore
from staff.totp import TotpStore
from storage.database import create_database_engine, create_schema

LOG = logging.getLogger(__name__)


class Runtime:
    """Every shared service of one process, built from the settings tree."""

    def __init__(
        self,
        settings: PlanbotSettings,
        *,
        embedder: Embedder | None = None,
        engine_factory: Callable[[], AnswerEngine] | None = None,
        on_build: Callable[[str, float], None] | None = None,
        builds_index: bool = True,
    ) -> None:
        """``embedder`` and ``engine_factory`` replace the configured model and engine (tests);
        ``on_build(outcome, seconds)`` hears of every index build (the web app's metrics).
        ``builds_index`` is False in a process that only reads the index another one builds
        (the separate action server): it neither watches the published documents nor
        rebuilds an index it cannot use."""
        self.settings = settings
        self._given_embedder = embedder
        self._embedder: RecentQueries | None = None
        self._embedder_lock = threading.Lock()
        self.database = create_database_engine(settings.database.database_url)
        self.documents = DocumentStore(self.database)
        self.records = RecordStore(self.database)
        self.aliases = AliasStore(self.database)
        self.gaps = GapStore(self.database)
        self.accounts = AccountStore(self.database)
        self.totp = TotpStore(self.database)
        self.audit = AuditLog(self.database)
        self.builder = IndexBuilder(
            self.documents, settings.knowledge, self._warm_embedder, on_build=on_build
        )
        self.knowledge = KnowledgeHolder(
            self._load_engine, retry_seconds=settings.web.knowledge_retry_seconds
        )
        self._engine_factory = engine_factory
        self._builds_index = builds_index
        self._follower = AliasFollower(
            self.aliases, self._served_engines, interval=settings.knowledge.alias_check_seconds
        )
        self._started = False

    # -- building ---------------------------------------------------------------------------

    @property
    def embedder(self) -> RecentQueries:
        """The one embedding model of the process, for the engine, the index builder and the
        vectors the web app sends to Rasa; made on first need (a CLI command that only adds
        an account never imports the model's libraries), loaded on first use."""
        with self._embedder_lock:
            if self._embedder is None:
                embedder = self._given_embedder
                if embedder is None:
                    from knowledge.service import create_embedder

                    embedder = create_embedder(self.settings.knowledge)
                self._embedder = RecentQueries(embedder)
            return self._embedder

    def create_engine(self) -> AnswerEngine:
        """A new engine over the current index, not yet warmed: the runtime's one embedder,
        the configured hotline and contact. Raises what loading the index raises."""
        if self._engine_factory is not None:
            return self._engine_factory()
        from knowledge.service import create_engine

        contact = self.settings.contact
        return create_engine(
            self.settings.knowledge,
            self.embedder,
            hotline=contact.hotline,
            contact=contact.contact,
        )

    def _load_engine(self) -> AnswerEngine:
        """The holder's factory: an index that cannot be used (damaged on disk, missing) is
        rebuilt from the store where this process builds the index; the holder retries the
        load shortly after."""
        from knowledge.index.store import IndexUnavailable

        try:
            engine = self.create_engine()
        except IndexUnavailable as exc:
            if self._builds_index:
                # Shown to staff on the index page (the log has the exception).
                LOG.warning("the index could not be used (%s): rebuilding it", exc)
                self.builder.request(
                    "索引无法使用，从已发布文档重建", by="系统启动", allow_empty=False
                )
            raise
        self._apply_aliases(engine)
        return engine

    def _apply_aliases(self, engine: AnswerEngine) -> None:
        """The staff aliases in force before the engine answers its first question (the
        follower then keeps them current)."""
        try:
            if engine.aliases.revision != self.aliases.revision():
                engine.set_aliases(self.aliases.overlay())
        except Exception:  # the database is away: answer without aliases; the follower retries
            LOG.exception("staff aliases not loaded yet")

    def _warm_embedder(self) -> Embedder:
        """The builder embeds with the engine's model: one copy in memory, loaded once."""
        self.embedder.warm_up()
        return self.embedder

    def _served_engines(self) -> list[AnswerEngine]:
        return [e for e in (self.knowledge.engine,) if e is not None]

    # -- lifecycle --------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Every table the assistant needs (idempotent; several processes may race here)."""
        create_schema(self.database)

    def warm_up(self, *, background: bool = True) -> None:
        """Start serving: the schema, the staff aliases' follower, the engine's load (in the
        background, or now), and, where this process builds the index, the watcher that
        rebuilds it when what is published changes elsewhere."""
        if self._started:
            return
        self._started = True
        self.create_schema()
        self._follower.start()
        if background:
            self.knowledge.start_loading()
        else:
            self.knowledge.load()
        watch = self.settings.web.index_watch_seconds
        if self._builds_index and watch:
            self.builder.watch(watch)

    def reload(self) -> bool:
        """Build a fresh engine over the current index and serve it; on failure the engine
        served so far stays (and the failure is logged). True when swapped."""
        return self.knowledge.reload()

    def close(self) -> None:
        """Stop the background work and release the database's connections."""
        self.builder.stop()
        self._follower.stop()
        self.database.dispose()
