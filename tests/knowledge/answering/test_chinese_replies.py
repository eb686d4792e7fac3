"""Replies residents see are Chinese only, even to a question in another language."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.question import Detail
from knowledge.answering.render import DETAIL_LABELS
from knowledge.answering.why import DETAIL_NAMES
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever


def test_an_english_question_gets_a_chinese_reply(documents, fake_embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_index(documents, fake_embedder, tmp_path)
    engine = AnswerEngine(
        Retriever(load_index(tmp_path), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    reply = engine.answer("When will the Jingba railway open?")
    assert reply.kind == "no_answer"
    assert "中文" in reply.text
    assert not re.search(r"[A-Za-z]{2,}", reply.text), reply.text


def test_every_kind_of_detail_has_its_chinese_words() -> None:
    """A reply naming what is missing, and the staff console's reason, word every kind."""
    assert set(DETAIL_LABELS) == set(Detail) == set(DETAIL_NAMES)
