"""Action tests: JSON tracker fixtures, a collecting dispatcher, and services over a small corpus
with the fake embedder (no model, no Rasa, no action server)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.documents import parse_document
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever
from records.store import RecordStore

TRACKERS = Path(__file__).parent / "trackers"

INDUSTRY = """---
title: 产业规划
---
# 第三章 产业 {#ch3}
## 一、共建园区 {#parks}
推进与廊坊永清共建的“亦庄·永清园”高新技术产业开发区发展。推进与廊坊市共建的“京津冀电子商务协同发展示范区”发展。
## 二、产业布局 {#layout}
生物医药产业，在新区布局药物研发环节和公共服务平台，在河北沧州等地布局原材料、成药生产环节。
"""


@pytest.fixture
def services(documents, fake_embedder, tmp_path: Path) -> Iterator[wiring.Services]:
    docs = [*documents, parse_document(INDUSTRY, "industry")]
    build_index(docs, fake_embedder, tmp_path / "index")
    engine = AnswerEngine(
        Retriever(load_index(tmp_path / "index"), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    records = RecordStore(f"sqlite:///{tmp_path / 'records.db'}")
    records.create_schema()
    svc = wiring.Services(engine=engine, records=records, hotline="12345")
    wiring.configure(svc)
    yield svc
    wiring.configure(None)


def load_tracker(name: str) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    return Tracker.from_dict(state)


def run_action(
    action: Action, tracker_name: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run one action on a tracker fixture; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, load_tracker(tracker_name), {}))
    return dispatcher.messages, events


def reply_of(message: dict[str, Any]) -> dict[str, Any]:
    reply = message["custom"]["reply"]
    assert reply["text"] == message["text"], "plain channels must get the same text"
    return dict(reply)
