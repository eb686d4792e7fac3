"""The answer engine as a serving process holds it: loaded in the background, retried, swapped.

The web app answers /healthz at once and reports the index as loading on /readyz until the engine
is warm, so a slow model load never blocks the process from starting. A failed load is retried
(at most every ``retry_seconds``) when the engine is next asked for, so an index rebuilt after a
fault is picked up without a restart; once loaded, the engine follows new builds itself.
:meth:`KnowledgeHolder.reload` builds a fresh engine and swaps it in (the one served stays if
that fails). The runtime (planbot/runtime.py) owns the one holder of a process; the web app's
routes and the actions both ask it.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable

from knowledge.answering.engine import AnswerEngine

LOG = logging.getLogger(__name__)


class EngineNotReady(RuntimeError):
    """The engine is still loading (or its load failed): an action says the service is
    unavailable rather than waiting without end."""


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
        # A condition, not a bare lock: require() may wait for a load in progress.
        self._lock = threading.Condition()
        self._loading = False
        self._failed_at: float | None = None
        self._retry_seconds = retry_seconds
        self._clock = clock

    def load(self) -> bool:
        """Build and warm an engine and serve it; an error is kept and reported, not raised
        (the engine served so far, if any, stays). True when the new engine is served."""
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
                self._lock.notify_all()
            return False
        with self._lock:
            self._engine, self._error, self._loading = engine, "", False
            self._lock.notify_all()
        # Everything loaded so far (model, index, libraries) lives as long as the process:
        # out of the collector's sight, a full collection no longer walks it (94 ms here).
        gc.freeze()
        return True

    def reload(self) -> bool:
        """A fresh engine over the current index, swapped in when it loads (same as load)."""
        return self.load()

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

    def require(self, wait: float = 0.0) -> AnswerEngine:
        """The engine; while a load is in progress wait up to ``wait`` seconds for it (the
        separate action server's first question waits for its engine, the web app's actions
        do not), then raise :class:`EngineNotReady`."""
        self._retry_if_due()
        with self._lock:
            self._lock.wait_for(lambda: self._engine is not None or not self._loading, wait)
            if self._engine is not None:
                return self._engine
            state = f"failed: {self._error}" if self._error else "loading"
        raise EngineNotReady(f"the answer engine is not ready: {state}")

    @property
    def state(self) -> str:
        self._retry_if_due()
        with self._lock:
            if self._engine is not None:
                return "ready"
            return f"failed: {self._error}" if self._error else "loading"
