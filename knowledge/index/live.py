"""The index a long-running process serves, following ``current`` to each new build.

Publishing a document rebuilds the index in the background and swaps the ``current`` symlink
(:mod:`knowledge.index.store`). Every process that answers questions (the action server, the
web app) holds a :class:`LiveIndex`: at most once per ``check_seconds`` it reads the symlink,
and when it points at a new build it loads that build and serves it from then on, without a
restart and without re-loading the embedding model. A build it cannot use (damaged, or made
with another model) is reported and the one already loaded keeps serving.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from knowledge.index.store import IndexUnavailable, LoadedIndex, current_path, load_index

LOG = logging.getLogger(__name__)


class IndexSource(Protocol):
    def current(self) -> LoadedIndex: ...


class StaticIndex:
    """One loaded index, never replaced (tests, batch evaluation)."""

    def __init__(self, index: LoadedIndex) -> None:
        self._index = index

    def current(self) -> LoadedIndex:
        return self._index


class LiveIndex:
    def __init__(
        self,
        index_dir: Path,
        *,
        model_id: str,
        check_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._dir = index_dir
        self._model_id = model_id
        self._check_seconds = check_seconds
        self._clock = clock
        self._index = self._load_checked()
        self._target = self._index.path
        self._checked_at = clock()
        self._reloading = threading.Lock()
        self.last_error = ""

    def _load_checked(self) -> LoadedIndex:
        index = load_index(self._dir)
        if index.manifest.model_id != self._model_id:
            raise IndexUnavailable(
                f"the index was built with {index.manifest.model_id!r} but the settings name "
                f"{self._model_id!r}: run 'planbot build'"
            )
        return index

    def current(self) -> LoadedIndex:
        """The newest usable build; the check is one ``readlink`` at most once per interval."""
        now = self._clock()
        if now - self._checked_at >= self._check_seconds:
            self._checked_at = now
            self._maybe_reload()
        return self._index

    def _maybe_reload(self) -> None:
        try:
            target = (self._dir / os.readlink(current_path(self._dir))).resolve()
        except OSError:
            return  # the link is being swapped or the directory is gone: keep serving
        if target == self._target:
            return
        # One thread loads; the others go on answering from the build they have.
        if not self._reloading.acquire(blocking=False):
            return
        try:
            started = time.perf_counter()
            try:
                fresh = self._load_checked()
            except (IndexUnavailable, OSError, ValueError, RuntimeError) as exc:
                self.last_error = f"{exc.__class__.__name__}: {exc}"
                LOG.error(
                    "new index build %s not loaded, still serving %s: %s",
                    target.name,
                    self._target.name,
                    exc,
                )
                self._target = target  # do not retry a broken build on every question
                return
            self._index, self._target, self.last_error = fresh, fresh.path, ""
            LOG.info(
                "now serving index build %s (%d passages, loaded in %.2f s)",
                fresh.manifest.build_id,
                fresh.manifest.passage_count,
                time.perf_counter() - started,
            )
        finally:
            self._reloading.release()
