"""Masking personal numbers before anything a resident wrote is stored, logged or passed on.

A resident may type a phone, ID or passport number into the chat; transcripts, feedback, the
question log, the insights exports, the logs and the dialogue engine (whose tracker store
keeps every message) get the conversation but not those numbers. A contact given on purpose
(the inquiry form) is stored in its own field, by consent, and is not masked there.

People write numbers in many ways, so :func:`mask_personal_numbers` reads them the way a
person would: full-width digits and letters are folded (NFKC, one character at a time so the
rest of the text keeps its own form), Chinese numerals are digits in a run as long as a phone
number (``一三九八七六五四三二一``, with 〇/零, 幺 and 两), and up to six spaces, hyphens,
dashes, dots and zero-width characters between digits are part of the number
(``+86 139-8765-4321``, ``１３９ ８７６５ ４３２１``, ``139  -  8765  -  4321``,
``010-6924 1234``, ``0086 13987654321``). So are the marks numbers are listed with (``/``,
``_``, commas, ``、``, ``|``, middle dots: ``139/8765/4321``), but only between groups of
three digits or more, and an ID number read across them must have a province and a birth
date: ``第1、2、3条`` and ``12345，12345，12345`` stay.

What it masks, keeping the parts that are not personal (a country code, an area code) and a
few digits for staff to recognize a number they are told:

* ID card numbers, 18 digits (the last may be X) or 15: the birth date and serial go;
* mobile numbers, 11 digits from 13x to 19x, with or without +86/0086/86: four digits go;
* landlines with an area code (``010``, ``(0755)``, ``+86 10``): four digits go;
* passport-like numbers, one or two letters and 7 to 9 digits (``E12345678``, also at the
  end of a word: ``passportE12345678``): all but two digits go.

Ordinary numbers stay: years (2035年), amounts (500元, 1,000,000元), dates (12月20日,
2020/01/01), road numbers (104国道), times (9:00), hotlines (12345), year ranges (2021-2035),
Chinese numerals in words (十四五规划, 二〇三五年, 第一章).

The answer to the contact form is the one message whose contact stays: :func:`find_contact`
takes the phone number or e-mail out of it, and :func:`mask_all_but_contact` masks the rest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "contains_personal_number",
    "conversation_label",
    "find_contact",
    "mask_all_but_contact",
    "mask_personal_numbers",
    "mask_transcript",
    "mask_values",
    "question_key",
]

# What may stand between two digits of one number (after folding, so full-width forms are
# included). Up to six characters; in the first pass, of what anyone reading a number skips:
# space, tab, hyphen, the Unicode dashes and minus, tildes and the wave dash and ー (typed by
# Chinese and Japanese input methods between groups), the dot and the zero-width characters.
_SOFT = " \t.\\-\u2010-\u2015\u2212~\u301c\u30fc\u200b-\u200d\u2060\ufeff"
# In the second pass also the marks numbers are listed with (1、2、3, 1,000, 2020/1/1): slash,
# underscore, commas, enumeration comma, bar, middle dots. A number read across them must look
# like one (see :func:`_plausible`).
_LIST = "/_,\u3001|\u00b7\u2022\u2027\u30fb"
_LIST_RUN = re.compile(rf"[{_SOFT}]*[{_LIST}][{_SOFT}{_LIST}]*")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")

# Chinese numerals as digits: 〇/零 0, 幺 1 (as it is read aloud), 两 2, and the banking forms.
_CHINESE_DIGITS = {
    **dict.fromkeys("〇○零", "0"),
    **dict.fromkeys("一幺壹", "1"),
    **dict.fromkeys("二两兩贰貳", "2"),
    **dict.fromkeys("三叁參", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
_DIGIT_LIKE = "0-9" + "".join(_CHINESE_DIGITS)
_DIGIT_RUN = re.compile(rf"[{_DIGIT_LIKE}](?:[{_SOFT}{_LIST}()]{{0,6}}[{_DIGIT_LIKE}])*")
# A run with Chinese numerals (with separators and the brackets of an area code) is read as a
# number only from the length of a phone number on, so 十四五规划, 二〇三五年, 第一章 and
# 三个新城 stay words.
_CHINESE_RUN_MIN = 11

# ID card numbers open with a province code; a number read across listing marks must also
# carry a birth date (so 12345，12345，12345, three calls to the hotline, is not an ID).
_PROVINCE = re.compile(r"1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]")
_BIRTH_18 = re.compile(r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_BIRTH_15 = re.compile(r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A contact may also be a phone number the masking would not read as one (010-12345678).
_LOOSE_PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")


@dataclass(frozen=True)
class _Rule:
    """A kind of number, its pattern, and how many of its characters stay visible at each
    end."""

    kind: str
    pattern: re.Pattern[str]
    visible: Callable[[int], tuple[int, int]]


def _rules(gap: str) -> tuple[_Rule, ...]:
    """The numbers' patterns with ``gap`` between digits.

    IDs first: a phone number inside a longer run of digits is masked as part of it, never the
    other way round (which would leave most of an ID readable).
    """
    digit = f"{gap}[0-9]"
    zw = f"{_ZERO_WIDTH.pattern}*"  # invisible, so also inside a country or area code
    country = rf"(?:(?:\+|00){gap})?8{zw}6{gap}"
    # ID numbers open with a region code, whose first digit is 1-8 (so 0086 is not one).
    id_18 = rf"(?<![0-9])(?P<number>[1-8](?:{digit}){{16}}{gap}[0-9Xx])(?![0-9])"
    id_15 = rf"(?<![0-9])(?P<number>[1-8](?:{digit}){{14}})(?![0-9])"
    mobile = rf"(?<![0-9])(?:{country}\(?)?(?P<number>1{gap}[3-9](?:{digit}){{9}})(?![0-9])"
    # An area code (0 and 2-3 digits, in brackets or not; without the 0 after a country code),
    # then a subscriber number of 7-8 digits, which never starts with 0 or 1. One pattern per
    # length of area code, the longer first: a match the second pass finds implausible is not
    # tried again with the other length (010 + 220/0000 after 0102 + 20/0000).
    landlines = [
        rf"(?<![0-9])(?:\(?0{zw}[1-9](?:{zw}[0-9]){{{n}}}\)?"
        rf"|{country}\(?(?:0{zw})?[1-9](?:{zw}[0-9]){{{n}}}\)?)"
        rf"{gap}(?P<number>[2-9](?:{digit}){{6,7}})(?![0-9])"
        for n in (2, 1)
    ]
    # One or two letters, also at the end of a word (passportE12345678).
    passport = rf"(?<![0-9])[A-Za-z]{{1,2}}{gap}(?P<number>[0-9](?:{digit}){{6,8}})(?![0-9])"
    return (
        _Rule("id", re.compile(id_18), lambda n: (6, 4)),
        _Rule("id", re.compile(id_15), lambda n: (6, 3)),
        _Rule("mobile", re.compile(mobile), lambda n: (3, 4)),
        *(_Rule("landline", re.compile(landline), lambda n: (0, n - 4)) for landline in landlines),
        _Rule("passport", re.compile(passport), lambda n: (0, 2)),
    )


_PASSES = (
    _rules(rf"(?:[{_SOFT}]{{1,6}})?"),
    _rules(rf"(?:[{_SOFT}{_LIST}]{{1,6}})?"),
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


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
    positions in the original text too. Chinese numerals become digits in runs as long as a
    phone number (一三九八七六五四三二一), not in shorter ones."""
    if text.isascii():
        return text
    folded = "".join(_fold_char(char) for char in text)
    if not any(char in _CHINESE_DIGITS for char in folded):
        return folded
    out = list(folded)
    for run in _DIGIT_RUN.finditer(folded):
        numerals = [i for i in range(*run.span()) if out[i] in _CHINESE_DIGITS]
        if numerals and sum(c.isdigit() or c in _CHINESE_DIGITS for c in run[0]) >= (
            _CHINESE_RUN_MIN
        ):
            for i in numerals:
                out[i] = _CHINESE_DIGITS[out[i]]
    return "".join(out)


