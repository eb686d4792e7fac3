"""The single-flight memo of recent results (knowledge.memo)."""

from __future__ import annotations

import threading
import time

import pytest

from knowledge.memo import RecentResults


def test_a_result_is_computed_once_and_remembered() -> None:
    memo: RecentResults[str] = RecentResults(4)
    calls: list[str] = []

    def make() -> str:
        calls.append("made")
        return "answer"

    assert memo.get("q", make) == "answer"
    assert memo.get("q", make) == "answer"
    assert calls == ["made"]
    assert memo.info().hits == 1 and memo.info().misses == 1


def test_a_caller_arriving_while_it_is_computed_waits_for_that_result() -> None:
    memo: RecentResults[int] = RecentResults(4)
    started, calls, results = threading.Event(), [], []

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return 42

    first = threading.Thread(target=lambda: results.append(memo.get("q", slow)))
    first.start()
    started.wait(5)
    results.append(memo.get("q", slow))  # arrives mid-computation
    first.join(5)
    assert results == [42, 42] and calls == [1]


def test_a_failure_is_raised_to_its_caller_and_not_remembered() -> None:
    memo: RecentResults[str] = RecentResults(4)

    def broken() -> str:
        raise RuntimeError("model missing")

    with pytest.raises(RuntimeError):
        memo.get("q", broken)
    assert memo.get("q", lambda: "fine") == "fine"


def test_it_is_bounded_and_forgets_the_least_recent() -> None:
    memo: RecentResults[str] = RecentResults(2)
    for key in ["a", "b", "a", "c"]:  # "a" was used after "b": "b" goes
        memo.get(key, lambda key=key: key)
    assert len(memo) == 2
    assert memo.get("b", lambda: "again") == "again"
    with pytest.raises(ValueError):
        RecentResults(0)
