"""Security headers on every response (the pages set their own content security policy)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
# What staff see or send is never kept by a browser or proxy cache.
STAFF_HEADERS = {b"cache-control": b"no-store"}


class SecurityHeaders:
    """Pure ASGI middleware (no response buffering): adds the headers a route did not set."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = dict(BASE_HEADERS)
        if scope["path"].startswith(("/api/staff", "/staff")):
            extra.update(STAFF_HEADERS)
        if self.hsts:  # only behind TLS (production): tells browsers to keep to https
            extra[b"strict-transport-security"] = b"max-age=31536000"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra.items() if k not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
