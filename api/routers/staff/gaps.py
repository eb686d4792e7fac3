"""Knowledge gaps as a work list (the insights page): what went unanswered or 没帮助, each with
the turn before it; staff link it to a passage (an alias), draft a document from it, or mark
it resolved. A gap the assistant now answers (re-tested with the same engine and the turn
before as context) leaves the open list by itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import AuditDep, EditorDep, GapsDep, KnowledgeDep, ReaderDep
from api.schemas import BAD_BODY, ErrorBody
from api.staff_loop_schemas import GapItemOut, GapList, GapResolve
from knowledge.answering.engine import AnswerEngine, ConversationContext
from records.gaps import GapItem

router = APIRouter(prefix="/api/staff/gaps", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


class _Retests:
    """Replies already computed for (build, alias revision, question, previous): a page load
    re-tests only what changed since the last one."""

    def __init__(self, size: int = 2000) -> None:
        self._kinds: OrderedDict[tuple[str, int, str, str], str] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def kind(self, engine: AnswerEngine, question: str, previous: str) -> str:
        key = (engine.manifest.build_id, engine.aliases.revision, question, previous)
        with self._lock:
            if key in self._kinds:
                return self._kinds[key]
        context = ConversationContext(last_question=previous) if previous else None
        kind = engine.answer(question, context).kind
        with self._lock:
            self._kinds[key] = kind
            while len(self._kinds) > self._size:
                self._kinds.popitem(last=False)
        return kind


_RETESTS = _Retests()


def _out(g: GapItem, answered_now: bool | None) -> GapItemOut:
    return GapItemOut(
        question=g.question,
        source=g.source,
        times_asked=g.times_asked,
        sessions=g.sessions,
        last_asked=g.last_asked,
        previous=g.previous,
        resolved_by=g.resolved_by,
        resolved_at=g.resolved_at,
        how=g.how,
        answered_now=answered_now,
    )


@router.get("", response_model=GapList, responses=ERRORS, summary="Gaps, open or resolved.")
async def list_gaps(
    _: ReaderDep,
    gaps: GapsDep,
    knowledge: KnowledgeDep,
    state: Annotated[Literal["open", "resolved"], Query()] = "open",
    limit: Annotated[int, Query(ge=1, le=300)] = 100,
) -> GapList:
    items = await asyncio.to_thread(gaps.gaps, limit)
    engine = knowledge.engine
    out = []
    for g in items:
        if state == "resolved":
            if g.resolved_at is not None:
                out.append(_out(g, None))
            continue
        if g.resolved_at is not None:
            continue
        answered = None
        if engine is not None:
            kind = await asyncio.to_thread(_RETESTS.kind, engine, g.question, g.previous)
            answered = kind == "answer"
            if answered and g.source == "unanswered":
                continue  # the assistant answers it now: no longer a gap
        out.append(_out(g, answered))
    return GapList(gaps=out)


@router.post(
    "/resolve",
    response_model=GapItemOut,
    responses={**ERRORS, **BAD_BODY},
    summary="Mark a gap resolved (who and when are recorded).",
)
def resolve_gap(body: GapResolve, user: EditorDep, gaps: GapsDep, audit: AuditDep) -> GapItemOut:
    row = gaps.resolve(body.question, by=user.username, how=body.how)
    audit.record(user.username, "gap_resolve", question=body.question, how=body.how)
    return GapItemOut(
        question=body.question,
        source="unanswered",
        times_asked=0,
        sessions=0,
        last_asked=row.resolved_at,
        previous="",
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        how=row.how,
        answered_now=None,
    )


@router.post(
    "/reopen",
    status_code=204,
    responses={**ERRORS, **BAD_BODY, 404: {"model": ErrorBody}},
    summary="Put a resolved gap back on the open list.",
)
def reopen_gap(body: GapResolve, _: EditorDep, gaps: GapsDep) -> None:
    if not gaps.reopen(body.question):
        raise HTTPException(status_code=404, detail="这个问题没有被标记为已解决。")
