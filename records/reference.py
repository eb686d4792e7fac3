"""Ticket reference codes: short, easy to read aloud and to type back, hard to guess.

A resident is told the code when a ticket is opened and can look the ticket's replies up with
it on the public page. Eight characters from an alphabet without the look-alikes 0/O, 1/I/L
(31 symbols, about 40 bits: guessing a live code through the rate-limited lookup is hopeless).
The standard library's ``secrets`` draws them; no package does this one line better.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.·—–]+")


def new_code() -> str:
    """A fresh random code as stored (no separator), e.g. ``K7MQ4XRT``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """The code as residents see it: two groups of four (``K7MQ-4XRT``)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def normalize(typed: str) -> str | None:
    """A code as a resident may type it (lower case, full-width, with spaces or a hyphen) in
    its stored form, or None when it cannot be one."""
    folded = unicodedata.normalize("NFKC", typed or "").upper()
    code = _SEPARATORS.sub("", folded)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code
