"""Answer quality with the real model and index (integration: needs `make setup`).

The thresholds here are the issue's acceptance bar for the development set, and regression
floors for the team's own question files; the measured numbers are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunking import chunk_document
from knowledge.documents import load_directory
from knowledge.evaluation import EvalReport, evaluate, load_items
from knowledge.settings import KnowledgeSettings
from tests.conftest import REPO, SHARED_EVAL, skip_or_fail

pytestmark = pytest.mark.integration


def _report(engine, path: Path) -> EvalReport:  # type: ignore[no-untyped-def]
    return evaluate(engine, load_items(path))


def test_development_set_meets_the_bar(real_engine) -> None:  # type: ignore[no-untyped-def]
    if not (SHARED_EVAL / "dev_questions.jsonl").exists():
        skip_or_fail(f"no development set at {SHARED_EVAL}")
    report = _report(real_engine, SHARED_EVAL / "dev_questions.jsonl")
    correct, answerable = report.answer_accuracy()
    _, _, declined, unanswerable = report.abstention()
    assert answerable == 20 and correct >= 19
    assert unanswerable == 5 and declined >= 4


@pytest.mark.parametrize(
    ("name", "accuracy", "recall", "precision"),
    # Team 26/28 since the answerability gate is fitted on outside text too (it was 28/28 with
    # thresholds set on this file alone; docs/BENCHMARKS.md has the trade-off, measured).
    [("team_questions.jsonl", 0.92, 0.9, 0.85), ("holdout_questions.jsonl", 0.7, 0.9, 0.65)],
)
def test_team_question_files_do_not_regress(  # type: ignore[no-untyped-def]
    real_engine, name: str, accuracy: float, recall: float, precision: float
) -> None:
    report = _report(real_engine, REPO / "eval" / name)
    correct, answerable = report.answer_accuracy()
    p, r, _, _ = report.abstention()
    assert correct / answerable >= accuracy
    assert r >= recall and p >= precision


def test_every_quote_is_a_source_sentence_and_every_anchor_exists(  # type: ignore[no-untyped-def]
    real_engine,
) -> None:
    docs = load_directory(KnowledgeSettings().sources_dir).documents
    passages = {(p.doc_id, p.anchor): p.text for d in docs for p in chunk_document(d)}
    for q in ["有哪些高速公路项目", "拆迁的老百姓怎么安置", "京霸铁路哪年通车", "永兴河谁来治"]:
        reply = real_engine.answer(q)
        for c in reply.citations + reply.related:
            doc_id, anchor = c.url.removeprefix("/sources/").split("#")
            assert passages[(doc_id, anchor)] == c.quote
            assert doc_id == c.doc_id


def test_traditional_character_questions_find_the_plan(real_engine) -> None:  # type: ignore[no-untyped-def]
    for question, phrase in [("京霸鐵路會建嗎", "京霸铁路"), ("拆遷戶怎麼安置", "人员安置")]:
        reply = real_engine.answer(question)
        assert reply.kind == "answer" and phrase in reply.citations[0].quote
