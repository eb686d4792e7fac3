"""POST /internal/actions/webhook: rasa-sdk's action executor for Rasa, inside the web app.

Only Rasa may call it: every call must carry the ``X-Planbot-Action-Secret`` header equal to
``PLANBOT_ACTION_SECRET`` (bot/endpoints*.yml send it), the same gate the separate action
server has (rasa_sdk_plugins). Without a configured secret every call is refused. The route is
not in the public API's schema; the answers mirror rasa-sdk's own endpoint (400 for a rejected
action, 404 for an unknown one, 449 for a missing domain).
"""

from __future__ import annotations

import hmac
import json
import logging
import zlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)
from rasa_sdk.utils import check_version_compatibility

from api.deps import ActionsDep, SettingsDep

LOG = logging.getLogger(__name__)
WEBHOOK_PATH = "/internal/actions/webhook"
SECRET_HEADER = "X-Planbot-Action-Secret"

router = APIRouter(include_in_schema=False)


def secret_presented(request: Request, expected: str) -> bool:
    """Whether the call carries the configured secret (compared in constant time)."""
    presented = request.headers.get(SECRET_HEADER, "")
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


async def _action_call(request: Request) -> dict[str, Any] | None:
    """The call's JSON body (Rasa may deflate it), or None when it is not a JSON object."""
    body = await request.body()
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            body = zlib.decompress(body)
        call = json.loads(body)
    except (zlib.error, ValueError):
        return None
    return call if isinstance(call, dict) else None


@router.post(WEBHOOK_PATH)
async def webhook(request: Request, settings: SettingsDep, host: ActionsDep) -> JSONResponse:
    """Run the action Rasa asks for; the body is read only after the secret is checked."""
    if host is None:
        return JSONResponse({"detail": "本服务未提供动作执行。"}, status_code=404)
    if not secret_presented(request, settings.action_secret):
        return JSONResponse({"detail": "仅供对话引擎调用。"}, status_code=401)
    call = await _action_call(request)
    if call is None:
        return JSONResponse({"detail": "请求内容不是有效的动作调用。"}, status_code=400)
    check_version_compatibility(call.get("version"))
    try:
        result = await host.run(call)
    except ActionExecutionRejection as exc:
        return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 400)
    except ActionNotFoundException as exc:
        LOG.error("%s", exc)
        return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 404)
    except ActionMissingDomainException as exc:
        return JSONResponse({"error": exc.message, "action_name": exc.action_name}, 449)
    return JSONResponse(result)
