"""Reciprocal-rank fusion: combining rankings whose scores are not on one scale.

Dense cosines cluster in 0.8-0.9 while TF-IDF cosines spread over 0-1, so adding raw scores lets
one retriever drown the other; ranks are comparable. RRF (Cormack et al., 2009) with k=60.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def ranks(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """1-based rank of every item (ties broken by position, for determinism)."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    return out


def top_order(scores: npt.NDArray[np.floating], k: int) -> npt.NDArray[np.intp]:
    """The positions of the ``k`` highest scores, best first, ties broken by position: exactly
    ``np.argsort(-scores, kind="stable")[:k]``, without sorting the whole index (a question
    needs the top fifty of five thousand passages)."""
    n = len(scores)
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    if k >= n:
        return np.argsort(-scores, kind="stable")
    negated = -scores
    kth = np.partition(negated, k - 1)[k - 1]
    chosen = np.flatnonzero(negated <= kth)  # every item tied with the k-th, in position order
    return chosen[np.argsort(negated[chosen], kind="stable")][:k]


def top_ranks(scores: npt.NDArray[np.float32], depth: int) -> npt.NDArray[np.int64]:
    """Like :func:`ranks` for the top ``depth`` items; every other item gets ``depth + 1``."""
    out = np.full(len(scores), depth + 1, dtype=np.int64)
    order = top_order(scores, depth)
    out[order] = np.arange(1, len(order) + 1)
    return out


def reciprocal_rank_fusion(
    score_lists: Sequence[npt.NDArray[np.float32]],
    *,
    k: int = 60,
    depth: int | None = None,
    weights: Sequence[float] | None = None,
) -> npt.NDArray[np.float64]:
    """Fused score of each item: sum of weight / (k + rank) over the retrievers.

    Items ranked below ``depth`` by a retriever get nothing from it, as in the original method
    where each retriever only returns its top results.
    """
    if not score_lists:
        raise ValueError("nothing to fuse")
    n = len(score_lists[0])
    weights = weights or [1.0] * len(score_lists)
    fused = np.zeros(n, dtype=np.float64)
    for scores, weight in zip(score_lists, weights, strict=True):
        if len(scores) != n:
            raise ValueError("all score lists must cover the same items")
        r = ranks(scores) if depth is None else top_ranks(scores, depth)
        contrib = weight / (k + r)
        if depth is not None:
            contrib[r > depth] = 0.0
        fused += contrib
    return fused
