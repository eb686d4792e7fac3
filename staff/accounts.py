"""Creating and changing staff accounts and checking their passwords."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from zxcvbn import zxcvbn

from staff.models import StaffAccount, StaffToken
from staff.roles import Role

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
MIN_PASSWORD_LENGTH = 10
# zxcvbn's score: 3 = "safely unguessable" (more than 10^8 guesses); checking stops at 100
# characters, since the estimate's cost grows with the length (a longer password is long).
MIN_SCORE = 3
MAX_CHECKED_LENGTH = 100
# Words an attacker aiming at this service tries with every username.
_WORDS_OF_THIS_SERVICE = ("planbot", "daxing", "admin", "editor", "staff", "beijing")


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message (Chinese, then English, for
    the staff pages and the CLI alike) says why."""


class UsernameTaken(AccountError):
    pass


class UnknownAccount(AccountError, LookupError):
    pass


_ROLES = "、".join(r.value for r in Role)


@dataclass(frozen=True)
class StaffUser:
    """Who is calling: what routes and the audit log see (never the password hash)."""

    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


def user_view(account: StaffAccount) -> StaffUser:
    return StaffUser(account.id, account.username, account.role, account.active, account.created_at)


class AccountStore:
    def __init__(
        self,
        engine: Engine,
        *,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # argon2id with the library's current defaults (RFC 9106 low-memory profile).
        self._hasher = hasher or PasswordHasher()
        # Verifying against this when the user does not exist keeps the timing the same.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    # -- accounts -----------------------------------------------------------------------------

    def add(self, username: str, password: str, role: str) -> StaffUser:
        if not USERNAME.match(username):
            raise AccountError(
                "用户名须为 2–64 个字母、数字或 _ . -"
                "（username: 2-64 letters, digits, '_', '.', '-'）"
            )
        _check_role(role)
        check_password_strength(password, username)
        account = StaffAccount(
            username=username, password_hash=self._hasher.hash(password), role=role
        )
        try:
            with self._sessions.begin() as session:
                session.add(account)
        except IntegrityError as exc:
            raise UsernameTaken(
                f"用户名 {username} 已被占用（the username {username!r} is taken）"
            ) from exc
        return user_view(account)

    def accounts(self) -> list[StaffUser]:
        with self._sessions() as session:
            rows = session.scalars(select(StaffAccount).order_by(StaffAccount.id))
            return [user_view(a) for a in rows]

    def update(
        self,
        username: str,
        *,
        role: str | None = None,
        active: bool | None = None,
        password: str | None = None,
    ) -> StaffUser:
        with self._sessions.begin() as session:
            account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
            if account is None:
                raise UnknownAccount(f"没有这个账号：{username}（no account {username!r}）")
            if role is not None:
                _check_role(role)
                account.role = role
            if active is not None:
                account.active = active
            if password is not None:
                check_password_strength(password, username)
                account.password_hash = self._hasher.hash(password)
            if active is False or password is not None:
                session.execute(delete(StaffToken).where(StaffToken.account_id == account.id))
            return user_view(account)

    def count_active_admins(self) -> int:
        return sum(1 for u in self.accounts() if u.active and u.role == Role.ADMIN)

    # -- logging in ---------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> StaffUser | None:
        with self._sessions.begin() as session:
            account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
            stored = account.password_hash if account is not None else self._dummy_hash
            try:
                self._hasher.verify(stored, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if account is None or not account.active:
                return None
            if self._hasher.check_needs_rehash(account.password_hash):
                account.password_hash = self._hasher.hash(password)
            return user_view(account)


def _check_role(role: str) -> None:
    if role not in {r.value for r in Role}:
        raise AccountError(f"角色只能是 {_ROLES}（role must be one of {_ROLES}）")


def check_password_strength(password: str, username: str = "") -> None:
    """Refuse passwords an attacker tries first.

    Length alone let ``password12`` through. zxcvbn (Dropbox's estimator, the maintained
    ``zxcvbn`` package) knows the 30,000 most common passwords, words, names, keyboard walks,
    dates and l33t spellings; a password it expects to fall within 10^8 guesses (score below
    3: ``password12``, ``woaini1314``, ``P@ssw0rd12``, or one built on the username) is refused.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
            f"（the password must have at least {MIN_PASSWORD_LENGTH} characters）"
        )
    if len(set(password)) < 4:
        raise AccountError("密码过于重复（the password is too repetitive）")
    inputs = [username, *_WORDS_OF_THIS_SERVICE] if username else list(_WORDS_OF_THIS_SERVICE)
    checked = password[:MAX_CHECKED_LENGTH]
    if zxcvbn(checked, user_inputs=inputs, max_length=MAX_CHECKED_LENGTH)["score"] < MIN_SCORE:
        raise AccountError(
            "密码过于常见或容易猜到，请换一个更长、不含常用词和用户名的密码"
            "（the password is too common or easy to guess）"
        )
