"""An admin's own two-step log-in: issue a secret, confirm it with a code, or turn it off.

Only accounts that may manage accounts (admins) can enrol: they hold the keys to everything
else. The secret is answered once, by the enrolment call, and never again.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.concurrency import run_in_threadpool

from api.deps import AccountAdminDep, AuditDep, TotpDep
from api.schemas import BAD_BODY, ErrorBody
from api.staff_schemas import TotpCode, TotpEnrolment, TotpStatus
from staff.totp import TotpError, TotpStore

router = APIRouter(prefix="/api/staff/totp", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


def _status(totp: TotpStore, username: str) -> TotpStatus:
    return TotpStatus(enabled=totp.enabled(username), pending=totp.pending(username))


@router.get(
    "", response_model=TotpStatus, responses=ERRORS, summary="Whether my two-step log-in is on."
)
def totp_status(admin: AccountAdminDep, totp: TotpDep) -> TotpStatus:
    return _status(totp, admin.username)


@router.post(
    "/enrol",
    response_model=TotpEnrolment,
    responses=ERRORS,
    summary="Issue a new secret and its otpauth:// URI; it takes effect once confirmed.",
)
def totp_enrol(admin: AccountAdminDep, totp: TotpDep) -> TotpEnrolment:
    try:
        enrolment = totp.begin(admin.username)
    except TotpError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return TotpEnrolment(secret=enrolment.secret, uri=enrolment.uri)


@router.post(
    "/confirm",
    response_model=TotpStatus,
    responses={**ERRORS, **BAD_BODY},
    summary="Turn two-step log-in on with a valid code from the issued secret.",
)
async def totp_confirm(
    body: TotpCode, admin: AccountAdminDep, totp: TotpDep, audit: AuditDep
) -> TotpStatus:
    try:
        await run_in_threadpool(totp.confirm, admin.username, body.otp)
    except TotpError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    await run_in_threadpool(
        audit.record, admin.username, "totp_enable", note="开启两步验证（动态验证码）"
    )
    return await run_in_threadpool(_status, totp, admin.username)


@router.post(
    "/disable",
    response_model=TotpStatus,
    responses={**ERRORS, **BAD_BODY},
    summary="Turn two-step log-in off, proved by a valid code.",
)
async def totp_disable(
    body: TotpCode, admin: AccountAdminDep, totp: TotpDep, audit: AuditDep
) -> TotpStatus:
    if not await run_in_threadpool(totp.enabled, admin.username):
        raise HTTPException(status_code=409, detail="两步验证尚未开启。")
    try:
        await run_in_threadpool(totp.disable, admin.username, body.otp)
    except TotpError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    await run_in_threadpool(
        audit.record, admin.username, "totp_disable", note="关闭两步验证（动态验证码）"
    )
    return await run_in_threadpool(_status, totp, admin.username)
