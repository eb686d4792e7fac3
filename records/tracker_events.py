"""The retention rule on Rasa's SQL tracker store (the production profile's PostgreSQL).

Rasa's ``SQLTrackerStore`` keeps every event of every conversation in one table, ``events``
(``id, sender_id, type_name, timestamp, intent_name, action_name, data``; ``timestamp`` is the
event's time in seconds since the epoch, a float). Nothing in Rasa ever deletes them, so the web
app's retention job (``api/main.py``, hourly) calls :meth:`TrackerEvents.purge_older_than` with
``PLANBOT_CONVERSATION_RETENTION_DAYS`` when ``PLANBOT_TRACKER_DB_HOST`` is set (the app is
given the same ``PLANBOT_TRACKER_DB_*`` settings as Rasa). Rows are deleted one by one by their
own time: an old conversation disappears whole, a long one loses only what is past the
retention (Rasa reads a conversation from its latest session start, so an active session is
never cut).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Float, MetaData, Table, delete, inspect
from sqlalchemy.engine import Engine

from storage.database import create_database_engine

# Only the columns the purge names; the table is Rasa's, never created or altered here.
_EVENTS = Table("events", MetaData(), Column("timestamp", Float))


class TrackerEvents:
    def __init__(self, database: Engine | str) -> None:
        self._engine = create_database_engine(database) if isinstance(database, str) else database

    def purge_older_than(self, days: int, *, now: datetime | None = None) -> int:
        """Delete the events older than ``days``; returns how many went (0 before Rasa has
        created its table)."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).timestamp()
        with self._engine.begin() as connection:
            if not inspect(connection).has_table(_EVENTS.name):
                return 0
            result = connection.execute(delete(_EVENTS).where(_EVENTS.c.timestamp < cutoff))
            return int(result.rowcount or 0)

    def dispose(self) -> None:
        self._engine.dispose()
