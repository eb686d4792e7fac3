"""The app's Prometheus metrics (``GET /metrics``), with Prometheus' own client library.

All series are named ``planbot_*`` and live on one :class:`Metrics` object that
:func:`api.main.create_app` makes per app, each with its own registry: two apps in one test
process never share a count, and nothing is registered at import.

Several uvicorn workers serve one port, and a scrape reaches only one of them. With
``PROMETHEUS_MULTIPROC_DIR`` set (prometheus-client's own switch, read by the library when it is
imported; ``planbot serve`` sets it for more than one worker) every worker writes its values to
files in that directory and a scrape adds up all workers' files, so each replica exposes one
consistent view of all its workers. Without it (one worker: ``make run``, the tests) the values
live in this process.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

from knowledge.answering.reply import Reply

# Seconds. A greeting takes 25-40 ms and a question 50-90 ms unloaded; a turn that waits for
# Rasa's admission queue may take up to its 20 s limit (docs/BENCHMARKS.md).
CHAT_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)
SEARCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# A publish re-embeds one document (about 1 s); a first build of 200 documents takes ~70 s.
BUILD_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

# The components /readyz reports (api/routers/health.py).
COMPONENTS = ("rasa", "actions", "index", "database")


class Metrics:
    """Every series the app exposes; ``multiprocess_dir`` is where all workers' values are
    (empty: this process only)."""

    def __init__(self, *, multiprocess_dir: str | Path = "") -> None:
        self.multiprocess_dir = str(multiprocess_dir)
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.replies = Counter(
            "planbot_chat_replies",
            "Replies sent to residents by /api/chat, by reply kind (a turn may send several).",
            ["kind"],
            registry=r,
        )
        self.turns = Counter("planbot_chat_turns", "Chat turns answered by /api/chat.", registry=r)
        self.declines = Counter(
            "planbot_chat_declines",
            "no_answer replies by the answer engine's reason (knowledge/answering/reasons.py).",
            ["reason"],
            registry=r,
        )
        self.chat_seconds = Histogram(
            "planbot_chat_turn_seconds",
            "Time of a chat turn in the web app: admission queue, Rasa and the actions.",
            buckets=CHAT_BUCKETS,
            registry=r,
        )
        self.search_seconds = Histogram(
            "planbot_search_seconds",
            "Time of a /api/search lookup in the index (embedding the query included).",
            buckets=SEARCH_BUCKETS,
            registry=r,
        )
        self.index_builds = Counter(
            "planbot_index_builds",
            "Index builds run by this replica's builder, by outcome (ok or failed).",
            ["outcome"],
            registry=r,
        )
        self.index_build_seconds = Histogram(
            "planbot_index_build_seconds",
            "Duration of an index build (only changed documents are re-embedded).",
            buckets=BUILD_BUCKETS,
            registry=r,
        )
        self.queue_waiting = Gauge(
            "planbot_rasa_queue_waiting",
            "Chat turns waiting for a free Rasa slot (the admission queue), all workers.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.in_flight = Gauge(
            "planbot_rasa_in_flight",
            "Webhook calls open to Rasa now, all workers (see PLANBOT_RASA_MAX_IN_FLIGHT).",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.busy = Counter(
            "planbot_rasa_queue_timeouts",
            "Turns that waited longer than PLANBOT_RASA_QUEUE_SECONDS and got the busy reply.",
            registry=r,
        )
        self.component_ready = Gauge(
            "planbot_component_ready",
            "1 when the component answers (as /readyz reports it), else 0; set at each scrape.",
            ["component"],
            registry=r,
            multiprocess_mode="livemostrecent",
        )
        self.ready = Gauge(
            "planbot_ready",
            "1 when /readyz would answer 200 (Rasa, the actions and the index ready).",
            registry=r,
            multiprocess_mode="livemostrecent",
        )
        for kind in ("answer", "no_answer", "chitchat", "handoff", "form", "error"):
            self.replies.labels(kind=kind)  # every kind shows from the start, at 0
        for outcome in ("ok", "failed"):
            self.index_builds.labels(outcome=outcome)

    def record_turn(self, replies: Iterable[Reply], decline_reasons: Iterable[str]) -> None:
        """One turn's replies, and the reasons of its declines."""
        self.turns.inc()
        for reply in replies:
            self.replies.labels(kind=reply.kind).inc()
        for reason in decline_reasons:
            self.declines.labels(reason=reason).inc()

    def record_build(self, outcome: str, seconds: float) -> None:
        self.index_builds.labels(outcome=outcome).inc()
        self.index_build_seconds.observe(seconds)

    def record_readiness(self, ready: bool, components: Mapping[str, bool]) -> None:
        self.ready.set(1 if ready else 0)
        for name, ok in components.items():
            self.component_ready.labels(component=name).set(1 if ok else 0)

    def render(self) -> bytes:
        """The text exposition: this process's registry, or every worker's files."""
        if not self.multiprocess_dir:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(  # type: ignore[no-untyped-call]
            merged, path=self.multiprocess_dir
        )
        return generate_latest(merged)

    def close(self) -> None:
        """At a worker's exit: its live gauges (queue, readiness) stop counting."""
        if self.multiprocess_dir:
            prometheus_multiprocess.mark_process_dead(  # type: ignore[no-untyped-call]
                os.getpid(), self.multiprocess_dir
            )


# The text format every Prometheus version reads (the series' names need nothing newer).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
