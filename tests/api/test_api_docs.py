"""GET /docs: Swagger UI from the app itself (no CDN), under a content security policy."""

from __future__ import annotations

import re


def test_docs_page_loads_only_the_apps_own_files(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    html = response.text
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "no file from another origin"
    assert "<script>" not in html, "no inline script (the CSP forbids it)"
    for src in re.findall(r"(?:src|href)=\"(/docs/assets/[^\"]+)\"", html):
        asset = client.get(src)
        assert asset.status_code == 200, src
        assert len(asset.content) > 0
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert len(bundle.content) > 500_000  # Swagger UI's real bundle, not a stand-in


def test_only_the_listed_assets_are_served(client) -> None:  # type: ignore[no-untyped-def]
    for name in ("index.html", "..%2F..%2Fmain.py", "swagger-initializer.js"):
        response = client.get(f"/docs/assets/{name}")
        assert response.status_code == 404
        assert "application/json" in response.headers["content-type"]


def test_redoc_is_off_and_docs_stay_out_of_the_schema(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/redoc").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert "/docs" not in paths and "/metrics" in paths
