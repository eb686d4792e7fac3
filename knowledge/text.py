"""Text normalization shared by indexing and querying, so both sides see the same characters."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, no whitespace.

    Chinese is written without spaces, so removing them makes "S6 线" and "S6线" match.
    """
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())
    # Once a space is gone a combining mark may meet the letter it composes with ("a \u0301"):
    # NFKC again, so normalize(normalize(x)) == normalize(x).
    return unicodedata.normalize("NFKC", text)


def strip_controls(text: str) -> str:
    """Remove control characters (they can only be noise in a question)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")


@functools.cache
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, so 京霸鐵路 finds 京霸铁路 in the sources."""
    return str(_t2s().convert(text))


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The form every comparison of words is made in: :func:`normalize`, then Simplified.

    A 繁體 question meets a 简体 source (and the reverse) only if both sides are folded the same
    way; quotes shown to residents always keep the source's own characters. Cached: passages
    are folded again on every question that retrieves them. Two spellings Taiwan uses for one
    word that OpenCC's conversion keeps (甚麼 for 什麼, 身分證 for 身份證) fold to the mainland
    one, which the question readings and the notices use.
    """
    simplified = to_simplified(normalize(text))
    for variant, word in _VARIANT_SPELLINGS:
        simplified = simplified.replace(variant, word)
    return simplified


_VARIANT_SPELLINGS = (("甚么", "什么"), ("身分证", "身份证"))
