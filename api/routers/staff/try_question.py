"""The test console (试问): what a resident would get now, and why; or after a draft is published.

Editors and admins ask a question and get exactly the Reply the chat would give from the
published knowledge (the same engine and renderer), with the engine's decision reason in plain
Chinese. With a ``doc_id`` the question is answered by an engine over an in-memory copy of the
served index in which that document's draft replaces its published version
(``knowledge.index.draft``): the live index is never touched.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import DocumentsDep, EditorDep, KnowledgeDep, ReaderDep
from api.schemas import BAD_BODY, ErrorBody
from api.staff_loop_schemas import PassageList, PassageOut, TryRequest, TryResponse
from docstore import markdown
from docstore.store import DocumentStore, UnknownDocument, UnknownVersion
from knowledge.answering.engine import AnswerEngine, ConversationContext
from knowledge.answering.why import DecisionReason, Gate
from knowledge.documents import Document, DocumentError
from knowledge.text import to_simplified

router = APIRouter(prefix="/api/staff", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
    503: {"model": ErrorBody},
}


def _draft(documents: DocumentStore, doc_id: str, number: int | None) -> tuple[Document, int]:
    """A document version as it would be published (the latest when no number is given)."""
    view = documents.get(doc_id)
    version = documents.version(doc_id, number or view.version)
    return markdown.parse(doc_id, version.title, version.content, version.metadata), version.version


def _engine(knowledge: KnowledgeDep) -> AnswerEngine:
    engine = knowledge.engine
    if engine is None:
        raise HTTPException(status_code=503, detail="知识库索引正在加载，请稍后再试。")
    return engine


@router.post(
    "/try",
    response_model=TryResponse,
    responses={**ERRORS, **BAD_BODY},
    summary="What a resident would get for this question now (or after a draft is published).",
)
async def try_question(
    body: TryRequest, _: EditorDep, knowledge: KnowledgeDep, documents: DocumentsDep
) -> TryResponse:
    engine = _engine(knowledge)
    against = "published"
    if body.doc_id:
        try:
            # Reading and parsing a draft is CPU work (a large one takes seconds): off the loop.
            doc, number = await asyncio.to_thread(_draft, documents, body.doc_id, body.version)
        except UnknownVersion as exc:
            raise HTTPException(status_code=404, detail="没有这个版本。") from exc
        except UnknownDocument as exc:
            raise HTTPException(status_code=404, detail="没有这个文档。") from exc
        except DocumentError as exc:
            raise HTTPException(
                status_code=422, detail=f"这个版本无法解析（第 {exc.line} 行）：{exc.message}"
            ) from exc
        engine = await asyncio.to_thread(engine.with_documents, [doc])
        against = f"{body.doc_id} 第 {number} 版"
    context = ConversationContext(last_question=body.previous) if body.previous else None
    decision, reply = await asyncio.to_thread(engine.decide_and_reply, body.question, context)
    why = decision.why or DecisionReason(Gate.ANSWERED if reply.kind == "answer" else Gate.NO_TERM)
    return TryResponse(reply=reply, reason=why.chinese(), gate=why.gate.value, against=against)


@router.get(
    "/passages",
    response_model=PassageList,
    responses=ERRORS,
    summary="Passages nearest a query, with their anchors (to link a question to one).",
)
async def passages(
    _: ReaderDep,
    knowledge: KnowledgeDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=30)] = 8,
) -> PassageList:
    engine = _engine(knowledge)
    if not q.strip():
        raise HTTPException(status_code=422, detail="请输入要查找的内容。")
    hits = await asyncio.to_thread(engine.search, to_simplified(q), k)
    return PassageList(
        passages=[
            PassageOut(
                doc_id=h.passage.doc_id,
                doc_title=h.passage.doc_title,
                anchor=h.passage.anchor,
                section=h.passage.section,
                text=h.passage.text,
                url=f"/sources/{h.passage.doc_id}#{h.passage.anchor}",
            )
            for h in hits
        ]
    )
