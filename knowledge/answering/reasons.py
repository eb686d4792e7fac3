"""Stable codes for why the engine declined, for counting declines by reason (``/metrics``).

The engine's :attr:`Decision.reason` is a sentence for logs and evaluation, some with the scores
in it; operations need a small fixed set of labels. Each code is found by the sentence's fixed
beginning; a reason no rule knows is ``other`` (``tests/knowledge/test_reasons.py`` reads the
engine's source so that every decline it can make has a code).
"""

from __future__ import annotations

from typing import Final

# (the fixed beginning of Decision.reason, its code), checked in order.
DECLINE_CODES: Final[tuple[tuple[str, str], ...]] = (
    ("not a Chinese question", "not_chinese"),
    ("the knowledge base is empty", "empty_index"),
    ("best passage is off topic", "off_topic"),
    ("the sources never name", "unknown_name"),
    ("no content term of the question occurs", "no_shared_term"),
    ("the evidence does not speak of the question's subject", "subject_unsupported"),
    ("the evidence does not name", "identifier_missing"),
    ("the evidence lacks the detail asked for", "detail_missing"),
)
OTHER: Final = "other"


def decline_code(reason: str) -> str:
    """The code of a decline's reason sentence (``other`` for one no rule knows)."""
    for start, code in DECLINE_CODES:
        if reason.startswith(start):
            return code
    return OTHER
