"""Documents: list, read, draft, upload, preview, versions, diff, publish, roll back, delete.

Editors write drafts; publishing, rolling back and deleting need the publish permission.
Publish, rollback and delete answer 202 and ask the index builder for a rebuild: the running
assistant answers from the new text within seconds, without a restart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import BuilderDep, DocumentsDep, EditorDep, PublisherDep, ReaderDep, SettingsDep
from api.schemas import BAD_BODY, MAX_NUMBER, ErrorBody, no_control_characters
from api.settings import Settings
from api.staff_schemas import (
    DOC_ID_PATTERN,
    DiffHunkOut,
    DiffOut,
    DiffRowOut,
    DiffSegment,
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
    UploadBatchOut,
    UploadOut,
    UploadResult,
    VersionList,
    VersionOut,
)
from docstore import markdown
from docstore.chardiff import DiffHunk
from docstore.isolation import convert_isolated
from docstore.listing import DocumentQuery, SortKey, Status
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
        published_at=v.published_at,
        published_by=v.published_by,
        publish_note=v.publish_note,
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


@router.get(
    "",
    response_model=DocumentList,
    responses=ERRORS,
    summary="Documents, optionally searched, filtered by status and date, and sorted.",
)
def list_documents(
    _: ReaderDep,
    documents: DocumentsDep,
    q: Annotated[
        str, Query(max_length=200, description="Part of the title or the id, any case.")
    ] = "",
    status_: Annotated[
        list[Status] | None,
        Query(alias="status", description="Only these statuses (repeat the parameter)."),
    ] = None,
    updated_since: Annotated[
        datetime | None,
        Query(
            description="Latest version saved at or after this moment (ISO 8601; UTC if no offset)."
        ),
    ] = None,
    updated_before: Annotated[
        datetime | None, Query(description="Latest version saved before this moment.")
    ] = None,
    sort: Annotated[SortKey, Query(description="The sort key; ties by id.")] = "doc_id",
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
) -> DocumentList:
    """Without parameters: every document by id, as this route always answered. The work is
    done by the database (docstore.listing), not by sending everything to the page."""
    try:
        text = no_control_characters(q)
    except ValueError as exc:
        raise HTTPException(
            status_code=422, detail=[{"field": "q", "problem": "搜索词含有不可见的控制字符。"}]
        ) from exc
    since, before = _utc(updated_since), _utc(updated_before)
    if since is not None and before is not None and since >= before:
        raise HTTPException(
            status_code=422,
            detail=[{"field": "updated_before", "problem": "结束日期必须晚于开始日期。"}],
        )
    query = DocumentQuery(
        text=text,
        statuses=tuple(dict.fromkeys(status_ or ())),
        updated_since=since,
        updated_before=before,
        sort=sort,
        descending=order == "desc",
    )
    return DocumentList(documents=[_summary(v) for v in documents.find(query)])


def _utc(moment: datetime | None) -> datetime | None:
    """A moment without an offset is read as UTC (what this API sends back)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


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
    filename = file.filename or "upload"
    converted = await _convert(file, filename, settings)
    return await run_in_threadpool(
        _save_upload, converted, filename, user.username, documents, title, doc_id, base_version
    )


