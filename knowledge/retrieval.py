"""Hybrid retrieval: dense and sparse scores for every passage, fused by rank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from knowledge.chunking import Passage
from knowledge.embedding.embedder import Embedder
from knowledge.index.fusion import reciprocal_rank_fusion, top_order
from knowledge.index.live import IndexSource, StaticIndex
from knowledge.index.store import LoadedIndex


@dataclass(frozen=True)
class Hit:
    passage: Passage
    fused: float
    dense: float
    sparse: float
    rank: int


@dataclass(frozen=True)
class Retrieval:
    """All scores of one query, so the answer engine can look beyond the top hits."""

    query: str
    passages: tuple[Passage, ...]
    dense: npt.NDArray[np.float32]
    sparse: npt.NDArray[np.float32]
    fused: npt.NDArray[np.float64]
    # The query's embedding (the staff aliases compare it with their phrases).
    vector: npt.NDArray[np.float32] | None = field(default=None, repr=False)
    # Words staff aliases lend to passages (passage_id -> phrases), for the lexical checks.
    lent: Mapping[str, str] = field(default_factory=dict)

    def top(self, k: int) -> list[Hit]:
        order = top_order(self.fused, k)
        return [
            Hit(
                self.passages[i],
                float(self.fused[i]),
                float(self.dense[i]),
                float(self.sparse[i]),
                rank + 1,
            )
            for rank, i in enumerate(order)
        ]

    def hit(self, i: int) -> Hit:
        rank = int(np.sum(self.fused > self.fused[i])) + 1
        return Hit(
            self.passages[i],
            float(self.fused[i]),
            float(self.dense[i]),
            float(self.sparse[i]),
            rank,
        )


class Retriever:
    """Scores every passage with both retrievers and fuses the rankings; the answer engine
    looks at all the scores, not just a top-k, to gather list items and check evidence."""

    def __init__(
        self, index: LoadedIndex | IndexSource, embedder: Embedder, *, depth: int = 50
    ) -> None:
        self._source: IndexSource = StaticIndex(index) if isinstance(index, LoadedIndex) else index
        self._embedder = embedder
        self._depth = depth

    @property
    def index(self) -> LoadedIndex:
        """The build being served now (a live source may move to a newer one between calls)."""
        return self._source.current()

    def warm_up(self) -> None:
        self._embedder.warm_up()

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def embed_queries(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Texts embedded as questions are (the staff aliases' phrases)."""
        return np.asarray(self._embedder.embed_queries(texts), dtype=np.float32)

    def over(self, index: LoadedIndex) -> Retriever:
        """The same model and settings over another index (the staff console's draft view)."""
        return Retriever(index, self._embedder, depth=self._depth)

    def retrieve(self, query: str, *, also_written: Sequence[str] = ()) -> Retrieval:
        """Every passage scored against the query. ``also_written``: words the lexical half
        looks for beside the query's own (how the sources write a word the question says
        otherwise: 周日 for 礼拜天); the model reads the question as asked."""
        index = self.index  # one build for the whole retrieval, even if a new one lands now
        passages = index.passages
        if not passages:
            empty = np.zeros(0, dtype=np.float32)
            return Retrieval(query, (), empty, empty, np.zeros(0))
        vector = self._embedder.embed_queries([query])[0]
        dense = index.dense.scores(vector)
        sparse = index.sparse.scores(" ".join([query, *also_written]))
        fused = reciprocal_rank_fusion([dense, sparse], depth=self._depth)
        return Retrieval(query, passages, dense, sparse, fused, vector)
