"""Building the index from the published versions in the document store.

:func:`build_published` is the one way the product's index is built (``planbot build`` and
the staff workspace both use it). :class:`IndexBuilder` runs it in a background thread after
a publish or delete: requests made while a build runs are folded into one more build, the
status (with per-document progress) is what the staff pages show, and a failed build leaves
the previous index serving and says why.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import PurePath

from docstore.store import DocumentStore
from docstore.uploads import chinese_problem
from knowledge.documents import Document, DocumentError
from knowledge.embedding.embedder import Embedder
from knowledge.index.store import BuildResult, Progress, current_manifest
from knowledge.service import build_documents
from knowledge.settings import KnowledgeSettings

LOG = logging.getLogger(__name__)
FAILED_RETRY = 60.0  # seconds between automatic retries of a failing build


@dataclass(frozen=True)
class StoreBuild:
    result: BuildResult
    errors: tuple[DocumentError, ...]


def build_published(
    store: DocumentStore,
    settings: KnowledgeSettings,
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    allow_empty: bool = True,
) -> StoreBuild:
    """(Re)build the index from what is published; only changed documents are re-embedded.

    An empty store gives an empty index (the assistant then declines everything) when
    ``allow_empty``: retiring the last document is a deliberate act of staff. Automatic
    rebuilds pass False, so a replica pointed at an empty database by mistake keeps its index.
    """
    # Read before the documents: a publish landing in between leaves the index marked older
    # than it is, so a watcher rebuilds once more rather than never.
    fingerprint = store.published_fingerprint()
    documents, errors = store.published_documents()
    broken = {e.source for e in errors}
    result = build_documents(
        settings,
        documents,
        embedder=embedder,
        progress=progress,
        keep_previous=broken,
        allow_empty=allow_empty,
        source=fingerprint,
    )
    return StoreBuild(result, tuple(errors))


@dataclass(frozen=True)
class BuildStatus:
    state: str = "idle"  # idle | queued | building | failed
    reason: str = ""
    requested_by: str = ""
    documents_total: int = 0
    documents_done: int = 0
    current_document: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    build_id: str = ""
    embedded: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    passages: int = 0
    seconds: float = 0.0
    error: str = ""
    broken: tuple[str, ...] = ()
    builds: int = 0


class IndexBuilder:
    def __init__(
        self,
        store: DocumentStore,
        settings: KnowledgeSettings,
        embedder: Callable[[], Embedder],
        *,
        on_build: Callable[[str, float], None] | None = None,
    ) -> None:
        """``on_build(outcome, seconds)`` is told of every build, ``ok`` or ``failed`` (the
        web app counts them for ``/metrics``)."""
        self._on_build = on_build
        self._store = store
        self._settings = settings
        self._embedder = embedder
        self._lock = threading.Condition()
        self._pending: tuple[str, str, bool] | None = None
        self._status = BuildStatus()
        self._thread: threading.Thread | None = None
        self._stopping = False

    @property
    def status(self) -> BuildStatus:
        with self._lock:
            return self._status

    def request(self, reason: str, *, by: str = "", allow_empty: bool = True) -> None:
        """Ask for a build; returns at once. Several requests during a build give one more
        (which may empty the index if any of them allowed it)."""
        with self._lock:
            if self._pending is not None:
                allow_empty = allow_empty or self._pending[2]
            self._pending = (reason, by, allow_empty)
            if self._status.state != "building":
                self._status = replace(self._status, state="queued", reason=reason, requested_by=by)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="index-builder", daemon=True)
                self._thread.start()
            self._lock.notify()

    def wait_idle(self, timeout: float) -> BuildStatus:
        """Block until no build is queued or running (tests, the CLI)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending is not None or self._status.state in {"queued", "building"}:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            return self._status

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()

    def watch(self, interval: float) -> threading.Thread:
        """Rebuild whenever what is published differs from what this machine's index was built
        from: how a replica on another machine (its own index directory, the shared database)
        follows a publish made elsewhere, and how an index found unusable is rebuilt."""
        thread = threading.Thread(
            target=self._watch, args=(interval,), name="index-watcher", daemon=True
        )
        thread.start()
        return thread

    def behind(self) -> bool:
        """Whether the served index was built from something else than what is published."""
        manifest = current_manifest(self._settings.index_dir)
        return manifest is None or manifest.source != self._store.published_fingerprint()

    def _watch(self, interval: float) -> None:
        while True:
            with self._lock:
                if self._lock.wait_for(lambda: self._stopping, timeout=interval):
                    return
                status = self._status
                busy = self._pending is not None or status.state in {"queued", "building"}
                # After a failure (a full disk, say) try again only once a minute.
                backing_off = (
                    status.state == "failed"
                    and status.finished_at is not None
                    and (datetime.now(UTC) - status.finished_at).total_seconds() < FAILED_RETRY
                )
            if busy or backing_off:
                continue
            try:
                if self.behind():
                    # Nothing published in a database that has documents is staff retiring
                    # the last one; in an empty database it is more likely a wrong URL.
                    self.request(
                        "已发布的文档有变化",  # shown to staff on the index page
                        by="自动检查",
                        allow_empty=self._store.has_documents(),
                    )
            except Exception:  # the database may be away for a while; try again next time
                LOG.warning("could not compare the index with the document store", exc_info=True)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                assert self._pending is not None
                reason, by, allow_empty = self._pending
                self._pending = None
                self._status = replace(
                    self._status,
                    state="building",
                    reason=reason,
                    requested_by=by,
                    documents_total=0,
                    documents_done=0,
                    current_document="",
                    started_at=datetime.now(UTC),
                    finished_at=None,
                    error="",
                )
            self._build_once(allow_empty)
            with self._lock:
                self._lock.notify_all()

    def _tell(self, outcome: str, seconds: float) -> None:
        if self._on_build is None:
            return
        try:
            self._on_build(outcome, seconds)
        except Exception:  # counting a build must never fail it
            LOG.exception("could not record an index build")

    def _progress(self, docs: Sequence[Document]) -> Iterator[Document]:
        with self._lock:
            self._status = replace(self._status, documents_total=len(docs), documents_done=0)
        for n, doc in enumerate(docs):
            with self._lock:
                self._status = replace(self._status, current_document=doc.doc_id, documents_done=n)
            yield doc
        with self._lock:
            self._status = replace(self._status, documents_done=len(docs), current_document="")

    def _build_once(self, allow_empty: bool) -> None:
        started = time.monotonic()
        try:
            built = build_published(
                self._store,
                self._settings,
                embedder=self._embedder(),
                progress=self._progress,
                allow_empty=allow_empty,
            )
        except Exception as exc:  # the old index keeps serving; staff see why on the page
            LOG.exception("index build failed; the previous index keeps serving")
            with self._lock:
                self._status = replace(
                    self._status,
                    state="failed" if self._pending is None else "queued",
                    finished_at=datetime.now(UTC),
                    error=f"{exc.__class__.__name__}: {exc}",
                    builds=self._status.builds + 1,
                )
            self._tell("failed", time.monotonic() - started)
            return
        self._tell("ok", time.monotonic() - started)
        r = built.result
        with self._lock:
            self._status = replace(
                self._status,
                state="idle" if self._pending is None else "queued",
                finished_at=datetime.now(UTC),
                build_id=r.build_id,
                embedded=r.embedded_documents,
                removed=r.removed_documents,
                passages=r.passage_count,
                seconds=r.seconds,
                broken=tuple(_for_staff(e) for e in built.errors),
                builds=self._status.builds + 1,
            )
        LOG.info(
            "index build %s: %d passages, %d documents embedded, %.2f s",
            r.build_id,
            r.passage_count,
            len(r.embedded_documents),
            r.seconds,
        )


def _for_staff(error: DocumentError) -> str:
    """A skipped document as the index page shows it: the file's name (never the server's
    path), the line, and the problem in Chinese."""
    name = PurePath(error.source).name or error.source
    return f"{name} 第 {error.line} 行：{chinese_problem(error.message)}"
