"""A stand-in for the web app under the launcher's uvicorn command line: it answers with the
client address uvicorn gave it (after any X-Forwarded-For it believed); /slow takes 3 s."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def _client(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "")


async def _slow(request: Request) -> PlainTextResponse:
    await asyncio.sleep(3)
    return await _client(request)


def create_app() -> Starlette:
    return Starlette(routes=[Route("/", _client), Route("/readyz", _client), Route("/slow", _slow)])
