"""The query vector sent with a message to Rasa: it round-trips exactly, and anything that is not
a vector of this model, prompt and dimension is refused (the featurizer then embeds the text)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding import message_vector
from knowledge.embedding.embedder import model_identity, query_identity

IDENTITY = "e5@abc|q=query: "
DIM = 8


def _unit(seed: int = 0, dim: int = DIM) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    return v / np.linalg.norm(v)


def test_a_packed_vector_unpacks_bit_for_bit() -> None:
    vector = _unit()
    payload = message_vector.pack(vector, IDENTITY)
    assert payload["format"] == message_vector.FORMAT and payload["dim"] == DIM
    json.dumps(payload)  # plain JSON, as Rasa's REST channel takes it
    got = message_vector.unpack(payload, IDENTITY, DIM)
    assert got is not None and got.dtype == np.float32
    assert np.array_equal(got, vector)


def test_the_payload_is_compact() -> None:
    payload = message_vector.pack(_unit(dim=384), IDENTITY)
    assert len(json.dumps(payload)) < 2200  # 384 float32 as base64: 2048 characters


def _tampered(**changes: object) -> dict[str, object]:
    return {**message_vector.pack(_unit(), IDENTITY), **changes}


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "a string",
        [1, 2, 3],
        _tampered(format=2),
        _tampered(model="another-model@abc|q=query: "),
        _tampered(model="e5@abc|q=passage: "),
        _tampered(dim=DIM + 1),
        _tampered(dim=str(DIM)),
        _tampered(data=123),
        _tampered(data="not base64 !!"),
        _tampered(data=base64.b64encode(_unit(dim=DIM - 1).tobytes()).decode()),
        _tampered(data=base64.b64encode(_unit(dim=DIM + 1).tobytes()).decode()),
        _tampered(data=base64.b64encode((2 * _unit()).tobytes()).decode()),
        _tampered(data=base64.b64encode(np.zeros(DIM, np.float32).tobytes()).decode()),
        _tampered(data=base64.b64encode(np.full(DIM, np.nan, dtype=np.float32).tobytes()).decode()),
    ],
)
def test_anything_but_a_vector_of_this_model_is_refused(payload: object) -> None:
    assert message_vector.unpack(payload, IDENTITY, DIM) is None


def test_the_expected_dimension_is_read_from_the_pooling_configuration(tmp_path: Path) -> None:
    assert message_vector.embedding_dimension(tmp_path) is None
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384}), "utf-8"
    )
    assert message_vector.embedding_dimension(tmp_path) == 384
    (tmp_path / "1_Pooling" / "config.json").write_text("[]", "utf-8")
    assert message_vector.embedding_dimension(tmp_path) is None


def test_the_query_identity_ignores_the_passage_prompt_but_not_the_query_prompt(
    tmp_path: Path,
) -> None:
    (tmp_path / "config.json").write_text("{}", "utf-8")
    assert model_identity(str(tmp_path), "query: ", "passage: ").startswith(
        query_identity(tmp_path, "query: ") + "|p="
    )
    assert query_identity(tmp_path, "query: ") == query_identity(str(tmp_path) + "/", "query: ")
    assert query_identity(tmp_path, "query: ") != query_identity(tmp_path, "")
