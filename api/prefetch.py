"""Deciding a resident's message while Rasa reads it, on a thread of its own.

The answering action runs in this process (api/actions_host.py) and asks the engine for the
message's decision moments after Rasa has read it; started when the message arrives, that
decision is made while Rasa works, and the action finds it made (AnswerEngine.prefetch, a
single-flight memo). Why a thread of its own: the actions answer on the event loop's default
executor, and a prefetch queued there (a greeting's, or a fragment's the action never asks alone)
would wait ahead of a real answer under load. One worker and a short backlog: when it is behind,
a message is not prefetched and its action decides it as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

from knowledge.answering.engine import AnswerEngine

# Messages that may wait for the worker; beyond that a prefetch is skipped, never queued.
BACKLOG = 2


class DecisionPrefetcher:
    def __init__(self, backlog: int = BACKLOG) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planbot-prefetch")
        self._backlog = backlog
        self._pending = 0
        self._lock = threading.Lock()

    def start(self, engine: AnswerEngine, message: str) -> bool:
        """Start deciding ``message``; False when the worker is too far behind (skipped)."""
        with self._lock:
            if self._pending > self._backlog:
                return False
            self._pending += 1
        future = self._pool.submit(engine.prefetch, message)
        future.add_done_callback(self._done)
        return True

    def _done(self, _: Future[None]) -> None:
        with self._lock:
            self._pending -= 1

    def close(self, *, drain: bool = False) -> None:
        """Stop: messages not yet started are dropped, or with ``drain`` all are decided first."""
        self._pool.shutdown(wait=drain, cancel_futures=not drain)
