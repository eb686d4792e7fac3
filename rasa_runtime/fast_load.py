"""Load Rasa's TensorFlow models without a training step.

Rasa 3.6 builds a saved DIET or TED model before restoring its weights by *training it for one
step* on an example (``RasaModel.load``: ``model.fit`` on one batch). That traces Keras' whole
training function with autograph: 10 of the 19 seconds Rasa takes to start here, every start,
for an optimizer that serving never uses.

Serving needs only the prediction path, so this loads the weights first (TensorFlow's
object-based checkpoints restore a variable when it is created) and then runs the prediction
on Rasa's own example, which creates every variable prediction uses and traces the prediction
function, as Rasa's loader does afterwards anyway. Variables that only training creates (the
optimizer's) are left in the checkpoint. Fine-tuning (``rasa train --finetune``) keeps Rasa's
own loader, as does a model saved without a prediction example.

Checked by ``tests/rasa_runtime/test_fast_load.py``: the same intent ranking and the same
next-action prediction, to the last digit printed, as Rasa's loader.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

logger = logging.getLogger(__name__)

_PATCHED_FLAG = "_planbot_loads_without_training"


def install() -> bool:
    """Replace ``RasaModel.load`` with :func:`load_for_prediction` (once)."""
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel.load.__func__
    if getattr(original, _PATCHED_FLAG, False):
        return True

    @functools.wraps(original)
    def load(
        cls: Any,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if finetune_mode or predict_data_example is None:
            return original(
                cls,
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        return load_for_prediction(cls, model_file_name, predict_data_example, *args, **kwargs)

    setattr(load, _PATCHED_FLAG, True)
    RasaModel.load = classmethod(load)
    return True


def load_for_prediction(
    cls: Any, model_file_name: str, predict_data_example: Any, *args: Any, **kwargs: Any
) -> Any:
    """A model of ``cls`` with the saved weights, built by predicting, never by training."""
    model = cls(*args, **kwargs)
    # Restores each saved variable as the prediction below creates it; the optimizer's saved
    # state has no variable to go to, which ``expect_partial`` says is expected.
    model.load_weights(model_file_name).expect_partial()
    model.run_inference(predict_data_example)
    logger.debug("loaded %s for prediction without a training step", cls.__name__)
    return model
