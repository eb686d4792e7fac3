"""Staff aliases as the engine sees them: an immutable overlay swapped in whole.

Two kinds, stored in the app database (``docstore.aliases``) and shared by every answering
process:

* a resident's phrasing linked to a passage (doc_id + anchor) or a whole document, like the
  question bank of MaxKB or Azure's active learning: "老年卡怎么办" → the passage on 养老助残卡;
* a term ↔ term synonym that joins the thesaurus (老年卡 ↔ 养老助残卡).

When the question matches a phrase, the linked passage becomes a retrieval candidate whose
dense score is at least the question's similarity to the phrase, and the phrase's words count
as present in that passage for the lexical checks. The detail checks still read the passage
itself: an alias never makes a passage answer a "when" it does not hold.

Matching (measured by ``benchmarks/alias_matching.py``, numbers in docs/BENCHMARKS.md):
the phrase, folded and without punctuation and question particles, is contained in the
folded question; or the question's e5 cosine to the phrase is at least ``DENSE_THRESHOLD``.
This module imports nothing but the knowledge core's text helpers and numpy.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from knowledge.chunking import Passage
from knowledge.text import fold

# e5 cosine of a question to a linked phrase at or above which the phrase matches. Chosen on
# paraphrase pairs and unrelated pairs from the plan's own questions (benchmarks/alias_matching):
# paraphrases of one question sit at 0.93-0.99, different questions about the same district
# at 0.84-0.92, so the cut is set above every unrelated pair measured.
DENSE_THRESHOLD = 0.94
# A phrase shorter than this (folded, in characters) only matches by containment of a word
# this long; one character would match everything.
MIN_PHRASE_CHARS = 2

_NOISE = re.compile(r"[\s\W_]+")
_PARTICLES = re.compile(r"(?:吗|呢|吧|呀|啊|么|嘛)+$")


def phrase_key(text: str) -> str:
    """The form phrases and questions are compared in: folded, no punctuation or spaces, no
    final question particle (老年卡怎么办？ and 老年卡怎么办呢 are one phrase)."""
    return _PARTICLES.sub("", _NOISE.sub("", fold(text)))


@dataclass(frozen=True)
class PhraseLink:
    """A resident's phrasing that staff linked to a passage (``anchor``) or a whole document."""

    alias_id: int
    phrase: str
    doc_id: str
    anchor: str = ""


@dataclass(frozen=True)
class TermLink:
    """Two words staff declared interchangeable (both directions)."""

    alias_id: int
    term: str
    synonym: str


@dataclass(frozen=True)
class PhraseMatch:
    link: PhraseLink
    similarity: float
    contained: bool


@dataclass(frozen=True)
class AliasOverlay:
    """Every alias in force, at one revision of the alias table. Never mutated: a change
    builds a new overlay and the holder swaps the reference."""

    revision: int = 0
    phrases: tuple[PhraseLink, ...] = ()
    terms: tuple[TermLink, ...] = ()
    # The phrases' query embeddings, one row per phrase (None until the engine embeds them).
    vectors: npt.NDArray[np.float32] | None = field(default=None, repr=False, compare=False)
    threshold: float = DENSE_THRESHOLD

    def with_vectors(self, vectors: npt.NDArray[np.float32]) -> AliasOverlay:
        return dataclasses.replace(self, vectors=vectors)

    def synonym_map(self) -> dict[str, tuple[str, ...]]:
        """Each word with the words staff made its synonyms (folded, both directions)."""
        out: dict[str, list[str]] = {}
        for link in self.terms:
            a, b = fold(link.term), fold(link.synonym)
            if a and b and a != b:
                out.setdefault(a, []).append(b)
                out.setdefault(b, []).append(a)
        return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}

    def matches(self, question: str, vector: npt.NDArray[np.float32] | None) -> list[PhraseMatch]:
        """The linked phrases this question uses: contained in it, or close to it in meaning."""
        if not self.phrases:
            return []
        key = phrase_key(question)
        sims = np.zeros(len(self.phrases), dtype=np.float32)
        if vector is not None and self.vectors is not None and len(self.vectors):
            sims = self.vectors @ vector.astype(np.float32)
        out = []
        for link, sim in zip(self.phrases, sims, strict=True):
            pk = phrase_key(link.phrase)
            contained = len(pk) >= MIN_PHRASE_CHARS and pk in key
            if contained or float(sim) >= self.threshold:
                out.append(PhraseMatch(link, float(sim), contained))
        return out


EMPTY = AliasOverlay()


@dataclass(frozen=True)
class Boost:
    """What matched phrases do to one retrieval: passages lifted, and the words they lend."""

    dense: Mapping[int, float]
    lent: Mapping[str, str]  # passage_id -> the phrases linked to it
    phrases: tuple[str, ...]


def boost(
    matches: Sequence[PhraseMatch],
    passages: Sequence[Passage],
    fused: npt.NDArray[np.float64],
) -> tuple[Boost, npt.NDArray[np.float64]]:
    """The linked passages' indices with the dense score each may claim, and fused scores in
    which they come first (in their own order: a whole document keeps its ranking inside).
    """
    dense: dict[int, float] = {}
    lent: dict[str, list[str]] = {}
    for m in matches:
        for i, p in enumerate(passages):
            if p.doc_id != m.link.doc_id or (m.link.anchor and p.anchor != m.link.anchor):
                continue
            # A contained phrase stands for the question's own words, so the passage is as
            # near the question as the phrase is (at least the threshold); a phrase matched by
            # meaning, by its similarity.
            sim = max(m.similarity, DENSE_THRESHOLD) if m.contained else m.similarity
            dense[i] = max(dense.get(i, -1.0), sim)
            lent.setdefault(p.passage_id, []).append(m.link.phrase)
    if not dense:
        return Boost({}, {}, ()), fused
    lifted = fused.copy()
    top = float(fused.max()) if len(fused) else 0.0
    for i in dense:
        lifted[i] = top + float(fused[i]) + 1e-6
    phrases = tuple(dict.fromkeys(m.link.phrase for m in matches if m.link.doc_id))
    return Boost(dense, {k: " ".join(v) for k, v in lent.items()}, phrases), lifted
