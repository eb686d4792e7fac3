"""The knowledge core as the web app holds it: loaded in the background after start-up.

The app answers /healthz at once and reports the index as loading on /readyz until the engine is
warm, so a slow model load never blocks the process from starting. A failed load is retried
(at most every ``retry_seconds``) when the engine is next asked for, so an index rebuilt after
a fault is picked up without a restart; once loaded, the engine follows new builds itself.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable

from knowledge.answering.engine import AnswerEngine

LOG = logging.getLogger(__name__)


class KnowledgeHolder:
    def __init__(
        self,
        factory: Callable[[], AnswerEngine],
        *,
        retry_seconds: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._engine: AnswerEngine | None = None
        self._error = ""
        self._lock = threading.Lock()
        self._loading = False
        self._failed_at: float | None = None
        self._retry_seconds = retry_seconds
        self._clock = clock

    def load(self) -> None:
        """Build and warm the engine; an error is kept and reported, not raised."""
        with self._lock:
            self._loading = True
        try:
            engine = self._factory()
            engine.warm_up()
        except Exception as exc:  # reported by /readyz; the chat still works through Rasa
            LOG.exception("the knowledge index could not be loaded")
            with self._lock:
                self._error = f"{exc.__class__.__name__}: {exc}"
                self._failed_at = self._clock()
                self._loading = False
            return
        with self._lock:
            self._engine, self._error, self._loading = engine, "", False
        # Everything loaded so far (model, index, libraries) lives as long as the process:
        # out of the collector's sight, a full collection no longer walks it (94 ms here).
        gc.freeze()

    def start_loading(self) -> threading.Thread:
        with self._lock:
            self._loading = True
        thread = threading.Thread(target=self.load, name="knowledge-loader", daemon=True)
        thread.start()
        return thread

    def _retry_if_due(self) -> None:
        with self._lock:
            due = (
                self._engine is None
                and not self._loading
                and self._failed_at is not None
                and self._clock() - self._failed_at >= self._retry_seconds
            )
            if due:  # claimed under the lock: two requests never start two loads
                self._loading = True
        if due:
            threading.Thread(target=self.load, name="knowledge-loader", daemon=True).start()

    @property
    def engine(self) -> AnswerEngine | None:
        self._retry_if_due()
        with self._lock:
            return self._engine

    @property
    def state(self) -> str:
        self._retry_if_due()
        with self._lock:
            if self._engine is not None:
                return "ready"
            return f"failed: {self._error}" if self._error else "loading"
