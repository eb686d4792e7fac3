"""Documents: list, read, draft, upload, preview, versions, diff, publish, roll back, delete.

Editors write drafts; publishing, rolling back and deleting need the publish permission.
Publish, rollback and delete answer 202 and ask the index builder for a rebuild: the running
assistant answers from the new text within seconds, without a restart.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import BuilderDep, DocumentsDep, EditorDep, PublisherDep, ReaderDep, SettingsDep
from api.schemas import BAD_BODY, MAX_NUMBER, ErrorBody
from api.staff_schemas import (
    DOC_ID_PATTERN,
    DiffOut,
    DocumentChange,
    DocumentCreate,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    DocumentUpdate,
    PreviewOut,
    PreviewPassage,
    PreviewRequest,
    PublishRequest,
    RollbackRequest,
    StaleBody,
    UploadOut,
    VersionList,
    VersionOut,
)
from docstore import markdown
from docstore.isolation import convert_isolated
from docstore.store import (
    DocumentStore,
    DocumentView,
    StaleEdit,
    UnknownDocument,
    UnknownVersion,
    VersionView,
)
from docstore.uploads import ConvertedUpload, UploadRejected, chinese_problem
from knowledge.chunking import chunk_document
from knowledge.documents import DocumentError

router = APIRouter(prefix="/api/staff/documents", tags=["staff"])

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


def _summary(view: DocumentView) -> DocumentSummary:
    return DocumentSummary(
        doc_id=view.doc_id,
        title=view.title,
        version=view.version,
        published_version=view.published_version,
        status=view.status,  # type: ignore[arg-type]
        origin=view.origin,
        updated_at=view.updated_at,
        updated_by=view.updated_by,
        published_at=view.published_at,
    )


def _version(v: VersionView) -> VersionOut:
    return VersionOut(
        version=v.version,
        title=v.title,
        metadata=v.metadata,
        content=v.content,
        created_at=v.created_at,
        created_by=v.created_by,
        note=v.note,
    )


def _not_found(exc: LookupError) -> HTTPException:
    """A short answer that does not repeat the id: the path may be kilobytes long."""
    if isinstance(exc, UnknownVersion):
        return HTTPException(status_code=404, detail="没有这个版本。")
    return HTTPException(status_code=404, detail="没有这个文档。")


def _stale(exc: StaleEdit) -> JSONResponse:
    """409 with the latest version, so the page can offer to load it and keep the user's text."""
    return JSONResponse(
        status_code=409,
        content={"detail": str(exc), "latest_version": exc.latest_version},
    )


def _invalid(exc: DocumentError) -> HTTPException:
    return HTTPException(
        status_code=422,
        detail=[{"field": "content", "line": exc.line, "problem": chinese_problem(exc.message)}],
    )


@router.get("", response_model=DocumentList, responses=ERRORS, summary="Every document.")
def list_documents(_: ReaderDep, documents: DocumentsDep) -> DocumentList:
    return DocumentList(documents=[_summary(v) for v in documents.documents()])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentChange,
    responses={**ERRORS, **BAD_BODY, 409: {"model": ErrorBody}},
    summary="A new document; its first version is a draft.",
)
def create_document(
    body: DocumentCreate, user: EditorDep, documents: DocumentsDep
) -> DocumentChange:
    try:
        v = documents.create(
            body.title,
            body.content,
            actor=user.username,
            metadata=body.metadata,
            doc_id=body.doc_id,
        )
    except DocumentError as exc:
        raise _invalid(exc) from exc
    except ValueError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return DocumentChange(doc_id=v.doc_id, version=v.version, status="draft")