def _plausible(rule: _Rule, number: str) -> bool:
    """Whether a number read across listing marks (``number`` as folded) is one: each part
    between the marks has three digits or more (not 第1、2、3条 or 9:13，12345), and an ID
    number has a province and a birth date."""
    if not _LIST_RUN.search(number):
        return True
    if any(sum(c.isalnum() for c in part) < 3 for part in _LIST_RUN.split(number)):
        return False
    if rule.kind == "id":
        digits = "".join(c for c in number if c.isalnum())
        birth, date = (_BIRTH_18, digits[6:14]) if len(digits) == 18 else (_BIRTH_15, digits[6:12])
        return bool(_PROVINCE.fullmatch(digits[:2]) and birth.fullmatch(date))
    return True


def _scan(text: str, keep: tuple[int, int] | None = None) -> tuple[str, list[tuple[str, int, int]]]:
    """``text`` masked, except the span ``keep``, and what was found in it: (kind, start, end)
    of each whole match (with its country and area code)."""
    original = list(text)
    folded = list(_fold(text))
    if keep:
        folded[keep[0] : keep[1]] = "\0" * (keep[1] - keep[0])
    found: list[tuple[str, int, int]] = []
    for rules, checked in zip(_PASSES, (False, True), strict=True):
        for rule in rules:
            snapshot = "".join(folded)
            pos = 0
            while match := rule.pattern.search(snapshot, pos):
                if checked and not _plausible(rule, match["number"]):
                    pos = match.start() + 1
                    continue
                _hide(original, folded, match, rule)
                found.append((rule.kind, *match.span()))
                pos = match.end()
    return "".join(original), found


def mask_personal_numbers(text: str) -> str:
    """``text`` with every phone, ID and passport number in it masked by ``*`` (one per
    hidden digit; separators and the visible digits keep the form the writer gave them)."""
    if not text:
        return text
    return _scan(text)[0]


def _contact_span(text: str) -> tuple[int, int] | None:
    """Where the first phone number or e-mail address in ``text`` is."""
    folded = _fold(text)
    found = _scan(text)[1]
    ids = [(start, end) for kind, start, end in found if kind == "id"]
    spans = [m.span() for m in _EMAIL.finditer(folded)]
    spans += [
        m.span()
        for m in _LOOSE_PHONE.finditer(folded)
        if not any(start < m.end() and m.start() < end for start, end in ids)
    ]
    spans += [(start, end) for kind, start, end in found if kind in ("mobile", "landline")]
    if not spans:
        return None
    return min(spans, key=lambda span: (span[0], -span[1]))


def find_contact(text: str) -> str | None:
    """The first phone number or e-mail address in ``text``, as written (without zero-width
    characters), or None: the contact a resident gives to the contact form, without the rest
    of the message."""
    span = _contact_span(text or "")
    if span is None:
        return None
    return _ZERO_WIDTH.sub("", text[span[0] : span[1]]).strip() or None


def mask_all_but_contact(text: str) -> str:
    """``text`` with every personal number masked except its contact (:func:`find_contact`),
    which the resident gave on purpose."""
    if not text:
        return text
    return _scan(text, keep=_contact_span(text))[0]


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


def conversation_label(session_id: str) -> str:
    """A short label that tells one conversation's rows from another's without being its
    session id: the session id alone reads that conversation's staff replies
    (/api/handoff/answers), so it is shown only with the ticket permission."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:10]
