"""Dependencies injected into the routes (FastAPI ``Annotated`` style).

Everything comes from the two objects the app's lifespan puts on ``app.state``, never from
import time: the process's :class:`~planbot.runtime.Runtime` (settings, engine, stores, index
builder) and the web front's :class:`~api.services.WebServices`. Staff
routes ask for a permission (``EditorDep``, ``PublisherDep``, …): no valid token gives 401,
a role without the permission gives 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.engine import Engine

from api.actions_host import ActionsHost
from api.metrics import Metrics
from api.passwords import PasswordGate
from api.prefetch import DecisionPrefetcher
from api.rasa_client import RasaClient
from api.ratelimit import RateLimits
from api.services import WebServices
from api.session_memory import SessionMemory
from api.settings import Settings
from docstore.aliases import AliasStore
from docstore.audit import AuditLog
from docstore.indexing import IndexBuilder
from docstore.store import DocumentStore
from knowledge.answering.suggestions import Suggester
from planbot.holder import KnowledgeHolder
from planbot.runtime import Runtime
from planbot.settings import ContactSettings
from records.gaps import GapStore
from records.store import RecordStore
from staff.accounts import AccountStore, StaffUser
from staff.roles import Permission, allows
from staff.tokens import TokenStore
from staff.totp import TotpStore

SESSION_COOKIE = "planbot_staff"
# Roles as staff read them (messages are Chinese; the codes stay in the API's fields).
ROLE_NAMES = {"admin": "管理员", "editor": "编辑"}


def get_runtime(request: Request) -> Runtime:
    """The process's composition root (planbot/runtime.py), built in the app's lifespan."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_web(request: Request) -> WebServices:
    """The services only the web front has (api/services.py)."""
    web: WebServices = request.app.state.web
    return web


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
WebDep = Annotated[WebServices, Depends(get_web)]


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings.web


def get_contact(runtime: RuntimeDep) -> ContactSettings:
    return runtime.settings.contact


def get_knowledge(runtime: RuntimeDep) -> KnowledgeHolder:
    return runtime.knowledge


def get_documents(runtime: RuntimeDep) -> DocumentStore:
    return runtime.documents


def get_accounts(runtime: RuntimeDep) -> AccountStore:
    return runtime.accounts


def get_totp(runtime: RuntimeDep) -> TotpStore:
    return runtime.totp


def get_audit(runtime: RuntimeDep) -> AuditLog:
    return runtime.audit


def get_records(runtime: RuntimeDep) -> RecordStore:
    return runtime.records


def get_builder(runtime: RuntimeDep) -> IndexBuilder:
    return runtime.builder


def get_aliases(runtime: RuntimeDep) -> AliasStore:
    return runtime.aliases


def get_gaps(runtime: RuntimeDep) -> GapStore:
    return runtime.gaps


def get_database(runtime: RuntimeDep) -> Engine:
    return runtime.database


def get_rasa(web: WebDep) -> RasaClient:
    return web.rasa


def get_rate_limits(web: WebDep) -> RateLimits:
    return web.rate_limits


def get_password_gate(web: WebDep) -> PasswordGate:
    return web.password_gate


def get_tokens(web: WebDep) -> TokenStore:
    return web.tokens


def get_session_memory(web: WebDep) -> SessionMemory:
    return web.session_memory


def get_suggester(web: WebDep) -> Suggester:
    return web.suggester


def get_metrics(web: WebDep) -> Metrics:
    return web.metrics


def get_prefetcher(web: WebDep) -> DecisionPrefetcher | None:
    """The prefetcher of typed messages' decisions, or None when the actions run elsewhere."""
    return web.prefetcher


def get_actions(web: WebDep) -> ActionsHost | None:
    """The in-app action executor, or None when a separate action server runs them."""
    return web.actions


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
KnowledgeDep = Annotated[KnowledgeHolder, Depends(get_knowledge)]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]
PasswordGateDep = Annotated[PasswordGate, Depends(get_password_gate)]
DocumentsDep = Annotated[DocumentStore, Depends(get_documents)]
AccountsDep = Annotated[AccountStore, Depends(get_accounts)]
TotpDep = Annotated[TotpStore, Depends(get_totp)]
TokensDep = Annotated[TokenStore, Depends(get_tokens)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]
RecordsDep = Annotated[RecordStore, Depends(get_records)]
BuilderDep = Annotated[IndexBuilder, Depends(get_builder)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
AliasesDep = Annotated[AliasStore, Depends(get_aliases)]
GapsDep = Annotated[GapStore, Depends(get_gaps)]
SuggesterDep = Annotated[Suggester, Depends(get_suggester)]
SessionMemoryDep = Annotated[SessionMemory, Depends(get_session_memory)]
ContactDep = Annotated[ContactSettings, Depends(get_contact)]
DatabaseDep = Annotated[Engine, Depends(get_database)]
ActionsDep = Annotated[ActionsHost | None, Depends(get_actions)]
PrefetcherDep = Annotated[DecisionPrefetcher | None, Depends(get_prefetcher)]


def presented_token(request: Request) -> str:
    """The bearer token; the staff pages' session cookie counts only for reading (GET), so a
    forged cross-site form can never change anything with it."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if request.method in ("GET", "HEAD"):
        return request.cookies.get(SESSION_COOKIE, "")
    return ""


def current_staff(request: Request, tokens: TokensDep) -> StaffUser:
    user = tokens.resolve(presented_token(request))
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="需要登录：缺少或无效的访问令牌。",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


StaffDep = Annotated[StaffUser, Depends(current_staff)]


def require(permission: Permission) -> Callable[[StaffUser], StaffUser]:
    def check(user: StaffDep) -> StaffUser:
        if not allows(user.role, permission):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"您的角色（{ROLE_NAMES.get(user.role, user.role)}）无权执行此操作。",
            )
        return user

    return check


ReaderDep = Annotated[StaffUser, Depends(require(Permission.READ))]
EditorDep = Annotated[StaffUser, Depends(require(Permission.EDIT))]
PublisherDep = Annotated[StaffUser, Depends(require(Permission.PUBLISH))]
AccountAdminDep = Annotated[StaffUser, Depends(require(Permission.MANAGE_ACCOUNTS))]
AuditorDep = Annotated[StaffUser, Depends(require(Permission.AUDIT))]
TicketsDep = Annotated[StaffUser, Depends(require(Permission.TICKETS))]