@router.post(
    "/upload",
    status_code=status.HTTP_201_CREATED,
    response_model=UploadOut,
    responses={**ERRORS, **BAD_BODY, 409: {"model": ErrorBody}, 413: {"model": ErrorBody}},
    summary="A new draft from a Markdown, text or .docx file (or a new draft of doc_id).",
)
async def upload_document(
    user: EditorDep,
    documents: DocumentsDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A .md, .txt or .docx file")],
    title: Annotated[str | None, Form(max_length=300)] = None,
    doc_id: Annotated[str | None, Form(max_length=128, pattern=DOC_ID_PATTERN)] = None,
    base_version: Annotated[int | None, Form(ge=1, le=MAX_NUMBER)] = None,
) -> UploadOut | JSONResponse:
    """The conversion runs in a limited child process, awaited from a worker thread: a file
    crafted to be slow or huge to convert costs that child, never this event loop (which
    also answers /healthz and the residents' chat)."""
    data = await file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise HTTPException(
            status_code=413,
            detail=f"文件过大：上限为 {settings.upload_max_bytes // 1000} KB。",
        )
    filename = file.filename or "upload"
    try:
        converted = await run_in_threadpool(
            convert_isolated,
            filename,
            data,
            max_bytes=settings.upload_max_bytes,
            limits=settings.conversion_limits(),
        )
    except UploadRejected as exc:
        raise HTTPException(
            status_code=422,
            detail=[{"field": "file", "line": exc.line, "problem": exc.message}],
        ) from exc
    return await run_in_threadpool(
        _save_upload, converted, filename, user.username, documents, title, doc_id, base_version
    )


def _save_upload(
    converted: ConvertedUpload,
    filename: str,
    actor: str,
    documents: DocumentStore,
    title: str | None,
    doc_id: str | None,
    base_version: int | None,
) -> UploadOut | JSONResponse:
    """Store a converted upload as a new document or a new draft of ``doc_id`` (database
    work, so it runs in a worker thread too)."""
    chosen_title = (title or "").strip() or converted.title
    if not chosen_title:
        raise HTTPException(
            status_code=422,
            detail=[{"field": "title", "problem": "文件中没有标题，请填写文档标题。"}],
        )
    if doc_id and base_version is None and documents.exists(doc_id):
        raise HTTPException(
            status_code=409,
            detail=f"文档 {doc_id} 已存在：要上传为它的新版本，请同时提供 base_version。",
        )
    try:
        if doc_id and base_version is not None:
            v = documents.update(
                doc_id,
                converted.content,
                base_version=base_version,
                actor=actor,
                title=chosen_title,
                metadata=converted.metadata,
                note=f"uploaded {filename}",
            )
        else:
            v = documents.create(
                chosen_title,
                converted.content,
                actor=actor,
                metadata=converted.metadata,
                doc_id=doc_id or None,
                note=f"uploaded {filename}",
            )
    except StaleEdit as exc:
        return _stale(exc)
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    except DocumentError as exc:
        raise _invalid(exc) from exc
    except ValueError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return UploadOut(
        doc_id=v.doc_id,
        version=v.version,
        status="draft",
        title=v.title,
        encoding=converted.encoding,
        warnings=list(converted.warnings),
    )


@router.post(
    "/preview",
    response_model=PreviewOut,
    responses={**ERRORS, **BAD_BODY},
    summary="How a text would be cut into cited passages, without saving anything.",
)
def preview(body: PreviewRequest, _: EditorDep) -> PreviewOut:
    try:
        document = markdown.parse(body.doc_id, body.title, body.content, body.metadata)
    except DocumentError as exc:
        raise _invalid(exc) from exc
    passages = chunk_document(document)
    return PreviewOut(
        doc_id=body.doc_id,
        title=body.title,
        passages=[
            PreviewPassage(n=n, section=p.section, quote=p.text, anchor=p.anchor)
            for n, p in enumerate(passages, start=1)
        ],
    )


@router.get("/{doc_id}", response_model=DocumentDetail, responses=ERRORS, summary="One document.")
def get_document(doc_id: str, _: ReaderDep, documents: DocumentsDep) -> DocumentDetail:
    try:
        view = documents.get(doc_id)
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    assert view.latest is not None
    return DocumentDetail(
        **_summary(view).model_dump(), content=view.latest.content, metadata=view.latest.metadata
    )


