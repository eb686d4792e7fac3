"""Cutting documents into sentence-level passages, the unit of retrieval and citation.

Sentences are precise citations: a resident sees the exact words an answer rests on rather than
a whole paragraph. A very short sentence is usually a lead-in ("严格控制增量。") that means
little alone, so it is merged with the sentence that follows it. Each passage keeps its heading
path and its paragraph, for display and for context in the answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.documents import Document

_ENDS = set("。！？；!?;")
_OPENERS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "《": "》",
    "【": "】",
}
_CLOSERS = set(_OPENERS.values())
_CONTENT_CHAR = re.compile(r"[\w\u4e00-\u9fff]")
MIN_SENTENCE_CHARS = 10


@dataclass(frozen=True)
class Passage:
    """One citable unit: a sentence (or a lead-in merged with its sentence), verbatim."""

    passage_id: str
    doc_id: str
    doc_title: str
    section_path: tuple[str, ...]
    section_anchor: str
    anchor: str
    text: str
    paragraph_index: int
    sentence_index: int
    paragraph_text: str

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


def _raw_sentences(paragraph: str) -> list[str]:
    """Cut after sentence-final punctuation (and the closing marks that follow it), but never
    inside quotes or brackets: a quoted speech of two sentences stays one citation."""
    pieces: list[str] = []
    stack: list[str] = []
    start = i = 0
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        ends_here = False
        if ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            # "…求成。”" ends the sentence when the quote closes right after a full stop.
            ends_here = not stack and i > 0 and paragraph[i - 1] in _ENDS
        elif ch in _ENDS and not stack:
            ends_here = True
        if ends_here:
            while i + 1 < n and (paragraph[i + 1] in _ENDS or paragraph[i + 1] in _CLOSERS):
                i += 1
            pieces.append(paragraph[start : i + 1].strip())
            start = i + 1
        i += 1
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


def split_sentences(paragraph: str) -> list[str]:
    """Split on sentence-final punctuation, keeping it; merge short lead-ins forward."""
    # Merged pieces are cut from the paragraph, not glued together: a space between a lead-in
    # and its sentence stays, so a passage is always verbatim source text.
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in _raw_sentences(paragraph):
        start = paragraph.index(piece, pos)
        pos = start + len(piece)
        spans.append((start, pos))
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        first = start if carry is None else carry
        if len(_CONTENT_CHAR.findall(paragraph[first:end])) < MIN_SENTENCE_CHARS:
            carry = first
            continue
        merged.append((first, end))
        carry = None
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((carry, spans[-1][1]))
    return [paragraph[start:end] for start, end in merged]


def passage_anchor(text: str) -> str:
    """An anchor that survives edits elsewhere in the document: it hashes the sentence itself."""
    return "p-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def chunk_document(document: Document) -> list[Passage]:
    """The passages of one document, in reading order."""
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for paragraph in document.paragraphs:
        for s_index, sentence in enumerate(split_sentences(paragraph.text)):
            anchor = passage_anchor(sentence)
            # The same sentence again in one document: numbered by occurrence, so an edit
            # elsewhere does not move the anchor.
            seen[anchor] = seen.get(anchor, 0) + 1
            if seen[anchor] > 1:
                anchor = f"{anchor}-{seen[anchor]}"
            passages.append(
                Passage(
                    passage_id=f"{document.doc_id}#{anchor}",
                    doc_id=document.doc_id,
                    doc_title=document.title,
                    section_path=paragraph.section_path,
                    section_anchor=paragraph.section_anchor,
                    anchor=anchor,
                    text=sentence,
                    paragraph_index=paragraph.index,
                    sentence_index=s_index,
                    paragraph_text=paragraph.text,
                )
            )
    return passages
