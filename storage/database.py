"""Creating the database engine and the schema of every package that owns tables."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import DateTime, create_engine, event, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from knowledge.settings import PROJECT_ROOT


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'planbot.db'}",
        description="SQLAlchemy URL: a SQLite file under var/ by default, PostgreSQL by URL.",
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, aware on the way out on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store moments in UTC with their zone")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The one declarative base: every table of the application is in its metadata."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the action server, the web app and the CLI read while one writes; the busy
    timeout makes a writer wait for another instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet and add the columns later versions added.

    Several processes may start at once (uvicorn workers, the action server): if another one
    created a table between the check and the creation, the database refuses the second
    creation; the schema is then simply checked again.
    """
    import docstore.models  # noqa: F401
    import records.gaps
    import records.models  # noqa: F401
    import staff.models  # noqa: F401
    from storage.migrations import upgrade

    for attempt in range(3):
        try:
            Base.metadata.create_all(engine)
            upgrade(engine)
            return
        except (IntegrityError, ProgrammingError, OperationalError):
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))


def ping(engine: Engine) -> tuple[bool, str]:
    """Whether the database answers a trivial query; the state says why not."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready", reported on /readyz
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ready"
