"""rasa-sdk's action executor hosted in the web app's process (``PLANBOT_ACTIONS_IN_APP``).

The separate action server (``python -m rasa_sdk``) loads its own copy of the embedding model
and the index: a second gigabyte per machine for the same answers. Hosted here, the actions
answer with the web app's own runtime (planbot/runtime.py: its engine holder, record store and
contact settings, given to actions/wiring.py), and the runtime's one alias follower keeps that
one engine current.
The executor is rasa-sdk's own (:class:`rasa_sdk.executor.ActionExecutor`): the same action
classes, the same dispatch and the same result format as the separate server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import ActionExecutor

from actions import wiring
from planbot.runtime import Runtime

LOG = logging.getLogger(__name__)
ACTIONS_PACKAGE = "actions"


@dataclass
class ActionsHost:
    """The executor and what /readyz says about it."""

    executor: ActionExecutor
    state: str

    @property
    def ready(self) -> bool:
        return bool(self.executor.list_actions())

    async def run(self, action_call: dict[str, Any]) -> dict[str, Any] | None:
        result = await self.executor.run(action_call)
        return result.model_dump() if result else None


def host_actions(runtime: Runtime) -> ActionsHost:
    """Register the actions package with a new executor and point the actions at this
    process's runtime: its engine holder, record store and contact settings (no second engine
    is ever built). An action asked while the engine loads says the service is unavailable."""
    wiring.configure(runtime)
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    count = len(executor.list_actions())
    LOG.info("serving %d actions in this process (one engine for the app and the actions)", count)
    return ActionsHost(executor, f"in app: {count} actions" if count else "no actions registered")


def release_actions() -> None:
    """Forget the host's services (the app is closing; a test's next app configures its own)."""
    wiring.configure(None)
