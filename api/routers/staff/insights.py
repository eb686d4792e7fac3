"""What residents asked that the sources did not answer, unhelpful answers, handoff tickets.

Each list is also a CSV download (``?format=csv``) for staff who work in spreadsheets. What is
shown was masked when stored (phone, ID and passport numbers); the CSV files, which leave the
system, mask what residents wrote once more on the way out (rows stored before the masking
learned a form are not exported in clear). A ticket's contact, given by consent for a call
back, is the one field left as it is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from api.deps import AuditDep, ReaderDep, RecordsDep, TicketsDep
from api.schemas import BAD_BODY, MAX_NUMBER, ErrorBody
from api.staff_schemas import (
    FeedbackList,
    FeedbackOut,
    Gap,
    GapList,
    TicketList,
    TicketOut,
    TicketReplyIn,
    TicketReplyOut,
    TicketUpdate,
)
from records.models import Ticket, TicketReply
from records.privacy import conversation_label, mask_personal_numbers, mask_transcript
from records.reference import display
from records.store import TicketClosed
from records.transcript import readable

router = APIRouter(prefix="/api/staff/insights", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
Format = Annotated[Literal["json", "csv"], Query(alias="format")]
# ``?format=csv`` answers the same list as a CSV file.
LISTS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
}


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    # A BOM so that spreadsheet programs open the Chinese text as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _cell(value: object) -> str:
    text = (
        value
        if isinstance(value, str)
        else (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        )
    )
    # A cell starting with = + - @ (or a tab or CR before one) would run as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get(
    "/unanswered",
    response_model=GapList,
    responses=LISTS,
    summary="Questions the sources did not answer, the most often asked first.",
)
def unanswered(
    _: ReaderDep,
    records: RecordsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    fmt: Format = "json",
) -> GapList | Response:
    gaps = records.knowledge_gaps(limit)
    if fmt == "csv":
        return _csv(
            "unanswered-questions",
            ["question", "times_asked", "sessions", "last_asked"],
            (
                (
                    mask_personal_numbers(g.question),
                    g.times_asked,
                    g.sessions,
                    g.last_asked.isoformat(),
                )
                for g in gaps
            ),
        )
    return GapList(
        questions=[
            Gap(
                question=g.question,
                times_asked=g.times_asked,
                sessions=g.sessions,
                last_asked=g.last_asked,
            )
            for g in gaps
        ]
    )


@router.get(
    "/unhelpful",
    response_model=FeedbackList,
    responses=LISTS,
    summary="Answers residents marked unhelpful, with the passages they cited.",
)
def unhelpful(_: ReaderDep, records: RecordsDep, fmt: Format = "json") -> FeedbackList | Response:
    items = list(reversed(records.feedback(helpful=False)))
    if fmt == "csv":
        return _csv(
            "unhelpful-answers",
            ["id", "created_at", "conversation", "question", "citations", "missing"],
            (
                (
                    f.id,
                    f.created_at.isoformat(),
                    conversation_label(f.session_id),
                    mask_personal_numbers(f.question),
                    f.citations,
                    mask_personal_numbers(f.missing or ""),
                )
                for f in items
            ),
        )
    return FeedbackList(
        feedback=[
            FeedbackOut(
                id=f.id,
                created_at=f.created_at,
                conversation=conversation_label(f.session_id),
                question=f.question,
                citations=f.citations,
                reply_text=f.reply_text,
                missing=f.missing,
            )
            for f in items
        ]
    )


def _ticket(t: Ticket, replies: list[TicketReply] | None = None) -> TicketOut:
    return TicketOut(
        id=t.id,
        created_at=t.created_at,
        kind=t.kind,
        status=t.status,
        session_id=t.session_id,
        summary=t.summary,
        contact=t.contact,
        details=t.details,
        # Stored before clicks were recorded by title, a ticket may hold payloads (/affirm):
        # staff always read what the resident saw.
        transcript=readable(t.transcript),
        closed_by=t.closed_by,
        closed_at=t.closed_at,
        code=display(t.code) if t.code else None,
        answered_at=t.answered_at,
        replies=[_reply(r) for r in replies or []],
    )


def _reply(r: TicketReply) -> TicketReplyOut:
    return TicketReplyOut(id=r.id, created_at=r.created_at, author=r.author, text=r.text)


@router.get(
    "/tickets",
    response_model=TicketList,
    responses=LISTS,
    summary="Handoff and cooperation tickets with contacts and transcripts (ticket permission).",
)
def tickets(
    _: TicketsDep,
    records: RecordsDep,
    status: Annotated[Literal["open", "answered", "closed"] | None, Query()] = None,
    fmt: Format = "json",
) -> TicketList | Response:
    items = list(reversed(records.tickets(status)))
    replies = records.replies([t.id for t in items])
    if fmt == "csv":
        return _csv(
            "tickets",
            [
                "id",
                "code",
                "created_at",
                "kind",
                "status",
                "summary",
                "contact",
                "transcript",
                "replies",
            ],
            (
                (
                    t.id,
                    display(t.code) if t.code else "",
                    t.created_at.isoformat(),
                    t.kind,
                    t.status,
                    mask_personal_numbers(t.summary),
                    t.contact,
                    mask_transcript(readable(t.transcript)),
                    [f"{r.author}：{r.text}" for r in replies[t.id]],
                )
                for t in items
            ),
        )
    return TicketList(tickets=[_ticket(t, replies[t.id]) for t in items])


@router.patch(
    "/tickets/{ticket_id}",
    response_model=TicketOut,
    responses={**ERRORS, **BAD_BODY, 404: {"model": ErrorBody}},
    summary="Close (or reopen) a ticket; answering it is a reply (POST …/replies).",
)
def update_ticket(
    ticket_id: Annotated[int, Path(ge=1, le=MAX_NUMBER)],
    body: TicketUpdate,
    user: TicketsDep,
    records: RecordsDep,
    audit: AuditDep,
) -> TicketOut:
    ticket = records.set_ticket_status(ticket_id, body.status, by=user.username)
    if ticket is None:
        raise HTTPException(status_code=404, detail=f"没有这个工单：{ticket_id}")
    audit.record(user.username, f"ticket_{body.status}", ticket_id=ticket_id)
    return _ticket(ticket, records.replies([ticket_id])[ticket_id])


@router.post(
    "/tickets/{ticket_id}/replies",
    response_model=TicketOut,
    status_code=201,
    responses={**ERRORS, **BAD_BODY, 404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
    summary="Answer a ticket: the resident sees the reply in the chat or by the ticket's code.",
)
def reply_to_ticket(
    ticket_id: Annotated[int, Path(ge=1, le=MAX_NUMBER)],
    body: TicketReplyIn,
    user: TicketsDep,
    records: RecordsDep,
    audit: AuditDep,
) -> TicketOut:
    try:
        reply = records.add_reply(ticket_id, body.text, by=user.username)
    except TicketClosed:
        raise HTTPException(
            status_code=409, detail=f"工单 {ticket_id} 已关闭，请先重新打开再答复。"
        ) from None
    if reply is None:
        raise HTTPException(status_code=404, detail=f"没有这个工单：{ticket_id}")
    audit.record(user.username, "ticket_reply", ticket_id=ticket_id, reply_id=reply.id)
    ticket = records.ticket(ticket_id)
    if ticket is None:  # deleted between the two statements (retention): say so plainly
        raise HTTPException(status_code=404, detail=f"没有这个工单：{ticket_id}")
    return _ticket(ticket, records.replies([ticket_id])[ticket_id])
