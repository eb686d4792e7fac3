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
folded question; or the question's e5 cosine to the phrase is at least ``DENSE_THRESHOLD``
and it asks the same kinds of detail and holds most of the phrase's words (``same_question``).
This module imports nothing but the knowledge core's text helpers and numpy.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from knowledge.answering.question import analyze
from knowledge.answering.terms import SYNONYM_SUPPORT, content_terms, coverage, general_idf
from knowledge.chunking import Passage
from knowledge.text import fold

# e5 cosine of a question to a linked phrase at or above which the phrase may match by meaning
# (and then only when same_question agrees). Measured on the notice set's 248 questions
# (benchmarks/alias_matching.py, docs/BENCHMARKS.md): e5-small puts two different questions
# about one notice as close as two wordings of one question (瀛和家园啥时候交房 and
# 瀛和家园交房手续在哪里办理 at 0.97), so cosine alone would fire on 4 % of same-notice pairs at
# 0.95. With same_question, 0.96 fires on 2 of 1,960 same-notice pairs and none of 60,507
# others; containment does most of the matching, the meaning rule only catches near-copies.
DENSE_THRESHOLD = 0.96
# A question matched by meaning must also hold this share of the phrase's words (weighted).
LEXICAL_NEEDED = 0.75
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
            if contained or (float(sim) >= self.threshold and same_question(link.phrase, question)):
                out.append(PhraseMatch(link, float(sim), contained))
        return out


EMPTY = AliasOverlay()


def same_question(phrase: str, question: str) -> bool:
    """Whether a question close in meaning to a phrase asks the same thing, not just about the
    same notice: e5 puts "瀛和家园啥时候交房" and "瀛和家园交房手续在哪里办理" at 0.97.

    It must ask the same kinds of detail (a date, a place, …) and hold the phrase's words:
    their specificity-weighted share (jieba IDF; whole words or synonyms) at least
    ``LEXICAL_NEEDED``, so 兴丰大街 never borrows an alias of 兴业大街.
    """
    if analyze(phrase).details != analyze(question).details:
        return False
    terms = content_terms(phrase)
    if not terms:
        return False
    idf, median = general_idf()
    weights = [idf.get(t, median) for t in terms]
    # Whole words or synonyms only: 瀛悦家园 shares 家园 with 瀛和家园 but is another estate.
    found = [f >= SYNONYM_SUPPORT for f in coverage(terms, question)]
    return sum(w * f for w, f in zip(weights, found, strict=True)) / sum(weights) >= LEXICAL_NEEDED


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
