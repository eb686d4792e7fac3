"""A serving process follows new builds without a restart, and refuses unusable ones."""

from __future__ import annotations

from pathlib import Path

from knowledge.documents import parse_document
from knowledge.index.live import LiveIndex
from knowledge.index.store import build_index, current_path
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_new_build_is_served_after_the_check_interval(tmp_path: Path) -> None:
    embedder, clock = FakeEmbedder(), Clock()
    build_index([parse_document(TRANSPORT, "transport")], embedder, tmp_path)
    live = LiveIndex(tmp_path, model_id=embedder.model_id, check_seconds=1.0, clock=clock)
    first = live.current()
    build_index(
        [parse_document(TRANSPORT, "transport"), parse_document(ECOLOGY, "ecology")],
        embedder,
        tmp_path,
    )
    clock.now = 0.5
    assert live.current() is first  # not looked at yet: one readlink per interval at most
    clock.now = 1.5
    newer = live.current()
    assert newer is not first and len(newer.manifest.documents) == 2


def test_a_damaged_or_foreign_build_is_not_served(tmp_path: Path) -> None:
    embedder, clock = FakeEmbedder(), Clock()
    build_index([parse_document(TRANSPORT, "transport")], embedder, tmp_path)
    live = LiveIndex(tmp_path, model_id=embedder.model_id, check_seconds=1.0, clock=clock)
    serving = live.current()

    build_index([parse_document(ECOLOGY, "ecology")], FakeEmbedder("other-model"), tmp_path)
    clock.now = 2.0
    assert live.current() is serving and "other-model" in live.last_error

    build_index([parse_document(ECOLOGY, "ecology")], embedder, tmp_path)
    target = current_path(tmp_path).resolve()
    (target / "dense.faiss").write_bytes(b"damaged")
    clock.now = 4.0
    assert live.current() is serving and "damaged" in live.last_error
