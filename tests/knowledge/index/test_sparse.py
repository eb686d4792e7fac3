"""The character n-gram index scores a question as the vectorizer's own transform would."""

from __future__ import annotations

import numpy as np

from knowledge.index.sparse import CharNgramIndex

PASSAGES = [
    "规划建设京霸铁路，连接大兴国际机场与雄安新区。",
    "交房时间为2026年12月18日至12月27日，每天上午9:00至下午4:00。",
    "臨空佳園三期定於2027年3月1日起交付。",
    "S6线沿线设站。",
]


def test_scores_are_the_cosines_of_the_vectorizers_own_vectors() -> None:
    index = CharNgramIndex().fit(PASSAGES)
    vectorizer = index._vectorizer
    for question in ["京霸铁路什么时候通车", "临空佳园三期几号交付？", "S6線", "完全无关的词"]:
        expected = (index._matrix @ vectorizer.transform([question]).T).toarray().ravel()
        np.testing.assert_allclose(index.scores(question), expected, atol=1e-6)


def test_a_question_with_no_known_ngram_scores_nothing() -> None:
    index = CharNgramIndex().fit(PASSAGES)
    assert not index.scores("😀😀").any()
    assert len(CharNgramIndex().fit([]).scores("京霸")) == 0
