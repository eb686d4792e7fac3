"""Request and response bodies of the staff API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from api.schemas import MAX_NUMBER, no_control_characters
from docstore.markdown import MAX_CONTENT_CHARS
from records.privacy import mask_personal_numbers

# A document id as the store accepts it (knowledge.documents.valid_doc_id; at most 128).
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$"


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    # The 6-digit code of an account with two-step log-in on; ignored for other accounts.
    otp: str | None = Field(default=None, max_length=12)


class TotpCode(BaseModel):
    otp: str = Field(min_length=1, max_length=12)


class TotpStatus(BaseModel):
    enabled: bool
    pending: bool


class TotpEnrolment(BaseModel):
    """Shown once, before confirming: the secret to type into an authenticator app, and the
    same as an otpauth:// URI."""

    secret: str
    uri: str


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime
    username: str
    role: str


class Me(BaseModel):
    username: str
    role: str
    permissions: list[str]


def _clean_text(value: str) -> str:
    """Documents may hold newlines and tabs but no other control or invisible characters."""
    return no_control_characters(value.replace("\r\n", "\n"))


class DocumentCreate(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    content: str = Field(min_length=1, max_length=MAX_CONTENT_CHARS)
    doc_id: str | None = Field(default=None, min_length=1, max_length=128, pattern=DOC_ID_PATTERN)
    metadata: dict[str, str] = Field(default_factory=dict, max_length=20)

    _clean = field_validator("title", "content")(_clean_text)


class DocumentUpdate(BaseModel):
    content: str = Field(min_length=1, max_length=MAX_CONTENT_CHARS)
    base_version: int = Field(ge=1, le=MAX_NUMBER)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    metadata: dict[str, str] | None = Field(default=None, max_length=20)

    @field_validator("content", "title")
    @classmethod
    def clean(cls, value: str | None) -> str | None:
        return None if value is None else _clean_text(value)


class PreviewRequest(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    content: str = Field(min_length=1, max_length=MAX_CONTENT_CHARS)
    doc_id: str = Field(default="preview", max_length=128, pattern=DOC_ID_PATTERN)
    metadata: dict[str, str] = Field(default_factory=dict, max_length=20)

    _clean = field_validator("title", "content")(_clean_text)


class StaleBody(BaseModel):
    detail: str
    latest_version: int


class PublishRequest(BaseModel):
    """Optional: the version the publisher reviewed (a newer one gets 409 instead) and a
    change note kept with the version and in the audit log."""

    version: int | None = Field(default=None, ge=1, le=MAX_NUMBER)
    note: str = Field(default="", max_length=300, description="The change note (optional).")

    @field_validator("note")
    @classmethod
    def clean_note(cls, value: str) -> str:
        """One line of text; personal numbers masked like everything else that is stored."""
        return mask_personal_numbers(" ".join(no_control_characters(value).split()))


class RollbackRequest(BaseModel):
    version: int = Field(ge=1, le=MAX_NUMBER)


class DocumentChange(BaseModel):
    doc_id: str
    version: int | None
    status: str


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    version: int
    published_version: int | None
    status: Literal["draft", "published", "changed", "deleted"]
    origin: str
    updated_at: datetime
    updated_by: str
    published_at: datetime | None


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class VersionOut(BaseModel):
    version: int
    title: str
    metadata: dict[str, str]
    content: str
    created_at: datetime
    created_by: str
    note: str
    published_at: datetime | None = None
    published_by: str | None = None
    publish_note: str | None = Field(default=None, description="The publisher's change note.")


class DocumentDetail(DocumentSummary):
    content: str
    metadata: dict[str, str]


class VersionList(BaseModel):
    doc_id: str
    versions: list[VersionOut]


class DiffSegment(BaseModel):
    text: str
    changed: bool


class DiffRowOut(BaseModel):
    op: Literal["equal", "delete", "insert"]
    old_line: int | None
    new_line: int | None
    segments: list[DiffSegment] = Field(
        description="The line in runs; in a changed line only the changed characters are marked."
    )


class DiffHunkOut(BaseModel):
    old_start: int
    new_start: int
    rows: list[DiffRowOut]


class DiffOut(BaseModel):
    doc_id: str
    from_version: int
    to_version: int
    lines: list[str] = Field(description="A unified diff of the Markdown sources.")
    hunks: list[DiffHunkOut] = Field(
        default_factory=list, description="The same diff with character-level marks."
    )


class PreviewPassage(BaseModel):
    n: int
    section: str
    quote: str
    anchor: str


class PreviewOut(BaseModel):
    doc_id: str
    title: str
    passages: list[PreviewPassage]


class UploadOut(DocumentChange):
    title: str
    encoding: str
    warnings: list[str]


class UploadResult(BaseModel):
    """One file of a multi-file upload: saved as a draft, or why not."""

    filename: str
    status_code: int = Field(description="What uploading this file alone answers: 201, 413, 422…")
    doc_id: str | None = None
    version: int | None = None
    title: str | None = None
    encoding: str | None = None
    warnings: list[str] = Field(default_factory=list)
    problems: list[dict[str, Any]] = Field(
        default_factory=list, description="Why the file was refused (Chinese, with its line)."
    )


class UploadBatchOut(BaseModel):
    results: list[UploadResult]
    saved: int
    failed: int


class IndexStatus(BaseModel):
    state: str
    reason: str
    requested_by: str
    documents_total: int
    documents_done: int
    current_document: str
    started_at: datetime | None
    finished_at: datetime | None
    build_id: str
    embedded: list[str]
    removed: list[str]
    passages: int
    seconds: float
    error: str
    broken: list[str]
    serving_build: str
    serving_passages: int
    serving_documents: int


class Gap(BaseModel):
    question: str
    times_asked: int
    sessions: int
    last_asked: datetime


class GapList(BaseModel):
    questions: list[Gap]


class FeedbackOut(BaseModel):
    id: int
    created_at: datetime
    # Not the session id (that reads the conversation's staff replies): a label for it.
    conversation: str
    question: str
    citations: list[dict[str, Any]]
    reply_text: str | None = None
    missing: str | None = Field(
        default=None, description="What the resident said was missing (optional, masked)."
    )


class FeedbackList(BaseModel):
    feedback: list[FeedbackOut]


class TicketReplyOut(BaseModel):
    id: int
    created_at: datetime
    author: str
    text: str


class TicketReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)

    @field_validator("text")
    @classmethod
    def has_text(cls, value: str) -> str:
        value = no_control_characters(value)
        if not value.strip():
            raise ValueError("答复不能为空")
        return value.strip()


class TicketOut(BaseModel):
    id: int
    created_at: datetime
    kind: str
    status: str
    session_id: str
    summary: str
    contact: str | None
    details: dict[str, Any]
    transcript: list[dict[str, str]]
    closed_by: str | None
    closed_at: datetime | None
    code: str | None = None  # the reference code the resident was told (K7MQ-4XRT)
    answered_at: datetime | None = None
    replies: list[TicketReplyOut] = []


class TicketList(BaseModel):
    tickets: list[TicketOut]


class TicketUpdate(BaseModel):
    status: Literal["open", "closed"]


class AccountOut(BaseModel):
    username: str
    role: str
    active: bool
    created_at: datetime


class AccountList(BaseModel):
    accounts: list[AccountOut]


class AccountCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=1, max_length=200)
    role: Literal["editor", "admin"]


class AccountUpdate(BaseModel):
    role: Literal["editor", "admin"] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=200)


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    doc_id: str | None
    version: int | None
    detail: dict[str, Any]


class AuditList(BaseModel):
    entries: list[AuditOut]
