"""A database made by an earlier version is upgraded in place, its records kept."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from records.store import RecordStore
from storage.database import create_database_engine, create_schema

# The tickets table as the first release created it (before tickets could be closed).
FIRST_RELEASE_TICKETS = """
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY, created_at DATETIME, kind VARCHAR(32), status VARCHAR(16),
    session_id VARCHAR(64), summary TEXT, contact VARCHAR(200), details JSON, transcript JSON
)"""


def test_an_old_tickets_table_gains_its_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(text(FIRST_RELEASE_TICKETS))
        connection.execute(
            text(
                "INSERT INTO tickets VALUES (1, '2026-11-01 10:00:00', 'handoff', 'open', 's',"
                " '转人工', NULL, '{}', '[]')"
            )
        )
    create_schema(engine)
    create_schema(engine)  # a second start changes nothing
    store = RecordStore(engine)
    (old,) = store.tickets()
    assert old.summary == "转人工" and old.closed_by is None
    store.add_ticket(kind="handoff", session_id="s2", transcript=[])
    closed = store.set_ticket_status(old.id, "closed", by="admin")
    assert closed is not None and closed.closed_by == "admin"
