"""Where the actions get their services: the process's runtime (planbot/runtime.py).

rasa-sdk instantiates action classes without arguments, so they reach their collaborators
through :func:`engine`, :func:`records` and the contact details (:func:`hotline`,
:func:`response_time`, :func:`inquiry_response_time`). Those come from one place, set once:

* in the web app (the default, ``PLANBOT_ACTIONS_IN_APP``), api/actions_host.py configures the
  app's :class:`~planbot.runtime.Runtime`: the actions answer with the app's own engine (one
  model, one index, one alias follower per process) and say the service is unavailable while
  it loads;
* in a separate ``python -m rasa_sdk`` action server, the first use builds this process's own
  Runtime from the settings tree, once, and starts loading its engine; a question asked
  meanwhile waits for the load (not at import: loading a model while rasa-sdk imports its
  actions crashes rasa-sdk 3.21 on Sanic 25). A failed load is retried by the runtime's holder
  at its own pace, not on every turn. The record store does not depend on the engine, so a
  missing index never stops a handoff from being recorded;
* tests configure fixed :class:`Services`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge.answering.engine import AnswerEngine
from records.store import RecordStore

if TYPE_CHECKING:
    from planbot.runtime import Runtime
    from planbot.settings import ContactSettings

# How long a separate action server's question waits for the engine's first load (the
# launcher's warm-up call allows 120 s; the load takes seconds).
STANDALONE_ENGINE_WAIT_SECONDS = 90.0


@dataclass(frozen=True)
class Services:
    """Fixed services (tests). A contact detail left None is the configured one."""

    engine: AnswerEngine
    records: RecordStore
    hotline: str | None = None
    response_time: str | None = None
    inquiry_response_time: str | None = None


@dataclass(frozen=True)
class _Source:
    """What the actions use, however it was configured."""

    engine: Callable[[], AnswerEngine]
    records: RecordStore
    contact: ContactSettings


_lock = threading.Lock()
_source: _Source | None = None
# The runtime this module built itself (a separate action server), closed when replaced.
_own_runtime: Runtime | None = None


def configure(services: Services | Runtime | None, *, engine_wait: float = 0.0) -> None:
    """Use these services (or forget them, with None, so that the next use builds a runtime
    of this process's own). With a runtime, ``engine_wait`` is how long an action waits for an
    engine still loading before it says the service is unavailable."""
    global _source, _own_runtime
    source = None if services is None else _source_of(services, engine_wait)
    with _lock:
        _source, own = source, _own_runtime
        _own_runtime = None
    if own is not None:
        own.close()


def _source_of(services: Services | Runtime, engine_wait: float) -> _Source:
    if isinstance(services, Services):
        from planbot.settings import load_settings

        given = {
            "hotline": services.hotline,
            "handoff_response_time": services.response_time,
            "inquiry_response_time": services.inquiry_response_time,
        }
        contact = load_settings().contact.model_copy(
            update={k: v for k, v in given.items() if v is not None}
        )
        fixed = services.engine
        return _Source(lambda: fixed, services.records, contact)
    runtime = services
    return _Source(
        lambda: runtime.knowledge.require(engine_wait), runtime.records, runtime.settings.contact
    )


def _current() -> _Source:
    """The configured source; in a separate action server, its own runtime, built once."""
    global _source, _own_runtime
    with _lock:
        if _source is None:
            _own_runtime = _standalone_runtime()
            _source = _source_of(_own_runtime, STANDALONE_ENGINE_WAIT_SECONDS)
        return _source


def engine() -> AnswerEngine:
    """The answer engine (may wait for, or raise while, its load: the callers handle it)."""
    return _current().engine()


def records() -> RecordStore:
    return _current().records


def hotline() -> str:
    """The citizen hotline residents are told to call (``PLANBOT_HOTLINE``)."""
    return _current().contact.hotline


def response_time() -> str:
    """When staff answer a ticket (``PLANBOT_HANDOFF_RESPONSE_TIME``), as residents are told."""
    return _current().contact.handoff_response_time


def inquiry_response_time() -> str:
    """When investment staff contact an enterprise (``PLANBOT_INQUIRY_RESPONSE_TIME``), as the
    inquiry's closing reply states it."""
    return _current().contact.inquiry_response_time


def _standalone_runtime() -> Runtime:
    """The separate action server's runtime: the settings tree read once, the schema made,
    the engine loading in the background. It reads the index the web app builds (it neither
    watches the documents nor rebuilds)."""
    import tqdm

    # tqdm's default multiprocessing lock fixes the start method; Sanic then fails to spawn.
    tqdm.tqdm.set_lock(threading.RLock())

    from planbot.runtime import Runtime
    from planbot.settings import load_settings

    _log_knowledge_lines()
    runtime = Runtime(load_settings(), builds_index=False)
    runtime.warm_up(background=True)
    return runtime


def _log_knowledge_lines() -> None:
    """Sanic's worker process does not inherit rasa-sdk's logging set-up: without a handler,
    the engine's INFO lines (index reloads) would be lost."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    logging.getLogger("knowledge").setLevel(logging.INFO)
