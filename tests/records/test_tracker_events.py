"""The retention rule reaches Rasa's SQL tracker store (the production profile): the app's
hourly housekeeping deletes the ``events`` rows older than the retention, and keeps the rest.

Rasa itself (``.venv-rasa``) writes the conversations with its ``SQLTrackerStore`` and reads
them back after the purge, so the table is exactly Rasa's: on a private PostgreSQL (as in
tests/production) and on SQLite.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from api.main import _housekeeping
from api.settings import Settings
from records.store import RecordStore
from records.tracker_events import TrackerEvents
from tests.conftest import skip_or_fail
from tests.production.servers import Postgres, postgres_bin, postgres_server
from tests.rasa_runtime.rasa_env import run_in_rasa

DAY = 86_400.0

RASA = r"""
import asyncio, json, sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

options, mode, now = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])
store = SQLTrackerStore(Domain.load("bot/domain"), **options)
DAY = 86_400.0
AGES = {"old": [200, 199], "recent": [2, 1], "long": [400, 30, 1]}  # days ago, per turn


async def write():
    for sender, ages in AGES.items():
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for age in ages:
            at = now - age * DAY
            tracker.update(UserUttered("你好", {"name": "greet", "confidence": 1.0}, timestamp=at))
            tracker.update(ActionExecuted("action_listen", timestamp=at))
        await store.save(tracker)


async def read():
    out = {}
    for sender in AGES:
        tracker = await store.retrieve_full_tracker(sender)
        events = tracker.events if tracker else []
        out[sender] = sorted(round((now - e.timestamp) / DAY) for e in events)
    return out


print(json.dumps(asyncio.run(write()) if mode == "write" else asyncio.run(read())))
"""


def _rasa(options: dict[str, Any], mode: str, now: float) -> Any:
    return run_in_rasa(RASA, json.dumps(options), mode, str(now))


def _check_purge(options: dict[str, Any], purge: Any) -> None:
    now = time.time()
    _rasa(options, "write", now)
    before = _rasa(options, "read", now)
    assert before == {
        "old": [199, 199, 200, 200],
        "recent": [1, 1, 2, 2],
        "long": [1, 1, 30, 30, 400, 400],
    }
    deleted = purge()
    assert deleted == 6  # two events a turn: old's two turns, long's first
    after = _rasa(options, "read", now)
    # (c) nothing older than the retention is left; what is younger is all there
    assert after == {"old": [], "recent": [1, 1, 2, 2], "long": [1, 1, 30, 30]}


def test_the_purge_on_rasas_sqlite_tracker_store(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    events = TrackerEvents(f"sqlite:///{db}")
    assert events.purge_older_than(180) == 0  # before Rasa has created its table
    _check_purge({"dialect": "sqlite", "db": str(db)}, lambda: events.purge_older_than(180))


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    if postgres_bin() is None:
        skip_or_fail("PostgreSQL is not installed (make setup installs it)")
    with postgres_server(["planbot_tracker"]) as server:
        yield server


@pytest.mark.integration
def test_the_apps_retention_job_purges_rasas_postgresql_events(
    postgres: Postgres, tmp_path: Path
) -> None:
    """The production profile: the app given the same PLANBOT_TRACKER_DB_* settings as Rasa
    deletes the old events in its hourly housekeeping."""
    settings = Settings(
        tracker_db_host="127.0.0.1",
        tracker_db_port=postgres.port,
        tracker_db_name="planbot_tracker",
        tracker_db_user=postgres.user,
        tracker_db_password=postgres.password,
        conversation_retention_days=180,
    )
    url = settings.tracker_database_url()
    assert url is not None
    rasa_options = {
        "dialect": "postgresql",
        "host": "127.0.0.1",
        "port": postgres.port,
        "db": "planbot_tracker",
        "username": postgres.user,
        "password": postgres.password,
    }
    records = RecordStore(f"sqlite:///{tmp_path / 'app.db'}")
    records.create_schema()
    tracker_events = TrackerEvents(url)
    counted: list[int] = []

    def purge_once() -> int:
        def counting(days: int) -> int:
            counted.append(tracker_events.purge_older_than(days))
            return counted[-1]

        # The two things the housekeeping reads: the runtime (settings tree, records) and the
        # web services (tokens, Rasa's tracker events).
        runtime = SimpleNamespace(settings=SimpleNamespace(web=settings), records=records)
        web = SimpleNamespace(
            tokens=SimpleNamespace(purge_expired=lambda: None),
            tracker_events=SimpleNamespace(purge_older_than=counting),
        )

        async def one_round() -> None:
            task = asyncio.create_task(_housekeeping(runtime, web))  # type: ignore[arg-type]
            while not counted:
                await asyncio.sleep(0.05)
            task.cancel()

        # In a thread of its own: earlier tests in the same process (Playwright's sync API)
        # may leave an event loop running in this one, and asyncio.run refuses to nest.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, one_round()).result(timeout=60)
        return counted[-1]

    try:
        _check_purge(rasa_options, purge_once)
    finally:
        tracker_events.dispose()
