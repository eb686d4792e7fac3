"""A small thread-safe memo of the most recent results, each computed once ("single flight").

Why: a resident's message is embedded and decided on by more than one caller moments apart (the
web app embeds it for Rasa's NLU and starts deciding it while Rasa reads it; the answering action
then asks for the same decision). A plain LRU lets two callers that miss at once both compute;
here the second waits for the first one's result instead, so the work is done once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    currsize: int


class RecentResults(Generic[T]):
    """The results of the last ``size`` keys. A failed computation is not remembered: the
    caller that ran it gets the exception, and the next caller computes again."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self._size = size
        self._items: OrderedDict[Hashable, Future[T]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result for ``key``: remembered, being computed by another caller (then waited
        for), or computed now with ``make``."""
        with self._lock:
            future = self._items.get(key)
            owner = future is None
            if future is None:
                future = Future()
                self._items[key] = future
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
                self.misses += 1
            else:
                self._items.move_to_end(key)
                self.hits += 1
        if owner:
            try:
                future.set_result(make())
            except BaseException as exc:
                with self._lock:
                    if self._items.get(key) is future:
                        del self._items[key]
                future.set_exception(exc)
        return future.result()

    def info(self) -> CacheInfo:
        """Hits and misses so far (tests and diagnostics)."""
        with self._lock:
            return CacheInfo(self.hits, self.misses, len(self._items))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
