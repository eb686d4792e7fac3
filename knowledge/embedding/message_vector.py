"""A message's query vector carried in its chat metadata, so a turn is embedded once.

Why: the web app holds the engine's embedding model and embeds a resident's message anyway (the
answer engine retrieves with it); Rasa's NLU featurizer (``rasa_runtime/sentence_featurizer.py``)
needs the same vector of the same text. The web app sends it with the message, in Rasa's REST
``metadata`` under :data:`METADATA_KEY`, and the featurizer uses it instead of embedding again, so
Rasa never loads a second copy of the model for messages that come through the web app.

The payload is small and names what it is: format version, the query identity (model files'
fingerprint and query prompt, :func:`~knowledge.embedding.embedder.query_identity`), the
dimension, and the vector as base64 of float32 little-endian (384 dimensions: 2 KiB of JSON).
Anything that does not match exactly (another model, another prompt, another dimension, a
truncated or non-finite or unnormalized vector) is refused by :func:`unpack`, and the featurizer
embeds the text itself: a mismatch can cost time, never a wrong feature.

This module needs only numpy and the standard library: it runs in the Rasa environment too.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

METADATA_KEY = "planbot_query_vector"
FORMAT = 1
# Query vectors are L2-normalized; a payload further off than this was not made by an embedder.
NORM_TOLERANCE = 1e-3
_LITTLE_FLOAT32 = np.dtype("<f4")


def pack(vector: npt.NDArray[np.float32], identity: str) -> dict[str, Any]:
    """The metadata value for one query vector of the model named by ``identity``."""
    flat = np.ascontiguousarray(np.asarray(vector).reshape(-1), dtype=_LITTLE_FLOAT32)
    return {
        "format": FORMAT,
        "model": identity,
        "dim": int(flat.shape[0]),
        "data": base64.b64encode(flat.tobytes()).decode("ascii"),
    }


def unpack(payload: object, identity: str, dimension: int) -> npt.NDArray[np.float32] | None:
    """The vector in ``payload`` if it is one of this model (``identity``) and ``dimension``,
    L2-normalized and finite; None for anything else (the caller then embeds the text)."""
    if not isinstance(payload, dict):
        return None
    if payload.get("format") != FORMAT or payload.get("model") != identity:
        return None
    if payload.get("dim") != dimension or not isinstance(payload.get("data"), str):
        return None
    try:
        raw = base64.b64decode(payload["data"], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != dimension * _LITTLE_FLOAT32.itemsize:
        return None
    vector = np.frombuffer(raw, dtype=_LITTLE_FLOAT32).astype(np.float32)
    if not np.all(np.isfinite(vector)):
        return None
    if not math.isclose(float(np.linalg.norm(vector)), 1.0, abs_tol=NORM_TOLERANCE):
        return None
    return vector


def embedding_dimension(model_dir: Path) -> int | None:
    """The dimension of a sentence-transformers model's vectors, read from its pooling
    configuration (no model is loaded); None when the directory does not say."""
    try:
        config = json.loads((model_dir / "1_Pooling" / "config.json").read_text("utf-8"))
        dimension = config.get("word_embedding_dimension")
    except (OSError, ValueError, AttributeError):
        return None
    return dimension if isinstance(dimension, int) and dimension > 0 else None
