"""The app's hold on the knowledge core: a failed load is reported, then retried."""

from __future__ import annotations

import time

from knowledge.answering.engine import AnswerEngine
from planbot.holder import KnowledgeHolder


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Engine:
    def warm_up(self) -> None:
        pass


def test_a_failed_load_is_retried_after_the_interval() -> None:
    attempts: list[float] = []
    clock = Clock()

    def factory() -> AnswerEngine:
        attempts.append(clock.now)
        if len(attempts) == 1:
            raise OSError("index damaged")
        return Engine()  # type: ignore[return-value]

    holder = KnowledgeHolder(factory, retry_seconds=15, clock=clock)
    holder.load()
    assert holder.state == "failed: OSError: index damaged" and holder.engine is None
    clock.now = 10
    assert holder.engine is None and len(attempts) == 1  # not yet
    clock.now = 16
    holder.engine  # noqa: B018 - asking starts the retry in the background
    for _ in range(100):
        if holder.state == "ready":
            break
        time.sleep(0.01)
    assert holder.state == "ready" and attempts == [0, 16]
