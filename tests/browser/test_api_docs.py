"""/docs in Chromium with every request outside the app's own origin aborted: Swagger UI comes
from the app (the swagger-ui-bundle package), so it renders the operations offline, under its
content security policy."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, ScriptedRasa

pytestmark = pytest.mark.browser


def test_docs_render_the_operations_with_the_network_blocked(
    page: Any, site: tuple[str, ScriptedRasa]
) -> None:
    base, _ = site
    blocked: list[str] = []
    served: list[str] = []

    def only_the_app(route: Any) -> None:
        url = route.request.url
        if url.startswith(base + "/") or url.startswith("data:"):
            served.append(url)
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_the_app)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    response = page.goto(base + "/docs")
    assert response is not None and response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Operations of the app's own OpenAPI document, rendered by Swagger UI's scripts.
    expect(page.locator(".opblock-summary-path", has_text="/api/chat").first).to_be_visible(
        timeout=15_000
    )
    expect(page.locator(".opblock-summary-path", has_text="/api/search").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/metrics").first).to_be_visible()
    page.locator(".opblock-summary", has_text="/api/search").first.click()
    expect(page.locator(".parameters-col_name", has_text="q").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert blocked == [], f"/docs asked for something outside the app: {blocked}"
    assert any(u.endswith("/docs/assets/swagger-ui-bundle.js") for u in served)
    assert any(u.endswith("/openapi.json") for u in served)
    assert csp_violations == [], csp_violations
    assert page.errors == [], page.errors
