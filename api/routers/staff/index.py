"""The index: its build status with progress, what is being served, and a manual rebuild."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import BuilderDep, KnowledgeDep, PublisherDep, ReaderDep
from api.schemas import ErrorBody
from api.staff_schemas import IndexStatus
from docstore.indexing import BuildStatus
from planbot.holder import KnowledgeHolder

router = APIRouter(prefix="/api/staff/index", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


def _status(build: BuildStatus, knowledge: KnowledgeHolder) -> IndexStatus:
    engine = knowledge.engine
    manifest = engine.manifest if engine is not None else None
    return IndexStatus(
        state=build.state,
        reason=build.reason,
        requested_by=build.requested_by,
        documents_total=build.documents_total,
        documents_done=build.documents_done,
        current_document=build.current_document,
        started_at=build.started_at,
        finished_at=build.finished_at,
        build_id=build.build_id,
        embedded=list(build.embedded),
        removed=list(build.removed),
        passages=build.passages,
        seconds=build.seconds,
        # The exception is in the log; staff read what it means for them.
        error="构建失败，之前的索引继续提供服务；详细原因已记入服务器日志。" if build.error else "",
        broken=list(build.broken),
        serving_build=manifest.build_id if manifest else "",
        serving_passages=manifest.passage_count if manifest else 0,
        serving_documents=len(manifest.documents) if manifest else 0,
    )


@router.get("", response_model=IndexStatus, responses=ERRORS, summary="Build and serving status.")
def index_status(_: ReaderDep, builder: BuilderDep, knowledge: KnowledgeDep) -> IndexStatus:
    return _status(builder.status, knowledge)


@router.post(
    "/rebuild",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=IndexStatus,
    responses=ERRORS,
    summary="Rebuild from the published documents (after a failed build, for instance).",
)
def rebuild(user: PublisherDep, builder: BuilderDep, knowledge: KnowledgeDep) -> IndexStatus:
    builder.request("手动重建", by=user.username)
    return _status(builder.status, knowledge)
