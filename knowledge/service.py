"""Assembling the knowledge core from settings: the one place that wires its parts together.

The assistant's runtime (planbot/runtime.py), which the CLI, the actions and the web app share,
calls :func:`create_engine`; none of them builds an embedder or loads an index by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from knowledge.answering.engine import DEFAULT_CONTACT, DEFAULT_HOTLINE, AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.documents import Document
from knowledge.embedding.embedder import Embedder, SentenceTransformerEmbedder
from knowledge.embedding.onnx_embedder import OnnxEmbedder
from knowledge.index.live import LiveIndex
from knowledge.index.store import BuildResult, Progress, build_index
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings

logger = logging.getLogger(__name__)


def create_embedder(settings: KnowledgeSettings) -> Embedder:
    """The configured model with its prompts; not loaded until first used.

    ONNX Runtime when the model has an ONNX export (``make model`` writes one: vectors within
    cosine 0.9998 of PyTorch's, about 3.5x faster per question), else PyTorch, which every
    sentence-transformers model runs on (a hub name, a model without an export, or
    ``PLANBOT_EMBEDDING_RUNTIME=torch``).
    """
    model = settings.embedding_model
    query, passage = settings.query_prompt, settings.passage_prompt
    threads, batch = settings.torch_threads, settings.embed_batch_size
    export = Path(model) / "onnx" / "model.onnx"
    if settings.embedding_runtime == "onnx":
        if export.is_file():
            return OnnxEmbedder(
                model, query_prompt=query, passage_prompt=passage, threads=threads, batch_size=batch
            )
        logger.warning("no ONNX export at %s: embedding with PyTorch (make model)", export)
    return SentenceTransformerEmbedder(
        model, query_prompt=query, passage_prompt=passage, threads=threads, batch_size=batch
    )


def create_engine(
    settings: KnowledgeSettings,
    embedder: Embedder | None = None,
    *,
    hotline: str = DEFAULT_HOTLINE,
    contact: str = DEFAULT_CONTACT,
) -> AnswerEngine:
    """An engine over the current index (not yet warmed up: call ``warm_up`` when ready).

    ``hotline`` and ``contact`` are what its declines name: the runtime passes the configured
    ones (planbot/runtime.py); the defaults serve tools and benchmarks.

    It follows each new build of the index without a restart (:class:`LiveIndex`). An index
    whose vectors come from another model than the settings name is refused: its scores would
    be meaningless (or FAISS would fail on the dimension).
    """
    import faiss

    faiss.omp_set_num_threads(settings.torch_threads)
    embedder = embedder or create_embedder(settings)
    index = LiveIndex(
        settings.index_dir,
        model_id=embedder.model_id,
        check_seconds=settings.index_check_seconds,
    )
    retriever = Retriever(index, embedder, depth=settings.candidates)
    policy = AnswerPolicy(
        max_answer_passages=settings.max_answer_passages,
        max_list_passages=settings.max_list_passages,
    )
    return AnswerEngine(retriever, hotline=hotline, contact=contact, policy=policy)


def build_documents(
    settings: KnowledgeSettings,
    documents: Sequence[Document],
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    keep_previous: Collection[str] = (),
    allow_empty: bool = False,
    source: str = "",
) -> BuildResult:
    """Build the index at the configured place from ``documents`` (re-embedding only changed
    ones). The caller decides where documents come from: the product builds from the
    published versions in the document store (``docstore.indexing``)."""
    return build_index(
        documents,
        embedder or create_embedder(settings),
        settings.index_dir,
        progress=progress,
        keep_previous=keep_previous,
        allow_empty=allow_empty,
        source=source,
    )
