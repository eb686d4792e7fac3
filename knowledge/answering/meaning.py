"""A resident's word the sources do not use, found by its meaning in the sentence.

Residents say 暖气费 where the notice says 供暖费, 收房 where it says 交房, 烧煤 where the plan says
燃煤. The lexical checks (coverage, the answerability gate) cannot see that, and the thesaurus
links only some such pairs. The embedding model can, in context: if a question word's meaning
is in a sentence, taking the word out of the question moves the question *away* from that
sentence; if the sentence lacks it (核磁共振 asked of a clinic that lists no scanner), taking it
out moves the question *closer*.

So for each content word of the question that a candidate sentence's context lacks, the
question is embedded once more without that word (one batch for all such words), and the word
is *lent* to each candidate whose cosine to the question drops by at least ``threshold`` when
the word is removed: it then counts as found there, exactly like a staff alias's phrase
(aliases.py), for the lexical checks only. Detail checks (a date, an address) still read the
sentence alone, so meaning never supplies a missing fact.

The threshold and the number of words tried were measured on DRCD dev and a training notice set
written blind (eval/train/), and checked on the notice set and the plan sets
(docs/BENCHMARKS.md, "Meaning of absent words").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from knowledge.answering.terms import is_han

Embed = Callable[[list[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class Absent:
    """A question word that some candidates' contexts lack, and which candidates lack it."""

    term: str
    weight: float
    # Positions (in the candidate list) whose context lacks the word.
    lacking: tuple[int, ...]


def absent_terms(
    terms: Sequence[str],
    weights: Sequence[float],
    supports: Sequence[Sequence[float]],
    *,
    found: float,
    askers: Callable[[str], bool],
    known: Callable[[str], bool],
    limit: int,
) -> list[Absent]:
    """The question's words worth testing by meaning: content words the sources never use
    (a word they do use, 兴业大街, means that thing, and a sentence without it is about
    something else), not interrogatives (几点, 什么时候: no sentence holds those), not words
    of no weight (外地: a common word the sources lack, which coverage leaves out), lacking in
    some candidate's context; the most specific first, at most ``limit``."""
    out = []
    for i, term in enumerate(terms):
        if askers(term) or known(term) or not any(is_han(ch) for ch in term):
            continue
        if weights[i] <= 0:
            continue  # a common word the sources lack weighs nothing: lent, it moves no rank
        lacking = tuple(k for k, s in enumerate(supports) if s[i] < found)
        if lacking:
            out.append(Absent(term, weights[i], lacking))
    out.sort(key=lambda a: -a.weight)
    return out[:limit]


def lent_by_meaning(
    query: str,
    query_vector: npt.NDArray[np.float32],
    absent: Sequence[Absent],
    candidate_ids: Sequence[str],
    candidate_vectors: npt.NDArray[np.float32],
    embed: Embed,
    *,
    threshold: float,
) -> Mapping[str, str]:
    """passage_id -> the absent words whose meaning its sentence carries (space-separated)."""
    # The query as it was embedded for retrieval (its vector is reused); a word whose letters
    # are not in it verbatim (folded differently) is not tested.
    tested = [a for a in absent if a.term in query]
    if not tested:
        return {}
    vectors = embed([query.replace(a.term, "") for a in tested])
    with_word = candidate_vectors @ query_vector
    lent: dict[str, list[str]] = {}
    for a, vector in zip(tested, vectors, strict=True):
        drop = with_word - candidate_vectors @ vector
        for k in a.lacking:
            if drop[k] >= threshold:
                lent.setdefault(candidate_ids[k], []).append(a.term)
    return {pid: " ".join(words) for pid, words in lent.items()}
