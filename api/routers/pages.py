"""The public chat page (GET /) and its assets, including the embeddable widget.js."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from api.deps import SettingsDep
from api.schemas import NOT_FOUND

router = APIRouter(tags=["pages"])

STATIC = Path(__file__).resolve().parent.parent / "static"
ASSETS = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "handoff.js": "text/javascript; charset=utf-8",
    "handoff.css": "text/css; charset=utf-8",
    "widget.js": "text/javascript; charset=utf-8",
    "staff.js": "text/javascript; charset=utf-8",
    "staff.css": "text/css; charset=utf-8",
}


def page_csp(embedding_origins: list[str]) -> str:
    """The page needs nothing but itself: no inline code, no third-party origin. It may be
    framed (by widget.js) only by the district website's origins in the allowlist."""
    ancestors = " ".join(["'self'", *embedding_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; frame-ancestors {ancestors}; base-uri 'none'; form-action 'self'"
    )


@router.head("/", include_in_schema=False)
@router.get("/", response_class=FileResponse, summary="The public chat page.")
async def index(settings: SettingsDep) -> FileResponse:
    return FileResponse(
        STATIC / "index.html",
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": page_csp(settings.cors_origins),
            "Cache-Control": "no-cache",
        },
    )


def staff_csp() -> str:
    """The staff pages are never framed by anyone (clickjacking of publish buttons)."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


@router.get("/staff", response_class=FileResponse, summary="The staff workspace (log-in first).")
async def staff_page() -> FileResponse:
    return FileResponse(
        STATIC / "staff.html",
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": staff_csp(),
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
        },
    )


@router.get("/{asset}", response_class=FileResponse, include_in_schema=False)
async def asset(asset: str) -> FileResponse:
    if asset not in ASSETS:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    headers = {"Cache-Control": "public, max-age=300"}
    if asset == "widget.js":  # loaded by the district website's pages
        headers["Access-Control-Allow-Origin"] = "*"
    return FileResponse(STATIC / asset, media_type=ASSETS[asset], headers=headers)
