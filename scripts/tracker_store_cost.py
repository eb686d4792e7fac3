"""What a tracker store costs per dialogue turn (run in the Rasa environment).

    .venv-rasa/bin/python scripts/tracker_store_cost.py [--sessions 200] [--turns 10]

A turn is what Rasa's MessageProcessor asks of the tracker store: the tracker is fetched
(``get_or_create_tracker``), the turn's events are appended (the resident's message with its
parse data, the action, the bot's message with a Reply payload of three citations, two slots,
action_listen: about 2.4 KB as JSON, as in a real plan question), and the tracker is saved.
Stores compared: Rasa's InMemoryTrackerStore (the old default, never forgets), the project's
ExpiringInMemoryTrackerStore (rasa_runtime/tracker_store.py) and Rasa's SQLTrackerStore on a
SQLite file. Prints the mean and 95th percentile per turn, and per turn number.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from rasa_runtime.tracker_store import ExpiringInMemoryTrackerStore

REPO = Path(__file__).resolve().parent.parent
QUOTE = "到2035年，大兴区将基本建成现代化国际化新国门、新城区，京津冀协同发展的重要支点。"


def turn_events(n: int) -> list[Any]:
    now = time.time()
    parse = {
        "text": f"京霸铁路什么时候建成 {n}",
        "intent": {"name": "ask_plan", "confidence": 0.93},
        "intent_ranking": [{"name": f"intent_{i}", "confidence": 0.01} for i in range(10)],
        "entities": [],
    }
    reply = {
        "kind": "answer",
        "text": QUOTE * 2,
        "citations": [
            {"doc_id": "plan", "anchor": f"p{i}", "heading": "第四章 › 一、", "quote": QUOTE}
            for i in range(3)
        ],
        "related": [],
        "buttons": [],
    }
    return [
        UserUttered(parse["text"], parse["intent"], [], parse, timestamp=now),
        ActionExecuted("action_answer", timestamp=now),
        BotUttered(reply["text"], {"custom": {"reply": reply}}, timestamp=now),
        SlotSet("topic", "交通", timestamp=now),
        SlotSet("last_question", parse["text"], timestamp=now),
        ActionExecuted("action_listen", timestamp=now),
    ]


async def measure(store: Any, sessions: int, turns: int) -> dict[int, list[float]]:
    per_turn: dict[int, list[float]] = {t: [] for t in range(1, turns + 1)}
    for t in range(1, turns + 1):  # interleaved, as residents' turns are
        for s in range(sessions):
            started = time.perf_counter()
            tracker = await store.get_or_create_tracker(f"session-{s}")
            tracker.update_with_events(turn_events(t), store.domain)
            await store.save(tracker)
            per_turn[t].append(time.perf_counter() - started)
    return per_turn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()
    domain = Domain.load(str(REPO / "bot" / "domain"))
    workdir = Path(tempfile.mkdtemp(prefix="tracker-cost-"))
    stores = {
        "rasa InMemoryTrackerStore": InMemoryTrackerStore(domain),
        "ExpiringInMemoryTrackerStore": ExpiringInMemoryTrackerStore(
            domain, idle_minutes=120, max_conversations=10_000
        ),
        "SQLTrackerStore (SQLite file)": SQLTrackerStore(
            domain, dialect="sqlite", db=str(workdir / "tracker.db")
        ),
    }
    print(f"{args.sessions} sessions x {args.turns} turns, interleaved; ms per turn")
    print(f"{'store':32} {'mean':>7} {'p95':>7} {'turn 1':>7} {'turn ' + str(args.turns):>8}")
    for name, store in stores.items():
        per_turn = asyncio.run(measure(store, args.sessions, args.turns))
        every = sorted(x for xs in per_turn.values() for x in xs)
        p95 = every[int(len(every) * 0.95)]
        first, last = statistics.mean(per_turn[1]), statistics.mean(per_turn[args.turns])
        print(
            f"{name:32} {statistics.mean(every) * 1e3:7.2f} {p95 * 1e3:7.2f} "
            f"{first * 1e3:7.2f} {last * 1e3:8.2f}"
        )
        if isinstance(store, InMemoryTrackerStore):
            size = sum(len(v) for v in store.store.values()) / max(len(store.store), 1)
            print(f"{'':32} {size / 1024:.1f} KB per conversation in memory")


if __name__ == "__main__":
    main()
