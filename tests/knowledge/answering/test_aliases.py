"""Staff aliases in the engine: when a phrase matches (and when it must not), what a linked
passage gains (retrieval and the lexical checks) and what it does not (the detail checks)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from knowledge.answering import thesaurus
from knowledge.answering.aliases import (
    DENSE_THRESHOLD,
    EMPTY,
    AliasOverlay,
    PhraseLink,
    TermLink,
    phrase_key,
    same_question,
)
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.question import Detail
from knowledge.answering.terms import SYNONYM_SUPPORT, term_support
from knowledge.answering.why import DecisionReason, Gate
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

RELAXED = AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0)
PHRASE = "交通卡充值"


@pytest.fixture
def engine(documents, fake_embedder, tmp_path: Path) -> AnswerEngine:  # type: ignore[no-untyped-def]
    build_index(documents, fake_embedder, tmp_path)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=RELAXED)
    eng.warm_up()
    yield eng
    thesaurus.set_staff_synonyms({})


def _relocation(engine: AnswerEngine) -> str:
    return next(p.anchor for p in engine.document_passages("ecology") if "拆迁" in p.text)


def _link(phrase: str = PHRASE, doc_id: str = "ecology", anchor: str = "") -> AliasOverlay:
    return AliasOverlay(1, (PhraseLink(1, phrase, doc_id, anchor),), ())


def test_phrases_compare_folded_without_punctuation_or_final_particles() -> None:
    assert phrase_key("老年卡怎么办？") == phrase_key("老年卡 怎么办呢") == "老年卡怎么办"
    assert phrase_key("交通卡充值嗎") == phrase_key("交通卡充值")  # 繁體 folded


@pytest.mark.parametrize(
    "question", ["交通卡充值", "请问交通卡充值在哪里", "我想问下 交通卡 充值的事", "交通卡充值嗎？"]
)
def test_a_contained_phrase_matches(question: str) -> None:
    assert [m.link.alias_id for m in _link().matches(question, None)] == [1]


@pytest.mark.parametrize(
    "question",
    ["京霸铁路会建吗", "交通卡在哪买", "公交卡充值", "充值交通卡", "", "卡"],
)
def test_a_phrase_does_not_fire_on_other_questions(question: str) -> None:
    assert _link().matches(question, None) == []


def test_a_one_character_phrase_never_matches_by_containment() -> None:
    assert _link("卡").matches("交通卡充值", None) == []


def _with_vector(overlay: AliasOverlay, cosine: float) -> tuple[AliasOverlay, np.ndarray]:
    """The phrase's vector and a question vector at exactly ``cosine`` to it."""
    phrase = np.array([1.0, 0.0], dtype=np.float32)
    question = np.array([cosine, np.sqrt(1 - cosine**2)], dtype=np.float32)
    return overlay.with_vectors(phrase[None, :]), question


def test_matching_by_meaning_needs_the_threshold_the_same_details_and_the_words() -> None:
    overlay = _link("瀛和家园啥时候交房")
    near, q = _with_vector(overlay, DENSE_THRESHOLD + 0.01)
    assert near.matches("瀛和家园二期啥时候交房", q)  # same detail (a date), same words
    assert not near.matches("瀛和家园交房手续在哪里办理", q)  # a place, not a date
    assert not near.matches("瀛和家园暖气费每平米多少钱", q)  # an amount, not a date
    far, q = _with_vector(overlay, DENSE_THRESHOLD - 0.02)
    assert not far.matches("瀛和家园二期啥时候交房", q)


def test_another_street_does_not_borrow_an_alias() -> None:
    assert not same_question("兴业大街封路要封到啥时候", "兴丰大街修路封到哪天")


def test_a_linked_passage_answers_a_question_the_sources_do_not_word(engine) -> None:  # type: ignore[no-untyped-def]
    question = "老年卡靠谱吗"
    before, _ = engine.decide_and_reply(question)
    assert before.kind == "no_answer" and before.why == DecisionReason(Gate.NO_TERM)
    anchor = _relocation(engine)
    engine.set_aliases(_link("老年卡", anchor=anchor))
    decision, reply = engine.decide_and_reply(question)
    assert reply.kind == "answer"
    assert reply.citations[0].url == f"/sources/ecology#{anchor}"
    assert decision.why is not None and decision.why.gate is Gate.ANSWERED
    assert decision.why.aliases == ("老年卡",)
    assert "老年卡" in decision.why.chinese()
    engine.set_aliases(EMPTY)
    assert engine.decide_and_reply(question)[1] == engine.answer(question)
    assert engine.answer(question).kind == "no_answer"


def test_an_alias_leaves_unrelated_questions_as_they_were(engine) -> None:  # type: ignore[no-untyped-def]
    questions = ["京霸铁路会建吗", "老年人在哪买票", "永定河生态修复怎么做", "老年证靠谱吗"]
    before = [engine.answer(q) for q in questions]
    engine.set_aliases(_link("老年卡", anchor=_relocation(engine)))
    assert [engine.answer(q) for q in questions] == before


def test_an_alias_does_not_make_a_passage_hold_a_detail(engine) -> None:  # type: ignore[no-untyped-def]
    engine.set_aliases(_link("老年卡", anchor=_relocation(engine)))
    decision, reply = engine.decide_and_reply("老年卡是哪一天发")
    assert reply.kind == "no_answer" and "具体时间" in reply.text
    assert decision.why is not None and decision.why.gate is Gate.MISSING_DETAIL
    assert decision.why.missing == (Detail.DATE,)


def test_a_whole_document_alias_lifts_that_document(engine) -> None:  # type: ignore[no-untyped-def]
    engine.set_aliases(_link("绿化那些事", doc_id="ecology"))
    reply = engine.answer("绿化那些事怎么样")
    assert reply.kind == "answer" and {c.doc_id for c in reply.citations} == {"ecology"}


def test_staff_synonyms_join_the_thesaurus(engine) -> None:  # type: ignore[no-untyped-def]
    assert term_support("老年卡", "办理养老助残卡") < SYNONYM_SUPPORT
    engine.set_aliases(AliasOverlay(2, (), (TermLink(5, "老年卡", "养老助残卡"),)))
    assert term_support("老年卡", "办理养老助残卡") == SYNONYM_SUPPORT
    assert term_support("养老助残卡", "老年卡") == SYNONYM_SUPPORT
    engine.set_aliases(EMPTY)
    assert term_support("老年卡", "办理养老助残卡") < SYNONYM_SUPPORT


def test_the_overlay_keeps_vectors_of_phrases_it_already_embedded(engine, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    engine.set_aliases(_link())
    first = len(fake_embedder.embedded)
    two = AliasOverlay(2, (*_link().phrases, PhraseLink(2, "绿化那些事", "ecology")), ())
    engine.set_aliases(two)
    assert engine.aliases.vectors is not None and engine.aliases.vectors.shape[0] == 2
    assert len(fake_embedder.embedded) == first  # queries are not recorded as passages


LATIN = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("gate", list(Gate))
def test_every_reason_reads_in_chinese(gate: Gate) -> None:
    reason = DecisionReason(
        gate, names=("S9线",), missing=(Detail.DATE,), dense=0.8, support=0.9, needed=0.97
    )
    text = reason.chinese()
    assert text and not LATIN.search(text.replace("S9", ""))
