"""Writing and reading records; one instance per process, shared by its threads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from records.models import Base, Feedback, Ticket
from records.privacy import mask_personal_numbers


class RecordStore:
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self._engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def create_schema(self) -> None:
        Base.metadata.create_all(self._engine)

    def add_ticket(
        self,
        *,
        kind: str,
        session_id: str,
        transcript: Sequence[dict[str, str]],
        summary: str = "",
        contact: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Ticket:
        masked = [
            {**turn, "text": mask_personal_numbers(turn.get("text", ""))} for turn in transcript
        ]
        ticket = Ticket(
            kind=kind,
            session_id=session_id,
            summary=mask_personal_numbers(summary),
            contact=contact,
            details=details or {},
            transcript=masked,
        )
        with self._sessions.begin() as session:
            session.add(ticket)
        return ticket

    def add_feedback(
        self,
        *,
        session_id: str,
        helpful: bool,
        question: str,
        citations: Sequence[dict[str, Any]],
    ) -> Feedback:
        item = Feedback(
            session_id=session_id,
            helpful=helpful,
            question=mask_personal_numbers(question),
            citations=list(citations),
        )
        with self._sessions.begin() as session:
            session.add(item)
        return item

    def tickets(self, status: str | None = None) -> list[Ticket]:
        with Session(self._engine) as session:
            query = select(Ticket).order_by(Ticket.id)
            if status:
                query = query.where(Ticket.status == status)
            return list(session.scalars(query))

    def feedback(self) -> list[Feedback]:
        with Session(self._engine) as session:
            return list(session.scalars(select(Feedback).order_by(Feedback.id)))
