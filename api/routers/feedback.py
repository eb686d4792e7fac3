"""POST /api/feedback: 有帮助/没帮助 for one reply, named by the id the service issued with it.

The reply's question, text and citations are the ones the service remembered when it sent that
reply (api/session_memory.py), so feedback given under an earlier answer is recorded for that
answer, not for whatever was asked last. After 没帮助 the page asks once what was missing; the
answer (optional, masked) goes with the feedback into the staff insights.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool

from api.deps import RateLimitsDep, RecordsDep, SessionMemoryDep
from api.ratelimit import public_limit, too_many_requests
from api.schemas import BAD_BODY, MAX_NUMBER, SESSION_ID_PATTERN, ErrorBody, no_control_characters

router = APIRouter(prefix="/api", tags=["chat"])

UNKNOWN_REPLY = "找不到这条回答（可能已过期），请重新提问后再评价。"
ALREADY_RATED = "这条回答已经评价过了，感谢您的反馈。"
NO_SUCH_FEEDBACK = "找不到这条反馈，或已经补充过了。"
BUSY = "请求过于频繁，请稍后再试。"


class FeedbackRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=64, pattern=SESSION_ID_PATTERN)
    reply_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    helpful: bool


class FeedbackResponse(BaseModel):
    feedback_id: int
    ask_missing: bool = Field(description="True after 没帮助: ask once what was missing.")


class MissingRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=64, pattern=SESSION_ID_PATTERN)
    feedback_id: int = Field(ge=1, le=MAX_NUMBER)
    text: str = Field(min_length=1, max_length=500)

    @field_validator("text")
    @classmethod
    def has_text(cls, value: str) -> str:
        value = no_control_characters(value)
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class MissingResponse(BaseModel):
    feedback_id: int


def _refuse(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackResponse,
    responses={
        **BAD_BODY,
        404: {"model": ErrorBody, "description": "No such reply in this conversation."},
        409: {"model": ErrorBody, "description": "This reply was rated already."},
        422: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
    summary="Rate one reply (有帮助/没帮助) by the id it was sent with.",
)
async def rate(
    body: FeedbackRequest,
    request: Request,
    memory: SessionMemoryDep,
    records: RecordsDep,
    limits: RateLimitsDep,
) -> FeedbackResponse | JSONResponse:
    wait = await public_limit(limits, limits.rules.chat, request)
    if wait:
        return too_many_requests(wait, BUSY)
    reply = await memory.recall(body.session_id, "r:" + body.reply_id)
    if reply is None:
        return _refuse(404, UNKNOWN_REPLY)
    if not await memory.claim(body.session_id, "rated:" + body.reply_id):
        return _refuse(409, ALREADY_RATED)
    item = await run_in_threadpool(
        lambda: records.add_feedback(
            session_id=body.session_id,
            helpful=body.helpful,
            question=str(reply.get("question") or ""),
            citations=list(reply.get("citations") or []),
            reply_id=body.reply_id,
            reply_text=str(reply.get("text") or ""),
        )
    )
    return FeedbackResponse(feedback_id=item.id, ask_missing=not body.helpful)


@router.post(
    "/feedback/missing",
    response_model=MissingResponse,
    responses={
        **BAD_BODY,
        404: {"model": ErrorBody, "description": "No such unhelpful feedback, or given already."},
        422: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
    summary="After 没帮助: what was missing (once, optional; personal numbers masked).",
)
async def missing(
    body: MissingRequest, request: Request, records: RecordsDep, limits: RateLimitsDep
) -> MissingResponse | JSONResponse:
    wait = await public_limit(limits, limits.rules.chat, request)
    if wait:
        return too_many_requests(wait, BUSY)
    item = await run_in_threadpool(
        records.add_missing, body.feedback_id, body.session_id, body.text
    )
    if item is None:
        return _refuse(404, NO_SUCH_FEEDBACK)
    return MissingResponse(feedback_id=item.id)
