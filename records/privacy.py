"""Masking personal numbers in what is stored for staff to read.

A resident may type a phone or ID number into the chat; transcripts, feedback and the question
log keep the conversation but not those numbers. A contact given on purpose (the inquiry form)
is stored in its own field, by consent, and is not masked there.
"""

from __future__ import annotations

import re
import unicodedata

_ID_CARD = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{4}(\d{3,4})(?!\d)")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def mask_personal_numbers(text: str) -> str:
    text = _ID_CARD.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1****\2", text)


def question_key(text: str) -> str:
    """The form under which the same question counts once: width-folded, lower case, without
    punctuation or spaces (请问…吗？ and 请问…吗 are one gap, not two)."""
    folded = unicodedata.normalize("NFKC", mask_personal_numbers(text)).lower()
    return _NOT_WORD.sub("", folded)[:200]
