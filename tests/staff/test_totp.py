"""The two-step store: enrolment needs a confirming code, codes are accepted once, reset."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from staff.accounts import AccountStore
from staff.models import StaffAccount
from staff.totp import ISSUER, TotpError, TotpStore
from storage.database import create_database_engine, create_schema
from storage.migrations import upgrade

NOW = 1_800_000_000.0  # a fixed instant: the test steps through time itself


@pytest.fixture
def database(tmp_path: Path) -> Engine:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'staff.db'}")
    create_schema(engine)
    AccountStore(engine).add("alice", "correct horse battery", "admin")
    return engine


@pytest.fixture
def store(database: Engine) -> TotpStore:
    now = [NOW]
    totp = TotpStore(database, clock=lambda: now[0])
    totp.now = now  # type: ignore[attr-defined]
    return totp


def code(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def test_enrolment_takes_effect_only_once_confirmed(store: TotpStore, database: Engine) -> None:
    enrolment = store.begin("alice")
    assert enrolment.uri.startswith("otpauth://totp/")
    parsed = pyotp.parse_uri(enrolment.uri)
    assert parsed.issuer == ISSUER and parsed.secret == enrolment.secret
    assert not store.enabled("alice") and store.pending("alice")
    with pytest.raises(TotpError, match="验证码不正确"):
        store.confirm("alice", code(enrolment.secret, NOW + 300))  # out of the window
    assert not store.enabled("alice")
    store.confirm("alice", code(enrolment.secret, NOW))
    assert store.enabled("alice") and not store.pending("alice")
    with pytest.raises(TotpError, match="已经开启"):
        store.begin("alice")  # no second secret while on: it is never shown again
    with Session(database) as session:
        row = session.scalar(select(StaffAccount).where(StaffAccount.username == "alice"))
        assert row is not None and row.totp_secret == enrolment.secret


def test_a_code_is_accepted_once_and_earlier_steps_never(store: TotpStore) -> None:
    secret = store.begin("alice").secret
    store.confirm("alice", code(secret, NOW))
    assert not store.verify("alice", code(secret, NOW))  # the confirming code is spent
    assert store.verify("alice", code(secret, NOW + 30))  # next step: within the window
    assert not store.verify("alice", code(secret, NOW + 30))  # replay
    assert not store.verify("alice", code(secret, NOW - 30))  # an older step, still in window
    store.now[0] = NOW + 90  # type: ignore[attr-defined]
    assert store.verify("alice", code(secret, NOW + 90))
    for bad in ("", "12345", "1234567", "abcdef", "１２３４５６"):
        assert not store.verify("alice", bad)


def test_disable_needs_a_valid_code_and_reset_needs_none(store: TotpStore) -> None:
    secret = store.begin("alice").secret
    store.confirm("alice", code(secret, NOW))
    with pytest.raises(TotpError):
        store.disable("alice", code(secret, NOW))  # already used
    store.disable("alice", code(secret, NOW + 30))
    assert not store.enabled("alice")
    secret = store.begin("alice").secret
    store.confirm("alice", code(secret, NOW))
    store.reset("alice")
    assert not store.enabled("alice") and not store.pending("alice")
    with pytest.raises(TotpError):
        store.reset("nobody")


def test_an_old_database_gains_the_nullable_columns(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE staff_accounts (id INTEGER PRIMARY KEY, username VARCHAR(64), "
            "password_hash VARCHAR(200), role VARCHAR(16), active BOOLEAN, created_at TIMESTAMP)"
        )
    added = upgrade(engine)
    assert {
        "staff_accounts.totp_secret",
        "staff_accounts.totp_pending",
        "staff_accounts.totp_last_step",
    } <= set(added)
