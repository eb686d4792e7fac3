"""The knowledge core as the web app holds it: loaded in the background after start-up.

The app answers /healthz at once and reports the index as loading on /readyz until the engine is
warm, so a slow model load never blocks the process from starting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from knowledge.answering.engine import AnswerEngine

LOG = logging.getLogger(__name__)


class KnowledgeHolder:
    def __init__(self, factory: Callable[[], AnswerEngine]) -> None:
        self._factory = factory
        self._engine: AnswerEngine | None = None
        self._error = ""
        self._lock = threading.Lock()

    def load(self) -> None:
        """Build and warm the engine; an error is kept and reported, not raised."""
        try:
            engine = self._factory()
            engine.warm_up()
        except Exception as exc:  # reported by /readyz; the chat still works through Rasa
            LOG.exception("the knowledge index could not be loaded")
            with self._lock:
                self._error = f"{exc.__class__.__name__}: {exc}"
            return
        with self._lock:
            self._engine, self._error = engine, ""

    def start_loading(self) -> threading.Thread:
        thread = threading.Thread(target=self.load, name="knowledge-loader", daemon=True)
        thread.start()
        return thread

    @property
    def engine(self) -> AnswerEngine | None:
        with self._lock:
            return self._engine

    @property
    def state(self) -> str:
        with self._lock:
            if self._engine is not None:
                return "ready"
            return f"failed: {self._error}" if self._error else "loading"
