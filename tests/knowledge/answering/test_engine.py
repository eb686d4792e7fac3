"""The engine's decisions on a small corpus with a fake embedder (no model needed).

The fake embedder's cosines are not on e5's scale, so the dense thresholds are relaxed here;
the thresholds themselves are checked with the real model in the integration tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.answering.engine import AnswerEngine, ConversationContext
from knowledge.answering.policy import AnswerPolicy
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

RELAXED = AnswerPolicy(dense_floor=-1.0, support_needed=-1.0)


@pytest.fixture
def engine(documents, fake_embedder, tmp_path: Path) -> AnswerEngine:
    build_index(documents, fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    eng = AnswerEngine(retriever, hotline="12345", contact="市民热线", policy=RELAXED)
    eng.warm_up()
    return eng


def _all_sentences(documents) -> set[str]:
    from knowledge.chunking import chunk_document

    return {p.text for d in documents for p in chunk_document(d)}


def test_answer_quotes_the_source_verbatim_with_citations(engine, documents) -> None:
    reply = engine.answer("京霸铁路会建吗")
    assert reply.kind == "answer"
    assert reply.citations
    first = reply.citations[0]
    assert "京霸铁路" in first.quote
    assert first.quote in _all_sentences(documents)
    assert first.section == "第一章 交通 > 一、铁路"
    assert first.url.startswith("/sources/transport#p-")
    for c in reply.citations:
        assert f"{c.quote}[{c.n}]" in reply.text


def test_missing_detail_is_declined_with_related_passages(engine) -> None:
    reply = engine.answer("京霸铁路哪年通车")
    assert reply.kind == "no_answer"
    assert "具体时间" in reply.text and "12345" in reply.text
    assert reply.citations == []
    assert reply.related and "京霸铁路" in reply.related[0].quote
    assert any(b.payload == "/human_handoff" for b in reply.buttons)


def test_question_with_no_term_in_the_sources_is_declined(engine) -> None:
    reply = engine.answer("怎么给交通卡充值呢")
    assert reply.kind == "no_answer"
    reply = engine.answer("推荐一家好吃的火锅店")
    assert reply.kind == "no_answer"
    assert reply.related == []


def test_entitlement_questions_are_routed_to_the_official_channel(engine) -> None:
    reply = engine.answer("拆迁以后群众怎么安置，有补偿吗")
    assert reply.kind == "answer"
    assert "人员安置" in reply.citations[0].quote
    # The routing is guidance, kept apart from the quoted answer.
    assert "以主管部门正式公布的政策为准" in reply.notice and "12345" in reply.notice
    assert "主管部门" not in reply.text
    assert engine.answer("京霸铁路会建吗").notice == ""
    declined = engine.answer("拆迁补偿标准是多少钱")
    assert declined.kind == "no_answer"


def test_list_questions_gather_every_matching_passage(engine) -> None:
    reply = engine.answer("有哪些高速公路")
    assert reply.kind == "answer"
    quotes = [c.quote for c in reply.citations]
    assert len(quotes) == 2  # the road section and the green belt along the motorways
    assert all("高速" in q for q in quotes)
    assert quotes[0].startswith("建设京台高速")  # the passage about roads comes first
    assert engine.answer("京台高速会建吗").citations[0].quote.startswith("建设京台高速")
    assert len(engine.answer("京台高速会建吗").citations) == 1


def test_follow_up_carries_the_list_over(engine) -> None:
    alone = engine.answer("那高速呢？")
    after_list = engine.answer("那高速呢？", ConversationContext(last_question="有哪些铁路项目"))
    assert len(alone.citations) == 1
    assert after_list.kind == "answer" and len(after_list.citations) == 2


def test_follow_up_carries_the_detail_asked_for_over(engine) -> None:
    assert engine.answer("那京台高速呢？").kind == "answer"
    reply = engine.answer("那京台高速呢？", ConversationContext(last_question="京霸铁路哪年通车"))
    assert reply.kind == "no_answer" and "具体时间" in reply.text


def test_weak_evidence_is_declined_with_the_nearest_passages(engine) -> None:
    question = "京霸铁路的火锅店怎么样"
    decision = engine.decide(question)
    best = decision.ranked[0]
    support = best.hit.dense + engine.policy.coverage_bonus * best.coverage
    engine.policy = AnswerPolicy(dense_floor=-1.0, support_needed=support + 0.001)
    reply = engine.answer(question)
    assert reply.kind == "no_answer"
    assert reply.related and "京霸铁路" in reply.related[0].quote
    engine.policy = AnswerPolicy(dense_floor=-1.0, support_needed=support - 0.001)
    assert engine.answer(question).kind == "answer"


def test_empty_question_is_an_error_reply(engine) -> None:
    reply = engine.answer("  \x00 ")
    assert reply.kind == "error" and reply.text


def test_strict_thresholds_decline_off_topic_questions(documents, fake_embedder, tmp_path) -> None:
    build_index(documents, fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    strict = AnswerEngine(retriever, policy=AnswerPolicy(dense_floor=0.99))
    assert strict.answer("京霸铁路会建吗").kind == "no_answer"


def test_questions_without_chinese_are_asked_to_be_in_chinese(engine) -> None:
    reply = engine.answer("Will the Jingba railway be built?")
    assert reply.kind == "no_answer"
    assert "中文" in reply.text and "12345" in reply.text


def test_a_named_line_the_sources_do_not_name_is_not_answered_by_a_neighbour(engine) -> None:
    """S6线 is in the sources; S9线 is not: the S6 sentence must not answer for it."""
    assert engine.answer("市郊铁路S6线建设吗").kind == "answer"
    reply = engine.answer("市郊铁路S9线建设吗")
    assert reply.kind == "no_answer" and reply.citations == []
