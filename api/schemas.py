"""Request and response bodies of the public API (the Reply itself is knowledge's)."""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, Field, field_validator

from knowledge.answering.reply import Reply


def no_control_characters(value: str) -> str:
    """Control characters, and invisible format characters (zero-width, bidi overrides)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\t" for ch in value):
        raise ValueError("must not contain control or invisible formatting characters")
    return value


class ChatRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-.:]+$")
    message: str = Field(min_length=1, max_length=500)

    @field_validator("message")
    @classmethod
    def message_has_text(cls, value: str) -> str:
        value = no_control_characters(value)
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class ChatResponse(BaseModel):
    session_id: str
    replies: list[Reply] = Field(min_length=1)


class SearchResult(BaseModel):
    doc_id: str
    section: str
    text: str
    score: float


class SearchResponse(BaseModel):
    results: list[SearchResult]


class ErrorBody(BaseModel):
    detail: str | list[dict[str, object]]
