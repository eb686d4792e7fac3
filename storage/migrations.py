"""Upgrading a database made by an earlier version: columns added since are added in place.

``create_all`` creates missing tables but never changes existing ones. Each step here names a
column a later version added; :func:`upgrade` adds the ones a table lacks. Only additive,
nullable changes are made this way; anything else would need a real migration tool (Alembic).
"""

from __future__ import annotations

import logging

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

LOG = logging.getLogger(__name__)

# (table, column, SQL type) in the order they were added.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("tickets", "closed_by", "VARCHAR(64)"),
    ("tickets", "closed_at", "TIMESTAMP WITH TIME ZONE"),
    ("document_versions", "published_at", "TIMESTAMP WITH TIME ZONE"),
    ("document_versions", "published_by", "VARCHAR(64)"),
    ("document_versions", "publish_note", "VARCHAR(300)"),
    ("feedback", "reply_id", "VARCHAR(64)"),
    ("feedback", "reply_text", "TEXT"),
    ("feedback", "missing", "TEXT"),
    ("tickets", "code", "VARCHAR(16)"),
    ("tickets", "answered_at", "TIMESTAMP WITH TIME ZONE"),
    ("staff_accounts", "totp_secret", "VARCHAR(64)"),
    ("staff_accounts", "totp_pending", "VARCHAR(64)"),
    ("staff_accounts", "totp_last_step", "INTEGER"),
)
# (table, index, column) of unique indexes on columns added above (create_all makes them on a
# new database; an upgraded one gets them here). Both SQLite and PostgreSQL know IF NOT EXISTS.
ADDED_UNIQUE_INDEXES: tuple[tuple[str, str, str], ...] = (("tickets", "ix_tickets_code", "code"),)


def upgrade(engine: Engine) -> list[str]:
    """Add the columns a table lacks; returns what was added (empty when up to date)."""
    added = []
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    for table, column, sql_type in ADDED_COLUMNS:
        if table not in tables:
            continue
        present = {c["name"] for c in inspector.get_columns(table)}
        if column in present:
            continue
        with engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
        LOG.warning("database upgraded: added %s.%s", table, column)
        added.append(f"{table}.{column}")
    for table, index, column in ADDED_UNIQUE_INDEXES:
        if table not in tables:
            continue
        with engine.begin() as connection:
            connection.execute(
                text(f"CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {table} ({column})")
            )
    return added
