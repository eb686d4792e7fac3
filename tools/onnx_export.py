"""Export a sentence-transformers BERT model to ONNX, for :class:`OnnxEmbedder`.

Why: a question's embedding was two thirds of the action server's CPU per question turn
(py-spy). The same model run by ONNX Runtime gives the same vectors (cosine 1.000000 over the
question files) about 2.5 times faster on this machine, one thread each, and the compacted graph
(below) close ones about 3.5 times faster (docs/BENCHMARKS.md).

The export writes ``<model>/onnx/model.onnx`` (the layout sentence-transformers uses for its
own ONNX backend) and ``export.json`` with the fingerprint of the weights it came from; a second
run with the same weights returns at once. Before anything is kept, the exported graph is run
on probe sentences and compared with PyTorch: an export that does not reproduce the model is
refused, never served. Torch and onnx are imported here only, at ``make model`` time; serving
processes need neither.

The served graph keeps its word-embedding table as int8 with one scale per 32 columns
(:mod:`tools.compact_table`): the table is most of the model and every embedding process holds
a copy. For this model the int8 table holds exactly the 4-bit weights it came from, so the
vectors do not change. Its linear layers are 4-bit matrices multiplied in int8
(:mod:`tools.compact_linear`): the weights are exact, the activations are rounded, and one
question embeds about a fifth faster. The compacted graph is verified against PyTorch like the
plain one (cosine >= :data:`MIN_COSINE` on every probe, and the largest difference is recorded).
``--float`` (or ``--float-table``) exports the plain float32 graph (for comparisons).

CLI: ``python -m tools.onnx_export MODEL_DIR [--float]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np

from knowledge.embedding.embedder import weights_fingerprint

ONNX_DIR: Final = "onnx"
ONNX_FILE: Final = "model.onnx"
RECORD_FILE: Final = "export.json"
EXPORTER_VERSION: Final = 3
TABLE_INT8: Final = "int8-block32"
# The linear layers of a compacted graph (tools.compact_linear).
LINEAR_Q4: Final = "q4-block32-int8-compute"
TABLE_FLOAT: Final = "float32"
# Probes cover short questions, long passages and mixed scripts; batches are padded.
PROBES: Final = (
    "query: 你好",
    "query: 大兴什么时候能通高铁啊",
    "query: 拆迁以后安置房大概建在哪里，离原来的村远不远？",
    "passage: 推进京津冀协同发展，建设区域协同前沿区。加快疏解非首都功能，承接产业转移。",
    "passage: 大兴国际机场临空经济区 S6 高速 2025 年 PM2.5 年均浓度 35 微克/立方米",
)
TOLERANCE: Final = 1e-4  # largest difference allowed in any vector component
MIN_COSINE: Final = 0.999  # the compacted table's vectors against PyTorch's, every probe

T = TypeVar("T")


def onnx_path(model_dir: Path) -> Path:
    return model_dir / ONNX_DIR / ONNX_FILE


def is_up_to_date(model_dir: Path, table: str = TABLE_INT8) -> bool:
    try:
        record = json.loads((model_dir / ONNX_DIR / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("exporter_version") == EXPORTER_VERSION
        and record.get("weights") == weights_fingerprint(model_dir)
        and record.get("table") == table
        and onnx_path(model_dir).is_file()
    )


def export(model_dir: Path, probes: Sequence[str] = PROBES, *, compact: bool = True) -> None:
    """Export (atomically: a half-written export is never left in place) and verify on
    ``probes`` (texts the model can take whole: they are not truncated); with ``compact``
    the word-embedding table is then stored as int8 and verified again."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    transformer: Any = model[0]
    bert: Any = getattr(transformer, "auto_model", None) or transformer.model
    bert.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = model.tokenizer(list(probes[:2]), return_tensors="pt", padding=True)
    tmp = model_dir / f".{ONNX_DIR}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        axes = {0: "batch", 1: "tokens"}
        # The tracer warns about Python branches it freezes (e.g. no causal mask when a mask
        # is given, which holds for every input here); the numeric check below is the proof.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState(bert),
                (sample["input_ids"], sample["attention_mask"]),
                str(tmp / ONNX_FILE),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                opset_version=17,
                dynamo=False,
            )
        expected = model.encode(list(probes), normalize_embeddings=True, convert_to_numpy=True)
        difference, _ = _compare(expected, tmp / ONNX_FILE, model_dir, probes)
        if difference > TOLERANCE:
            raise RuntimeError(
                f"the ONNX export differs from the model by {difference:.2e} (> {TOLERANCE:g})"
            )
        record: dict[str, Any] = {
            "exporter_version": EXPORTER_VERSION,
            "weights": weights_fingerprint(model_dir),
            "table": TABLE_FLOAT,
            "largest_difference": difference,
            "torch": torch.__version__,
        }
        if compact:
            record.update(_compact(tmp / ONNX_FILE, expected, model_dir, probes))
        (tmp / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        target = model_dir / ONNX_DIR
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _compare(
    expected: Any, onnx_file: Path, model_dir: Path, probes: Sequence[str]
) -> tuple[float, float]:
    """Largest component difference and smallest cosine of the graph's vectors vs PyTorch's."""
    from knowledge.embedding.onnx_embedder import OnnxEmbedder

    embedder = OnnxEmbedder(str(model_dir), onnx_file=onnx_file)
    got = embedder.embed_queries(list(probes))  # no prompt: the probes carry theirs
    cosine = float(np.min(np.sum(expected * got, axis=1)))
    return float(np.max(np.abs(expected - got))), cosine


def _compact(
    onnx_file: Path, expected: Any, model_dir: Path, probes: Sequence[str]
) -> dict[str, Any]:
    """Rewrite ``onnx_file`` with an int8 word-embedding table, then with 4-bit linear layers;
    refuse either unless its vectors stay within :data:`MIN_COSINE` of PyTorch's."""
    from tools.compact_linear import compact_linear_layers
    from tools.compact_table import compact_word_embeddings

    table, _, _ = _rewritten(
        onnx_file,
        compact_word_embeddings,
        "the int8 word-embedding table gives",
        expected,
        model_dir,
        probes,
    )
    linear, difference, cosine = _rewritten(
        onnx_file,
        compact_linear_layers,
        "the 4-bit linear layers give",
        expected,
        model_dir,
        probes,
    )
    return {
        "table": TABLE_INT8,
        "exact_blocks": table.exact_blocks,
        "blocks": table.blocks,
        "linear": LINEAR_Q4,
        "linear_matrices": linear.matrices,
        "linear_exact_blocks": linear.exact_blocks,
        "linear_blocks": linear.blocks,
        "served_largest_difference": difference,
        "smallest_cosine": cosine,
    }


def _rewritten(
    onnx_file: Path,
    rewrite: Callable[[Any], T],
    what: str,
    expected: Any,
    model_dir: Path,
    probes: Sequence[str],
) -> tuple[T, float, float]:
    """Apply ``rewrite`` to the graph in ``onnx_file`` (in place), then compare its vectors with
    PyTorch's: what the rewrite reported, the largest difference and the smallest cosine; a
    rewrite that moves them below :data:`MIN_COSINE` is refused."""
    import onnx

    graph = onnx.load(str(onnx_file))
    result = rewrite(graph)
    onnx.save(graph, str(onnx_file))
    del graph
    difference, cosine = _compare(expected, onnx_file, model_dir, probes)
    if cosine < MIN_COSINE:
        raise RuntimeError(f"{what} cosine {cosine:.6f} (< {MIN_COSINE}) vs the model")
    return result, difference, cosine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.onnx_export", description=__doc__)
    parser.add_argument("model_dir", type=Path, help="a sentence-transformers model directory")
    parser.add_argument(
        "--float",
        "--float-table",
        dest="float_graph",
        action="store_true",
        help="export the plain float32 graph (no int8 table, no 4-bit linear layers)",
    )
    args = parser.parse_args(argv)
    model_dir: Path = args.model_dir
    compact = not args.float_graph
    started = time.perf_counter()
    try:
        if is_up_to_date(model_dir, TABLE_INT8 if compact else TABLE_FLOAT):
            print(f"{onnx_path(model_dir)}: up to date")
            return 0
        export(model_dir, compact=compact)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"onnx_export: error: {exc}", file=sys.stderr)
        return 1
    print(f"{onnx_path(model_dir)}: exported and verified in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main())
