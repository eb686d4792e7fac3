"""Building, persisting and loading the index, with a manifest and an atomic swap.

Layout under ``index_dir``::

    current -> builds/<build_id>      the index being served (a symlink, swapped atomically)
    builds/<build_id>/manifest.json   per-document hashes, model id, counts, file checksums
    builds/<build_id>/passages.jsonl  the passages, in index order
    builds/<build_id>/embeddings.npy  their vectors (kept so a rebuild can reuse them)
    builds/<build_id>/dense.faiss     the FAISS index over those vectors

A build writes a new directory beside the old one and only then points ``current`` at it, so a
reader never sees a half-written index and a failed build leaves the old one serving. Only
documents whose text changed (or all, when the model or the chunker changed) are re-embedded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from knowledge.chunking import Passage, chunk_document
from knowledge.documents import Document
from knowledge.embedding.embedder import Embedder
from knowledge.index.dense import DenseIndex
from knowledge.index.sparse import CharNgramIndex
from knowledge.text import to_simplified

FORMAT_VERSION = 1
# Bump when chunking changes: stored passages and their vectors are then stale.
CHUNKER_VERSION = 7
# Old builds are removed only when they are neither among the newest two nor recent: a reader
# that resolved ``current`` just before a swap may still be loading one.
KEEP_BUILDS = 2
KEEP_RECENT_SECONDS = 120

Progress = Callable[[Sequence[Document]], Iterator[Document]]


class IndexUnavailable(RuntimeError):
    """The index on disk is missing or damaged, or was built with another model."""


class EmptyIndexRefused(ValueError):
    """A build would leave nothing to answer from (every source missing or broken)."""


@dataclass(frozen=True)
class DocumentEntry:
    doc_id: str
    title: str
    content_hash: str
    start: int
    count: int


@dataclass(frozen=True)
class Manifest:
    build_id: str
    created_at: str
    model_id: str
    chunker_version: int
    format_version: int
    dim: int
    passage_count: int
    documents: tuple[DocumentEntry, ...]
    files: dict[str, str]
    # What the caller built it from, opaque here (the document store's fingerprint of what was
    # published): lets a replica tell whether its index is behind the store.
    source: str = ""

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        raw["documents"] = tuple(DocumentEntry(**d) for d in raw["documents"])
        return cls(**raw)


@dataclass(frozen=True)
class LoadedIndex:
    """Everything a retriever needs, read from one build directory."""

    manifest: Manifest
    passages: tuple[Passage, ...]
    embeddings: npt.NDArray[np.float32]
    dense: DenseIndex
    sparse: CharNgramIndex
    path: Path


@dataclass(frozen=True)
class BuildResult:
    build_id: str
    changed: bool
    embedded_documents: tuple[str, ...]
    reused_documents: tuple[str, ...]
    removed_documents: tuple[str, ...]
    passage_count: int
    seconds: float


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _passage_to_json(p: Passage) -> str:
    return json.dumps(dataclasses.asdict(p), ensure_ascii=False)


def _passage_from_json(line: str) -> Passage:
    raw = json.loads(line)
    raw["section_path"] = tuple(raw["section_path"])
    return Passage(**raw)


def current_path(index_dir: Path) -> Path:
    return index_dir / "current"


def read_manifest(build_dir: Path) -> Manifest:
    try:
        return Manifest.from_json((build_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexUnavailable(f"no readable manifest in {build_dir}: {exc}") from exc


def current_manifest(index_dir: Path) -> Manifest | None:
    """The manifest of the build being served, or None (cheap: no index file is read)."""
    link = current_path(index_dir)
    if not link.exists():
        return None
    try:
        return read_manifest(link.resolve())
    except IndexUnavailable:
        return None


def load_index(index_dir: Path, *, verify: bool = True) -> LoadedIndex:
    """Load the index ``current`` points at; with ``verify``, check every file's checksum."""
    link = current_path(index_dir)
    if not link.exists():
        raise IndexUnavailable(f"no index at {index_dir}: run 'planbot build'")
    build_dir = link.resolve()
    manifest = read_manifest(build_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(
            f"index at {build_dir} has format {manifest.format_version}, "
            f"this code reads {FORMAT_VERSION}: run 'planbot build'"
        )
    if verify:
        for name, digest in manifest.files.items():
            path = build_dir / name
            if not path.exists() or _sha256(path) != digest:
                raise IndexUnavailable(f"index file {path} is missing or damaged")
    with (build_dir / "passages.jsonl").open(encoding="utf-8") as fh:
        passages = tuple(_passage_from_json(line) for line in fh if line.strip())
    embeddings = np.load(build_dir / "embeddings.npy")
    dense = DenseIndex.read(build_dir / "dense.faiss")
    if not (len(passages) == len(dense) == len(embeddings) == manifest.passage_count):
        raise IndexUnavailable(f"index at {build_dir} has inconsistent counts")
    sparse = CharNgramIndex().fit([p.text for p in passages])
    return LoadedIndex(manifest, passages, embeddings, dense, sparse, build_dir)


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _previous(index_dir: Path, model_id: str) -> LoadedIndex | None:
    """The current index, if it is intact and its vectors come from the same model."""
    try:
        loaded = load_index(index_dir)
    except (IndexUnavailable, OSError, ValueError, RuntimeError):
        return None
    m = loaded.manifest
    if m.model_id != model_id or m.chunker_version != CHUNKER_VERSION:
        return None
    return loaded


def _up_to_date(
    previous: LoadedIndex | None, documents: Sequence[Document], kept: Sequence[DocumentEntry]
) -> bool:
    if previous is None:
        return False
    old = sorted((d.doc_id, d.content_hash) for d in previous.manifest.documents)
    new = sorted(
        [(d.doc_id, d.content_hash) for d in documents] + [(e.doc_id, e.content_hash) for e in kept]
    )
    return old == new


def build_index(
    documents: Sequence[Document],
    embedder: Embedder,
    index_dir: Path,
    *,
    progress: Progress | None = None,
    keep_previous: Collection[str] = (),
    allow_empty: bool = False,
    source: str = "",
) -> BuildResult:
    """(Re)build the index from ``documents``, re-embedding only those that changed.

    ``keep_previous`` names documents whose source is broken right now: their last good version
    stays in the index rather than vanishing because of a typo. A build that would leave the
    index empty is refused unless ``allow_empty``.
    """
    started = time.perf_counter()
    with _build_lock(index_dir):
        previous = _previous(index_dir, embedder.model_id)
        ids = {d.doc_id for d in documents}
        kept = [
            e
            for e in (previous.manifest.documents if previous else ())
            if e.doc_id in keep_previous and e.doc_id not in ids
        ]
        if (
            previous is not None
            and _up_to_date(previous, documents, kept)
            and previous.manifest.source == source
        ):
            return BuildResult(
                previous.manifest.build_id,
                False,
                (),
                tuple(d.doc_id for d in documents),
                (),
                previous.manifest.passage_count,
                time.perf_counter() - started,
            )
        reusable: dict[tuple[str, str], DocumentEntry] = {}
        if previous is not None:
            reusable = {(e.doc_id, e.content_hash): e for e in previous.manifest.documents}
        to_embed = sorted(
            (d for d in documents if (d.doc_id, d.content_hash) not in reusable),
            key=lambda d: d.doc_id,
        )
        fresh: dict[str, tuple[list[Passage], npt.NDArray[np.float32]]] = {}
        for doc in progress(to_embed) if progress else to_embed:
            passages = chunk_document(doc)
            # Embedded in Simplified characters, as questions are asked (a 繁體 notice is found
            # by a 简体 question); the passage itself, and every quote, keeps the source's text.
            texts = [to_simplified(p.text) for p in passages]
            fresh[doc.doc_id] = (passages, embedder.embed_passages(texts))

        all_passages: list[Passage] = []
        blocks: list[npt.NDArray[np.float32]] = []
        entries: list[DocumentEntry] = []
        wanted = [(d.doc_id, d.title, d.content_hash) for d in documents]
        wanted += [(e.doc_id, e.title, e.content_hash) for e in kept]
        for doc_id, title, digest in sorted(wanted):
            if doc_id in fresh:
                passages, vectors = fresh[doc_id]
            else:
                assert previous is not None
                entry = reusable[(doc_id, digest)]
                passages = list(previous.passages[entry.start : entry.start + entry.count])
                vectors = previous.embeddings[entry.start : entry.start + entry.count]
            entries.append(DocumentEntry(doc_id, title, digest, len(all_passages), len(passages)))
            all_passages.extend(passages)
            blocks.append(vectors)
        if not all_passages and not allow_empty:
            raise EmptyIndexRefused(
                "no passages to index: every source is missing or broken; the current index "
                "is left serving"
            )
        dim = next((b.shape[1] for b in blocks if b.size), 0)
        if previous is not None and not dim:
            dim = previous.manifest.dim
        embeddings = (
            np.vstack([b for b in blocks if b.size]).astype(np.float32)
            if any(b.size for b in blocks)
            else np.zeros((0, dim), dtype=np.float32)
        )
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        _write_build(
            index_dir, build_id, embedder.model_id, all_passages, embeddings, entries, source
        )
        removed: tuple[str, ...] = ()
        if previous is not None:
            present = ids | {e.doc_id for e in kept}
            removed = tuple(
                e.doc_id for e in previous.manifest.documents if e.doc_id not in present
            )
        return BuildResult(
            build_id,
            True,
            tuple(d.doc_id for d in to_embed),
            tuple(sorted({d for d, _, _ in wanted} - set(fresh))),
            removed,
            len(all_passages),
            time.perf_counter() - started,
        )


def _write_build(
    index_dir: Path,
    build_id: str,
    model_id: str,
    passages: Sequence[Passage],
    embeddings: npt.NDArray[np.float32],
    entries: Sequence[DocumentEntry],
    source: str = "",
) -> None:
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    tmp = builds / f".{build_id}.tmp"
    final = builds / build_id
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        with (tmp / "passages.jsonl").open("w", encoding="utf-8") as fh:
            for p in passages:
                fh.write(_passage_to_json(p) + "\n")
        np.save(tmp / "embeddings.npy", embeddings)
        DenseIndex(embeddings).write(tmp / "dense.faiss")
        files = {
            name: _sha256(tmp / name)
            for name in ("passages.jsonl", "embeddings.npy", "dense.faiss")
        }
        manifest = Manifest(
            build_id=build_id,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            model_id=model_id,
            chunker_version=CHUNKER_VERSION,
            format_version=FORMAT_VERSION,
            dim=int(embeddings.shape[1]),
            passage_count=len(passages),
            documents=tuple(entries),
            files=files,
            source=source,
        )
        (tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        for name in (*files, "manifest.json"):
            with (tmp / name).open("rb") as fh:
                os.fsync(fh.fileno())
        tmp.rename(final)
        _fsync_dir(builds)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap_current(index_dir, final)
    _fsync_dir(index_dir)
    _prune(builds, keep=final)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_current(index_dir: Path, target: Path) -> None:
    link = current_path(index_dir)
    tmp_link = index_dir / ".current.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(index_dir))
    os.replace(tmp_link, link)


def _prune(builds: Path, keep: Path) -> None:
    """Remove builds that are neither among the newest nor recent, and stale temporary ones.

    A temporary directory is stale when a build was killed half-way; a live build holds the lock,
    so any ``.tmp`` directory other than its own is left over.
    """
    now = time.time()
    done = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), reverse=True)
    for old in [p for p in done if p != keep][KEEP_BUILDS - 1 :]:
        if now - old.stat().st_mtime > KEEP_RECENT_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in builds.glob(".*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)
