"""Assembling the knowledge core from settings: the one place that wires its parts together.

The CLI, the action server and the web app all call :func:`create_engine`; none of them builds
an embedder or loads an index by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.documents import LoadReport, load_directory
from knowledge.embedding.embedder import SentenceTransformerEmbedder
from knowledge.index.store import BuildResult, IndexUnavailable, Progress, build_index, load_index
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings


def create_embedder(settings: KnowledgeSettings) -> SentenceTransformerEmbedder:
    """The configured model with its prompts; not loaded until first used."""
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
    """An engine over the current index (not yet warmed up: call ``warm_up`` when ready).

    Refuses an index whose vectors come from another model than the settings name: its scores
    would be meaningless (or FAISS would fail on the dimension).
    """
    import faiss

    faiss.omp_set_num_threads(settings.torch_threads)
    embedder = embedder or create_embedder(settings)
    index = load_index(settings.index_dir)
    if index.manifest.model_id != embedder.model_id:
        raise IndexUnavailable(
            f"the index was built with {index.manifest.model_id!r} but the settings name "
            f"{embedder.model_id!r}: run 'planbot build'"
        )
    retriever = Retriever(index, embedder, depth=settings.candidates)
    policy = AnswerPolicy(
        max_answer_passages=settings.max_answer_passages,
        max_list_passages=settings.max_list_passages,
    )
    return AnswerEngine(
        retriever, hotline=settings.hotline, contact=settings.contact, policy=policy
    )


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
    """Parse every source (reporting broken ones) and build the index from the good ones.

    A broken source keeps its last good version in the index until it is fixed.
    """
    directory = sources or settings.sources_dir
    if not directory.is_dir():
        raise FileNotFoundError(f"sources directory {directory} does not exist")
    report = load_directory(directory)
    broken = {Path(e.source).stem for e in report.errors}
    result = build_index(
        report.documents,
        create_embedder(settings),
        settings.index_dir,
        progress=progress,
        keep_previous=broken,
    )
    return BuildReport(report, result)
