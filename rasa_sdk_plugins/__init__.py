"""The action server answers Rasa only: every call but ``/health`` must carry the shared secret.

rasa-sdk has no authentication of its own; anyone who could reach its ``/webhook`` could run any
action for an invented conversation (create tickets, record feedback). rasa-sdk's plugin hook
loads a package of exactly this name, if importable, in every Sanic worker and lets it attach
middleware: this one refuses a request without the ``X-Planbot-Action-Secret`` header equal to
``PLANBOT_ACTION_SECRET``, which Rasa sends from its endpoints file
(``action_endpoint.headers``). Without a configured secret every such call is refused, loudly.
``/health`` stays open: it tells nothing and the web app's readiness check uses it.

rasa-sdk answers every exception with a 500, Sanic's own HTTP errors included (``POST /health``
was a 500 "method not allowed"); :func:`http_error` gives those their own status (405, 404, …),
so a 500 in the log is a real fault.
"""

from __future__ import annotations

import hmac
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import pluggy
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json

LOG = logging.getLogger(__name__)
SECRET_SETTING = "PLANBOT_ACTION_SECRET"
HEADER = "X-Planbot-Action-Secret"
OPEN_PATHS = frozenset({"/health"})

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa-sdk's plugin discovery (rasa_sdk.plugin)."""
    manager.register(sys.modules[__name__])


@hookimpl
def attach_sanic_app_extensions(app: Sanic[Any, Any]) -> None:
    from planbot.settings import load_settings

    secret = load_settings().web.action_secret
    if not secret:
        LOG.error("%s is not set: every call but /health will be refused", SECRET_SETTING)
    app.on_request(require_secret(secret))
    # More specific than rasa-sdk's handler for Exception, so Sanic picks this one for its own.
    app.exception(SanicException)(http_error)


async def http_error(request: Request, exception: SanicException) -> HTTPResponse:
    """Sanic's HTTP errors (a wrong method, an unknown path) with their own status, not 500."""
    headers = dict(getattr(exception, "headers", None) or {})
    return json({"error": str(exception)}, status=exception.status_code, headers=headers)


def require_secret(secret: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """Request middleware: None lets the request through, a response refuses it."""
    expected = secret.encode()

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        presented = request.headers.get(HEADER, "").encode()
        if expected and hmac.compare_digest(presented, expected):
            return None
        return json({"error": "the action server answers Rasa only"}, status=401)

    return check
