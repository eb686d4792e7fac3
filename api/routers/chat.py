"""POST /api/chat: one resident turn through Rasa, as Reply objects."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import (
    KnowledgeDep,
    PrefetcherDep,
    RasaDep,
    RateLimitsDep,
    RecordsDep,
    SessionMemoryDep,
    SuggesterDep,
)
from api.prefetch import DecisionPrefetcher
from api.rasa_client import RasaClient
from api.ratelimit import public_limit, too_many_requests
from api.schemas import (
    BAD_BODY,
    SESSION_ID_PATTERN,
    ChatRequest,
    ChatResponse,
    ErrorBody,
    Offer,
    Welcome,
)
from api.session_memory import SessionMemory, new_id
from knowledge.answering.reply import Button, Reply
from knowledge.answering.suggestions import Suggester
from planbot.holder import KnowledgeHolder
from records.privacy import mask_all_but_contact, mask_personal_numbers
from records.store import RecordStore

router = APIRouter(prefix="/api", tags=["chat"])
LOG = logging.getLogger(__name__)

# A button id that this conversation was not offered (or whose offer expired).
STALE_BUTTON = "这个按钮已失效或不属于本次对话，请直接输入您的问题。"
# The page's standing buttons (the welcome's and the composer's): the Rasa intents they send.
STANDING = {
    "handoff": ("转人工", "/human_handoff"),
    "cooperation": ("企业合作咨询", "/ask_cooperation"),
}
MAX_SUGGESTIONS = 3


def typed_text(message: str) -> str:
    """What a resident typed, made unable to act as a command: Rasa reads a message that starts
    with "/" as an intent with entities (``/restart`` resets the conversation, ``/inform{…}``
    sets a slot). The leading slash becomes a full-width one, so the words reach the NLU as
    the text they are."""
    return "\uff0f" + message[1:] if message.startswith("/") else message


def _decide_ahead(prefetcher: DecisionPrefetcher, knowledge: KnowledgeHolder, message: str) -> None:
    """Start deciding a typed message while Rasa reads it (api/prefetch.py): the answering
    action then finds the decision made, or waits for the one being made. A message that is no
    question (a greeting) costs one decision of CPU time, never a different reply. A message
    holding a personal number (a phone given in the contact form) is not decided ahead: the
    engine's memo would keep it."""
    engine = knowledge.engine
    if engine is not None and mask_personal_numbers(message) == message:
        prefetcher.start(engine, message)


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
    responses={
        **BAD_BODY,
        409: {"model": ErrorBody, "description": "A button id this conversation was not offered."},
        422: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
    summary="Send a message; get the assistant's replies (never an empty list).",
)
async def chat(
    body: ChatRequest,
    request: Request,
    rasa: RasaDep,
    limits: RateLimitsDep,
    records: RecordsDep,
    memory: SessionMemoryDep,
    knowledge: KnowledgeDep,
    suggester: SuggesterDep,
    prefetcher: PrefetcherDep,
) -> ChatResponse | JSONResponse:
    wait = await public_limit(limits, limits.rules.chat, request)
    if wait:
        return too_many_requests(wait, "请求过于频繁，请稍后再试。")
    session_id = body.session_id
    if body.button:
        offer = await memory.recall(session_id, "b:" + body.button)
        if offer is None:
            return JSONResponse(status_code=409, content={"detail": STALE_BUTTON})
        message, shown = str(offer["payload"]), str(offer["title"])
    else:
        shown = await _forwarded(rasa, session_id, body.message.strip())
        message = typed_text(shown)
        if prefetcher is not None:
            _decide_ahead(prefetcher, knowledge, message)
    replies = await rasa.chat(session_id, message)
    replies = await run_in_threadpool(_suggest, knowledge, suggester, replies, shown)
    replies = [await _issue(memory, session_id, r, shown) for r in replies]
    await run_in_threadpool(_log_turn, records, session_id, shown, replies)
    return ChatResponse(session_id=session_id, replies=replies)


@router.get(
    "/welcome",
    response_model=Welcome,
    responses={422: {"model": ErrorBody}, 429: {"model": ErrorBody}},
    summary="The welcome's starter questions (each checked to be answered) and buttons.",
)
async def welcome(
    session_id: Annotated[str, Query(min_length=1, max_length=64, pattern=SESSION_ID_PATTERN)],
    request: Request,
    knowledge: KnowledgeDep,
    suggester: SuggesterDep,
    memory: SessionMemoryDep,
    limits: RateLimitsDep,
) -> Welcome | JSONResponse:
    # Counted with the chat turns: each call stores new ids, so it must not be free to flood.
    wait = await public_limit(limits, limits.rules.chat, request)
    if wait:
        return too_many_requests(wait, "请求过于频繁，请稍后再试。")
    starters = await run_in_threadpool(_starters, knowledge, suggester)
    actions: dict[str, Offer] = {}
    for name, (title, payload) in STANDING.items():
        button = new_id()
        await memory.remember(session_id, "b:" + button, {"title": title, "payload": payload})
        actions[name] = Offer(title=title, button=button)
    return Welcome(starters=starters, actions=actions)


def _starters(knowledge: KnowledgeHolder, suggester: Suggester) -> list[str]:
    engine = knowledge.engine
    return suggester.book(engine).starters(MAX_SUGGESTIONS) if engine is not None else []


def _suggest(
    knowledge: KnowledgeHolder, suggester: Suggester, replies: list[Reply], asked: str
) -> list[Reply]:
    """Answers get follow-up questions from the sections next to the ones they cite; a
    failure here costs the suggestions, never the answer."""
    if not any(r.kind == "answer" and r.citations for r in replies):
        return replies
    engine = knowledge.engine
    if engine is None:
        return replies
    try:
        book = suggester.book(engine)
        return [
            r.model_copy(update={"suggestions": book.after(r.citations, asked, MAX_SUGGESTIONS)})
            if r.kind == "answer" and r.citations
            else r
            for r in replies
        ]
    except Exception:
        LOG.exception("could not make follow-up suggestions")
        return replies


async def _issue(memory: SessionMemory, session_id: str, reply: Reply, asked: str) -> Reply:
    """The reply as the resident gets it: with its own id (feedback names it), and each button
    carrying a new id in place of its payload, both remembered for this conversation."""
    reply_id = new_id()
    await memory.remember(
        session_id,
        "r:" + reply_id,
        {
            "question": asked,
            "kind": reply.kind,
            "text": reply.text,
            "citations": [c.model_dump() for c in (reply.citations or reply.related)],
        },
    )
    buttons = []
    for b in reply.buttons:
        button = new_id()
        await memory.remember(session_id, "b:" + button, {"title": b.title, "payload": b.payload})
        buttons.append(Button(title=b.title, payload=button))
    return reply.model_copy(update={"id": reply_id, "buttons": buttons})


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
