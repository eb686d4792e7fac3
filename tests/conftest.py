"""Shared fixtures: a small fake embedder and small documents, so unit tests need no model."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from knowledge.documents import Document, parse_document
from knowledge.embedding.embedder import Vectors

DIM = 256


class FakeEmbedder:
    """Hashed character-bigram vectors: similar texts get similar vectors, deterministically."""

    def __init__(self, model_id: str = "fake-bigram") -> None:
        self._model_id = model_id
        self.embedded: list[str] = []
        self.warmed = False

    @property
    def model_id(self) -> str:
        return self._model_id

    def warm_up(self) -> None:
        self.warmed = True

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(DIM, dtype=np.float32)
        for i in range(len(text) - 1):
            h = int(hashlib.md5(text[i : i + 2].encode()).hexdigest()[:8], 16)
            v[h % DIM] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(-1, DIM)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return self.embed_queries(texts)


TRANSPORT = """---
title: 交通规划
issuer:
---
# 第一章 交通 {#ch1}
## 一、铁路 {#rail}
建设京霸铁路、廊涿城际铁路，推进市郊铁路S6线建设。
## 二、公路 {#road}
建设京台高速、机场北线高速，拓宽改造京开高速。严格控制增量。提级改建104国道。
"""

ECOLOGY = """---
title: 生态规划
---
# 第二章 生态 {#ch2}
## 一、水系 {#water}
探索永定河、永兴河、凤河等跨域河流的共治共管，联合实施生态修复。
## 二、拆迁 {#relocation}
做好征地拆迁和人员安置，保障群众放心拆迁、安心周转。
## 三、绿道 {#green}
沿京台高速、京开高速建设生态绿带，打造连接京冀的绿色廊道。
"""


@pytest.fixture(autouse=True, scope="session")
def _private_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test (nor any process a test starts) writes to the developer's var/planbot.db.

    Session-scoped so it is in place before module-scoped fixtures start servers; tests that
    need a database of their own pass one explicitly.
    """
    path = tmp_path_factory.mktemp("db") / "planbot.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANBOT_DATABASE_URL", f"sqlite:///{path}")
        yield


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def documents() -> list[Document]:
    return [
        parse_document(TRANSPORT, "transport"),
        parse_document(ECOLOGY, "ecology"),
    ]


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    d = tmp_path / "sources"
    d.mkdir()
    (d / "transport.md").write_text(TRANSPORT, encoding="utf-8")
    (d / "ecology.md").write_text(ECOLOGY, encoding="utf-8")
    return d


REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLANBOT_SHARED_DIR", REPO.parent / "shared"))
SHARED_EVAL = SHARED / "eval"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine, fail in CI: an acceptance check must not silently vanish."""
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def real_engine():  # type: ignore[no-untyped-def]
    """The engine over the index `make setup` built, with the converted model (integration)."""
    from knowledge.index.store import IndexUnavailable
    from knowledge.service import create_engine
    from knowledge.settings import KnowledgeSettings

    try:
        engine = create_engine(KnowledgeSettings())
    except IndexUnavailable as exc:
        pytest.fail(f"{exc} (integration tests need `make setup`)")
    engine.warm_up()
    return engine
