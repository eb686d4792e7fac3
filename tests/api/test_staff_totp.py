"""Optional two-step log-in for admins, through the API (issue 14, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from planbot.cli import app as cli
from tests.api.conftest import ADMIN_PASSWORD, StaffSite

NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(staff_site: StaffSite) -> Clock:
    """The app's two-step store reads this clock, so tests step through time."""
    fixed = Clock()
    staff_site.client.app.state.runtime.totp.clock = fixed  # type: ignore[attr-defined]
    return fixed


def login(client: TestClient, otp: str | None = None) -> tuple[int, dict[str, object]]:
    body: dict[str, str] = {"username": "admin", "password": ADMIN_PASSWORD}
    if otp is not None:
        body["otp"] = otp
    client.cookies.clear()
    r = client.post("/api/staff/login", json=body)
    return r.status_code, r.json()


def enrol(site: StaffSite) -> tuple[dict[str, str], str]:
    """Enrol and confirm the admin at NOW; the headers of a session from before, and the
    secret."""
    headers = site.login("admin")
    r = site.client.post("/api/staff/totp/enrol", headers=headers)
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    assert pyotp.parse_uri(r.json()["uri"]).issuer == "大兴规划问答助手"
    assert site.client.get("/api/staff/totp", headers=headers).json() == {
        "enabled": False,
        "pending": True,
    }
    # Not yet on: the password alone still logs in.
    assert login(site.client)[0] == 200
    r = site.client.post("/api/staff/totp/confirm", headers=headers, json={"otp": "000000"})
    assert r.status_code == 422 and "验证码" in r.json()["detail"]
    r = site.client.post(
        "/api/staff/totp/confirm", headers=headers, json={"otp": pyotp.TOTP(secret).at(NOW)}
    )
    assert r.status_code == 200 and r.json() == {"enabled": True, "pending": False}
    return headers, secret


def test_enrol_confirm_then_login_needs_a_fresh_code(staff_site: StaffSite, clock: Clock) -> None:
    client = staff_site.client
    _, secret = enrol(staff_site)
    totp = pyotp.TOTP(secret)

    status, body = login(client)
    assert status == 401 and body["otp_required"] is True and "验证码" in str(body["detail"])
    status, body = login(client, "123456" if totp.at(NOW + 30) != "123456" else "654321")
    assert status == 401 and "不正确" in str(body["detail"])
    status, body = login(client, totp.at(NOW))  # the code that confirmed: already used
    assert status == 401
    status, body = login(client, totp.at(NOW + 30))
    assert status == 200 and body["token"]
    assert login(client, totp.at(NOW + 30))[0] == 401  # the same code a second time
    clock.now = NOW + 60
    assert login(client, totp.at(NOW + 60))[0] == 200
    # Accounts without two-step log in exactly as before.
    staff_site.login("editor")


def test_wrong_codes_count_as_failed_logins(staff_site: StaffSite, clock: Clock) -> None:
    from tests.api.test_staff_access import _login_limits

    _, secret = enrol(staff_site)
    _login_limits(staff_site.client, per_address=2)
    wrong = "111111" if pyotp.TOTP(secret).at(NOW) != "111111" else "222222"
    assert [login(staff_site.client, wrong)[0] for _ in range(3)] == [401, 401, 429]
    # Now even the right code waits: the limit is what a guesser meets.
    assert login(staff_site.client, pyotp.TOTP(secret).at(NOW + 30))[0] == 429


def test_missing_code_does_not_count_as_a_failure(staff_site: StaffSite, clock: Clock) -> None:
    from tests.api.test_staff_access import _login_limits

    _, secret = enrol(staff_site)
    _login_limits(staff_site.client, per_address=2)
    assert [login(staff_site.client)[0] for _ in range(3)] == [401, 401, 401]
    assert login(staff_site.client, pyotp.TOTP(secret).at(NOW + 30))[0] == 200


def test_disable_needs_a_valid_code(staff_site: StaffSite, clock: Clock) -> None:
    headers, secret = enrol(staff_site)
    client = staff_site.client
    r = client.post("/api/staff/totp/disable", headers=headers, json={"otp": "12"})
    assert r.status_code == 422
    r = client.post(
        "/api/staff/totp/disable", headers=headers, json={"otp": pyotp.TOTP(secret).at(NOW)}
    )
    assert r.status_code == 422  # already used to confirm
    r = client.post(
        "/api/staff/totp/disable", headers=headers, json={"otp": pyotp.TOTP(secret).at(NOW + 30)}
    )
    assert r.status_code == 200 and r.json() == {"enabled": False, "pending": False}
    assert login(client)[0] == 200
    r = client.post("/api/staff/totp/disable", headers=headers, json={"otp": "123456"})
    assert r.status_code == 409
    actions = [
        e["action"] for e in client.get("/api/staff/audit", headers=headers).json()["entries"]
    ]
    assert "totp_enable" in actions and "totp_disable" in actions


def test_an_editor_cannot_enrol(staff_site: StaffSite) -> None:
    headers = staff_site.login("editor")
    r = staff_site.client.post("/api/staff/totp/enrol", headers=headers)
    assert r.status_code == 403
    assert staff_site.client.get("/api/staff/totp", headers=headers).status_code == 403


def test_the_secret_is_never_answered_after_enrolment(staff_site: StaffSite, clock: Clock) -> None:
    headers, secret = enrol(staff_site)
    client = staff_site.client
    r = client.post("/api/staff/totp/enrol", headers=headers)
    assert r.status_code == 409 and secret not in r.text
    status, body = login(client, pyotp.TOTP(secret).at(NOW + 30))
    assert status == 200
    headers = {"Authorization": f"Bearer {body['token']}"}
    paths = [
        p
        for p, ops in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        if "get" in ops and p.startswith("/api/staff") and "{" not in p
    ]
    assert "/api/staff/totp" in paths and "/api/staff/accounts" in paths
    for path in paths:
        r = client.get(path, headers=headers)
        assert secret not in r.text, path
    assert secret not in json.dumps(body)


def test_cli_reset_lets_a_locked_out_admin_in(
    staff_site: StaffSite, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrol(staff_site)
    assert login(staff_site.client)[0] == 401
    url = str(staff_site.client.app.state.runtime.settings.database.database_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("PLANBOT_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["staff", "totp-reset", "admin"])
    assert result.exit_code == 0, result.output
    assert login(staff_site.client)[0] == 200
    missing = CliRunner().invoke(cli, ["staff", "totp-reset", "nobody"])
    assert missing.exit_code == 2
    headers = staff_site.login("admin")
    entries = staff_site.client.get("/api/staff/audit", headers=headers).json()["entries"]
    assert any(e["action"] == "totp_reset" for e in entries)
