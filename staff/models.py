"""Tables of staff accounts and their login tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.database import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # "editor" | "admin"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # Two-step login (admins may opt in): the confirmed base32 secret (NULL: off), a secret
    # issued but not yet confirmed with a code, and the last accepted time step (a code is
    # accepted once only).
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    totp_pending: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)


class StaffToken(Base):
    __tablename__ = "staff_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
