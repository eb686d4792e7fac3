"""Optional two-step log-in for admins: time-based one-time codes (RFC 6238, ``pyotp``).

The secret lives only in the account's row. Enrolment is two steps (a secret is issued, then
confirmed with one valid code) so an admin who mistyped the secret into the authenticator app
is not locked out. Each accepted code's time step is remembered and a code of the same or an
earlier step is refused, so a code seen over a shoulder or in a proxy log cannot be replayed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from pyotp.exceptions import OTPVerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from staff.models import StaffAccount

ISSUER = "大兴规划问答助手"
CODE = re.compile(r"^[0-9]{6}$")
# One 30-second step either side of now: a phone clock a little off still works.
VALID_WINDOW = 1


class TotpError(ValueError):
    """A two-step request that cannot be done; the message is Chinese (for the staff page)."""


@dataclass(frozen=True)
class Enrolment:
    """What the admin types or scans into an authenticator app; shown once, before confirming."""

    secret: str
    uri: str


class TotpStore:
    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.clock = clock  # replaceable in tests, to step through time

    def enabled(self, username: str) -> bool:
        with self._sessions() as session:
            secret = session.scalar(
                select(StaffAccount.totp_secret).where(StaffAccount.username == username)
            )
            return secret is not None

    def pending(self, username: str) -> bool:
        with self._sessions() as session:
            secret = session.scalar(
                select(StaffAccount.totp_pending).where(StaffAccount.username == username)
            )
            return secret is not None

    def begin(self, username: str) -> Enrolment:
        """Issue a new secret, kept aside until confirmed (a second call replaces it)."""
        secret = pyotp.random_base32()
        with self._sessions.begin() as session:
            account = self._account(session, username)
            if account.totp_secret is not None:
                raise TotpError("两步验证已经开启；如需更换，请先关闭。")
            account.totp_pending = secret
        uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
        return Enrolment(secret, uri)

    def confirm(self, username: str, code: str) -> None:
        """Turn two-step on with the pending secret, once a code from it is valid."""
        with self._sessions.begin() as session:
            account = self._account(session, username)
            if account.totp_secret is not None:
                raise TotpError("两步验证已经开启。")
            if account.totp_pending is None:
                raise TotpError("请先生成密钥，再输入验证码确认。")
            step = self._matching_step(account.totp_pending, code)
            if step is None:
                raise TotpError("验证码不正确，请核对手机上的时间和密钥后重试。")
            account.totp_secret, account.totp_pending = account.totp_pending, None
            account.totp_last_step = step

    def disable(self, username: str, code: str) -> None:
        """Turn two-step off, proved by a current code (a stolen session alone cannot)."""
        if not self.verify(username, code):
            raise TotpError("验证码不正确或已使用过。")
        with self._sessions.begin() as session:
            account = self._account(session, username)
            account.totp_secret = account.totp_pending = None
            account.totp_last_step = None

    def reset(self, username: str) -> None:
        """Turn two-step off without a code: the server operator's way in for a lost phone."""
        with self._sessions.begin() as session:
            account = self._account(session, username)
            account.totp_secret = account.totp_pending = None
            account.totp_last_step = None

    def verify(self, username: str, code: str) -> bool:
        """True once for a valid code of this account; the step is recorded in the same
        statement that checks it is newer, so two parallel log-ins cannot both use it."""
        with self._sessions() as session:
            secret = session.scalar(
                select(StaffAccount.totp_secret).where(StaffAccount.username == username)
            )
        if secret is None:
            return False
        step = self._matching_step(secret, code)
        if step is None:
            return False
        with self._sessions.begin() as session:
            result = session.execute(
                update(StaffAccount)
                .where(
                    StaffAccount.username == username,
                    StaffAccount.totp_secret == secret,
                    or_(StaffAccount.totp_last_step.is_(None), StaffAccount.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def _matching_step(self, secret: str, code: str) -> int | None:
        """The time step whose code this is, within the window, or None (pyotp's constant-time
        comparison; its matching step is what replays are refused by)."""
        if not CODE.match(code):
            return None
        try:
            return pyotp.TOTP(secret).verify_and_get_timecode(
                code, for_time=self.clock(), valid_window=VALID_WINDOW
            )
        except OTPVerificationError:
            return None

    @staticmethod
    def _account(session: Session, username: str) -> StaffAccount:
        account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            raise TotpError(f"没有这个账号：{username}")
        return account
