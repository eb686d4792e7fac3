"""Building the index from the store, in the background, with progress and failure kept apart."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from docstore.indexing import IndexBuilder, build_published
from docstore.store import DocumentStore
from knowledge.embedding.embedder import Vectors
from knowledge.index.store import load_index
from knowledge.settings import KnowledgeSettings
from storage.database import create_database_engine, create_schema
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder


class BrokenEmbedder(FakeEmbedder):
    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("out of memory while embedding")


@pytest.fixture
def settings(tmp_path: Path) -> KnowledgeSettings:
    return KnowledgeSettings(index_dir=tmp_path / "index")


def test_only_the_published_versions_are_indexed(
    store: DocumentStore, settings: KnowledgeSettings
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    store.create("草稿", "# 一\n\n尚未发布的内容。", actor="ed", doc_id="draft")
    built = build_published(store, settings, embedder=FakeEmbedder())
    texts = [p.text for p in load_index(settings.index_dir).passages]
    assert built.result.passage_count == len(texts) > 0
    assert not any("尚未发布" in t for t in texts)


def test_a_publish_re_embeds_only_that_document(
    store: DocumentStore, settings: KnowledgeSettings
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    store.import_text("ecology", ECOLOGY, actor="setup")
    build_published(store, settings, embedder=FakeEmbedder())
    store.update("ecology", "# 生态\n\n新增一条湿地公园建设内容。", base_version=1, actor="ed")
    store.publish("ecology", actor="admin")
    embedder = FakeEmbedder()
    result = build_published(store, settings, embedder=embedder).result
    assert result.embedded_documents == ("ecology",) and result.reused_documents == ("transport",)
    assert embedder.embedded == ["新增一条湿地公园建设内容。"]


def test_deleting_the_last_document_leaves_an_empty_index_not_the_old_one(
    store: DocumentStore, settings: KnowledgeSettings
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    build_published(store, settings, embedder=FakeEmbedder())
    store.delete("transport", actor="admin")
    build_published(store, settings, embedder=FakeEmbedder())
    assert load_index(settings.index_dir).passages == ()


def test_the_builder_runs_in_the_background_and_reports_progress(
    store: DocumentStore, settings: KnowledgeSettings
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    store.import_text("ecology", ECOLOGY, actor="setup")
    builder = IndexBuilder(store, settings, FakeEmbedder)
    builder.request("publish", by="admin")
    status = builder.wait_idle(30)
    assert status.state == "idle" and status.builds == 1
    assert (status.documents_done, status.documents_total) == (2, 2)
    assert status.build_id == load_index(settings.index_dir).manifest.build_id
    assert status.requested_by == "admin" and status.error == ""
    builder.stop()


def test_a_failed_build_keeps_the_old_index_and_says_why(
    store: DocumentStore, settings: KnowledgeSettings
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    build_published(store, settings, embedder=FakeEmbedder())
    before = load_index(settings.index_dir).manifest.build_id
    store.import_text("ecology", ECOLOGY, actor="setup")
    builder = IndexBuilder(store, settings, BrokenEmbedder)
    builder.request("publish ecology")
    status = builder.wait_idle(30)
    assert status.state == "failed" and "out of memory" in status.error
    assert load_index(settings.index_dir).manifest.build_id == before

    builder = IndexBuilder(store, settings, FakeEmbedder)  # the next build succeeds
    builder.request("retry")
    assert builder.wait_idle(30).state == "idle"
    assert {d.doc_id for d in load_index(settings.index_dir).manifest.documents} == {
        "transport",
        "ecology",
    }


def test_a_replica_follows_a_publish_made_elsewhere(
    store: DocumentStore, database: Engine, tmp_path: Path
) -> None:
    """Two machines: the same database, an index directory each; only one publishes."""
    store.import_text("transport", TRANSPORT, actor="setup")
    here = KnowledgeSettings(index_dir=tmp_path / "here")
    there = KnowledgeSettings(index_dir=tmp_path / "there")
    build_published(store, here, embedder=FakeEmbedder())
    build_published(store, there, embedder=FakeEmbedder())
    replica = IndexBuilder(DocumentStore(database), there, FakeEmbedder)
    assert not replica.behind()
    replica.watch(0.05)

    store.import_text("ecology", ECOLOGY, actor="elsewhere")  # published on the other machine
    build_published(store, here, embedder=FakeEmbedder())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and replica.behind():
        time.sleep(0.05)
    assert replica.wait_idle(20).state == "idle"
    assert {d.doc_id for d in load_index(there.index_dir).manifest.documents} == {
        "transport",
        "ecology",
    }
    replica.stop()


def _wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)


def test_a_replica_pointed_at_an_empty_database_keeps_its_index(
    store: DocumentStore, tmp_path: Path
) -> None:
    settings = KnowledgeSettings(index_dir=tmp_path / "index")
    store.import_text("transport", TRANSPORT, actor="setup")
    build_published(store, settings, embedder=FakeEmbedder())
    empty = create_database_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    create_schema(empty)
    watcher = IndexBuilder(DocumentStore(empty), settings, FakeEmbedder)
    watcher.watch(0.05)
    _wait_for(lambda: watcher.status.state == "failed")
    assert "EmptyIndexRefused" in watcher.status.error
    assert load_index(settings.index_dir).passages  # still serving
    watcher.stop()


def test_retiring_the_last_document_empties_every_replica(
    store: DocumentStore, tmp_path: Path
) -> None:
    settings = KnowledgeSettings(index_dir=tmp_path / "index")
    store.import_text("transport", TRANSPORT, actor="setup")
    build_published(store, settings, embedder=FakeEmbedder())
    store.delete("transport", actor="admin")  # published elsewhere: this replica must follow
    watcher = IndexBuilder(store, settings, FakeEmbedder)
    watcher.watch(0.05)
    _wait_for(lambda: not watcher.behind())
    assert load_index(settings.index_dir).passages == ()
    watcher.stop()
