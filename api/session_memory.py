"""What the web service remembers about a conversation for a while: the buttons it offered and
the replies it issued (for feedback on exactly that reply).

A button carries a random id instead of its payload; a click sends the id back and the service
sends Rasa the payload it offered in that conversation, so nothing a resident types or forges can
reach Rasa as an intent, a slot or a reset. Entries expire after ``ttl_seconds``. With the
production profile's Redis (``PLANBOT_REDIS_HOST``, already shared by the replicas for the rate
limits) every replica sees the same entries; otherwise they live in this process's memory,
bounded in number.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

LOG = logging.getLogger(__name__)


def new_id() -> str:
    """A random, unguessable id (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


class SessionMemory(Protocol):
    async def remember(self, session_id: str, key: str, value: dict[str, Any]) -> None: ...

    async def recall(self, session_id: str, key: str) -> dict[str, Any] | None: ...

    async def claim(self, session_id: str, key: str) -> bool:
        """True the first time ``key`` is claimed in the session (until it expires)."""
        ...

    async def close(self) -> None: ...


class LocalMemory:
    """This process's memory: expiring entries, the oldest dropped beyond ``max_entries`` (a
    reply's entry holds its citations, 1-3 KB: at most about 100 MB under a flood, which the
    rate limits make slow to reach)."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._items: OrderedDict[tuple[str, str], tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if expires > now and len(self._items) <= self._max:
                break
            del self._items[key]

    async def remember(self, session_id: str, key: str, value: dict[str, Any]) -> None:
        now = self._clock()
        with self._lock:
            self._items.pop((session_id, key), None)
            self._items[(session_id, key)] = (now + self._ttl, value)
            self._prune(now)

    async def recall(self, session_id: str, key: str) -> dict[str, Any] | None:
        now = self._clock()
        with self._lock:
            found = self._items.get((session_id, key))
            if found is None or found[0] <= now:
                return None
            return found[1]

    async def claim(self, session_id: str, key: str) -> bool:
        now = self._clock()
        with self._lock:
            found = self._items.get((session_id, key))
            if found is not None and found[0] > now:
                return False
            self._items.pop((session_id, key), None)
            self._items[(session_id, key)] = (now + self._ttl, {})
            self._prune(now)
            return True

    async def close(self) -> None:
        return None


class RedisMemory:
    """The production profile's Redis, shared by the replicas. A Redis fault is logged and
    counts as "not remembered": a button click is then refused with its Chinese message, never
    a 5xx."""

    PREFIX = "planbot:session:"

    def __init__(self, client: Any, ttl_seconds: float) -> None:
        self._redis = client
        self._ttl = max(1, int(ttl_seconds))

    @classmethod
    def connect(
        cls, *, host: str, port: int, password: str, db: int, ttl_seconds: float
    ) -> RedisMemory:
        import redis.asyncio

        client = redis.asyncio.Redis(
            host=host, port=port, password=password or None, db=db, socket_timeout=3
        )
        return cls(client, ttl_seconds)

    def _key(self, session_id: str, key: str) -> str:
        return f"{self.PREFIX}{session_id}:{key}"

    async def remember(self, session_id: str, key: str, value: dict[str, Any]) -> None:
        try:
            await self._redis.set(
                self._key(session_id, key), json.dumps(value, ensure_ascii=False), ex=self._ttl
            )
        except Exception as exc:
            LOG.warning("redis: could not remember %s: %s", key[:2], exc.__class__.__name__)

    async def recall(self, session_id: str, key: str) -> dict[str, Any] | None:
        try:
            raw = await self._redis.get(self._key(session_id, key))
        except Exception as exc:
            LOG.warning("redis: could not recall %s: %s", key[:2], exc.__class__.__name__)
            return None
        if raw is None:
            return None
        value = json.loads(raw)
        return value if isinstance(value, dict) else None

    async def claim(self, session_id: str, key: str) -> bool:
        try:
            done = await self._redis.set(self._key(session_id, key), "{}", ex=self._ttl, nx=True)
        except Exception as exc:
            LOG.warning("redis: could not claim %s: %s", key[:2], exc.__class__.__name__)
            return False
        return bool(done)

    async def close(self) -> None:
        await self._redis.aclose()
