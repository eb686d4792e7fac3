"""The metadata the web app sends with a message to Rasa: the message's query vector.

Why: Rasa's NLU featurizer needs the message's e5 vector, and the answer engine embeds the same
text moments later. The app embeds it once, with the engine's own embedder (the one
:class:`~knowledge.embedding.recent.RecentQueries` wrapper, so the engine's retrieval of the same
text reuses it), and sends it to Rasa (:mod:`knowledge.embedding.message_vector`). Only the app
sets this metadata: /api/chat takes none from a client (api/schemas.py's ChatRequest has no such
field and ignores unknown ones).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from knowledge.embedding import message_vector
from knowledge.embedding.embedder import Embedder, query_identity

LOG = logging.getLogger(__name__)


class MessageVectors:
    """Embeds a message exactly as Rasa's featurizer would (its text, the query prompt)."""

    def __init__(self, embedder: Embedder, model: str, query_prompt: str) -> None:
        self._embedder = embedder
        self._model = model
        self._query_prompt = query_prompt

    @functools.cached_property
    def identity(self) -> str:
        """The model files' fingerprint and the prompt (read once: it hashes the JSON files)."""
        return query_identity(self._model, self._query_prompt)

    def metadata(self, text: str) -> dict[str, Any] | None:
        """Rasa's REST ``metadata`` for ``text``; None when it cannot be embedded here (Rasa
        then embeds it itself). Blocking: call it off the event loop."""
        try:
            vector = self._embedder.embed_queries([text])[0]
            return {message_vector.METADATA_KEY: message_vector.pack(vector, self.identity)}
        except Exception:  # the model is missing or broken: Rasa's own embedding still works
            LOG.exception("could not embed a message for Rasa's NLU")
            return None
