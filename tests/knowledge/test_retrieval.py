"""The hybrid retriever: the model's and the lexical index's rankings, fused."""

from __future__ import annotations

from pathlib import Path

from knowledge.documents import parse_document
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

CANTEEN = """---
title: 关于社区长者食堂开餐的通知
---
# 关于社区长者食堂开餐的通知

## 一、供餐时间

午餐供应时间为11:00至13:00，晚餐供应时间为17:00至18:30。

周日不供餐，法定节假日另行通知。

## 二、就餐地点

长者食堂位于社区服务中心一层。
"""


def test_the_lexical_half_also_looks_for_how_the_sources_write_a_word(
    fake_embedder, tmp_path: Path
) -> None:
    """礼拜天 is never written; 周日 is. Looked for beside the question, the sentence saying
    周日 gains in the lexical ranking; the model still reads the question as asked."""
    build_index([parse_document(CANTEEN, "canteen")], fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    question = "礼拜天食堂开不开？"
    sunday = next(i for i, p in enumerate(retriever.index.passages) if "周日" in p.text)
    plain = retriever.retrieve(question)
    looked = retriever.retrieve(question, also_written=["周日"])
    assert looked.sparse[sunday] > plain.sparse[sunday]
    assert int(looked.sparse.argmax()) == sunday
    assert (looked.dense == plain.dense).all()
