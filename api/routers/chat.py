"""POST /api/chat: one resident turn through Rasa, as Reply objects."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import RasaDep, RateLimiterDep
from api.schemas import ChatRequest, ChatResponse, ErrorBody

router = APIRouter(prefix="/api", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={422: {"model": ErrorBody}, 429: {"model": ErrorBody}},
    summary="Send a message; get the assistant's replies (never an empty list).",
)
async def chat(
    body: ChatRequest, request: Request, rasa: RasaDep, limiter: RateLimiterDep
) -> ChatResponse | JSONResponse:
    client = request.client.host if request.client else "unknown"
    wait = limiter.check(client)
    if wait:
        return JSONResponse(
            status_code=429,
            content={"detail": "请求过于频繁，请稍后再试。Too many messages; slow down."},
            headers={"Retry-After": str(int(wait) + 1)},
        )
    replies = await rasa.chat(body.session_id, body.message.strip())
    return ChatResponse(session_id=body.session_id, replies=replies)
