"""Combining several engine replies into one, renumbering their citations.

A topic answer (an enterprise's industry, then the co-built parks) is made of several extractive
answers; each keeps its own sentences and citations, under a short heading that introduces it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.answering.reply import Button, Citation, Reply

_MARKER = re.compile(r"\[(\d+)\]")


def combine(
    parts: Sequence[tuple[str, Reply]],
    *,
    closing: str = "",
    buttons: Sequence[Button] = (),
) -> Reply:
    """One answer from ``(heading, reply)`` parts; parts that are not answers are skipped.

    The same passage cited by two parts keeps one number.
    """
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    blocks: list[str] = []
    for heading, reply in parts:
        if reply.kind != "answer":
            continue
        mapping: dict[int, int] = {}
        for c in reply.citations:
            if c.url not in numbers:
                numbers[c.url] = len(numbers) + 1
                citations.append(c.model_copy(update={"n": numbers[c.url]}))
            mapping[c.n] = numbers[c.url]
        body = _renumber(reply.text, mapping)
        blocks.append(f"{heading}\n{body}" if heading else body)
    if not blocks:
        raise ValueError("no answer among the parts")
    text = "\n\n".join(blocks + ([closing] if closing else []))
    return Reply(kind="answer", text=text, citations=citations, buttons=list(buttons))


def _renumber(text: str, mapping: dict[int, int]) -> str:
    return _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)