async def _convert(file: UploadFile, filename: str, settings: Settings) -> ConvertedUpload:
    """Read one uploaded file (bounded) and convert it in the isolated child process;
    413 or 422 with a Chinese reason when it cannot be."""
    data = await file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise HTTPException(
            status_code=413,
            detail=f"文件过大：上限为 {settings.upload_max_bytes // 1000} KB。",
        )
    try:
        return await run_in_threadpool(
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


@router.post(
    "/uploads",
    status_code=status.HTTP_207_MULTI_STATUS,
    response_model=UploadBatchOut,
    responses={**ERRORS, **BAD_BODY, 413: {"model": ErrorBody}},
    summary="Several files at once, each a new draft; each file's own result (207).",
)
async def upload_documents(
    user: EditorDep,
    documents: DocumentsDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="Up to upload_max_files files")],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> UploadBatchOut:
    """Each file goes through what a single upload does (the isolated conversion, then a new
    draft) and gets its own result: one file that fails costs only itself. Files are
    converted one after another, so a batch takes no more conversion slots than one upload.
    A file with no title of its own is named after the file (said in its warnings), since a
    batch has no title field per file; ``title`` is only for a batch of one."""
    if len(files) > settings.upload_max_files:
        raise HTTPException(
            status_code=422,
            detail=[
                {"field": "files", "problem": f"一次最多上传 {settings.upload_max_files} 个文件。"}
            ],
        )
    if (title or "").strip() and len(files) > 1:
        raise HTTPException(
            status_code=422,
            detail=[{"field": "title", "problem": "同时上传多个文件时不能统一填写标题。"}],
        )
    results = [await _upload_one(f, user.username, documents, settings, title) for f in files]
    saved = sum(1 for r in results if r.status_code == status.HTTP_201_CREATED)
    return UploadBatchOut(results=results, saved=saved, failed=len(results) - saved)


async def _upload_one(
    file: UploadFile,
    actor: str,
    documents: DocumentStore,
    settings: Settings,
    title: str | None,
) -> UploadResult:
    filename = PurePath(file.filename or "upload").name[:255] or "upload"
    try:
        converted = await _convert(file, filename, settings)
        chosen = (title or "").strip() or converted.title
        warnings: list[str] = []
        if not chosen:
            chosen = PurePath(filename).stem[:300] or filename
            warnings.append(f"文件中没有标题，已用文件名“{chosen}”作标题，可在编辑器中修改。")
        out = await run_in_threadpool(
            _save_upload, converted, filename, actor, documents, chosen, None, None
        )
    except HTTPException as exc:
        return UploadResult(
            filename=filename, status_code=exc.status_code, problems=_problems(exc.detail)
        )
    assert isinstance(out, UploadOut)  # no base version: never a stale-edit answer
    return UploadResult(
        filename=filename,
        status_code=status.HTTP_201_CREATED,
        doc_id=out.doc_id,
        version=out.version,
        title=out.title,
        encoding=out.encoding,
        warnings=warnings + out.warnings,
    )


def _problems(detail: object) -> list[dict[str, object]]:
    """An HTTPException's detail as a list of problems, like a 422 body's."""
    if isinstance(detail, list):
        return [dict(item) for item in detail if isinstance(item, dict)]
    return [{"field": "file", "problem": str(detail)}]


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


@router.get(
    "/{doc_id}/diff",
    response_model=DiffOut,
    responses=ERRORS,
    summary="Unified diff, and the same with changed characters marked in changed lines.",
)
def diff(
    doc_id: str,
    _: ReaderDep,
    documents: DocumentsDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_NUMBER)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_NUMBER)],
) -> DiffOut:
    try:
        lines = documents.diff(doc_id, from_version, to_version)
        hunks = documents.char_diff(doc_id, from_version, to_version)
    except (UnknownDocument, UnknownVersion) as exc:
        raise _not_found(exc) from exc
    return DiffOut(
        doc_id=doc_id,
        from_version=from_version,
        to_version=to_version,
        lines=lines,
        hunks=[_hunk(h) for h in hunks],
    )


def _hunk(hunk: DiffHunk) -> DiffHunkOut:
    return DiffHunkOut(
        old_start=hunk.old_start,
        new_start=hunk.new_start,
        rows=[
            DiffRowOut(
                op=row.op,
                old_line=row.old_line,
                new_line=row.new_line,
                segments=[DiffSegment(text=s.text, changed=s.changed) for s in row.segments],
            )
            for row in hunk.rows
        ],
    )


@router.post(
    "/{doc_id}/publish",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DocumentChange,
    responses={**ERRORS, **BAD_BODY, 409: {"model": StaleBody}},
    summary="Publish the latest version (optionally: only if it is still the one reviewed, "
    "else 409; with a change note); the assistant cites it within seconds.",
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
            doc_id,
            actor=user.username,
            expected_version=body.version if body else None,
            note=body.note if body else "",
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
