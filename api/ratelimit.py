"""Rate limits on the public chat, search and staff log-in, through the maintained ``limits``
package.

The counts live in one ``limits`` storage: the process's memory by default, or Redis in the
production profile (the Redis that already serves Rasa's lock store), so that every replica
and every uvicorn worker counts against one limit instead of each keeping its own.

Clients are keyed by the address the connection comes from. That is the resident's address
only because uvicorn trusts ``X-Forwarded-For`` from the configured proxies alone
(``PLANBOT_FORWARDED_ALLOW_IPS``, see planbot/launcher.py); an IPv6 client is keyed by its /64,
since one household or attacker holds a whole /64.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from urllib.parse import quote

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.responses import JSONResponse

LOG = logging.getLogger(__name__)


class LimitStoreUnavailable(RuntimeError):
    """The shared count (Redis) cannot be reached; each caller decides whether to go on."""


def storage_uri(
    explicit: str,
    *,
    redis_host: str,
    redis_port: int,
    redis_password: str,
    redis_db: int,
) -> str:
    """Where the counts live: ``explicit`` (a ``limits`` URI) when given, else the Redis of the
    production profile when ``PLANBOT_REDIS_HOST`` is set, else this process's memory."""
    if explicit:
        return explicit
    if redis_host:
        auth = f":{quote(redis_password, safe='')}@" if redis_password else ""
        return f"async+redis://{auth}{redis_host}:{redis_port}/{redis_db}"
    return "async+memory://"


def client_key(request: Request) -> str:
    """The client as the limits count it: the connection's address (IPv6 by its /64)."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Rules:
    """The limits the app applies, from the settings."""

    chat: RateLimitItem
    search: RateLimitItem
    login_address: RateLimitItem
    login_account: RateLimitItem

    @classmethod
    def per(
        cls,
        *,
        chat_per_minute: int,
        search_per_minute: int,
        login_per_minute: int,
        login_account_per_hour: int,
    ) -> Rules:
        return cls(
            chat=RateLimitItemPerMinute(chat_per_minute, namespace="planbot-chat"),
            search=RateLimitItemPerMinute(search_per_minute, namespace="planbot-search"),
            login_address=RateLimitItemPerMinute(login_per_minute, namespace="planbot-login"),
            login_account=RateLimitItemPerHour(
                login_account_per_hour, namespace="planbot-login-account"
            ),
        )


class RateLimits:
    """A moving one-window count per (rule, key), as the old in-memory limiter kept, but in a
    storage every replica can share. Every method raises :class:`LimitStoreUnavailable` when
    that storage cannot be reached."""

    def __init__(self, uri: str, rules: Rules) -> None:
        options: dict[str, float | str | bool] = {"wrap_exceptions": True}
        if uri.startswith("async+redis"):
            # redis-py is already in the lock (the production profile); no second client.
            options["implementation"] = "redispy"
        storage = storage_from_string(uri, **options)
        if not isinstance(storage, Storage):
            raise ValueError(f"not an asynchronous limits storage: {uri.split('://')[0]}")
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(self._storage)
        self.rules = rules
        self.uri_scheme = uri.split("://", 1)[0]

    async def hit(self, rule: RateLimitItem, key: str) -> float:
        """Count one event; 0 when it is allowed, else the seconds until one would be."""
        try:
            if await self._limiter.hit(rule, key):
                return 0.0
        except StorageError as exc:
            raise LimitStoreUnavailable(str(exc)) from exc
        return await self.retry_after(rule, key)

    async def test(self, rule: RateLimitItem, key: str) -> float:
        """Like :meth:`hit` without counting: 0 while one more event is allowed."""
        try:
            if await self._limiter.test(rule, key):
                return 0.0
        except StorageError as exc:
            raise LimitStoreUnavailable(str(exc)) from exc
        return await self.retry_after(rule, key)

    async def retry_after(self, rule: RateLimitItem, key: str) -> float:
        try:
            stats = await self._limiter.get_window_stats(rule, key)
        except StorageError as exc:
            raise LimitStoreUnavailable(str(exc)) from exc
        return max(1.0, stats.reset_time - time.time())

    async def clear(self, rule: RateLimitItem, key: str) -> None:
        """Forget a key's count (a successful log-in clears its account's failures)."""
        try:
            await self._limiter.clear(rule, key)
        except StorageError as exc:
            raise LimitStoreUnavailable(str(exc)) from exc


async def public_limit(limits: RateLimits, rule: RateLimitItem, request: Request) -> float:
    """The wait a public caller (chat, search) must keep, 0 to go on. With the shared count
    away, residents are still answered: a limit against floods is not worth an outage."""
    try:
        return await limits.hit(rule, client_key(request))
    except LimitStoreUnavailable as exc:
        LOG.warning("rate-limit store unavailable, request allowed: %s", exc)
        return 0.0


def too_many_requests(wait: float, detail: str) -> JSONResponse:
    """The 429 a limited client gets: what is wrong, in Chinese, and when to try again."""
    return JSONResponse(
        status_code=429, content={"detail": detail}, headers={"Retry-After": str(int(wait) + 1)}
    )
