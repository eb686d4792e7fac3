"""Character n-gram TF-IDF: the lexical half of the hybrid index.

Chinese questions name things by a few characters (京霸, 永兴河, S6线); character 1-3-grams match
them without a word segmenter, which misses exactly these names. Measured on the plan chapter:
char TF-IDF alone reached R@1 0.77-0.86, BM25 over jieba words only 0.57-0.68.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.text import fold


class CharNgramIndex:
    """TF-IDF over character 1-3-grams of the folded passage text (normalized, Simplified, so
    a 繁體 question meets a 简体 source and the reverse); refit at load (fast at this size), so
    nothing but the passages needs to be stored."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 3)) -> None:
        self._vectorizer = TfidfVectorizer(
            analyzer="char",
            ngram_range=ngram_range,
            preprocessor=fold,
            sublinear_tf=True,
            norm="l2",
            dtype=np.float32,
        )
        self._matrix: Any = None
        self._size = 0

    def fit(self, texts: Sequence[str]) -> CharNgramIndex:
        self._size = len(texts)
        if texts:
            self._matrix = self._vectorizer.fit_transform(list(texts))
        return self

    def __len__(self) -> int:
        return self._size

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """Cosine similarity of the query to every passage."""
        if not self._size:
            return np.zeros(0, dtype=np.float32)
        q = self._vectorizer.transform([query])
        sims = (self._matrix @ q.T).toarray().ravel()
        return np.asarray(sims, dtype=np.float32)
