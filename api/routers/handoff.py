"""The resident's side of a handoff: staff answers come back to the chat.

Two public reads, both rate-limited per client address:

* ``GET /api/handoff/answers?session_id=…&after=N``: the staff replies to the tickets this
  conversation opened, newer than reply N, and how many of its tickets still wait. The chat
  page keeps its session id in the browser (localStorage) and polls this with a backoff while
  a ticket waits, so a reply appears in the same chat when the resident comes back. The
  session id is a random 96-bit value the page made; it grants that conversation's replies.
* ``GET /api/handoff/tickets/{code}``: one ticket by its reference code, from any browser.

What the code grants is deliberately small: the ticket's status, when it was opened, the
(masked) question it is about, and the staff replies. Never the transcript, the contact or
the session id, so a code read over a shoulder cannot open the conversation or the contact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, cast

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from limits import RateLimitItemPerMinute
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import RateLimitsDep, RecordsDep, SettingsDep
from api.ratelimit import public_limit, too_many_requests
from api.schemas import MAX_NUMBER, ErrorBody
from records.privacy import mask_personal_numbers
from records.reference import display, normalize
from records.store import RecordStore

router = APIRouter(prefix="/api/handoff", tags=["handoff"])

Status = Literal["open", "answered", "closed"]
STATUS_LABELS: dict[str, str] = {"open": "待答复", "answered": "已答复", "closed": "已结束"}
SessionId = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-.:]+$")]
TOO_MANY = "查询过于频繁，请稍后再试。"


class StaffReplyOut(BaseModel):
    id: int
    code: str  # as residents see it: K7MQ-4XRT
    created_at: datetime
    text: str


class SessionAnswers(BaseModel):
    replies: list[StaffReplyOut]
    waiting: int  # this conversation's tickets that still wait for a reply


class TicketLookup(BaseModel):
    code: str
    status: Status
    status_label: str
    created_at: datetime
    question: str  # the ticket's summary, masked
    replies: list[StaffReplyOut]


ERRORS: dict[int | str, dict[str, object]] = {
    422: {"model": ErrorBody},
    429: {"model": ErrorBody},
}


@router.get(
    "/answers",
    response_model=SessionAnswers,
    responses=ERRORS,
    summary="Staff replies to the tickets this conversation opened (the chat page polls it).",
)
async def answers(
    request: Request,
    records: RecordsDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
    session_id: SessionId,
    after: Annotated[int, Query(ge=0, le=MAX_NUMBER)] = 0,
) -> SessionAnswers | JSONResponse:
    rule = RateLimitItemPerMinute(
        settings.handoff_poll_limit_per_minute, namespace="planbot-handoff-poll"
    )
    wait = await public_limit(limits, rule, request)
    if wait:
        return too_many_requests(wait, TOO_MANY)
    return await run_in_threadpool(_session_answers, records, session_id, after)


def _session_answers(records: RecordStore, session_id: str, after: int) -> SessionAnswers:
    found = records.answers_for_session(session_id, after)
    return SessionAnswers(
        replies=[
            StaffReplyOut(id=a.id, code=display(a.code), created_at=a.created_at, text=a.text)
            for a in found
        ],
        waiting=records.waiting_tickets(session_id),
    )


@router.get(
    "/tickets/{code}",
    response_model=TicketLookup,
    responses={**ERRORS, 404: {"model": ErrorBody}},
    summary="A ticket's status and staff replies by its reference code.",
)
async def lookup(
    code: Annotated[str, Path(min_length=1, max_length=32)],
    request: Request,
    records: RecordsDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> TicketLookup | JSONResponse:
    # Counted before the code is read, so malformed guesses cost the same as wrong ones.
    rule = RateLimitItemPerMinute(
        settings.ticket_lookup_limit_per_minute, namespace="planbot-ticket-lookup"
    )
    wait = await public_limit(limits, rule, request)
    if wait:
        return too_many_requests(wait, TOO_MANY)
    stored = normalize(code)
    if stored is None:
        raise HTTPException(
            status_code=422,
            detail="查询码格式不对：应为8位字母和数字，例如 K7MQ-4XRT（不区分大小写）。",
        )
    found = await run_in_threadpool(_lookup, records, stored)
    if found is None:
        raise HTTPException(status_code=404, detail="没有找到这个查询码对应的工单，请核对后再试。")
    return found


def _lookup(records: RecordStore, code: str) -> TicketLookup | None:
    ticket = records.ticket_by_code(code)
    if ticket is None:
        return None
    replies = records.replies([ticket.id])[ticket.id]
    status = cast(Status, ticket.status if ticket.status in STATUS_LABELS else "open")
    return TicketLookup(
        code=display(code),
        status=status,
        status_label=STATUS_LABELS[status],
        created_at=ticket.created_at,
        question=_question(ticket.summary),
        replies=[
            StaffReplyOut(id=r.id, code=display(code), created_at=r.created_at, text=r.text)
            for r in replies
        ],
    )


def _question(summary: str) -> str:
    """The question a ticket is about, without the kind ("转人工：…"); empty when the resident
    asked for a person before asking anything."""
    return mask_personal_numbers(summary.removeprefix("转人工").removeprefix("："))
