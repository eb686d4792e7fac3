"""rasa-sdk's action executor hosted in the web app's process (``PLANBOT_ACTIONS_IN_APP``).

The separate action server (``python -m rasa_sdk``) loads its own copy of the embedding model
and the index: a second gigabyte per machine for the same answers. Hosted here, the actions
answer with the web app's own engine holder and record store (actions/wiring.py's
:class:`~actions.wiring.Host`), and the app's one alias follower keeps that one engine current.
The executor is rasa-sdk's own (:class:`rasa_sdk.executor.ActionExecutor`): the same action
classes, the same dispatch and the same result format as the separate server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import ActionExecutor

from actions import wiring
from api.state import KnowledgeHolder
from knowledge.answering.engine import AnswerEngine
from records.settings import TicketSettings
from records.store import RecordStore

LOG = logging.getLogger(__name__)
ACTIONS_PACKAGE = "actions"


class EngineNotReady(RuntimeError):
    """The web app's engine is still loading (or failed): the action says the service is
    unavailable, as the separate action server did while it loaded."""


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


def host_actions(holder: KnowledgeHolder, records: RecordStore, hotline: str) -> ActionsHost:
    """Register the actions package with a new executor and point the actions at this
    process's engine holder and record store (no second engine is ever built)."""

    def engine() -> AnswerEngine:
        current = holder.engine
        if current is None:
            raise EngineNotReady(f"the web app's engine is not ready: {holder.state}")
        return current

    tickets = TicketSettings()
    wiring.configure(
        wiring.Host(
            engine=engine,
            records=records,
            hotline=hotline,
            response_time=tickets.handoff_response_time,
            inquiry_response_time=tickets.inquiry_response_time,
        )
    )
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    count = len(executor.list_actions())
    LOG.info("serving %d actions in this process (one engine for the app and the actions)", count)
    return ActionsHost(executor, f"in app: {count} actions" if count else "no actions registered")


def release_actions() -> None:
    """Forget the host's services (the app is closing; a test's next app configures its own)."""
    wiring.configure(None)
