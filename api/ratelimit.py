"""A per-client limit on chat turns (a sliding one-minute window, in memory).

One process serves one machine's share of clients; with several replicas behind a load balancer
each keeps its own window, which bounds a client at (replicas x limit) — acceptable for a
public information service whose limit is against floods, not a quota.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, per_minute: int, *, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = per_minute
        self._window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = 0.0
        self._clock = clock

    def check(self, client: str) -> float:
        """Count one event; 0 when the client may go on, else the seconds until it may."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] >= self._window:
                hits.popleft()
            if len(hits) >= self._limit:
                return self._window - (now - hits[0])
            hits.append(now)
            if len(self._hits) > 10_000 and now - self._swept > self._window:
                # Forget clients whose last event is older than the window (at most once per
                # window, so a flood of new addresses cannot make every request scan them all).
                self._swept = now
                stale = [k for k, v in self._hits.items() if not v or now - v[-1] >= self._window]
                for key in stale:
                    del self._hits[key]
            return 0.0

    def forget(self, client: str) -> None:
        """Drop a client's count (a successful log-in clears the failures before it)."""
        with self._lock:
            self._hits.pop(client, None)
