"""A document store made before change notes existed is upgraded in place, its versions kept."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from docstore.store import DocumentStore
from storage.database import create_database_engine, create_schema

# The two document tables as they were before publishing recorded who, when and why.
BEFORE_PUBLISH_NOTES = (
    """CREATE TABLE documents (
        doc_id VARCHAR(128) PRIMARY KEY, created_at DATETIME, created_by VARCHAR(64),
        latest_version INTEGER, published_version INTEGER, published_at DATETIME,
        deleted_at DATETIME, origin VARCHAR(16), source_hash VARCHAR(64))""",
    """CREATE TABLE document_versions (
        id INTEGER PRIMARY KEY, doc_id VARCHAR(128) REFERENCES documents(doc_id) ON DELETE CASCADE,
        version INTEGER, title VARCHAR(300), metadata JSON, content TEXT,
        content_hash VARCHAR(64), created_at DATETIME, created_by VARCHAR(64), note VARCHAR(300),
        CONSTRAINT uq_document_version UNIQUE (doc_id, version))""",
    "INSERT INTO documents VALUES ('notice', '2026-11-01 10:00:00', 'admin', 1, 1,"
    " '2026-11-01 10:00:00', NULL, 'staff', NULL)",
    "INSERT INTO document_versions VALUES (1, 'notice', 1, '通知', '{}', '# 一\n\n正文。',"
    " 'x', '2026-11-01 10:00:00', 'admin', '')",
)


def test_old_versions_gain_the_publish_columns_and_can_be_published_with_a_note(
    tmp_path: Path,
) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        for statement in BEFORE_PUBLISH_NOTES:
            connection.execute(text(statement))
    create_schema(engine)
    create_schema(engine)  # a second start changes nothing
    columns = {c["name"] for c in inspect(engine).get_columns("document_versions")}
    assert {"published_at", "published_by", "publish_note"} <= columns
    store = DocumentStore(engine)
    (old,) = store.history("notice")
    assert old.content == "# 一\n\n正文。" and old.publish_note is None
    store.update("notice", "# 一\n\n新正文。", base_version=1, actor="admin")
    store.publish("notice", actor="admin", note="改正文")
    latest, first = store.history("notice")
    assert latest.publish_note == "改正文" and latest.published_by == "admin"
    assert first.publish_note is None
