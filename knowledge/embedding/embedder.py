"""Turning text into vectors: the interface the index needs, and its sentence-transformers form.

The model is loaded in :meth:`SentenceTransformerEmbedder.warm_up`, never in a constructor or at
import, so importing the knowledge core is cheap and processes that never embed (the CLI's help,
a rebuild with nothing changed) never pay for a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What the index needs of an embedding model: L2-normalized vectors for both sides."""

    @property
    def model_id(self) -> str: ...

    def warm_up(self) -> None: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


def limit_threads(threads: int) -> None:
    """One thread per process by default: on two cores, more threads stall under load."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(threads))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch

    torch.set_num_threads(threads)
    # Allowed only once per process, before any parallel work; later calls raise.
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(threads)


def weights_fingerprint(name_or_path: str | Path) -> str:
    """Names and sizes of a local model's files (and its JSON files' content); ``hub`` for a
    hub name. The ``onnx/`` export is left out: it is derived from the weights (how it computes
    is named apart, :func:`served_arithmetic`; see :mod:`tools.onnx_export`)."""
    root = Path(name_or_path)
    if not root.is_dir():
        return "hub"
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("onnx/", ".onnx.")):
            continue
        h.update(f"{rel}:{path.stat().st_size}\n".encode())
        if path.suffix == ".json":
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def served_arithmetic(name_or_path: str | Path) -> str:
    """How the exported graph multiplies, when not in float32 (``+q4-block32-int8-compute``):
    its vectors are close to the float model's, not equal, so an index built before the
    export changed is rebuilt. Read from the export's record (tools/onnx_export.py)."""
    record = Path(name_or_path) / "onnx" / "export.json"
    try:
        linear = json.loads(record.read_text(encoding="utf-8")).get("linear", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return f"+{linear}" if isinstance(linear, str) and linear else ""


def query_identity(name_or_path: str | Path, query_prompt: str) -> str:
    """Identifies query vectors alone (model and query prompt): what a query vector computed
    in one process must match to be used in another (:mod:`knowledge.embedding.message_vector`),
    whatever either side's passage prompt is."""
    text = str(name_or_path)
    name = os.path.basename(text.rstrip("/")) or text
    fingerprint = weights_fingerprint(name_or_path) + served_arithmetic(name_or_path)
    return f"{name}@{fingerprint}|q={query_prompt}"


def model_identity(name_or_path: str, query_prompt: str, passage_prompt: str) -> str:
    """Identifies the vectors: a change of model or prompts invalidates stored embeddings.

    For a local directory the id includes a fingerprint of its configuration and weight files
    (names and sizes, and the converter's record when there is one), so re-converting or
    replacing a model under the same name is noticed; a hub name is taken as it is. Both
    runtimes (PyTorch and ONNX Runtime) give the same id for the same model directory: the
    id names the export's arithmetic (:func:`served_arithmetic`), and PyTorch's float vectors
    stay within cosine 0.9998 of the compacted graph's, so either serves the other's index.
    """
    return f"{query_identity(name_or_path, query_prompt)}|p={passage_prompt}"


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, with the query/passage prompts it was trained with."""

    def __init__(
        self,
        model_name_or_path: str,
        *,
        query_prompt: str = "",
        passage_prompt: str = "",
        threads: int = 1,
        batch_size: int = 32,
    ) -> None:
        self._name = model_name_or_path
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return model_identity(self._name, self._query_prompt, self._passage_prompt)

    def warm_up(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            limit_threads(self._threads)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # noise in logs
            self._model = SentenceTransformer(self._name, device="cpu")

    def _encode(self, texts: Sequence[str], prompt: str) -> Vectors:
        self.warm_up()
        if not texts:
            return np.zeros((0, self._dimension()), dtype=np.float32)
        vectors = self._model.encode(
            [prompt + t for t in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _dimension(self) -> int:
        dim = self._model.get_sentence_embedding_dimension()
        return int(dim)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._passage_prompt)
