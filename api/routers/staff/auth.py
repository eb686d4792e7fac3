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
    PasswordGateDep,
    RateLimitsDep,
    SettingsDep,
    StaffDep,
    TokensDep,
    TotpDep,
    presented_token,
)
from api.passwords import PasswordGateBusy
from api.ratelimit import LimitStoreUnavailable, RateLimits, client_key
from api.schemas import BAD_BODY, ErrorBody
from api.staff_schemas import LoginRequest, LoginResponse, Me
from staff.roles import GRANTS, Role
from staff.totp import TotpStore

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
    "are limited per address, whatever the username, and per account, from any address).",
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    accounts: AccountsDep,
    tokens: TokensDep,
    audit: AuditDep,
    limits: RateLimitsDep,
    gate: PasswordGateDep,
    settings: SettingsDep,
    totp: TotpDep,
) -> LoginResponse | JSONResponse:
    client = request.client.host if request.client else "unknown"
    attempt = _Attempt(limits, client_key(request), body.username.lower())
    try:
        wait = await attempt.wait()
        if wait:  # refused before queueing for the gate: a flood costs no password check
            return _too_many(wait)
        async with gate.slot():
            # Checked again with the slot held: at most the gate's few checks are ever in
            # flight uncounted, so parallel guesses cannot slip past the limit.
            wait = await attempt.wait()
            if wait:
                return _too_many(wait)
            user = await run_in_threadpool(accounts.authenticate, body.username, body.password)
            second = "ok"
            if user is not None:
                second = await run_in_threadpool(_second_step, totp, user.username, body.otp)
            if user is None or second == "wrong":
                await attempt.failed()
    except (LimitStoreUnavailable, PasswordGateBusy):
        return _unavailable()
    if user is not None and second == "missing":
        # The password was right: ask for the code (not a failure, so the page's two-step
        # flow does not count against the limits; a wrong code does).
        return JSONResponse(
            status_code=401,
            content={
                "detail": "此账号已开启两步验证，请输入手机验证器上的 6 位验证码。",
                "otp_required": True,
            },
            headers={"WWW-Authenticate": "Bearer"},
        )
    if user is not None and second == "wrong":
        await run_in_threadpool(
            audit.record, user.username, "login_failed", client=client, reason="验证码错误或已使用"
        )
        return JSONResponse(
            status_code=401,
            content={"detail": "验证码不正确或已使用过，请输入新的验证码。", "otp_required": True},
            headers={"WWW-Authenticate": "Bearer"},
        )
    if user is None:
        await run_in_threadpool(audit.record, body.username[:64], "login_failed", client=client)
        return JSONResponse(
            status_code=401,
            content={"detail": "用户名或密码错误。Wrong username or password."},
            headers={"WWW-Authenticate": "Bearer"},
        )
    await attempt.succeeded()
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


def _second_step(totp: TotpStore, username: str, code: str | None) -> str:
    """ "ok" for an account without two-step log-in or with a fresh valid code; "missing" when
    one is needed and none was sent; "wrong" for an invalid or already used code."""
    if not totp.enabled(username):
        return "ok"
    if not code:
        return "missing"
    return "ok" if totp.verify(username, code) else "wrong"


class _Attempt:
    """One log-in's two failure counts: its address's (any username: spraying one password
    over many accounts) and its account's (any address: guessing one account's password from
    many). Only failures count, so colleagues behind one office address are not locked out by
    each other's successful log-ins."""

    def __init__(self, limits: RateLimits, address: str, account: str) -> None:
        self._limits, self._address, self._account = limits, address, account

    async def wait(self) -> float:
        """0 while another failure is allowed, else the seconds until one is."""
        rules = self._limits.rules
        by_address = await self._limits.test(rules.login_address, self._address)
        if by_address:
            return by_address
        return await self._limits.test(rules.login_account, self._account)

    async def failed(self) -> None:
        rules = self._limits.rules
        await self._limits.hit(rules.login_address, self._address)
        await self._limits.hit(rules.login_account, self._account)

    async def succeeded(self) -> None:
        """The owner got in: the account's failures are forgotten (the address's are not, so
        one valid account cannot reset the count of a spray from the same address)."""
        with contextlib.suppress(LimitStoreUnavailable):  # else they expire by themselves
            await self._limits.clear(self._limits.rules.login_account, self._account)


def _too_many(wait: float) -> JSONResponse:
    return JSONResponse(
        status_code=429,
        content={"detail": "登录失败次数过多，请稍后再试。"},
        headers={"Retry-After": str(int(wait) + 1)},
    )


def _unavailable() -> JSONResponse:
    """The shared count is away (log-ins could be guessed freely without it) or the password
    checks are all taken: refuse for now, with a time to come back."""
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
