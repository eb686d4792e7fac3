"""/healthz (the process is up) and /readyz (Rasa, the actions and the index answer; the
database's state is shown beside them)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import KnowledgeDep, RasaDep
from storage.database import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "a component is not ready"}})
async def readyz(request: Request, rasa: RasaDep, knowledge: KnowledgeDep) -> JSONResponse:
    rasa_ok, rasa_state = await rasa.ready()
    actions_ok, actions_state = await rasa.actions_ready()
    _, database_state = await run_in_threadpool(ping, request.app.state.database)
    index_state = knowledge.state
    components = {
        "rasa": rasa_state,
        "actions": actions_state,
        "index": index_state,
        "database": database_state,
    }
    # The database is reported but does not decide readiness: residents' questions are
    # answered without it, and a load balancer must not take every replica out while it is
    # away (staff calls get 503 meanwhile).
    ready = rasa_ok and actions_ok and index_state == "ready"
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"ready": ready, "components": components},
    )
