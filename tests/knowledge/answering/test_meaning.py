"""A resident's word the sources do not use, found by its meaning (meaning.py).

Unit tests with hand-made vectors: which words are tested, and which candidate a word is lent
to. The real model's behaviour (暖气费 met by 供暖费) is checked in
tests/knowledge/test_notice_quality.py.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from knowledge.answering.meaning import Absent, absent_terms, lent_by_meaning
from knowledge.answering.question import asks_for_detail


def _unit(*values: float) -> npt.NDArray[np.float32]:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_only_words_the_sources_never_use_are_tested_rarest_first() -> None:
    terms = ["兴业大街", "暖气费", "几点", "app", "冰场"]
    weights = [9.0, 3.0, 1.0, 5.0, 4.0]
    # Candidate 0 has 兴业大街; candidate 1 lacks every word.
    supports = [[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
    out = absent_terms(
        terms,
        weights,
        supports,
        found=0.5,
        askers=asks_for_detail,
        known=lambda t: t == "兴业大街",  # a word the sources use means that very thing
        limit=2,
    )
    assert [a.term for a in out] == ["冰场", "暖气费"]  # not 几点 (asks), not app (no CJK)
    assert out[0].lacking == (0, 1)


def test_a_word_of_no_weight_is_not_tested() -> None:
    """A common word the sources never use weighs nothing in coverage (terms.TermStats):
    lending it would move no candidate's rank, so it costs no embedding."""
    out = absent_terms(
        ["外地", "暖气费"],
        [0.0, 3.0],
        [[0.0, 0.0]],
        found=0.5,
        askers=asks_for_detail,
        known=lambda t: False,
        limit=3,
    )
    assert [a.term for a in out] == ["暖气费"]


def test_the_limit_bounds_the_extra_embeddings() -> None:
    terms = ["甲乙", "丙丁", "戊己"]
    out = absent_terms(
        terms,
        [1.0, 2.0, 3.0],
        [[0.0, 0.0, 0.0]],
        found=0.5,
        askers=lambda t: False,
        known=lambda t: False,
        limit=1,
    )
    assert [a.term for a in out] == ["戊己"]


def test_a_word_is_lent_where_removing_it_moves_the_question_away() -> None:
    query_vector = _unit(1.0, 1.0, 0.0)
    candidates = np.stack([_unit(0.0, 1.0, 0.0), _unit(1.0, 0.0, 0.0)])
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        calls.append(texts)
        # Without 暖气费 the question keeps only its first direction: it moves away from
        # candidate 0 (which carried the word's meaning) and towards candidate 1.
        return np.stack([_unit(1.0, 0.0, 0.0) for _ in texts])

    lent = lent_by_meaning(
        "暖气费多少钱",
        query_vector,
        [Absent("暖气费", 3.0, (0, 1))],
        ["p0", "p1"],
        candidates,
        embed,
        threshold=0.01,
    )
    assert lent == {"p0": "暖气费"}
    assert calls == [["多少钱"]], "one batch, the question without the word"


def test_only_candidates_lacking_the_word_receive_it() -> None:
    query_vector = _unit(1.0, 1.0)
    candidates = np.stack([_unit(0.0, 1.0), _unit(0.0, 1.0)])
    lent = lent_by_meaning(
        "收房带啥",
        query_vector,
        [Absent("收房", 2.0, (1,))],
        ["has-it", "lacks-it"],
        candidates,
        lambda texts: np.stack([_unit(1.0, 0.0) for _ in texts]),
        threshold=0.01,
    )
    assert lent == {"lacks-it": "收房"}


def test_a_word_not_written_as_in_the_query_is_not_tested() -> None:
    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        raise AssertionError("nothing to embed")

    lent = lent_by_meaning(
        "暖氣費多少錢",
        _unit(1.0, 0.0),
        [Absent("暖气费", 3.0, (0,))],
        ["p0"],
        np.stack([_unit(1.0, 0.0)]),
        embed,
        threshold=0.01,
    )
    assert lent == {}
