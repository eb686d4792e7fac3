"""Writing and reading records; one instance per process, shared by its threads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine, Result, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from records.models import ConversationTurn, Feedback, Ticket, TicketReply
from records.privacy import (
    find_contact,
    mask_personal_numbers,
    mask_transcript,
    mask_values,
    question_key,
)
from records.reference import new_code
from records.transcript import readable
from storage.database import create_database_engine, create_schema

TICKET_STATUSES = ("open", "answered", "closed")


@dataclass(frozen=True)
class KnowledgeGap:
    """A question the knowledge base could not answer, with how often it was asked."""

    question: str  # the latest spelling, masked
    times_asked: int
    last_asked: datetime
    sessions: int


class TicketClosed(Exception):
    """A closed ticket takes no reply until it is reopened."""


@dataclass(frozen=True)
class StaffAnswer:
    """One staff reply as the resident is shown it, with the ticket it answers."""

    id: int
    code: str
    created_at: datetime
    text: str
    ticket_status: str


@dataclass(frozen=True)
class Purged:
    turns: int
    tickets: int
    feedback: int


class RecordStore:
    def __init__(self, database: Engine | str) -> None:
        self._engine = create_database_engine(database) if isinstance(database, str) else database
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def create_schema(self) -> None:
        create_schema(self._engine)

    # -- writing ------------------------------------------------------------------------------

    def add_ticket(
        self,
        *,
        kind: str,
        session_id: str,
        transcript: Sequence[dict[str, Any]],
        summary: str = "",
        contact: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Ticket:
        """A ticket for staff. Everything a resident wrote is masked (the transcript's text,
        the summary, the details such as the industry an enterprise typed) except
        ``contact``: a phone number or e-mail given on purpose, for staff to call back (only
        that: anything else given with it is masked)."""
        for attempt in range(5):
            ticket = Ticket(
                kind=kind,
                session_id=session_id,
                summary=mask_personal_numbers(summary),
                contact=(find_contact(contact) or mask_personal_numbers(contact))
                if contact
                else contact,
                details=mask_values(details or {}),
                transcript=mask_transcript(readable(transcript)),
                code=new_code(),
            )
            try:
                with self._sessions.begin() as session:
                    session.add(ticket)
                return ticket
            except IntegrityError:  # the code was taken (one in 10^12): draw another
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def add_contact(self, code: str, contact: str | None, note: str = "") -> Ticket | None:
        """What the resident added after the ticket was opened: a contact given by consent
        (only the phone number or e-mail in it is kept, as in :meth:`add_ticket`), or, when
        the message held none, the message itself (masked) as a note in the transcript."""
        with self._sessions.begin() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.code == code)).first()
            if ticket is None:
                return None
            if contact:
                ticket.contact = find_contact(contact) or mask_personal_numbers(contact)
            if note:
                turn = {"who": "user", "text": mask_personal_numbers(note), "time": ""}
                ticket.transcript = [*ticket.transcript, turn]
            return ticket

    def add_reply(self, ticket_id: int, text: str, *, by: str) -> TicketReply | None:
        """A staff member's answer to a ticket; the ticket becomes ``answered``. None when
        there is no such ticket; :class:`TicketClosed` when it is closed."""
        with self._sessions.begin() as session:
            ticket = session.get(Ticket, ticket_id, with_for_update=True)
            if ticket is None:
                return None
            if ticket.status == "closed":
                raise TicketClosed(ticket_id)
            now = datetime.now(UTC)
            # Shown publicly by reference code and session: no personal number, even one a staff
            # member copies from the ticket (office numbers are published in the sources).
            reply = TicketReply(
                ticket_id=ticket_id, author=by, text=mask_personal_numbers(text), created_at=now
            )
            session.add(reply)
            ticket.status = "answered"
            ticket.answered_at = now
        return reply

    def add_feedback(
        self,
        *,
        session_id: str,
        helpful: bool,
        question: str,
        citations: Sequence[dict[str, Any]],
        reply_id: str | None = None,
        reply_text: str | None = None,
    ) -> Feedback:
        item = Feedback(
            session_id=session_id,
            helpful=helpful,
            question=mask_personal_numbers(question),
            citations=list(citations),
            reply_id=reply_id,
            reply_text=mask_personal_numbers(reply_text) if reply_text else reply_text,
        )
        with self._sessions.begin() as session:
            session.add(item)
        return item

    def add_missing(self, feedback_id: int, session_id: str, text: str) -> Feedback | None:
        """What a resident said was missing from an answer they found unhelpful (masked);
        kept once, and only on that session's own unhelpful feedback (else None)."""
        with self._sessions.begin() as session:
            item = session.get(Feedback, feedback_id)
            if (
                item is None
                or item.session_id != session_id
                or item.helpful
                or item.missing is not None
            ):
                return None
            item.missing = mask_personal_numbers(text)
        return item

    def add_turn(
        self,
        *,
        session_id: str,
        message: str,
        reply_kinds: Sequence[str],
        reply_text: str = "",
        citations: Sequence[dict[str, Any]] = (),
    ) -> ConversationTurn:
        """Log one resident message; ``answered`` is false when no reply was an answer and one
        said the sources are silent (chit-chat and forms are neither)."""
        masked = mask_personal_numbers(message)
        turn = ConversationTurn(
            session_id=session_id,
            message=masked,
            question_key=question_key(masked),
            reply_kinds=",".join(reply_kinds)[:100],
            answered="no_answer" not in reply_kinds or "answer" in reply_kinds,
            reply_text=mask_personal_numbers(reply_text),
            citations=list(citations),
        )
        with self._sessions.begin() as session:
            session.add(turn)
        return turn

    def set_ticket_status(self, ticket_id: int, status: str, *, by: str) -> Ticket | None:
        with self._sessions.begin() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                return None
            if status not in TICKET_STATUSES:
                raise ValueError(f"unknown ticket status: {status}")
            ticket.status = status
            closed = status == "closed"
            ticket.closed_by = by if closed else None
            ticket.closed_at = datetime.now(UTC) if closed else None
            return ticket

    def purge_older_than(self, days: int, *, now: datetime | None = None) -> Purged:
        """The retention rule: conversations (and what quotes them) older than ``days`` go."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
        with self._sessions.begin() as session:
            turns = _deleted(
                session.execute(
                    delete(ConversationTurn).where(ConversationTurn.created_at < cutoff)
                )
            )
            purged = select(Ticket.id).where(Ticket.created_at < cutoff, Ticket.status == "closed")
            # Explicitly, not by the database's cascade: SQLite enforces it only per connection.
            session.execute(delete(TicketReply).where(TicketReply.ticket_id.in_(purged)))
            tickets = _deleted(
                session.execute(
                    delete(Ticket).where(Ticket.created_at < cutoff, Ticket.status == "closed")
                )
            )
            feedback = _deleted(
                session.execute(delete(Feedback).where(Feedback.created_at < cutoff))
            )
        return Purged(turns, tickets, feedback)

    def remask(self) -> int:
        """Apply today's masking to what is already stored; returns the rows changed.

        Rows are masked as they are written, but a row written before the masking learnt a
        form of number (the review found 139/5555/7777 and Chinese-numeral ID numbers kept in
        clear by an earlier release) would otherwise stay readable until the retention deletes
        it. Idempotent: a row already masked is left alone; run at each start (api/main.py).
        """
        changed = 0
        with self._sessions.begin() as session:
            rows = select(ConversationTurn).execution_options(yield_per=500)
            for turn in session.scalars(rows):
                message = mask_personal_numbers(turn.message)
                reply = mask_personal_numbers(turn.reply_text or "")
                if message != turn.message or reply != (turn.reply_text or ""):
                    turn.message, turn.reply_text = message, reply
                    turn.question_key = question_key(message)
                    changed += 1
            for ticket in session.scalars(select(Ticket).execution_options(yield_per=500)):
                summary = mask_personal_numbers(ticket.summary or "")
                details = mask_values(ticket.details or {})
                transcript = mask_transcript(ticket.transcript or [])
                contact = (
                    find_contact(ticket.contact) or mask_personal_numbers(ticket.contact)
                    if ticket.contact
                    else ticket.contact
                )
                if (summary, details, transcript, contact) != (
                    ticket.summary or "",
                    ticket.details or {},
                    ticket.transcript or [],
                    ticket.contact,
                ):
                    ticket.summary, ticket.details = summary, details
                    ticket.transcript, ticket.contact = transcript, contact
                    changed += 1
            for item in session.scalars(select(Feedback).execution_options(yield_per=500)):
                question = mask_personal_numbers(item.question or "")
                reply_text = mask_personal_numbers(item.reply_text) if item.reply_text else None
                missing = mask_personal_numbers(item.missing) if item.missing else None
                if (question, reply_text, missing) != (
                    item.question or "",
                    item.reply_text or None,
                    item.missing or None,
                ):
                    item.question, item.reply_text, item.missing = question, reply_text, missing
                    changed += 1
        if changed and self._engine.dialect.name == "sqlite":
            # The old rows stay in the main file's pages until the write-ahead log is copied
            # back into it (SQLite's secure delete then overwrites them).
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed

    # -- reading ------------------------------------------------------------------------------

    def tickets(self, status: str | None = None) -> list[Ticket]:
        with self._sessions() as session:
            query = select(Ticket).order_by(Ticket.id)
            if status:
                query = query.where(Ticket.status == status)
            return list(session.scalars(query))

    def ticket(self, ticket_id: int) -> Ticket | None:
        with self._sessions() as session:
            return session.get(Ticket, ticket_id)

    def ticket_by_code(self, code: str) -> Ticket | None:
        with self._sessions() as session:
            return session.scalars(select(Ticket).where(Ticket.code == code)).first()

    def replies(self, ticket_ids: Sequence[int]) -> dict[int, list[TicketReply]]:
        """The staff replies of these tickets, oldest first, by ticket."""
        out: dict[int, list[TicketReply]] = {ticket_id: [] for ticket_id in ticket_ids}
        if not ticket_ids:
            return out
        with self._sessions() as session:
            query = (
                select(TicketReply)
                .where(TicketReply.ticket_id.in_(list(ticket_ids)))
                .order_by(TicketReply.id)
            )
            for reply in session.scalars(query):
                out[reply.ticket_id].append(reply)
        return out

    def answers_for_session(self, session_id: str, after: int = 0) -> list[StaffAnswer]:
        """Staff replies to the tickets this conversation opened, newer than reply ``after``:
        what the chat page shows when the resident comes back."""
        with self._sessions() as session:
            rows = session.execute(
                select(TicketReply, Ticket.code, Ticket.status)
                .join(Ticket, Ticket.id == TicketReply.ticket_id)
                .where(Ticket.session_id == session_id, TicketReply.id > after)
                .order_by(TicketReply.id)
                .limit(50)
            ).all()
        return [
            StaffAnswer(reply.id, code or "", reply.created_at, reply.text, status)
            for reply, code, status in rows
        ]

    def waiting_tickets(self, session_id: str) -> int:
        """How many of this conversation's tickets still wait for a staff reply."""
        with self._sessions() as session:
            count = session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(Ticket.session_id == session_id, Ticket.status == "open")
            )
        return int(count or 0)

    def feedback(self, helpful: bool | None = None) -> list[Feedback]:
        with self._sessions() as session:
            query = select(Feedback).order_by(Feedback.id)
            if helpful is not None:
                query = query.where(Feedback.helpful == helpful)
            return list(session.scalars(query))

    def turns(self) -> list[ConversationTurn]:
        with self._sessions() as session:
            return list(session.scalars(select(ConversationTurn).order_by(ConversationTurn.id)))

    def knowledge_gaps(self, limit: int = 100) -> list[KnowledgeGap]:
        """Unanswered questions, the most often asked first: what the knowledge base lacks."""
        with self._sessions() as session:
            rows = unanswered_groups(session, limit)
            latest = {
                t.id: t.message
                for t in session.scalars(
                    select(ConversationTurn).where(
                        ConversationTurn.id.in_([r.latest_id for r in rows])
                    )
                )
            }
        return [
            KnowledgeGap(latest.get(r.latest_id, r.question_key), r.n, r.last, r.sessions)
            for r in rows
        ]


def unanswered_groups(session: Session, limit: int) -> Sequence[Row[str, int, datetime, int, int]]:
    """Unanswered questions grouped by their key, the most often asked first: each row's
    ``question_key``, ``n``, ``last``, ``sessions`` and ``latest_id`` (its latest turn)."""
    grouped = (
        select(
            ConversationTurn.question_key,
            func.count().label("n"),
            func.max(ConversationTurn.created_at).label("last"),
            func.count(func.distinct(ConversationTurn.session_id)).label("sessions"),
            func.max(ConversationTurn.id).label("latest_id"),
        )
        .where(
            ConversationTurn.answered.is_(False),
            ConversationTurn.question_key != "",
            # Dialogue codes (/affirm, /inform_need{…}) are buttons, not questions.
            ~ConversationTurn.message.startswith("/"),
        )
        .group_by(ConversationTurn.question_key)
        .order_by(func.count().desc(), func.max(ConversationTurn.created_at).desc())
        .limit(limit)
    )
    return session.execute(grouped).all()


def _deleted(result: Result[Any]) -> int:
    """Rows a DELETE removed (``rowcount`` lives on the cursor result)."""
    return int(getattr(result, "rowcount", 0) or 0)
