"""/healthz (the process is up) and /readyz (Rasa, the actions and the index answer; the
database's state is shown beside them)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from api.actions_host import ActionsHost
from api.deps import ActionsDep, DatabaseDep, KnowledgeDep, RasaDep
from api.rasa_client import RasaClient
from planbot.holder import KnowledgeHolder
from storage.database import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@dataclass(frozen=True)
class Readiness:
    """Each component's state as /readyz shows it, whether each is up, and the verdict."""

    ready: bool
    states: dict[str, str]
    up: dict[str, bool]


async def readiness(
    rasa: RasaClient, knowledge: KnowledgeHolder, database: Engine, actions: ActionsHost | None
) -> Readiness:
    """What /readyz answers and /metrics exposes as ``planbot_component_ready``."""
    rasa_ok, rasa_state = await rasa.ready()
    actions_ok, actions_state = await _actions_ready(actions, rasa)
    database_ok, database_state = await run_in_threadpool(ping, database)
    index_state = knowledge.state
    index_ok = index_state == "ready"
    # The database is reported but does not decide readiness: residents' questions are
    # answered without it, and a load balancer must not take every replica out while it is
    # away (staff calls get 503 meanwhile).
    return Readiness(
        ready=rasa_ok and actions_ok and index_ok,
        states={
            "rasa": rasa_state,
            "actions": actions_state,
            "index": index_state,
            "database": database_state,
        },
        up={"rasa": rasa_ok, "actions": actions_ok, "index": index_ok, "database": database_ok},
    )


async def _actions_ready(host: ActionsHost | None, rasa: RasaClient) -> tuple[bool, str]:
    """The in-app executor (its actions registered in this process), else the separate action
    server's /health."""
    if host is not None:
        return host.ready, host.state
    return await rasa.actions_ready()


@router.get("/readyz", responses={503: {"description": "a component is not ready"}})
async def readyz(
    rasa: RasaDep, knowledge: KnowledgeDep, database: DatabaseDep, actions: ActionsDep
) -> JSONResponse:
    checked = await readiness(rasa, knowledge, database, actions)
    ready, components = checked.ready, checked.states
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"ready": ready, "components": components},
    )
