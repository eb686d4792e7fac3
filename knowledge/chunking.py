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

# A sentence ends at 。！？； (or their ASCII forms), plus any closing quotes or brackets.
_SENTENCE_END = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+$")
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


def split_sentences(paragraph: str) -> list[str]:
    """Split on sentence-final punctuation, keeping it; merge short lead-ins forward."""
    pieces = [m.group(0).strip() for m in _SENTENCE_END.finditer(paragraph)]
    pieces = [p for p in pieces if p]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        text = carry + piece
        if len(_CONTENT_CHAR.findall(text)) < MIN_SENTENCE_CHARS:
            carry = text
            continue
        merged.append(text)
        carry = ""
    if carry:
        if merged:
            merged[-1] += carry
        else:
            merged.append(carry)
    return merged


def passage_anchor(text: str) -> str:
    """An anchor that survives edits elsewhere in the document: it hashes the sentence itself."""
    return "p-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def chunk_document(document: Document) -> list[Passage]:
    passages: list[Passage] = []
    used: set[str] = set()
    for paragraph in document.paragraphs:
        for s_index, sentence in enumerate(split_sentences(paragraph.text)):
            anchor = passage_anchor(sentence)
            if anchor in used:  # the same sentence twice in one document
                anchor = f"{anchor}-{paragraph.index}-{s_index}"
            used.add(anchor)
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
