"""RecentQueries: the web app embeds a message for Rasa's NLU and the engine's retrieval of the
same text reuses that vector, so a question turn embeds once, with no change in any answer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from knowledge.answering.engine import AnswerEngine, ConversationContext
from knowledge.answering.policy import AnswerPolicy
from knowledge.embedding.embedder import Vectors
from knowledge.embedding.recent import RecentQueries
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever
from tests.conftest import FakeEmbedder

# The fake embedder's cosines are not e5's: the thresholds are relaxed and the test of words by
# meaning (which reads small cosine differences) is off, as in tests/knowledge/answering.
RELAXED = AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0)


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting each query text it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.queries.extend(texts)
        return super().embed_queries(texts)


def test_a_single_query_is_embedded_once_and_the_same_vector_comes_back() -> None:
    inner = CountingEmbedder()
    recent = RecentQueries(inner)
    first = recent.embed_queries(["京霸铁路会建吗"])
    second = recent.embed_queries(["京霸铁路会建吗"])
    assert inner.queries == ["京霸铁路会建吗"]
    assert first.shape == (1, 256) and np.array_equal(first, second)
    assert np.array_equal(first, inner.embed_queries(["京霸铁路会建吗"]))
    assert recent.cache_info().hits == 1


def test_a_caller_changing_its_copy_does_not_change_the_remembered_vector() -> None:
    recent = RecentQueries(CountingEmbedder())
    first = recent.embed_queries(["京霸铁路会建吗"])
    kept = first.copy()
    first[0, :] = 0.0
    assert np.array_equal(recent.embed_queries(["京霸铁路会建吗"]), kept)


def test_batches_and_passages_are_embedded_as_they_come() -> None:
    inner = CountingEmbedder()
    recent = RecentQueries(inner)
    recent.embed_queries(["甲乙", "丙丁"])
    recent.embed_queries(["甲乙", "丙丁"])
    assert inner.queries == ["甲乙", "丙丁", "甲乙", "丙丁"]  # batches are never served
    recent.embed_passages(["戊己"])
    assert inner.embedded == ["戊己"]
    assert recent.model_id == inner.model_id


def test_it_is_bounded() -> None:
    inner = CountingEmbedder()
    recent = RecentQueries(inner, size=2)
    for text in ["一二", "三四", "五六", "一二"]:
        recent.embed_queries([text])
    assert inner.queries == ["一二", "三四", "五六", "一二"]  # the oldest was forgotten
    assert recent.cache_info().currsize == 2
    with pytest.raises(ValueError):
        RecentQueries(inner, size=0)


class Recording:
    """A real embedder, recording each query text it runs through the model."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.queries: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.queries.extend(texts)
        return self._inner.embed_queries(texts)


def _engine(embedder, index: Path) -> AnswerEngine:  # type: ignore[no-untyped-def]
    return AnswerEngine(Retriever(load_index(index), embedder), hotline="12345", policy=RELAXED)


class Engines:
    """The same index served twice: with a plain embedder, and through RecentQueries (counting
    what reaches the model)."""

    def __init__(self, documents, index: Path) -> None:  # type: ignore[no-untyped-def]
        build_index(documents, FakeEmbedder(), index)
        self.plain = _engine(FakeEmbedder(), index)
        self.inner = CountingEmbedder()
        self.recent = RecentQueries(self.inner)
        self.shared = _engine(self.recent, index)


@pytest.fixture
def engines(documents, tmp_path: Path) -> Engines:  # type: ignore[no-untyped-def]
    return Engines(documents, tmp_path)


QUESTIONS = ["京霸铁路会建吗", "京霸铁路哪年通车", "怎么给交通卡充值呢", "湿地公园在哪里"]


def test_the_engine_answers_identically_and_reuses_the_apps_vector(engines: Engines) -> None:
    plain, shared = engines.plain, engines.shared
    inner, recent = engines.inner, engines.recent
    for question in QUESTIONS:
        recent.embed_queries([question])  # what the web app sends to Rasa with the message
        before = len(inner.queries)
        assert shared.answer(question) == plain.answer(question)
        assert len(inner.queries) == before  # the retrieval took the remembered vector
        assert np.array_equal(shared.retrieve(question).dense, plain.retrieve(question).dense)


def test_a_follow_up_embeds_its_combined_question(engines: Engines) -> None:
    plain, shared = engines.plain, engines.shared
    inner, recent = engines.inner, engines.recent
    context = ConversationContext(last_question="京霸铁路会建吗")
    recent.embed_queries(["那廊涿城际呢"])
    assert shared.decide("那廊涿城际呢", context).follow_up
    assert shared.answer("那廊涿城际呢", context) == plain.answer("那廊涿城际呢", context)
    assert "京霸铁路会建吗 那廊涿城际呢" in inner.queries  # another text: embedded itself


def test_a_traditional_question_is_embedded_as_the_engine_folds_it(engines: Engines) -> None:
    plain, shared = engines.plain, engines.shared
    inner, recent = engines.inner, engines.recent
    recent.embed_queries(["京霸鐵路會建嗎"])  # the message as Rasa gets it
    assert shared.answer("京霸鐵路會建嗎") == plain.answer("京霸鐵路會建嗎")
    assert inner.queries == ["京霸鐵路會建嗎", "京霸铁路会建吗"]


@pytest.mark.integration
def test_with_the_model_every_team_question_is_answered_identically_from_one_embedding(
    real_engine: AnswerEngine,
) -> None:
    """The web app's call (the message as sent to Rasa) and the engine's retrieval meet in the
    cache for a plain question: the same replies as an engine that embeds each time, and the
    question is never run through the model a second time. (A word the sources never use is
    tested by its meaning with one more batch of *other* texts, the question without the word:
    knowledge/answering/meaning.py.)"""
    from knowledge.evaluation import load_items
    from knowledge.service import create_embedder, create_engine
    from knowledge.settings import KnowledgeSettings
    from tests.conftest import REPO

    settings = KnowledgeSettings()
    recording = Recording(create_embedder(settings))
    recent = RecentQueries(recording)
    shared = create_engine(settings, recent)
    shared.warm_up()
    questions = [i.q for i in load_items(REPO / "eval" / "team_questions.jsonl")]
    assert len(questions) >= 40
    for question in questions:
        recent.embed_queries([question])
        assert shared.answer(question) == real_engine.answer(question), question
        assert recording.queries.count(question) == 1, question
