from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.index.fusion import ranks, reciprocal_rank_fusion, top_order, top_ranks


def test_ranks_are_one_based_and_stable():
    assert ranks(np.array([0.1, 0.9, 0.5, 0.9], dtype=np.float32)).tolist() == [4, 1, 3, 2]


def test_rrf_prefers_items_both_retrievers_like():
    dense = np.array([0.9, 0.8, 0.1, 0.3, 0.2], dtype=np.float32)
    sparse = np.array([0.1, 0.7, 0.9, 0.3, 0.2], dtype=np.float32)
    fused = reciprocal_rank_fusion([dense, sparse], k=60)
    assert int(np.argmax(fused)) == 1
    assert fused[1] == pytest.approx(1 / 62 + 1 / 62)


def test_depth_cuts_off_low_ranks():
    a = np.array([3, 2, 1], dtype=np.float32)
    fused = reciprocal_rank_fusion([a], k=60, depth=2)
    assert fused[2] == 0.0 and fused[0] > fused[1] > 0


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([np.zeros(2, np.float32), np.zeros(3, np.float32)])


# Few distinct values, so that ties (which the stable order breaks by position) are common.
SCORES = st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), max_size=80).map(
    lambda xs: np.array(xs, dtype=np.float32)
)


@settings(max_examples=300, deadline=None)
@given(SCORES, st.integers(min_value=0, max_value=90))
def test_top_order_is_the_head_of_a_stable_full_sort(scores, k):
    expected = np.argsort(-scores, kind="stable")[:k]
    assert top_order(scores, k).tolist() == expected.tolist()


@settings(max_examples=300, deadline=None)
@given(SCORES, st.integers(min_value=1, max_value=90))
def test_top_ranks_agree_with_ranks_down_to_the_depth(scores, depth):
    full = ranks(scores)
    assert top_ranks(scores, depth).tolist() == np.where(full > depth, depth + 1, full).tolist()
