"""A line diff whose changed lines carry character-level marks, for the staff history view.

A unified diff marks a whole paragraph when one digit in it changed (3000元 → 4500元), and staff
then hunt for the difference by eye. Here lines are aligned first (difflib, with context hunks
like ``diff -U3``); within a replaced block each old line is paired with the most similar new
line, and a pair is diffed character by character, so only the characters that changed are
marked. Lines too different to be "the same paragraph, edited" stay whole deletions/insertions,
as ``difflib.Differ`` does (a character diff of unrelated sentences is noise).

Done on the server with the standard library's :mod:`difflib` (no dependency), so every client
of the API gets the same result and the page only renders it.

Two details matter for Chinese text:

* ``autojunk`` is off: difflib otherwise treats characters that occur in more than 1% of a line
  of 200+ characters as junk, and in a long Chinese paragraph that is 的、和、区 — every match
  would be lost.
* A lone unchanged character between two changes is folded into the change (a light form of
  "semantic cleanup"): 甲的乙 → 丙的丁 reads better as one change than as two around a 的.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# Lines less similar than this (difflib's ratio) are not paired for a character diff.
PAIR_CUTOFF = 0.5
# difflib's cost grows with the product of the lengths it compares (worse on repetitive text):
# after the common prefix and suffix are cut off, a middle larger than this is marked whole.
MAX_MIDDLE_PRODUCT = 1_000_000
# Pairing compares every old line of a replaced block with every new one; beyond this many
# comparisons the block is shown as whole-line changes.
MAX_PAIRINGS = 400
CONTEXT_LINES = 3

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    op: Op
    old_line: int | None  # 1-based line numbers in the old / new text
    new_line: int | None
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class DiffHunk:
    old_start: int
    new_start: int
    rows: tuple[DiffRow, ...]


def diff_lines(
    old: Sequence[str], new: Sequence[str], *, context: int = CONTEXT_LINES
) -> list[DiffHunk]:
    """Hunks of changed lines with ``context`` unchanged lines around; empty when equal."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    hunks: list[DiffHunk] = []
    for group in matcher.get_grouped_opcodes(context):
        rows: list[DiffRow] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow("equal", i + 1, j + 1, (Segment(old[i], False),))
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
            elif tag == "delete":
                rows.extend(_whole("delete", i + 1, None, old[i]) for i in range(i1, i2))
            elif tag == "insert":
                rows.extend(_whole("insert", None, j + 1, new[j]) for j in range(j1, j2))
            else:
                rows.extend(_replace(old, new, i1, i2, j1, j2))
        _, i1, _, j1, _ = group[0]
        hunks.append(DiffHunk(i1 + 1, j1 + 1, tuple(rows)))
    return hunks


def char_segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The old and new line cut into unchanged and changed runs of characters."""
    head, tail = _common_ends(old, new)
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    _append(old_segments, old[:head], False)
    _append(new_segments, new[:head], False)
    if len(old_mid) * len(new_mid) <= MAX_MIDDLE_PRODUCT:
        matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False)
        opcodes = _absorb_lone_matches(matcher.get_opcodes())
    else:
        opcodes = [("replace", 0, len(old_mid), 0, len(new_mid))]
    for tag, i1, i2, j1, j2 in opcodes:
        _append(old_segments, old_mid[i1:i2], tag != "equal")
        _append(new_segments, new_mid[j1:j2], tag != "equal")
    _append(old_segments, old[len(old) - tail :], False)
    _append(new_segments, new[len(new) - tail :], False)
    return tuple(old_segments), tuple(new_segments)


def similarity(old: str, new: str) -> float:
    """difflib's ratio (2 × matched characters / total), bounded in cost like
    :func:`char_segments`: a too-large middle counts its shared characters (an upper bound)."""
    total = len(old) + len(new)
    if not total:
        return 1.0
    head, tail = _common_ends(old, new)
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False)
    if len(old_mid) * len(new_mid) <= MAX_MIDDLE_PRODUCT:
        matched = sum(block.size for block in matcher.get_matching_blocks())
    else:
        matched = round(matcher.quick_ratio() * (len(old_mid) + len(new_mid)) / 2)
    return 2.0 * (head + tail + matched) / total


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it)."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def _whole(op: Op, old_line: int | None, new_line: int | None, text: str) -> DiffRow:
    return DiffRow(op, old_line, new_line, (Segment(text, True),))


def _replace(
    old: Sequence[str], new: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[DiffRow]:
    """A replaced block: each old line, in order, is paired with the most similar new line
    after the last pair (monotone, so the rows read top to bottom); new lines skipped over are
    insertions, old lines without a partner deletions."""
    rows: list[DiffRow] = []
    pairable = (i2 - i1) * (j2 - j1) <= MAX_PAIRINGS
    j = j1
    for i in range(i1, i2):
        partner = _best_partner(old[i], new, j, j2) if pairable else None
        if partner is None:
            rows.append(_whole("delete", i + 1, None, old[i]))
            continue
        rows.extend(_whole("insert", None, k + 1, new[k]) for k in range(j, partner))
        old_segments, new_segments = char_segments(old[i], new[partner])
        rows.append(DiffRow("delete", i + 1, None, old_segments))
        rows.append(DiffRow("insert", None, partner + 1, new_segments))
        j = partner + 1
    rows.extend(_whole("insert", None, k + 1, new[k]) for k in range(j, j2))
    return rows


def _best_partner(line: str, new: Sequence[str], start: int, stop: int) -> int | None:
    best, best_ratio = None, PAIR_CUTOFF
    for k in range(start, stop):
        total = len(line) + len(new[k])
        if total and 2.0 * min(len(line), len(new[k])) / total <= best_ratio:
            continue  # difflib's real_quick_ratio: the lengths alone rule it out
        ratio = similarity(line, new[k])
        if ratio > best_ratio:
            best, best_ratio = k, ratio
    return best


def _absorb_lone_matches(
    opcodes: Sequence[tuple[str, int, int, int, int]],
) -> list[tuple[str, int, int, int, int]]:
    """Fold a one-character match that sits between two changes into one change."""
    out: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        lone = (
            tag == "equal"
            and i2 - i1 == 1
            and 0 < index < len(opcodes) - 1
            and out
            and out[-1][0] != "equal"
        )
        if lone:
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, a1, _, b1, _ = out.pop()
            out.append(("replace", a1, i2, b1, j2))
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if segments and segments[-1].changed == changed:
        segments[-1] = Segment(segments[-1].text + text, changed)
    else:
        segments.append(Segment(text, changed))
