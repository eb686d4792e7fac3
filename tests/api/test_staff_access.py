"""Every staff route: 401 without a valid token, 403 for a role without the permission.

The routes are read from the app itself, so a staff route added later without a guard fails
here instead of going unnoticed.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from fastapi.testclient import TestClient
from limits import RateLimitItemPerHour, RateLimitItemPerMinute

from api.main import create_app
from api.ratelimit import RateLimits
from api.settings import Settings
from tests.api.conftest import StaffSite

PUBLIC = {("POST", "/api/staff/login")}
# What an editor may not do (everything else under /api/staff an editor may).
ADMIN_ONLY = {
    ("POST", "/api/staff/documents/{doc_id}/publish"),
    ("POST", "/api/staff/documents/{doc_id}/rollback"),
    ("DELETE", "/api/staff/documents/{doc_id}"),
    ("POST", "/api/staff/index/rebuild"),
    ("PATCH", "/api/staff/insights/tickets/{ticket_id}"),
    ("GET", "/api/staff/accounts"),
    ("POST", "/api/staff/accounts"),
    ("PATCH", "/api/staff/accounts/{username}"),
    ("GET", "/api/staff/audit"),
}
BODIES = {
    "/api/staff/documents/{doc_id}/rollback": {"version": 1},
    "/api/staff/insights/tickets/{ticket_id}": {"status": "closed"},
    "/api/staff/accounts": {"username": "newone", "password": "a long password", "role": "editor"},
    "/api/staff/accounts/{username}": {"role": "editor"},
    "/api/staff/documents/{doc_id}": {"content": "# 一\n\n正文。", "base_version": 1},
    "/api/staff/documents": {"title": "标题", "content": "# 一\n\n正文。"},
    "/api/staff/documents/preview": {"title": "标题", "content": "# 一\n\n正文。"},
}


def staff_routes() -> list[tuple[str, str]]:
    """From the OpenAPI description: every route the app serves under /api/staff."""
    schema = create_app(Settings(), load_knowledge_in_background=False).openapi()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/staff")
        for method in operations
    )


ROUTES = staff_routes()


def concrete(path: str) -> str:
    values = {"doc_id": "transport", "ticket_id": "1", "username": "editor", "version": "1"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def call(client: TestClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    client.cookies.clear()  # only the headers given here may authenticate
    url = concrete(path)
    if path == "/api/staff/documents/{doc_id}/diff":
        url += "?from=1&to=1"
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
    assert "editor" in r.json()["detail"]


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
    rules = client.app.state.rate_limits.rules  # type: ignore[attr-defined]
    client.app.state.rate_limits = RateLimits(  # type: ignore[attr-defined]
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
    staff_site.login("editor")  # another account from the same address is not locked out


def test_production_mode_refuses_placeholder_secrets() -> None:
    from api.main import UnsafeConfiguration

    with pytest.raises(UnsafeConfiguration, match="PLANBOT_SECRET_KEY"):
        create_app(Settings(environment="production"))
    with pytest.raises(UnsafeConfiguration, match="SQLite"):
        create_app(Settings(environment="production", secret_key="a3" * 20))
    fit = Settings(
        environment="production",
        secret_key="a3" * 20,
        database_url="postgresql+psycopg://planbot:Xq7-long-random@db.internal/planbot_app",
    )
    create_app(fit)  # starts (the database is only reached in the lifespan)
