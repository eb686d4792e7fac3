"""Assembling the knowledge core from settings: the one place that wires its parts together.

The CLI, the action server and the web app all call :func:`create_engine`; none of them builds
an embedder or loads an index by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.answering.engine import AnswerEngine
from knowledge.documents import LoadReport, load_directory
from knowledge.embedding.embedder import SentenceTransformerEmbedder
from knowledge.index.store import BuildResult, Progress, build_index, load_index
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings


def create_embedder(settings: KnowledgeSettings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        settings.embedding_model,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        threads=settings.torch_threads,
        batch_size=settings.embed_batch_size,
    )


def create_engine(
    settings: KnowledgeSettings, embedder: SentenceTransformerEmbedder | None = None
) -> AnswerEngine:
    """An engine over the current index (not yet warmed up: call ``warm_up`` when ready)."""
    index = load_index(settings.index_dir)
    retriever = Retriever(index, embedder or create_embedder(settings), depth=settings.candidates)
    return AnswerEngine(retriever, hotline=settings.hotline, contact=settings.contact)


@dataclass(frozen=True)
class BuildReport:
    load: LoadReport
    result: BuildResult


def build_from_sources(
    settings: KnowledgeSettings,
    *,
    sources: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Parse every source (reporting broken ones) and build the index from the good ones."""
    report = load_directory(sources or settings.sources_dir)
    result = build_index(
        report.documents, create_embedder(settings), settings.index_dir, progress=progress
    )
    return BuildReport(report, result)
