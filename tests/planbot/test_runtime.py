"""The composition root's one lifecycle: warm_up, reload, close; and what it wires."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings
from docstore.indexing import build_published
from knowledge.answering.policy import AnswerPolicy
from knowledge.settings import KnowledgeSettings
from planbot.holder import EngineNotReady
from planbot.runtime import Runtime
from planbot.settings import ContactSettings, PlanbotSettings, load_settings
from storage.database import DatabaseSettings
from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder


def _settings(root: Path, **contact: str) -> PlanbotSettings:
    return load_settings(
        knowledge=KnowledgeSettings(index_dir=root / "index", alias_check_seconds=0.05),
        database=DatabaseSettings(database_url=f"sqlite:///{root / 'planbot.db'}"),
        web=Settings(index_watch_seconds=0, knowledge_retry_seconds=0.05),
        contact=ContactSettings(**contact),
    )


def _published(runtime: Runtime) -> None:
    """Two documents imported and published, the index built from them."""
    runtime.create_schema()
    runtime.documents.import_text("transport", TRANSPORT, actor="test", origin="sources")
    runtime.documents.import_text("ecology", ECOLOGY, actor="test", origin="sources")
    build_published(runtime.documents, runtime.settings.knowledge, embedder=runtime.embedder)


def test_warm_up_serves_an_engine_then_close_stops_the_background_work(tmp_path: Path) -> None:
    runtime = Runtime(_settings(tmp_path, hotline="96156"), embedder=FakeEmbedder())
    _published(runtime)
    assert runtime.knowledge.state == "loading"  # nothing is loaded by building a runtime
    runtime.warm_up(background=False)
    engine = runtime.knowledge.require()
    assert runtime.knowledge.state == "ready"
    # The configured hotline reaches the engine's declines (PLANBOT_HOTLINE).
    engine.policy = AnswerPolicy()
    decline = engine.answer("火星殖民基地的申请条件是什么")
    assert decline.kind == "no_answer" and "96156" in decline.text, decline.text
    follower = runtime._follower._thread
    assert follower is not None and follower.is_alive()
    runtime.close()
    assert not follower.is_alive()


def test_reload_swaps_the_engine_and_keeps_it_when_the_new_one_fails(tmp_path: Path) -> None:
    runtime = Runtime(_settings(tmp_path), embedder=FakeEmbedder())
    _published(runtime)
    runtime.warm_up(background=False)
    first = runtime.knowledge.require()
    assert runtime.reload() is True
    second = runtime.knowledge.require()
    assert second is not first
    second.policy = AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0)
    assert second.answer("京霸铁路").kind == "answer"
    (tmp_path / "index" / "current").unlink()  # the next load cannot find an index
    assert runtime.reload() is False
    assert runtime.knowledge.require() is second  # the one served stays
    runtime.close()


def test_one_embedder_for_the_engine_and_the_builder(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    runtime = Runtime(_settings(tmp_path), embedder=fake)
    assert runtime.embedder is runtime.embedder and runtime.embedder.inner is fake
    _published(runtime)
    assert fake.embedded  # the build embedded its passages with the runtime's model
    runtime.close()


def test_an_engine_not_loaded_is_reported_not_waited_for_without_end(tmp_path: Path) -> None:
    runtime = Runtime(_settings(tmp_path), embedder=FakeEmbedder(), builds_index=False)
    runtime.warm_up(background=False)  # no index was ever built here
    with pytest.raises(EngineNotReady, match="failed: IndexUnavailable"):
        runtime.knowledge.require(wait=0.5)
    assert runtime.builder.status.state == "idle"  # a reader never rebuilds the index
    runtime.close()
