"""Rasa's HTTP API token, from the settings rather than the command line.

``rasa run --enable-api`` without ``--auth-token`` serves every conversation's tracker, lets
anyone set slots (``POST …/tracker/events``) and replace the model (``PUT /model``). The token
comes from ``PLANBOT_RASA_TOKEN`` (``planbot serve`` generates one per run when it is not set)
and is added to Rasa's arguments inside this process, so it never shows in the process list
the way a command-line argument does. Serving the API without a token is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

TOKEN_SETTING = "PLANBOT_RASA_TOKEN"


class ApiWithoutToken(SystemExit):
    """``--enable-api`` was asked for but there is no token to protect it with."""


def with_auth_token(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """``argv`` for Rasa's command line, with ``--auth-token`` from ``environ`` added to a
    ``run`` that serves the HTTP API; other commands are left as they are."""
    args = list(argv)
    if "run" not in args[1:2]:
        return args
    if any(a == "--auth-token" or a.startswith("--auth-token=") for a in args):
        return args
    token = environ.get(TOKEN_SETTING, "").strip()
    if token:
        # One argument, so a token that begins with "-" (token_urlsafe may make one) is not
        # read by argparse as an option of its own.
        return [*args, f"--auth-token={token}"]
    if "--enable-api" in args:
        raise ApiWithoutToken(
            f"refusing to serve Rasa's HTTP API without a token: set {TOKEN_SETTING} "
            "(the web app needs the same value)"
        )
    return args
