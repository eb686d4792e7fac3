"""Masking personal numbers before anything a resident wrote is stored, logged or passed on.

A resident may type a phone, ID or passport number into the chat; transcripts, feedback, the
question log, the insights exports, the logs and the dialogue engine (whose tracker store
keeps every message) get the conversation but not those numbers. A contact given on purpose
(the inquiry form) is stored in its own field, by consent, and is not masked there.

People write numbers in many ways, so :func:`mask_personal_numbers` reads them the way a
person would: full-width digits and letters are folded (NFKC, one character at a time so the
rest of the text keeps its own form), and spaces, hyphens, dashes and dots between digits
are part of the number (``+86 139-8765-4321``, ``１３９ ８７６５ ４３２１``, ``010-6924 1234``,
``0086 13987654321``). What it masks, keeping the parts that are not personal (a country
code, an area code) and a few digits for staff to recognize a number they are told:

* ID card numbers, 18 digits (the last may be X) or 15: the birth date and serial go;
* mobile numbers, 11 digits from 13x to 19x, with or without +86/0086/86: four digits go;
* landlines with an area code (``010``, ``(0755)``, ``+86 10``): four digits go;
* passport-like numbers, one or two letters and 7 to 9 digits (``E12345678``): all but two
  digits go.

Ordinary numbers stay: years (2035年), amounts (500元), dates (12月20日), road numbers
(104国道), times (9:00), hotlines (12345), year ranges (2021-2035).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "contains_personal_number",
    "mask_personal_numbers",
    "mask_transcript",
    "mask_values",
    "question_key",
]

# What may stand between two digits of one number: up to three of space, tab, hyphen, the
# Unicode dashes and minus, and the dot (after folding, so full-width forms are included).
_GAP = r"(?:[ \t.\-\u2010-\u2015\u2212]{1,3})?"
_DIGIT = f"{_GAP}[0-9]"
_COUNTRY = rf"(?:(?:\+|00){_GAP})?86{_GAP}"

# ID numbers open with a region code, whose first digit is 1-8 (so a 0086 prefix is not one).
_ID_18 = re.compile(rf"(?<![0-9])(?P<number>[1-8](?:{_DIGIT}){{16}}{_GAP}[0-9Xx])(?![0-9])")
_ID_15 = re.compile(rf"(?<![0-9])(?P<number>[1-8](?:{_DIGIT}){{14}})(?![0-9])")
_MOBILE = re.compile(
    rf"(?<![0-9])(?:{_COUNTRY}\(?)?(?P<number>1{_GAP}[3-9](?:{_DIGIT}){{9}})(?![0-9])"
)
# An area code (0 and 2-3 digits, in brackets or not; without the 0 after a country code),
# then a subscriber number of 7-8 digits, which never starts with 0 or 1.
_LANDLINE = re.compile(
    rf"(?<![0-9])(?:\(?0[1-9][0-9]{{1,2}}\)?|{_COUNTRY}\(?0?[1-9][0-9]{{1,2}}\)?)"
    rf"{_GAP}(?P<number>[2-9](?:{_DIGIT}){{6,7}})(?![0-9])"
)
_PASSPORT = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z]{{1,2}}{_GAP}(?P<number>[0-9](?:{_DIGIT}){{6,8}})(?![0-9])"
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class _Rule:
    """A kind of number and how many of its characters stay visible at each end."""

    pattern: re.Pattern[str]
    visible: Callable[[int], tuple[int, int]]


# IDs first: a phone number inside a longer run of digits is masked as part of it, never the
# other way round (which would leave most of an ID readable).
_RULES = (
    _Rule(_ID_18, lambda n: (6, 4)),
    _Rule(_ID_15, lambda n: (6, 3)),
    _Rule(_MOBILE, lambda n: (3, 4)),
    _Rule(_LANDLINE, lambda n: (0, n - 4)),
    _Rule(_PASSPORT, lambda n: (0, 2)),
)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character as the patterns read it: any decimal digit as 0-9, a full-width or other
    compatibility form as its NFKC form when that is one character, else itself."""
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def _fold(text: str) -> str:
    """The text folded character by character: the same length, so a match's positions are
    positions in the original text too."""
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


def mask_personal_numbers(text: str) -> str:
    """``text`` with every phone, ID and passport number in it masked by ``*`` (one per
    hidden digit; separators and the visible digits keep the form the writer gave them)."""
    if not text:
        return text
    original = list(text)
    folded = list(_fold(text))
    for rule in _RULES:
        for match in rule.pattern.finditer("".join(folded)):
            _hide(original, folded, match, rule)
    return "".join(original)


def _hide(original: list[str], folded: list[str], match: re.Match[str], rule: _Rule) -> None:
    """Replace the hidden digits of one match in both the text and its folded form (so later
    rules cannot match what is already masked)."""
    start, end = match.span("number")
    positions = [i for i in range(start, end) if folded[i].isalnum()]
    head, tail = rule.visible(len(positions))
    for i in positions[head : len(positions) - tail]:
        original[i] = folded[i] = "*"


def contains_personal_number(text: str) -> bool:
    """Whether :func:`mask_personal_numbers` would change ``text``."""
    return mask_personal_numbers(text) != text


def mask_values(value: Any) -> Any:
    """Every string inside ``value`` (dicts, lists, tuples) masked; other values as they are.

    For the JSON a record keeps beside its text: transcript turns, ticket details.
    """
    if isinstance(value, str):
        return mask_personal_numbers(value)
    if isinstance(value, dict):
        return {key: mask_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_values(item) for item in value]
    return value


def mask_transcript(turns: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Transcript turns with their ``text`` masked; the other fields (who, time) are ours, and
    a timestamp such as ``1733340000.12345`` must not be read as an ID number."""
    return [{**turn, "text": mask_personal_numbers(str(turn.get("text", "")))} for turn in turns]


def question_key(text: str) -> str:
    """The form under which the same question counts once: width-folded, lower case, without
    punctuation or spaces (请问…吗？ and 请问…吗 are one gap, not two)."""
    folded = unicodedata.normalize("NFKC", mask_personal_numbers(text)).lower()
    return _NOT_WORD.sub("", folded)[:200]
