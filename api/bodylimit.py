"""Refusing oversized request bodies before anything reads them.

FastAPI parses a multipart upload (spooling it to disk) before the route's dependencies run,
so without this an anonymous caller could make the app store any amount of data before being
told to log in. Bodies are limited by the declared length, and by counting when none is given.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATH = "/api/staff/documents/upload"
BATCH_UPLOAD_PATH = "/api/staff/documents/uploads"
# Rasa's calls to the in-app action executor carry the conversation's whole tracker.
ACTIONS_PATH = "/internal/actions/webhook"
MULTIPART_OVERHEAD = 64 * 1024


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_bytes: int,
        upload_bytes: int,
        batch_upload_bytes: int | None = None,
        actions_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.default_bytes = default_bytes
        self.upload_bytes = upload_bytes + MULTIPART_OVERHEAD
        self.batch_upload_bytes = (
            self.upload_bytes if batch_upload_bytes is None else batch_upload_bytes
        ) + MULTIPART_OVERHEAD
        self.actions_bytes = default_bytes if actions_bytes is None else actions_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = {
            UPLOAD_PATH: self.upload_bytes,
            BATCH_UPLOAD_PATH: self.batch_upload_bytes,
            ACTIONS_PATH: self.actions_bytes,
        }.get(scope["path"], self.default_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        if declared is not None:
            await self.app(
                scope, _at_most(receive, int(declared) if declared.isdigit() else limit), send
            )
            return
        # No declared length (chunked): read it here, at most ``limit`` bytes, then replay it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            size += len(message.get("body", b""))
            if size > limit:
                await _refuse(send, limit)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        replay: list[Message] = [{"type": "http.request", "body": b"".join(chunks)}]
        await self.app(scope, _replay(replay, receive), send)


def _at_most(receive: Receive, limit: int) -> Receive:
    """A client that sends more than it declared is cut off at what it declared."""
    received = 0

    async def wrapped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                return {"type": "http.disconnect"}
        return message

    return wrapped


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def wrapped() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return wrapped


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {"detail": f"请求内容过大：上限为 {limit // 1000} KB。The request body is too large."},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
