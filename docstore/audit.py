"""The audit log: who changed what and when (documents, accounts, index builds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from docstore.models import AuditEntry


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    doc_id: str | None
    version: int | None
    detail: dict[str, Any]


def add_entry(
    session: Session,
    actor: str,
    action: str,
    *,
    doc_id: str | None = None,
    version: int | None = None,
    **detail: Any,
) -> None:
    """Record inside the caller's transaction, so a change and its entry commit together."""
    session.add(
        AuditEntry(actor=actor, action=action, doc_id=doc_id, version=version, detail=detail)
    )


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def record(self, actor: str, action: str, *, doc_id: str | None = None, **detail: Any) -> None:
        with self._sessions.begin() as session:
            add_entry(session, actor, action, doc_id=doc_id, **detail)

    def entries(self, *, doc_id: str | None = None, limit: int = 200) -> list[AuditRecord]:
        with self._sessions() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if doc_id is not None:
                query = query.where(AuditEntry.doc_id == doc_id)
            return [
                AuditRecord(e.id, e.at, e.actor, e.action, e.doc_id, e.version, dict(e.detail))
                for e in session.scalars(query)
            ]
