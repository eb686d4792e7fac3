"""POST /api/chat: one resident turn through Rasa, as Reply objects."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import RasaDep, RateLimitsDep, RecordsDep
from api.rasa_client import RasaClient
from api.ratelimit import public_limit, too_many_requests
from api.schemas import BAD_BODY, ChatRequest, ChatResponse, ErrorBody
from knowledge.answering.reply import Reply
from records.privacy import mask_all_but_contact, mask_personal_numbers
from records.store import RecordStore

router = APIRouter(prefix="/api", tags=["chat"])
LOG = logging.getLogger(__name__)


def _log_turn(records: RecordStore, session_id: str, message: str, replies: list[Reply]) -> None:
    """Keep the turn for the staff insights (masked); a failure here never fails the chat."""
    cited = next((r for r in replies if r.kind == "answer"), None)
    try:
        records.add_turn(
            session_id=session_id,
            message=message,
            reply_kinds=[r.kind for r in replies],
            reply_text="\n".join(r.text for r in replies),
            citations=[
                {"doc_id": c.doc_id, "section": c.section, "quote": c.quote}
                for c in (cited.citations if cited else [])
            ],
        )
    except Exception:
        LOG.exception("could not record a conversation turn")


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={**BAD_BODY, 422: {"model": ErrorBody}, 429: {"model": ErrorBody}},
    summary="Send a message; get the assistant's replies (never an empty list).",
)
async def chat(
    body: ChatRequest,
    request: Request,
    rasa: RasaDep,
    limits: RateLimitsDep,
    records: RecordsDep,
) -> ChatResponse | JSONResponse:
    wait = await public_limit(limits, limits.rules.chat, request)
    if wait:
        return too_many_requests(wait, "请求过于频繁，请稍后再试。")
    message = await _forwarded(rasa, body.session_id, body.message.strip())
    replies = await rasa.chat(body.session_id, message)
    await run_in_threadpool(_log_turn, records, body.session_id, message, replies)
    return ChatResponse(session_id=body.session_id, replies=replies)


async def _forwarded(rasa: RasaClient, session_id: str, message: str) -> str:
    """The message as Rasa gets it: personal numbers masked, because Rasa keeps every message
    in its tracker store (and its logs), which the records' retention does not reach.

    The one exception is the answer to the contact form's question: the phone number or
    e-mail the resident gives in it by consent, for staff to call back, stays (every other
    number in that message is masked). Rasa is asked whether that question is open only when
    there is a number to mask, so ordinary turns cost nothing more.
    """
    masked = mask_personal_numbers(message)
    if masked == message:
        return message
    if await rasa.awaiting_contact(session_id):
        return mask_all_but_contact(message)
    return masked
