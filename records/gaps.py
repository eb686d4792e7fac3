"""Knowledge gaps as a work list: what residents asked that was not answered, or marked 没帮助,
with the turn before each one (a follow-up fragment like 那高速呢 means nothing alone), and
whether staff resolved it (who and when).

Messages that are the dialogue's own codes (``/affirm``, ``/inform_need{…}``: buttons and
form payloads) are never questions: they are left out, and skipped when looking for the turn
before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from records.models import ConversationTurn, Feedback
from records.privacy import mask_personal_numbers, question_key
from records.store import unanswered_groups
from storage.database import Base, UTCDateTime

Source = Literal["unanswered", "unhelpful"]


def _now() -> datetime:
    return datetime.now(UTC)


class GapResolution(Base):
    """A gap staff marked resolved; asked again after ``resolved_at``, it is open again."""

    __tablename__ = "gap_resolutions"

    question_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    resolved_by: Mapped[str] = mapped_column(String(64))
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # How: "resolved" (by hand), "linked" (an alias), "answered" (the console answers it now).
    how: Mapped[str] = mapped_column(String(16), default="resolved")


def is_code(message: str) -> bool:
    """A dialogue payload (/affirm, /inform_need{"need": …}), not something a resident typed."""
    return message.lstrip().startswith("/")


@dataclass(frozen=True)
class GapItem:
    key: str
    question: str  # the latest spelling, masked
    source: Source
    times_asked: int
    sessions: int
    last_asked: datetime
    previous: str  # the resident's turn before the latest asking (masked), or ""
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    how: str | None = None


class GapStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def gaps(self, limit: int = 100) -> list[GapItem]:
        """Unanswered and unhelpful questions, the most often asked first, with their state."""
        with self._sessions() as session:
            items = self._unanswered(session, limit) + self._unhelpful(session, limit)
            keys = [i.key for i in items]
            resolutions = {
                r.question_key: r
                for r in session.scalars(
                    select(GapResolution).where(GapResolution.question_key.in_(keys))
                )
            }
        merged: dict[str, GapItem] = {}
        for item in items:
            if item.key in merged:  # unanswered and unhelpful both: one item, counts added
                first = merged[item.key]
                item = GapItem(
                    first.key,
                    first.question,
                    first.source,
                    first.times_asked + item.times_asked,
                    first.sessions + item.sessions,
                    max(first.last_asked, item.last_asked),
                    first.previous or item.previous,
                )
            r = resolutions.get(item.key)
            if r is not None and r.resolved_at >= item.last_asked:
                item = GapItem(
                    item.key,
                    item.question,
                    item.source,
                    item.times_asked,
                    item.sessions,
                    item.last_asked,
                    item.previous,
                    r.resolved_by,
                    r.resolved_at,
                    r.how,
                )
            merged[item.key] = item
        out = sorted(merged.values(), key=lambda g: (-g.times_asked, -g.last_asked.timestamp()))
        return out[:limit]

    def resolve(self, question: str, *, by: str, how: str = "resolved") -> GapResolution:
        key = question_key(question)
        with self._sessions.begin() as session:
            row = session.get(GapResolution, key)
            if row is None:
                row = GapResolution(question_key=key, resolved_by=by, how=how)
                session.add(row)
            row.resolved_by, row.resolved_at, row.how = by, _now(), how
        return row

    def reopen(self, question: str) -> bool:
        with self._sessions.begin() as session:
            row = session.get(GapResolution, question_key(question))
            if row is None:
                return False
            session.delete(row)
        return True

    # -- reading ------------------------------------------------------------------------------

    def _unanswered(self, session: Session, limit: int) -> list[GapItem]:
        rows = unanswered_groups(session, limit)
        latest = {
            t.id: t
            for t in session.scalars(
                select(ConversationTurn).where(ConversationTurn.id.in_([r.latest_id for r in rows]))
            )
        }
        out = []
        for r in rows:
            turn = latest.get(r.latest_id)
            if turn is None or is_code(turn.message):
                continue
            out.append(
                GapItem(
                    r.question_key,
                    turn.message,
                    "unanswered",
                    r.n,
                    r.sessions,
                    r.last,
                    self._previous(session, turn),
                )
            )
        return out

    def _unhelpful(self, session: Session, limit: int) -> list[GapItem]:
        rows = session.scalars(
            select(Feedback)
            .where(Feedback.helpful.is_(False), Feedback.question != "")
            .order_by(Feedback.id.desc())
            .limit(limit * 5)
        )
        items: dict[str, GapItem] = {}
        sessions: dict[str, set[str]] = {}
        for f in rows:
            question = mask_personal_numbers(f.question)
            if is_code(question):
                continue
            key = question_key(question)
            sessions.setdefault(key, set()).add(f.session_id)
            known = items.get(key)
            items[key] = GapItem(
                key,
                known.question if known else question,
                "unhelpful",
                (known.times_asked if known else 0) + 1,
                len(sessions[key]),
                known.last_asked if known else f.created_at,
                known.previous if known else "",
            )
        return list(items.values())

    @staticmethod
    def _previous(session: Session, turn: ConversationTurn) -> str:
        """The resident's message before this one in the same conversation (codes skipped)."""
        earlier = session.scalars(
            select(ConversationTurn.message)
            .where(
                ConversationTurn.session_id == turn.session_id,
                ConversationTurn.id < turn.id,
                ~ConversationTurn.message.startswith("/"),
            )
            .order_by(ConversationTurn.id.desc())
            .limit(1)
        ).first()
        return earlier or ""
