"""Accounts, passwords and tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from staff.accounts import AccountError, AccountStore
from staff.models import StaffAccount, StaffToken
from staff.roles import Permission, allows
from staff.secrets import DEVELOPMENT_SECRET, production_problems
from staff.tokens import TokenStore
from storage.database import create_database_engine, create_schema

PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path: Path) -> Engine:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'staff.db'}")
    create_schema(engine)
    return engine


@pytest.fixture
def accounts(database: Engine) -> AccountStore:
    return AccountStore(database)


def test_passwords_are_stored_as_argon2id_hashes(accounts: AccountStore, database: Engine) -> None:
    accounts.add("alice", PASSWORD, "admin")
    with Session(database) as session:
        stored = session.scalar(select(StaffAccount.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("alice", PASSWORD) is not None
    assert accounts.authenticate("alice", PASSWORD + "x") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


def test_bad_accounts_are_refused(accounts: AccountStore) -> None:
    accounts.add("alice", PASSWORD, "editor")
    for username, password, role, problem in [
        ("alice", PASSWORD, "editor", "taken"),
        ("bob", "short", "editor", "at least"),
        ("bob", "aaaaaaaaaaaa", "editor", "repetitive"),
        ("bob", PASSWORD, "root", "role"),
        ("b o b", PASSWORD, "editor", "username"),
    ]:
        with pytest.raises(AccountError, match=problem):
            accounts.add(username, password, role)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("bob", "password12"),
        ("bob", "password123"),
        ("bob", "P@ssw0rd12"),
        ("bob", "qwertyuiop"),
        ("bob", "1q2w3e4r5t"),
        ("bob", "woaini1314"),
        ("bob", "iloveyou12"),
        ("bob", "Daxing2024"),
        ("zhangwei", "zhangwei123"),
    ],
)
def test_common_and_guessable_passwords_are_refused(
    accounts: AccountStore, username: str, password: str
) -> None:
    with pytest.raises(AccountError, match="过于常见"):
        accounts.add(username, password, "editor")
    accounts.add(username, PASSWORD, "editor")
    with pytest.raises(AccountError, match="过于常见"):
        accounts.update(username, password=password)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "dxgh@2025planning",
        "lv-9Qm#tr7Kw",
        "the plan office on xinghua street opens at nine and closes at five, "
        "except on public holidays and the weekends of the spring festival",  # > 100 characters
    ],
)
def test_uncommon_passwords_are_accepted(accounts: AccountStore, password: str) -> None:
    assert accounts.add("carol", password, "editor").username == "carol"


def test_a_disabled_account_cannot_log_in_and_loses_its_tokens(
    accounts: AccountStore, database: Engine
) -> None:
    user = accounts.add("alice", PASSWORD, "editor")
    tokens = TokenStore(database, secret_key="k" * 40, lifetime=timedelta(hours=1))
    token, _ = tokens.issue(user)
    assert tokens.resolve(token) == user
    accounts.update("alice", active=False)
    assert tokens.resolve(token) is None
    assert accounts.authenticate("alice", PASSWORD) is None


def test_tokens_expire_are_revocable_and_stored_only_as_keyed_hashes(
    accounts: AccountStore, database: Engine
) -> None:
    user = accounts.add("alice", PASSWORD, "admin")
    tokens = TokenStore(database, secret_key="k" * 40, lifetime=timedelta(hours=8))
    now = datetime.now(UTC)
    token, expires = tokens.issue(user, now=now)
    assert expires == now + timedelta(hours=8)
    with Session(database) as session:
        assert token not in str(session.scalars(select(StaffToken.token_hash)).all())
    assert tokens.resolve(token, now=now + timedelta(hours=7)) is not None
    assert tokens.resolve(token, now=now + timedelta(hours=9)) is None
    other_key = TokenStore(database, secret_key="j" * 40, lifetime=timedelta(hours=8))
    assert other_key.resolve(token) is None
    tokens.revoke(token)
    assert tokens.resolve(token) is None
    assert tokens.resolve("") is None and tokens.resolve("x" * 10_000) is None


def test_roles_grant_permissions() -> None:
    assert allows("editor", Permission.EDIT) and not allows("editor", Permission.PUBLISH)
    assert all(allows("admin", p) for p in Permission)
    assert not allows("root", Permission.READ)


def test_production_refuses_placeholder_secrets() -> None:
    assert production_problems(DEVELOPMENT_SECRET, "sqlite:///x.db")
    assert production_problems("changeme", "sqlite:///x.db")
    assert production_problems("s" * 40, "postgresql://app:password@db/planbot")
    assert production_problems("9f" * 20, "sqlite:///var/planbot.db")  # one per replica
    assert production_problems("9f" * 20, "postgresql://app:Xq7-long-random@db/planbot") == []
