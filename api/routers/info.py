"""GET /api/info: what the page shows about the knowledge base (its date, its documents)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.deps import ContactDep, KnowledgeDep, SettingsDep

router = APIRouter(prefix="/api", tags=["info"])


class DocumentInfo(BaseModel):
    doc_id: str
    title: str


class Info(BaseModel):
    knowledge_updated: str | None
    documents: list[DocumentInfo]
    hotline: str


@router.get("/info", response_model=Info)
def info(knowledge: KnowledgeDep, contact: ContactDep) -> Info:
    """Sync on purpose: FastAPI runs it in a thread, so a new index build being loaded on
    first use never blocks the event loop."""
    engine = knowledge.engine
    if engine is None:
        return Info(knowledge_updated=None, documents=[], hotline=contact.hotline)
    manifest = engine.manifest
    return Info(
        knowledge_updated=manifest.created_at,
        documents=[DocumentInfo(doc_id=d.doc_id, title=d.title) for d in manifest.documents],
        hotline=contact.hotline,
    )


class Embedding(BaseModel):
    allowed: bool = Field(
        description="Whether the calling page's origin may frame the chat page (widget.js)."
    )


@router.get(
    "/embed",
    response_model=Embedding,
    summary="May the calling site embed the assistant? (asked by widget.js before framing)",
)
def embed(request: Request, response: Response, settings: SettingsDep) -> Embedding:
    """The answer to widget.js on any site: readable by every origin (so a site that is not on
    the list learns that, and shows its notice instead of a frame the browser refuses). One
    setting, PLANBOT_CORS_ORIGINS, governs this, the CORS allowlist and frame-ancestors."""
    origin = request.headers.get("origin")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Origin"
    allowed = origin is None or origin in settings.cors_origins or origin == _own_origin(request)
    return Embedding(allowed=allowed)


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"
