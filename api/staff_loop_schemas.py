"""Request and response bodies of the staff test console (试问) and the aliases."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from api.schemas import MAX_NUMBER, no_control_characters
from api.staff_schemas import DOC_ID_PATTERN
from knowledge.answering.reply import Reply


def _text(value: str) -> str:
    value = no_control_characters(value)
    if not value.strip():
        raise ValueError("不能为空")
    return value


class TryRequest(BaseModel):
    """A question; with ``doc_id``, asked as if that document's draft (or ``version``) were
    published."""

    question: str = Field(min_length=1, max_length=500)
    doc_id: str | None = Field(default=None, min_length=1, max_length=128, pattern=DOC_ID_PATTERN)
    version: int | None = Field(default=None, ge=1, le=MAX_NUMBER)
    # The resident's turn before (a follow-up fragment like 那高速呢 is read after it).
    previous: str | None = Field(default=None, max_length=500)

    _clean = field_validator("question")(_text)


class TryResponse(BaseModel):
    reply: Reply
    reason: str
    # Which check decided (a stable code for the page; ``reason`` is what staff read).
    gate: str
    # "published", or the document version the answer was tried against.
    against: str


class AliasCreate(BaseModel):
    """A resident's phrasing linked to a document (``anchor``: one passage of it), or, with
    ``synonym`` instead, a term made a synonym of another."""

    phrase: str = Field(min_length=1, max_length=200)
    doc_id: str | None = Field(default=None, min_length=1, max_length=128, pattern=DOC_ID_PATTERN)
    anchor: str | None = Field(default=None, max_length=128)
    synonym: str | None = Field(default=None, max_length=200)

    _clean = field_validator("phrase")(_text)

    @field_validator("anchor", "synonym")
    @classmethod
    def clean(cls, value: str | None) -> str | None:
        return None if value is None else no_control_characters(value)


class AliasOut(BaseModel):
    id: int
    kind: Literal["passage", "document", "synonym"]
    phrase: str
    doc_id: str | None
    anchor: str | None
    synonym: str | None
    created_at: datetime
    created_by: str


class AliasList(BaseModel):
    aliases: list[AliasOut]


class PassageOut(BaseModel):
    doc_id: str
    doc_title: str
    anchor: str
    section: str
    text: str
    url: str


class PassageList(BaseModel):
    passages: list[PassageOut]


class GapItemOut(BaseModel):
    question: str
    source: Literal["unanswered", "unhelpful"]
    times_asked: int
    sessions: int
    last_asked: datetime
    # The resident's message before it (a follow-up fragment is read with it), or "".
    previous: str
    resolved_by: str | None
    resolved_at: datetime | None
    how: str | None
    # Whether the assistant answers it now (re-tested), None when not re-tested.
    answered_now: bool | None


class GapList(BaseModel):
    gaps: list[GapItemOut]


class GapResolve(BaseModel):
    question: str = Field(min_length=1, max_length=500)
    how: Literal["resolved", "linked", "answered", "drafted"] = "resolved"

    _clean = field_validator("question")(_text)
