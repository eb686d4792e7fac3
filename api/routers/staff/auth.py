"""Logging in and out; who am I."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import (
    SESSION_COOKIE,
    AccountsDep,
    AuditDep,
    RateLimitsDep,
    SettingsDep,
    StaffDep,
    TokensDep,
    presented_token,
)
from api.ratelimit import LimitStoreUnavailable, client_key
from api.schemas import BAD_BODY, ErrorBody
from api.staff_schemas import LoginRequest, LoginResponse, Me
from staff.roles import GRANTS, Role

router = APIRouter(prefix="/api/staff", tags=["staff"])


@router.post(
    "/login",
    response_model=LoginResponse,
    responses={
        **BAD_BODY,
        401: {"model": ErrorBody},
        422: {"model": ErrorBody},
        429: {"model": ErrorBody},
        503: {"model": ErrorBody},
    },
    summary="Exchange a username and password for an expiring bearer token (failed attempts "
    "are limited per address and account).",
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    accounts: AccountsDep,
    tokens: TokensDep,
    audit: AuditDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> LoginResponse | JSONResponse:
    client = request.client.host if request.client else "unknown"
    # Only failures count, per address and account, so colleagues behind one office address
    # are not locked out by each other's successful log-ins, while guessing one password is.
    key = f"{client_key(request)}|{body.username.lower()}"
    rule = limits.rules.login_address
    # Counted before the password is checked, so parallel guesses cannot all slip through;
    # a success takes its count back.
    try:
        wait = await limits.hit(rule, key)
    except LimitStoreUnavailable:
        return _limits_unavailable()
    if wait:
        return JSONResponse(
            status_code=429,
            content={"detail": "登录失败次数过多，请稍后再试。Too many failed log-ins."},
            headers={"Retry-After": str(int(wait) + 1)},
        )
    # argon2 takes tens of milliseconds on purpose: keep it off the event loop.
    user = await run_in_threadpool(accounts.authenticate, body.username, body.password)
    if user is None:
        await run_in_threadpool(audit.record, body.username[:64], "login_failed", client=client)
        return JSONResponse(
            status_code=401,
            content={"detail": "用户名或密码错误。Wrong username or password."},
            headers={"WWW-Authenticate": "Bearer"},
        )
    with contextlib.suppress(LimitStoreUnavailable):  # else it expires within the minute
        await limits.clear(rule, key)
    token, expires = await run_in_threadpool(tokens.issue, user)
    await run_in_threadpool(audit.record, user.username, "login", client=client)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.token_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=settings.environment == "production",
        path="/",
    )
    return LoginResponse(token=token, expires_at=expires, username=user.username, role=user.role)


def _limits_unavailable() -> JSONResponse:
    """Without the shared count, log-ins could be guessed freely: refuse them for now."""
    return JSONResponse(
        status_code=503,
        content={"detail": "登录服务暂时不可用，请稍后再试。"},
        headers={"Retry-After": "10"},
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={401: {"model": ErrorBody}},
    summary="End this login.",
)
async def logout(request: Request, user: StaffDep, tokens: TokensDep, audit: AuditDep) -> Response:
    await run_in_threadpool(tokens.revoke, presented_token(request))
    await run_in_threadpool(audit.record, user.username, "logout")
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(
    "/me",
    response_model=Me,
    responses={401: {"model": ErrorBody}},
    summary="The logged-in account and what it may do.",
)
async def me(user: StaffDep) -> Me:
    permissions = sorted(p.value for p in GRANTS.get(Role(user.role), frozenset()))
    return Me(username=user.username, role=user.role, permissions=permissions)