@router.put(
    "/{doc_id}",
    response_model=DocumentChange,
    responses={**ERRORS, **BAD_BODY, 409: {"model": StaleBody}},
    summary="A new draft version; 409 when base_version is not the latest.",
)
def update_document(
    doc_id: str, body: DocumentUpdate, user: EditorDep, documents: DocumentsDep
) -> DocumentChange | JSONResponse:
    try:
        v = documents.update(
            doc_id,
            body.content,
            base_version=body.base_version,
            actor=user.username,
            title=body.title,
            metadata=body.metadata,
        )
    except StaleEdit as exc:
        return _stale(exc)
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    except DocumentError as exc:
        raise _invalid(exc) from exc
    return DocumentChange(doc_id=v.doc_id, version=v.version, status=documents.get(doc_id).status)


@router.get(
    "/{doc_id}/versions", response_model=VersionList, responses=ERRORS, summary="Version history."
)
def versions(doc_id: str, _: ReaderDep, documents: DocumentsDep) -> VersionList:
    try:
        history = documents.history(doc_id)
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    return VersionList(doc_id=doc_id, versions=[_version(v) for v in history])


@router.get(
    "/{doc_id}/versions/{version}",
    response_model=VersionOut,
    responses=ERRORS,
    summary="One version.",
)
def version(
    doc_id: str,
    version: Annotated[int, Path(ge=1, le=MAX_NUMBER)],
    _: ReaderDep,
    documents: DocumentsDep,
) -> VersionOut:
    try:
        return _version(documents.version(doc_id, version))
    except (UnknownDocument, UnknownVersion) as exc:
        raise _not_found(exc) from exc


@router.get("/{doc_id}/diff", response_model=DiffOut, responses=ERRORS, summary="Unified diff.")
def diff(
    doc_id: str,
    _: ReaderDep,
    documents: DocumentsDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_NUMBER)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_NUMBER)],
) -> DiffOut:
    try:
        lines = documents.diff(doc_id, from_version, to_version)
    except (UnknownDocument, UnknownVersion) as exc:
        raise _not_found(exc) from exc
    return DiffOut(doc_id=doc_id, from_version=from_version, to_version=to_version, lines=lines)


@router.post(
    "/{doc_id}/publish",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DocumentChange,
    responses={**ERRORS, **BAD_BODY, 409: {"model": StaleBody}},
    summary="Publish the latest version (optionally: only if it is still the one reviewed, "
    "else 409); the assistant cites it within seconds.",
)
def publish(
    doc_id: str,
    user: PublisherDep,
    documents: DocumentsDep,
    builder: BuilderDep,
    body: PublishRequest | None = None,
) -> DocumentChange | JSONResponse:
    try:
        v = documents.publish(
            doc_id, actor=user.username, expected_version=body.version if body else None
        )
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    except StaleEdit as exc:
        return _stale(exc)
    # The reason is shown to staff on the index page: Chinese.
    builder.request(f"发布 {doc_id} 第 {v.version} 版", by=user.username)
    return DocumentChange(doc_id=doc_id, version=v.version, status="published")


@router.post(
    "/{doc_id}/rollback",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DocumentChange,
    responses={**ERRORS, **BAD_BODY, 409: {"model": StaleBody}},
    summary="Publish an earlier version's text again, as a new version.",
)
def rollback(
    doc_id: str,
    body: RollbackRequest,
    user: PublisherDep,
    documents: DocumentsDep,
    builder: BuilderDep,
) -> DocumentChange | JSONResponse:
    try:
        v = documents.rollback(doc_id, body.version, actor=user.username)
    except (UnknownDocument, UnknownVersion) as exc:
        raise _not_found(exc) from exc
    except StaleEdit as exc:  # an edit took the next version number at the same moment
        return _stale(exc)
    builder.request(f"{doc_id} 回滚到第 {body.version} 版", by=user.username)
    return DocumentChange(doc_id=doc_id, version=v.version, status="published")


@router.delete(
    "/{doc_id}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DocumentChange,
    responses=ERRORS,
    summary="Retire a document: it stops being cited; its history stays.",
)
def delete_document(
    doc_id: str, user: PublisherDep, documents: DocumentsDep, builder: BuilderDep
) -> DocumentChange:
    try:
        documents.delete(doc_id, actor=user.username)
    except UnknownDocument as exc:
        raise _not_found(exc) from exc
    builder.request(f"删除 {doc_id}", by=user.username)
    return DocumentChange(doc_id=doc_id, version=None, status="deleted")
