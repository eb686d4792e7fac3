"""Tables of the conversation records: tickets, feedback and the questions residents asked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.database import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class Ticket(Base):
    """A request for a person: a handoff, or an enterprise's cooperation inquiry."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "handoff" | "cooperation"
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | closed
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The reference code the resident is told (records/reference.py); null on tickets made
    # before codes existed.
    code: Mapped[str | None] = mapped_column(String(16), nullable=True, unique=True, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class TicketReply(Base):
    """What a staff member answered on a ticket; shown to the resident in the chat."""

    __tablename__ = "ticket_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class Feedback(Base):
    """A resident's judgement of one answer, with the question and the passages cited."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    question: Mapped[str] = mapped_column(Text, default="")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The reply judged (its id as the web service issued it, and its text), and what the
    # resident said was missing after 没帮助 (optional, masked).
    reply_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reply_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    missing: Mapped[str | None] = mapped_column(Text, nullable=True)


class ConversationTurn(Base):
    """One message a resident sent and what kinds of reply it got (masked, kept for a while).

    The unanswered ones are the knowledge gaps staff look at; ``question_key`` groups the same
    question asked in slightly different spellings (see :func:`records.privacy.question_key`).
    """

    __tablename__ = "conversation_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(Text)
    question_key: Mapped[str] = mapped_column(String(200), index=True)
    reply_kinds: Mapped[str] = mapped_column(String(100))  # e.g. "answer" or "no_answer,handoff"
    answered: Mapped[bool] = mapped_column(Boolean, index=True)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
