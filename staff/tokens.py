"""Login tokens: random bearer tokens of which only a keyed hash (HMAC-SHA256) is stored.

Tokens live in the database, so every replica of the web app accepts them and a logout or a
disabled account takes effect everywhere at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from staff.accounts import StaffUser, user_view
from staff.models import StaffAccount, StaffToken

MAX_TOKEN_LENGTH = 200


class TokenStore:
    def __init__(self, engine: Engine, *, secret_key: str, lifetime: timedelta) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._key = secret_key.encode("utf-8")
        self._lifetime = lifetime

    def issue(self, user: StaffUser, *, now: datetime | None = None) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(32)
        expires = (now or datetime.now(UTC)) + self._lifetime
        with self._sessions.begin() as session:
            session.add(
                StaffToken(token_hash=self._digest(token), account_id=user.id, expires_at=expires)
            )
        return token, expires

    def resolve(self, token: str, *, now: datetime | None = None) -> StaffUser | None:
        """The active account a token belongs to, or None when unknown, expired or disabled."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        now = now or datetime.now(UTC)
        with self._sessions() as session:
            row = session.get(StaffToken, self._digest(token))
            if row is None or row.expires_at <= now:
                return None
            account = session.get(StaffAccount, row.account_id)
            if account is None or not account.active:
                return None
            return user_view(account)

    def revoke(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(StaffToken).where(StaffToken.token_hash == self._digest(token)))

    def purge_expired(self, *, now: datetime | None = None) -> int:
        with self._sessions.begin() as session:
            result = session.execute(
                delete(StaffToken).where(StaffToken.expires_at <= (now or datetime.now(UTC)))
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def _digest(self, token: str) -> str:
        return hmac.new(self._key, token.encode("utf-8"), hashlib.sha256).hexdigest()
