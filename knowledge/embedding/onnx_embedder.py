"""The embedding model run by ONNX Runtime: sentence-transformers' vectors, faster.

Measured on this machine, one thread each: a question's embedding 35 ms with PyTorch, 14 ms
with ONNX Runtime's float graph (cosine 1.000000 between the two over the question files), 10 ms
with the served graph, whose linear layers compute in int8 (cosine 0.9998 or more; see
tools/compact_linear.py and docs/BENCHMARKS.md). A serving process with this embedder never
imports torch.

What sentence-transformers does for this model, done here: the prompt is prefixed by the caller
(:meth:`embed_queries` / :meth:`embed_passages`), the tokenizer adds ``<s>``/``</s>`` and
truncates to the model's ``max_seq_length``, token vectors are mean-pooled over the attention
mask and L2-normalized. ``make model`` exports the graph (:mod:`tools.onnx_export`)
and refuses an export whose vectors drift from PyTorch's.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embedding.embedder import Vectors, model_identity

DEFAULT_MAX_TOKENS = 512


class OnnxEmbedder:
    """A sentence-transformers model directory with an ``onnx/model.onnx`` export beside it."""

    def __init__(
        self,
        model_dir: str,
        *,
        query_prompt: str = "",
        passage_prompt: str = "",
        threads: int = 1,
        batch_size: int = 32,
        onnx_file: Path | None = None,
    ) -> None:
        self._dir = Path(model_dir)
        self._name = model_dir
        self._onnx_file = onnx_file or self._dir / "onnx" / "model.onnx"
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self._threads = threads
        self._batch_size = batch_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._pad_id = 0
        self._dimension = 0
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return model_identity(self._name, self._query_prompt, self._passage_prompt)

    def warm_up(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            # Tokenizing a batch would otherwise use every core: a build must not slow answers.
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import onnxruntime
            from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3  # warnings about unused initializers are noise
            session = onnxruntime.InferenceSession(
                str(self._onnx_file), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(self._dir / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self._max_tokens())
            pad_id = tokenizer.token_to_id(self._pad_token())
            self._pad_id = int(pad_id) if pad_id is not None else 0
            self._dimension = int(session.get_outputs()[0].shape[-1])
            self._tokenizer = tokenizer
            self._session = session

    def _max_tokens(self) -> int:
        try:
            config = json.loads((self._dir / "sentence_bert_config.json").read_text("utf-8"))
            return int(config.get("max_seq_length") or DEFAULT_MAX_TOKENS)
        except (OSError, ValueError):
            return DEFAULT_MAX_TOKENS

    def _pad_token(self) -> str:
        try:
            tokens = json.loads((self._dir / "special_tokens_map.json").read_text("utf-8"))
        except (OSError, ValueError):
            return "<pad>"
        pad = tokens.get("pad_token", "<pad>")
        return str(pad.get("content", "<pad>") if isinstance(pad, dict) else pad)

    def _encode(self, texts: Sequence[str], prompt: str) -> Vectors:
        self.warm_up()
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([prompt + t for t in texts])
        # Batches of similar length pad less (as sentence-transformers does); order restored.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            chosen = order[start : start + self._batch_size]
            out[chosen] = self._run([encodings[i].ids for i in chosen])
        return out

    def _run(self, batch: list[list[int]]) -> Vectors:
        width = max(len(ids) for ids in batch)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        (hidden,) = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.ascontiguousarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._passage_prompt)
