"""The Reply object of the public contract (shared/CONTRACT.md), used by the CLI and the API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ReplyKind = Literal["answer", "no_answer", "chitchat", "handoff", "form", "error"]


class Citation(BaseModel):
    n: int = Field(description="The marker number used in the text, [n].")
    doc_id: str = Field(description="Stable id of the source document.")
    doc_title: str
    section: str = Field(description="Heading path, outermost first, joined by ' > '.")
    quote: str = Field(description="The exact source sentence(s) the answer rests on.")
    url: str = Field(description="/sources/<doc_id>#<anchor>: the source at the passage.")


class Button(BaseModel):
    title: str
    payload: str


class Reply(BaseModel):
    kind: ReplyKind
    text: str = Field(description="Plain text in Simplified Chinese, with [n] markers.")
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(
        default_factory=list, description="Nearest passages, offered with a no_answer."
    )
    buttons: list[Button] = Field(default_factory=list)
    notice: str = Field(
        default="",
        description=(
            "Guidance shown apart from the answer (e.g. where to ask about an individual "
            "case); not a statement from the sources, so never mixed into `text`."
        ),
    )
    id: str | None = Field(
        default=None,
        description=(
            "Issued by the web service for each reply it sends, so that feedback is recorded "
            "for this reply (its question and citations), whenever it is given."
        ),
    )
    suggestions: list[str] = Field(
        default_factory=list,
        description=(
            "Follow-up questions from the neighbouring sections of the sources, each checked "
            "to be answered by the engine; sent as ordinary text when clicked."
        ),
    )
