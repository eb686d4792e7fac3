from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.index.dense import DenseIndex


def _unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_scores_are_every_passages_cosine_in_passage_order(tmp_path: Path):
    vectors = _unit_rows(40, 16, seed=1)
    query = _unit_rows(1, 16, seed=2)[0]
    index = DenseIndex(vectors)
    index.write(tmp_path / "dense.faiss")
    for served in (index, DenseIndex.read(tmp_path / "dense.faiss")):
        scores = served.scores(query)
        assert scores.dtype == np.float32 and scores.shape == (40,)
        assert np.allclose(scores, vectors @ query, atol=1e-6)


def test_an_empty_index_scores_nothing():
    assert DenseIndex(np.zeros((0, 8), dtype=np.float32)).scores(np.ones(8, np.float32)).size == 0
