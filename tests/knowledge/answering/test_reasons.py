"""Every decline the engine can make has a stable reason code (the /metrics label)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.answering import engine as engine_module
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.reasons import DECLINE_CODES, OTHER, decline_code
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

SOURCE = Path(engine_module.__file__).read_text(encoding="utf-8")
# The literal start of each reason the engine declines with: decline("…") / decline(f"…")
# and Decision("no_answer", "…").
DECLINES = re.findall(r'decline\(\s*f?"([^"{]+)', SOURCE) + re.findall(
    r'Decision\("no_answer",\s*f?"([^"{]+)', SOURCE
)


def test_the_engine_source_was_read() -> None:
    assert len(DECLINES) >= 8, DECLINES


@pytest.mark.parametrize("reason", DECLINES)
def test_each_engine_decline_has_its_own_code(reason: str) -> None:
    assert decline_code(reason) != OTHER


def test_codes_are_distinct_and_unknown_reasons_are_other() -> None:
    codes = [code for _, code in DECLINE_CODES]
    assert len(set(codes)) == len(codes)
    assert decline_code("a reason nobody wrote") == OTHER
    assert decline_code("best passage is off topic (dense 0.412)") == "off_topic"
    assert decline_code("the sources never name 瀛悦家园") == "unknown_name"
    # "does not name" must not be taken for "does not speak of the question's subject".
    assert decline_code("the evidence does not name S9线") == "identifier_missing"


def test_real_declines_get_their_codes(documents, fake_embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_index(documents, fake_embedder, tmp_path)
    engine = AnswerEngine(
        Retriever(load_index(tmp_path), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0),
    )
    decision = engine.decide("When will the railway open?")
    assert decision.kind == "no_answer"
    assert decline_code(decision.reason) == "not_chinese"
    partial = engine.decide("京霸铁路什么时候通车")
    assert partial.kind == "no_answer"
    assert decline_code(partial.reason) == "detail_missing"
