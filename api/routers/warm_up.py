"""POST /internal/rasa/warm-up: one greeting through Rasa, sent by the app as a resident's is.

Why here and not straight to Rasa: the app sends each message with its query vector
(api/message_vectors.py), so Rasa's NLU never loads its own copy of the embedding model. A
warm-up sent to Rasa directly would carry none and make Rasa load it. The launcher calls this
once at start (planbot/launcher.py), after the app's engine is loaded. Only a caller holding
``PLANBOT_ACTION_SECRET`` may (the launcher has it); the route is not in the public schema.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import RasaDep, SettingsDep
from api.routers.actions import secret_presented

WARM_UP_PATH = "/internal/rasa/warm-up"

router = APIRouter(include_in_schema=False)


@router.post(WARM_UP_PATH)
async def warm_up_rasa(request: Request, settings: SettingsDep, rasa: RasaDep) -> JSONResponse:
    if not secret_presented(request, settings.action_secret):
        return JSONResponse({"detail": "仅供本机服务启动时调用。"}, status_code=401)
    if not await rasa.warm_up():
        return JSONResponse({"detail": "对话引擎暂时不可用。"}, status_code=503)
    return JSONResponse({"detail": "对话引擎已就绪。"})
