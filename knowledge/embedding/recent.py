"""An embedder that remembers the vectors of its most recent single queries.

Why: in the web app a resident's message is embedded for Rasa's NLU (the vector travels with the
message, :mod:`knowledge.embedding.message_vector`), and moments later the answer engine embeds
the same text to retrieve. Remembering the last few hundred query vectors by their exact text
makes that second embedding a dictionary look-up, so a question turn costs one embedding.

Only calls with exactly one text are remembered and served: that is how both the web app and
the retriever embed a question, and a vector computed alone is bit-for-bit what the model gives
for that text alone (a batch pads its texts to a common length, which may move the last digits).
A text that differs at all (the engine's Traditional-to-Simplified folding, a follow-up combined
with the previous question) is simply embedded. Passages are never cached.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from knowledge.embedding.embedder import Embedder, Vectors
from knowledge.memo import CacheInfo, RecentResults

DEFAULT_SIZE = 256


class RecentQueries:
    """Wraps an :class:`Embedder`; the same model, the same vectors, fewer model runs."""

    def __init__(self, inner: Embedder, size: int = DEFAULT_SIZE) -> None:
        self._inner = inner
        # Two threads missing on one text at once (the app's message vector for Rasa, and the
        # engine deciding the same message ahead of its action) embed it once.
        self._recent: RecentResults[npt.NDArray[np.float32]] = RecentResults(size)

    @property
    def inner(self) -> Embedder:
        return self._inner

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    def warm_up(self) -> None:
        self._inner.warm_up()

    def _embed_one(self, text: str) -> npt.NDArray[np.float32]:
        vector = np.array(self._inner.embed_queries([text])[0], dtype=np.float32)
        vector.setflags(write=False)  # shared by every caller that asks for this text
        return vector

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if len(texts) != 1:
            return self._inner.embed_queries(texts)
        text = texts[0]
        vector = self._recent.get(text, lambda: self._embed_one(text))
        return np.array(vector[None, :], dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._inner.embed_passages(texts)

    def cache_info(self) -> CacheInfo:
        """Hits and misses so far (tests and diagnostics)."""
        return self._recent.info()
