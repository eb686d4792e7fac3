"""Staff aliases: a resident's phrasing linked to a passage or document, and term synonyms.

Adding or removing one needs the publish permission: like publishing, it changes what
residents are answered, within seconds in every answering process (``docstore.aliases``).
Everyone on the staff may list them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status

from api.deps import AliasesDep, DocumentsDep, KnowledgeDep, PublisherDep, ReaderDep
from api.schemas import BAD_BODY, MAX_NUMBER, ErrorBody
from api.staff_loop_schemas import AliasCreate, AliasList, AliasOut
from docstore.aliases import AliasRejected, AliasView

router = APIRouter(prefix="/api/staff/aliases", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


def _out(a: AliasView) -> AliasOut:
    return AliasOut(
        id=a.id,
        kind=a.kind,  # type: ignore[arg-type]
        phrase=a.phrase,
        doc_id=a.doc_id,
        anchor=a.anchor,
        synonym=a.synonym,
        created_at=a.created_at,
        created_by=a.created_by,
    )


@router.get("", response_model=AliasList, responses=ERRORS, summary="Every alias, oldest first.")
def list_aliases(_: ReaderDep, aliases: AliasesDep) -> AliasList:
    return AliasList(aliases=[_out(a) for a in aliases.aliases()])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AliasOut,
    responses={**ERRORS, **BAD_BODY},
    summary="Link a phrasing to a passage or document (or a term to a synonym); acts within 5 s.",
)
def create_alias(
    body: AliasCreate,
    user: PublisherDep,
    aliases: AliasesDep,
    documents: DocumentsDep,
    knowledge: KnowledgeDep,
) -> AliasOut:
    if body.doc_id:
        view = documents.get(body.doc_id) if documents.exists(body.doc_id) else None
        if view is None or view.published_version is None or view.deleted_at is not None:
            raise HTTPException(status_code=422, detail="只能关联到已发布的文档。")
        engine = knowledge.engine
        if body.anchor and engine is not None:
            anchors = {p.anchor for p in engine.document_passages(body.doc_id)}
            if anchors and body.anchor not in anchors:
                raise HTTPException(status_code=422, detail="这个文档中没有这个段落。")
    try:
        alias = aliases.add(
            body.phrase,
            actor=user.username,
            doc_id=body.doc_id,
            anchor=body.anchor,
            synonym=body.synonym,
        )
    except AliasRejected as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return _out(alias)


@router.delete(
    "/{alias_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**ERRORS, 404: {"model": ErrorBody}},
    summary="Remove an alias; it stops acting within 5 s.",
)
def delete_alias(
    alias_id: Annotated[int, Path(ge=1, le=MAX_NUMBER)], user: PublisherDep, aliases: AliasesDep
) -> Response:
    if not aliases.delete(alias_id, actor=user.username):
        raise HTTPException(status_code=404, detail="没有这个关联。")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
