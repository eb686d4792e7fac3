"""Deciding typed messages while Rasa reads them (api/prefetch.py, api/routers/chat.py)."""

from __future__ import annotations

import threading
from typing import Any

from api.prefetch import DecisionPrefetcher
from api.routers.chat import _decide_ahead


class SlowEngine:
    """Records each message it is asked to decide; holds the worker until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.decided: list[str] = []

    def prefetch(self, question: str) -> None:
        self.release.wait(5)
        self.decided.append(question)


class Holder:
    def __init__(self, engine: Any) -> None:
        self.engine = engine


def test_a_message_is_decided_on_the_prefetch_thread() -> None:
    engine = SlowEngine()
    engine.release.set()
    prefetcher = DecisionPrefetcher()
    assert prefetcher.start(engine, "京霸铁路什么时候通车")  # type: ignore[arg-type]
    prefetcher.close(drain=True)
    assert engine.decided == ["京霸铁路什么时候通车"]


def test_when_the_worker_is_behind_a_message_is_skipped_not_queued() -> None:
    engine = SlowEngine()
    prefetcher = DecisionPrefetcher(backlog=1)
    started = [prefetcher.start(engine, f"问题{i}") for i in range(4)]  # type: ignore[arg-type]
    assert started == [True, True, False, False]
    engine.release.set()
    prefetcher.close(drain=True)
    assert engine.decided == ["问题0", "问题1"]


def test_a_message_with_a_personal_number_is_not_decided_ahead() -> None:
    engine = SlowEngine()
    engine.release.set()
    prefetcher = DecisionPrefetcher()
    _decide_ahead(prefetcher, Holder(engine), "我的电话是13912345678")  # type: ignore[arg-type]
    _decide_ahead(prefetcher, Holder(None), "京霸铁路什么时候通车")  # type: ignore[arg-type]
    _decide_ahead(prefetcher, Holder(engine), "京霸铁路什么时候通车")  # type: ignore[arg-type]
    prefetcher.close(drain=True)
    assert engine.decided == ["京霸铁路什么时候通车"]
