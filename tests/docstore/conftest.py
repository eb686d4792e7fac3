"""A document store on a fresh SQLite file per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from docstore.store import DocumentStore
from storage.database import create_database_engine, create_schema


@pytest.fixture
def database(tmp_path: Path) -> Engine:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    return engine


@pytest.fixture
def store(database: Engine) -> DocumentStore:
    return DocumentStore(database)
