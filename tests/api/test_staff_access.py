"""Every staff route: 401 without a valid token, 403 for a role without the permission.

The routes are read from the app itself, so a staff route added later without a guard fails
here instead of going unnoticed.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from limits import RateLimitItemPerHour, RateLimitItemPerMinute

from api.main import create_app
from api.ratelimit import RateLimits
from api.settings import Settings
from planbot.settings import load_settings
from storage.database import DatabaseSettings
from tests.api.conftest import EDITOR_PASSWORD, StaffSite

PUBLIC = {("POST", "/api/staff/login")}
# What an editor may not do (everything else under /api/staff an editor may).
ADMIN_ONLY = {
    ("POST", "/api/staff/documents/{doc_id}/publish"),
    ("POST", "/api/staff/documents/{doc_id}/rollback"),
    ("DELETE", "/api/staff/documents/{doc_id}"),
    ("POST", "/api/staff/index/rebuild"),
    ("GET", "/api/staff/insights/tickets"),
    ("PATCH", "/api/staff/insights/tickets/{ticket_id}"),
    # A reply to a resident is written from the ticket, which holds their contact (issue 14 L5).
    ("POST", "/api/staff/insights/tickets/{ticket_id}/replies"),
    ("GET", "/api/staff/accounts"),
    ("POST", "/api/staff/accounts"),
    ("PATCH", "/api/staff/accounts/{username}"),
    ("GET", "/api/staff/audit"),
    # An alias changes what residents are answered within seconds, as publishing does.
    ("POST", "/api/staff/aliases"),
    ("DELETE", "/api/staff/aliases/{alias_id}"),
    # Two-step log-in is for admins (they hold the keys to everything else).
    ("GET", "/api/staff/totp"),
    ("POST", "/api/staff/totp/enrol"),
    ("POST", "/api/staff/totp/confirm"),
    ("POST", "/api/staff/totp/disable"),
}
BODIES = {
    "/api/staff/documents/{doc_id}/rollback": {"version": 1},
    "/api/staff/insights/tickets/{ticket_id}": {"status": "closed"},
    "/api/staff/accounts": {"username": "newone", "password": "a long password", "role": "editor"},
    "/api/staff/accounts/{username}": {"role": "editor"},
    "/api/staff/documents/{doc_id}": {"content": "# 一\n\n正文。", "base_version": 1},
    "/api/staff/documents": {"title": "标题", "content": "# 一\n\n正文。"},
    "/api/staff/documents/preview": {"title": "标题", "content": "# 一\n\n正文。"},
    "/api/staff/try": {"question": "京霸铁路会建吗"},
    "/api/staff/aliases": {"phrase": "老年卡", "synonym": "养老助残卡"},
    "/api/staff/gaps/resolve": {"question": "老年卡靠谱吗"},
    "/api/staff/gaps/reopen": {"question": "老年卡靠谱吗"},
    "/api/staff/totp/confirm": {"otp": "123456"},
    "/api/staff/totp/disable": {"otp": "123456"},
}


def staff_routes() -> list[tuple[str, str]]:
    """From the OpenAPI description: every route the app serves under /api/staff."""
    schema = create_app(load_settings(), load_knowledge_in_background=False).openapi()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/staff")
        for method in operations
    )


ROUTES = staff_routes()


def concrete(path: str) -> str:
    values = {
        "doc_id": "transport",
        "ticket_id": "1",
        "username": "editor",
        "version": "1",
        "alias_id": "1",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def call(client: TestClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    client.cookies.clear()  # only the headers given here may authenticate
    url = concrete(path)
    if path == "/api/staff/documents/{doc_id}/diff":
        url += "?from=1&to=1"
    if path == "/api/staff/passages":
        url += "?q=铁路"
    if path == "/api/staff/documents/upload":
        files = {"file": ("n.md", "# 一\n\n正文。".encode(), "text/markdown")}
        return client.request(method, url, headers=headers, files=files, data={"title": "标题"})
    return client.request(method, url, headers=headers, json=BODIES.get(path))


def test_the_route_table_is_what_this_test_expects() -> None:
    assert len(ROUTES) >= 25
    assert set(ROUTES) >= ADMIN_ONLY and set(ROUTES) >= PUBLIC


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_no_token_gets_401(shared_staff_site: StaffSite, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eA=="}):
        r = call(shared_staff_site.client, method, path, headers)
        assert r.status_code == 401, (method, path, r.text)
        assert r.headers["www-authenticate"] == "Bearer" and r.json()["detail"]


@pytest.mark.parametrize(("method", "path"), sorted(ADMIN_ONLY))
def test_an_editor_gets_403_where_an_admin_is_needed(
    shared_staff_site: StaffSite, method: str, path: str
) -> None:
    r = call(shared_staff_site.client, method, path, shared_staff_site.login("editor"))
    assert r.status_code == 403, (method, path, r.text)
    assert "编辑" in r.json()["detail"]  # the role, in Chinese


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in ADMIN_ONLY | PUBLIC])
def test_an_editor_may_do_the_rest(shared_staff_site: StaffSite, method: str, path: str) -> None:
    r = call(shared_staff_site.client, method, path, shared_staff_site.login("editor"))
    assert r.status_code not in (401, 403), (method, path, r.text)
    assert r.status_code < 500


def test_the_session_cookie_only_reads(staff_site: StaffSite) -> None:
    """The pages' cookie works for GET (CSV downloads); a change needs the bearer header, so a
    cross-site form cannot publish with it."""
    client = staff_site.client
    staff_site.login("admin")  # sets the cookie on the client
    assert client.get("/api/staff/documents").status_code == 200
    assert client.post("/api/staff/documents/transport/publish").status_code == 401


def test_logout_ends_the_token(staff_site: StaffSite) -> None:
    headers = staff_site.login("admin")
    assert staff_site.client.post("/api/staff/logout", headers=headers).status_code == 204
    staff_site.client.cookies.clear()
    assert staff_site.client.get("/api/staff/me", headers=headers).status_code == 401


def _login_limits(client: TestClient, *, per_address: int, per_account: int = 1000) -> None:
    """Fresh log-in limits (in memory) of these sizes for the app behind ``client``."""
    rules = client.app.state.web.rate_limits.rules  # type: ignore[attr-defined]
    client.app.state.web.rate_limits = RateLimits(  # type: ignore[attr-defined]
        "async+memory://",
        dataclasses.replace(
            rules,
            login_address=RateLimitItemPerMinute(per_address, namespace="planbot-login"),
            login_account=RateLimitItemPerHour(per_account, namespace="planbot-login-account"),
        ),
    )


def test_wrong_passwords_get_401_and_are_rate_limited(staff_site: StaffSite) -> None:
    client = staff_site.client
    r = client.post("/api/staff/login", json={"username": "admin", "password": "wrong"})
    assert r.status_code == 401 and "密码错误" in r.json()["detail"]
    r = client.post("/api/staff/login", json={"username": "ghost", "password": "wrong"})
    assert r.status_code == 401  # the same answer for an unknown user
    _login_limits(client, per_address=2)
    staff_site.login("admin")  # successes do not count
    codes = [
        client.post("/api/staff/login", json={"username": "admin", "password": "x"}).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 429]
    limited = client.post("/api/staff/login", json={"username": "admin", "password": "x"})
    assert int(limited.headers["Retry-After"]) >= 1 and "次数过多" in limited.json()["detail"]


def test_spraying_many_usernames_from_one_address_is_limited(staff_site: StaffSite) -> None:
    client = staff_site.client
    _login_limits(client, per_address=3)
    codes = [
        client.post(
            "/api/staff/login", json={"username": f"user{n}", "password": "Spring2024!"}
        ).status_code
        for n in range(6)
    ]
    assert codes == [401, 401, 401, 429, 429, 429]
    # The right password from that address waits too: the address is what is limited.
    r = client.post("/api/staff/login", json={"username": "editor", "password": EDITOR_PASSWORD})
    assert r.status_code == 429


def test_one_account_is_limited_from_many_addresses(staff_site: StaffSite) -> None:
    app = staff_site.client.app
    _login_limits(staff_site.client, per_address=100, per_account=3)
    # Each request from its own address (clients without a lifespan of their own: same app).
    codes = [
        TestClient(app, client=(f"198.51.100.{n}", 5000))
        .post("/api/staff/login", json={"username": "admin", "password": f"guess {n}"})
        .status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]
    other = TestClient(app, client=("198.51.100.200", 5000))
    r = other.post("/api/staff/login", json={"username": "editor", "password": EDITOR_PASSWORD})
    assert r.status_code == 200  # another account is not locked out


def test_password_checks_run_a_few_at_a_time(staff_site: StaffSite) -> None:
    """40 log-ins at once once ran 40 argon2 checks at once (64 MiB and a core each)."""
    client = staff_site.client
    accounts = client.app.state.runtime.accounts  # type: ignore[attr-defined]
    real = accounts.authenticate
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_authenticate(username: str, password: str) -> object:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.15)
            return real(username, password)
        finally:
            with lock:
                running[0] -= 1

    accounts.authenticate = slow_authenticate
    # What is tested is how many checks run at once; the queue must not time out meanwhile on
    # a loaded machine (a full queue answering busy is the next test).
    gate = client.app.state.web.password_gate  # type: ignore[attr-defined]
    gate._queue_seconds, queue_seconds = 120, gate._queue_seconds
    body = {"username": "admin", "password": "a wrong guess"}
    try:
        with ThreadPoolExecutor(12) as pool:
            codes = list(
                pool.map(
                    lambda _: client.post("/api/staff/login", json=body).status_code, range(12)
                )
            )
    finally:
        gate._queue_seconds = queue_seconds
        accounts.authenticate = real
    assert codes == [401] * 12
    assert most[0] == 2  # the default gate (PLANBOT_PASSWORD_CHECK_CONCURRENCY)


def test_a_full_gate_answers_busy_not_a_hang(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(password_check_concurrency=1, password_check_queue_seconds=0.2)
    accounts = client.app.state.runtime.accounts
    accounts.authenticate = lambda username, password: time.sleep(1.0)
    body = {"username": "admin", "password": "a wrong guess"}
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: client.post("/api/staff/login", json=body), range(3)))
    busy = [a for a in answers if a.status_code == 503]
    assert len(busy) == 2
    assert all(a.headers["Retry-After"] and "暂时不可用" in a.json()["detail"] for a in busy)


def test_production_mode_refuses_placeholder_secrets() -> None:
    from api.main import UnsafeConfiguration

    with pytest.raises(UnsafeConfiguration, match="PLANBOT_SECRET_KEY"):
        create_app(load_settings(web=Settings(environment="production")))
    with pytest.raises(UnsafeConfiguration, match="SQLite"):
        create_app(load_settings(web=Settings(environment="production", secret_key="a3" * 20)))
    fit = load_settings(
        web=Settings(environment="production", secret_key="a3" * 20),
        database=DatabaseSettings(
            database_url="postgresql+psycopg://planbot:Xq7-long-random@db.internal/planbot_app"
        ),
    )
    create_app(fit)  # starts (the database is only reached in the lifespan)
