"""Staff accounts (admins only). The last active admin cannot be demoted or disabled."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.deps import AccountAdminDep, AccountsDep, AuditDep
from api.schemas import BAD_BODY, ErrorBody
from api.staff_schemas import AccountCreate, AccountList, AccountOut, AccountUpdate
from staff.accounts import AccountError, StaffUser, UnknownAccount, UsernameTaken

router = APIRouter(prefix="/api/staff/accounts", tags=["staff"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


def _out(user: StaffUser) -> AccountOut:
    return AccountOut(
        username=user.username, role=user.role, active=user.active, created_at=user.created_at
    )


@router.get("", response_model=AccountList, responses=ERRORS, summary="Every staff account.")
def list_accounts(_: AccountAdminDep, accounts: AccountsDep) -> AccountList:
    return AccountList(accounts=[_out(u) for u in accounts.accounts()])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountOut,
    responses={**ERRORS, **BAD_BODY},
    summary="Create an account.",
)
def add_account(
    body: AccountCreate, admin: AccountAdminDep, accounts: AccountsDep, audit: AuditDep
) -> AccountOut:
    try:
        user = accounts.add(body.username, body.password, body.role)
    except UsernameTaken as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    except AccountError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    audit.record(admin.username, "account_add", username=user.username, role=user.role)
    return _out(user)


@router.patch(
    "/{username}",
    response_model=AccountOut,
    responses={**ERRORS, **BAD_BODY},
    summary="Change an account's role, disable or enable it, or set a new password.",
)
def update_account(
    username: str,
    body: AccountUpdate,
    admin: AccountAdminDep,
    accounts: AccountsDep,
    audit: AuditDep,
) -> AccountOut:
    target = next((u for u in accounts.accounts() if u.username == username), None)
    if target is None:
        raise HTTPException(status_code=404, detail="没有这个账号。")
    loses_admin = (
        target.role == "admin" and target.active and (body.role == "editor" or body.active is False)
    )
    if loses_admin and accounts.count_active_admins() <= 1:
        raise HTTPException(status_code=409, detail="不能停用或降级最后一个管理员账号。")
    try:
        user = accounts.update(username, role=body.role, active=body.active, password=body.password)
    except UnknownAccount as exc:  # removed between the check and the change
        raise HTTPException(status_code=404, detail="没有这个账号。") from exc
    except AccountError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    changes = body.model_dump(exclude_none=True, exclude={"password"})
    if body.password is not None:
        changes["password"] = "changed"
    audit.record(admin.username, "account_update", username=username, **changes)
    return _out(user)
