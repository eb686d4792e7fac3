"""A small gate in front of password checks.

argon2id is slow and memory-hard on purpose (64 MiB and tens of milliseconds per check with the
library's defaults): 40 log-ins at once took this 2-core machine's app from 1.6 to 2.5 GB and
both cores for seconds. Here at most ``concurrency`` checks run at a time, each in a worker
thread (off the event loop); the others wait on the event loop, not in threads, so a flood of
log-ins cannot occupy the thread pool that the staff pages' other routes run in either. A
check that cannot start within ``queue_seconds`` is refused as busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class PasswordGateBusy(RuntimeError):
    """No slot for a password check came free in time."""


class PasswordGate:
    def __init__(self, concurrency: int, queue_seconds: float) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._slots = asyncio.Semaphore(concurrency)
        self._queue_seconds = queue_seconds

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the slots; raises :class:`PasswordGateBusy` after ``queue_seconds``."""
        try:
            async with asyncio.timeout(self._queue_seconds):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise PasswordGateBusy("no free slot for a password check") from exc
        try:
            yield
        finally:
            self._slots.release()
