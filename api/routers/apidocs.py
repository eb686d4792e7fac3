"""GET /docs: the OpenAPI UI (Swagger UI), with every script and style served by the app.

FastAPI's own /docs loads Swagger UI from a CDN, so it is blank offline and on intranets that
block the CDN. Here the files come from the PyPI package ``swagger-ui-py`` (Swagger UI 5's
release files, installed with the app's lock, not copied by hand; ``swagger-ui-bundle`` ships
Swagger UI 4, which cannot read FastAPI's OpenAPI 3.1), and the page has a content security
policy that allows this origin only: no inline script, no third-party request (the online
validator badge is off).
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path
from typing import Final

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from api.schemas import NOT_FOUND

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
# The files the page loads (Swagger UI's own, and the app's start-up script for it).
ASSETS: Final[dict[str, str]] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
    "docs-init.js": "text/javascript; charset=utf-8",
}


@cache
def swagger_ui_dir() -> Path:
    """Where the installed package keeps Swagger UI's files (looked up at first use)."""
    return Path(str(importlib.resources.files("swagger_ui") / "static"))


PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>大兴规划问答助手 · 接口文档</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-openapi-url="/openapi.json"></main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body>
</html>
"""


def docs_csp() -> str:
    """This origin only. Swagger UI sets element styles from its scripts (allowed: they are
    not inline markup) and shows its icons as data: images."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'; object-src 'none'"
    )


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(
        PAGE,
        headers={"Content-Security-Policy": docs_csp(), "Cache-Control": "no-cache"},
    )


@router.get("/docs/assets/{name}", response_class=FileResponse)
async def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    folder = STATIC if name == "docs-init.js" else swagger_ui_dir()
    return FileResponse(
        folder / name,
        media_type=ASSETS[name],
        headers={"Cache-Control": "public, max-age=3600"},
    )
