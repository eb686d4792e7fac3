"""The audit log: who changed what, when (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AuditDep, AuditorDep
from api.schemas import ErrorBody
from api.staff_schemas import AuditList, AuditOut

router = APIRouter(prefix="/api/staff/audit", tags=["staff"])


@router.get(
    "",
    response_model=AuditList,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="The newest audit entries first.",
)
def audit_log(
    _: AuditorDep,
    audit: AuditDep,
    doc_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 200,
) -> AuditList:
    return AuditList(
        entries=[
            AuditOut(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                doc_id=e.doc_id,
                version=e.version,
                detail=e.detail,
            )
            for e in audit.entries(doc_id=doc_id, limit=limit)
        ]
    )
