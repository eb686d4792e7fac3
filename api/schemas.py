"""Request and response bodies of the public API (the Reply itself is knowledge's)."""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, Field, field_validator

from knowledge.answering.reply import Reply

# Any 404: short, Chinese, and never the path back (it may be kilobytes long).
NOT_FOUND = "未找到请求的页面或资料。"


def no_control_characters(value: str) -> str:
    """Control characters, and invisible format characters (zero-width, bidi overrides)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\t" for ch in value):
        raise ValueError("must not contain control or invisible formatting characters")
    return value


SESSION_ID_PATTERN = r"^[A-Za-z0-9_\-.:]+$"


class ChatRequest(BaseModel):
    session_id: str = Field(min_length=1, max_length=64, pattern=SESSION_ID_PATTERN)
    message: str = Field(
        min_length=1,
        max_length=500,
        description=(
            "What the resident typed (always text: a leading / never acts as a command), or "
            "for a button click the button's title, as shown."
        ),
    )
    button: str | None = Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_\-]+$",
        description=(
            "A clicked button: the id the service sent as the button's payload in this "
            "conversation. Any other id is refused (409)."
        ),
    )

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


class Offer(BaseModel):
    title: str
    button: str = Field(description="Send as `button` with the title as `message`.")


class Welcome(BaseModel):
    starters: list[str] = Field(
        description="Questions from the sources' top sections, each checked to be answered."
    )
    actions: dict[str, Offer] = Field(
        description="The page's standing buttons for this conversation (handoff, cooperation)."
    )


class SearchResult(BaseModel):
    doc_id: str
    section: str
    text: str
    score: float


class SearchResponse(BaseModel):
    results: list[SearchResult]


class ErrorBody(BaseModel):
    detail: str | list[dict[str, object]]


# The largest number a version or ticket number may be: PostgreSQL's INTEGER column (SQLite's is
# 64 bits); a larger one is refused with a 422 instead of failing in the database.
MAX_NUMBER = 2**31 - 1


def json_error(description: str) -> dict[str, object]:
    """An error answered as JSON by an operation whose success is not JSON (an HTML page)."""
    return {
        "description": description,
        "content": {"application/json": {"schema": ErrorBody.model_json_schema()}},
    }


# FastAPI itself answers 400 when a body cannot be read at all (not UTF-8, a broken multipart
# form), before any validation: every operation that takes a body documents it.
BAD_BODY: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "The body could not be parsed."}
}
