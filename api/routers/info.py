"""GET /api/info: what the page shows about the knowledge base (its date, its documents)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import KnowledgeDep, SettingsDep

router = APIRouter(prefix="/api", tags=["info"])


class DocumentInfo(BaseModel):
    doc_id: str
    title: str


class Info(BaseModel):
    knowledge_updated: str | None
    documents: list[DocumentInfo]
    hotline: str


@router.get("/info", response_model=Info)
def info(knowledge: KnowledgeDep, settings: SettingsDep) -> Info:
    """Sync on purpose: FastAPI runs it in a thread, so a new index build being loaded on
    first use never blocks the event loop."""
    engine = knowledge.engine
    if engine is None:
        return Info(knowledge_updated=None, documents=[], hotline=settings.hotline)
    manifest = engine.manifest
    return Info(
        knowledge_updated=manifest.created_at,
        documents=[DocumentInfo(doc_id=d.doc_id, title=d.title) for d in manifest.documents],
        hotline=settings.hotline,
    )
