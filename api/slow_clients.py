"""uvicorn's HTTP protocol with the slow-client guards uvicorn lacks (finding L1).

uvicorn (0.54) has no timeout for a request that arrives slowly: ``--timeout-keep-alive`` only
runs *between* requests and is cancelled by every byte received, so a client sending its
request head or body a byte at a time holds its connection for as long as it likes, and
``--limit-concurrency`` counts those connections, so about 200 such clients made every other
caller, ``/healthz`` included, get 503. An ASGI middleware cannot help: it runs only once the
head is complete. uvicorn's supported extension point is the protocol class (``--http
module:Class``); this one is uvicorn's own httptools protocol (the one ``--http auto`` picks,
httptools is in the lock) with four additions:

* the request head must be complete within ``api_header_timeout_seconds`` of the connection
  opening (or of its first byte, for a later request on a kept-alive connection);
* the body may pause at most ``api_body_idle_seconds`` between two reads, and must be complete
  within ``api_body_timeout_seconds`` of the head;
* a connection that misses either gets a Chinese 408 and is closed;
* ``--limit-concurrency`` counts requests being *served* (their whole body received), not
  connections still sending, nor idle kept-alive ones: half-sent requests cannot crowd out
  ``/healthz`` or a chat turn. Those are bounded on their own by ``api_max_pending_requests``:
  past it the connection waiting longest is closed, so sockets cannot pile up either.

Time the server itself stops reading (uvicorn pauses reading while a pipelined request waits, or
while the app has not taken the body so far) is not counted against the client.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from weakref import WeakKeyDictionary

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

LOG = logging.getLogger("uvicorn.error")

# What the resident's browser shows if it ever renders the 408 (it retries first).
TIMEOUT_BODY = json.dumps({"detail": "请求发送超时，请重新发送。"}, ensure_ascii=False).encode()
TIMEOUT_RESPONSE = b"".join(
    [
        b"HTTP/1.1 408 Request Timeout\r\n",
        b"content-type: application/json; charset=utf-8\r\n",
        b"content-length: " + str(len(TIMEOUT_BODY)).encode() + b"\r\n",
        b"connection: close\r\n\r\n",
        TIMEOUT_BODY,
    ]
)


@dataclass(frozen=True)
class SlowClientLimits:
    header_seconds: float
    body_idle_seconds: float
    body_seconds: float
    max_pending: int


@cache
def slow_client_limits() -> SlowClientLimits:
    """Read once per process from the settings tree's web branch (``PLANBOT_API_*``), which
    every uvicorn worker is started with: uvicorn builds this protocol itself, before and apart
    from the app, so it cannot be handed the app's runtime."""
    from planbot.settings import load_settings

    return load_settings().web.slow_client_limits()


class _Pending:
    """The connections of one server still sending a request, oldest first."""

    def __init__(self) -> None:
        self.heads: dict[GuardedHttpToolsProtocol, None] = {}
        self.bodies: dict[GuardedHttpToolsProtocol, None] = {}

    def __len__(self) -> int:
        return len(self.heads) + len(self.bodies)

    def oldest(self) -> GuardedHttpToolsProtocol | None:
        for waiting in (self.heads, self.bodies):
            if waiting:
                return next(iter(waiting))
        return None


# One registry per uvicorn server (a worker process runs one; tests may run several).
_PENDING: WeakKeyDictionary[ServerState, _Pending] = WeakKeyDictionary()


def _pending(server_state: ServerState) -> _Pending:
    pending = _PENDING.get(server_state)
    if pending is None:
        pending = _PENDING[server_state] = _Pending()
    return pending


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """``uvicorn --http api.slow_clients:GuardedHttpToolsProtocol`` (planbot/launcher.py)."""

    limits: SlowClientLimits | None = None  # tests may set the limits directly

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._limits = self.limits or slow_client_limits()
        self._waiting = _pending(server_state)
        self._phase: Literal["head", "body"] | None = None
        self._phase_started = 0.0
        self._last_read = 0.0
        self._deadline: asyncio.TimerHandle | None = None

    # The request head.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for("head")

    def data_received(self, data: bytes) -> None:
        self._last_read = self.loop.time()
        if self._phase is None and self.cycle is not None and self.cycle.response_complete:
            self._wait_for("head")  # the first byte of the next request on this connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        # uvicorn refuses with 503 when its connections or tasks reach the limit; count only
        # the requests being served (tasks whose body has fully arrived).
        limit = self.config.limit_concurrency
        if limit is not None:
            served = len(self.tasks) - len(self._waiting.bodies)
            self.limit_concurrency = limit if served >= limit else None
        try:
            super().on_headers_complete()
        finally:
            self.limit_concurrency = limit
        if not self.transport.is_closing() and self.cycle is not None:
            self._wait_for("body")  # ended at once by on_message_complete when there is none

    def on_message_complete(self) -> None:
        self._stop_waiting()
        super().on_message_complete()

    def handle_websocket_upgrade(self) -> None:
        self._stop_waiting()
        super().handle_websocket_upgrade()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    # The deadlines.
    def _wait_for(self, phase: Literal["head", "body"]) -> None:
        self._stop_waiting()
        if len(self._waiting) >= self._limits.max_pending:
            oldest = self._waiting.oldest()
            if oldest is not None:
                LOG.warning("%d requests still arriving: closing the oldest", len(self._waiting))
                oldest._give_up()
        self._phase = phase
        self._phase_started = self._last_read = self.loop.time()
        (self._waiting.heads if phase == "head" else self._waiting.bodies)[self] = None
        self._deadline = self.loop.call_at(self._due(), self._check)

    def _due(self) -> float:
        if self._phase == "head":
            return self._phase_started + self._limits.header_seconds
        return min(
            self._phase_started + self._limits.body_seconds,
            self._last_read + self._limits.body_idle_seconds,
        )

    def _check(self) -> None:
        self._deadline = None
        if self._phase is None:
            return
        now = self.loop.time()
        if self.flow is not None and self.flow.read_paused:
            # The server is not reading (a pipelined request waits, or the app has not taken
            # the body so far): not the client's delay, so its time starts again.
            self._phase_started = self._last_read = now
        due = self._due()
        if now < due:
            self._deadline = self.loop.call_at(due, self._check)
            return
        LOG.info("request %s not complete in time: closing the connection", self._phase)
        self._give_up()

    def _give_up(self) -> None:
        """Answer 408 when nothing was answered yet, and close."""
        phase = self._phase
        self._stop_waiting()
        if self.transport is None or self.transport.is_closing():
            return
        cycle = self.cycle
        answered = cycle is not None and cycle.response_started and phase == "body"
        if not answered:
            self.transport.write(TIMEOUT_RESPONSE)
        if cycle is not None and not cycle.response_complete:
            # The app (waiting for the body) gets a disconnect and writes nothing more.
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()

    def _stop_waiting(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self._phase is not None:
            self._waiting.heads.pop(self, None)
            self._waiting.bodies.pop(self, None)
            self._phase = None
