from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.evaluation import evaluate, format_report, load_items
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_metrics_and_failures_are_reported(documents, fake_embedder, tmp_path: Path) -> None:
    build_index(documents, fake_embedder, tmp_path / "index")
    engine = AnswerEngine(
        Retriever(load_index(tmp_path / "index"), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    items = load_items(
        _write(
            tmp_path / "q.jsonl",
            [
                {
                    "id": "a",
                    "type": "answer",
                    "q": "京霸铁路会建吗",
                    "section": "铁路",
                    "any": ["京霸铁路"],
                },
                {
                    "id": "b",
                    "type": "answer",
                    "q": "京开高速会拓宽吗",
                    "section": "水系",
                    "any": ["京开高速"],
                },
                {"id": "c", "type": "no_answer", "q": "京霸铁路哪年通车"},
            ],
        )
    )
    report = evaluate(engine, items)
    assert report.answer_accuracy() == (1, 2)
    assert report.recall_at(1) == 0.5
    precision, recall, declined, total = report.abstention()
    assert (precision, recall, declined, total) == (1.0, 1.0, 1, 1)
    text = format_report(report)
    assert "| R@1" in text and "failing questions (1)" in text and "- b [answer]" in text


def test_malformed_question_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "answer", "q": "x"}\n{"q": "no type"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_items(path)
