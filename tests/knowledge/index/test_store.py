from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.documents import parse_document
from knowledge.index import store
from knowledge.index.store import IndexUnavailable, build_index, load_index


def test_build_then_load_round_trip(documents, fake_embedder, tmp_path: Path):
    result = build_index(documents, fake_embedder, tmp_path)
    assert result.changed and result.passage_count > 0
    loaded = load_index(tmp_path)
    assert loaded.manifest.build_id == result.build_id
    assert len(loaded.passages) == len(loaded.dense) == result.passage_count
    assert {d.doc_id for d in loaded.manifest.documents} == {"transport", "ecology"}
    assert loaded.manifest.model_id == "fake-bigram"
    assert (tmp_path / "current").is_symlink()


def test_unchanged_sources_are_not_re_embedded(documents, fake_embedder, tmp_path: Path):
    build_index(documents, fake_embedder, tmp_path)
    fake_embedder.embedded.clear()
    result = build_index(documents, fake_embedder, tmp_path)
    assert not result.changed
    assert fake_embedder.embedded == []


def test_only_the_changed_document_is_re_embedded(documents, fake_embedder, tmp_path: Path):
    first = build_index(documents, fake_embedder, tmp_path)
    old = load_index(tmp_path)
    fake_embedder.embedded.clear()
    edited = parse_document(_ECOLOGY_EDITED, "ecology")
    result = build_index([documents[0], edited], fake_embedder, tmp_path)
    assert result.embedded_documents == ("ecology",)
    assert result.reused_documents == ("transport",)
    assert all("凤港减河" in t or "拆迁" in t or "生态" in t for t in fake_embedder.embedded)
    new = load_index(tmp_path)
    assert new.manifest.build_id != first.build_id
    # The reused document's vectors are carried over unchanged.
    old_rows = [i for i, p in enumerate(old.passages) if p.doc_id == "transport"]
    new_rows = [i for i, p in enumerate(new.passages) if p.doc_id == "transport"]
    assert np.array_equal(old.embeddings[old_rows], new.embeddings[new_rows])


def test_removed_document_is_dropped(documents, fake_embedder, tmp_path: Path):
    build_index(documents, fake_embedder, tmp_path)
    result = build_index(documents[:1], fake_embedder, tmp_path)
    assert result.removed_documents == ("ecology",)
    assert {p.doc_id for p in load_index(tmp_path).passages} == {"transport"}


def test_a_new_model_re_embeds_everything(documents, fake_embedder, tmp_path: Path):
    from tests.conftest import FakeEmbedder

    build_index(documents, fake_embedder, tmp_path)
    other = FakeEmbedder("another-model")
    result = build_index(documents, other, tmp_path)
    assert set(result.embedded_documents) == {"transport", "ecology"}


def test_failed_build_leaves_the_old_index_serving(
    documents, fake_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    first = build_index(documents, fake_embedder, tmp_path)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.np, "save", disk_full)
    edited = parse_document(_ECOLOGY_EDITED, "ecology")
    with pytest.raises(OSError):
        build_index([documents[0], edited], fake_embedder, tmp_path)
    assert load_index(tmp_path).manifest.build_id == first.build_id
    assert not [p for p in (tmp_path / "builds").iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    assert build_index([documents[0], edited], fake_embedder, tmp_path).changed


def test_damaged_index_file_is_detected(documents, fake_embedder, tmp_path: Path):
    build_index(documents, fake_embedder, tmp_path)
    target = (tmp_path / "current").resolve() / "passages.jsonl"
    target.write_text(target.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    with pytest.raises(IndexUnavailable):
        load_index(tmp_path)
    # The next build notices and rebuilds from the sources.
    result = build_index(documents, fake_embedder, tmp_path)
    assert result.changed
    assert load_index(tmp_path).manifest.build_id == result.build_id


def test_missing_index_is_reported(tmp_path: Path):
    with pytest.raises(IndexUnavailable, match="planbot build"):
        load_index(tmp_path)


def test_old_builds_are_pruned_but_recent_ones_kept(
    documents, fake_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    build_index(documents, fake_embedder, tmp_path)
    build_index(documents[:1], fake_embedder, tmp_path)
    build_index(documents, fake_embedder, tmp_path)
    # A reader may still be loading a build made seconds ago: all three stay.
    assert len(list((tmp_path / "builds").iterdir())) == 3
    monkeypatch.setattr(store, "KEEP_RECENT_SECONDS", -1)
    (tmp_path / "builds" / ".killed-build.tmp").mkdir()
    build_index(documents[:1], fake_embedder, tmp_path)
    assert len(list((tmp_path / "builds").iterdir())) == store.KEEP_BUILDS


def test_a_broken_source_keeps_its_last_good_version(documents, fake_embedder, tmp_path: Path):
    build_index(documents, fake_embedder, tmp_path)
    result = build_index(documents[:1], fake_embedder, tmp_path, keep_previous={"ecology"})
    assert not result.changed
    assert {p.doc_id for p in load_index(tmp_path).passages} == {"transport", "ecology"}


def test_an_empty_index_is_refused_and_the_old_one_kept(documents, fake_embedder, tmp_path: Path):
    first = build_index(documents, fake_embedder, tmp_path)
    with pytest.raises(store.EmptyIndexRefused):
        build_index([], fake_embedder, tmp_path)
    assert load_index(tmp_path).manifest.build_id == first.build_id
    assert build_index([], fake_embedder, tmp_path, allow_empty=True).passage_count == 0


def test_an_index_of_another_format_is_not_read(
    documents, fake_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    build_index(documents, fake_embedder, tmp_path)
    monkeypatch.setattr(store, "FORMAT_VERSION", store.FORMAT_VERSION + 1)
    with pytest.raises(IndexUnavailable, match="format"):
        load_index(tmp_path)


_ECOLOGY_EDITED = """---
title: 生态规划
---
# 第二章 生态 {#ch2}
## 一、水系 {#water}
探索永定河、永兴河、凤河以及凤港减河等跨域河流的共治共管，联合实施生态修复。
## 二、拆迁 {#relocation}
做好征地拆迁和人员安置，保障群众放心拆迁、安心周转。
"""
