"""Dependencies injected into the routes (FastAPI ``Annotated`` style).

Everything lives on ``app.state``, created in the app's lifespan, never at import. Staff
routes ask for a permission (``EditorDep``, ``PublisherDep``, …): no valid token gives 401,
a role without the permission gives 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from api.metrics import Metrics
from api.passwords import PasswordGate
from api.rasa_client import RasaClient
from api.ratelimit import RateLimits
from api.session_memory import SessionMemory
from api.settings import Settings
from api.state import KnowledgeHolder
from docstore.aliases import AliasStore
from docstore.audit import AuditLog
from docstore.indexing import IndexBuilder
from docstore.store import DocumentStore
from knowledge.answering.suggestions import Suggester
from records.gaps import GapStore
from records.store import RecordStore
from staff.accounts import AccountStore, StaffUser
from staff.roles import Permission, allows
from staff.tokens import TokenStore
from staff.totp import TotpStore

SESSION_COOKIE = "planbot_staff"
# Roles as staff read them (messages are Chinese; the codes stay in the API's fields).
ROLE_NAMES = {"admin": "管理员", "editor": "编辑"}


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_rasa(request: Request) -> RasaClient:
    rasa: RasaClient = request.app.state.rasa
    return rasa


def get_knowledge(request: Request) -> KnowledgeHolder:
    holder: KnowledgeHolder = request.app.state.knowledge
    return holder


def get_rate_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits


def get_password_gate(request: Request) -> PasswordGate:
    gate: PasswordGate = request.app.state.password_gate
    return gate


def get_documents(request: Request) -> DocumentStore:
    documents: DocumentStore = request.app.state.documents
    return documents


def get_accounts(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.accounts
    return accounts


def get_totp(request: Request) -> TotpStore:
    totp: TotpStore = request.app.state.totp
    return totp


def get_tokens(request: Request) -> TokenStore:
    tokens: TokenStore = request.app.state.tokens
    return tokens


def get_audit(request: Request) -> AuditLog:
    audit: AuditLog = request.app.state.audit
    return audit


def get_records(request: Request) -> RecordStore:
    records: RecordStore = request.app.state.records
    return records


def get_session_memory(request: Request) -> SessionMemory:
    memory: SessionMemory = request.app.state.session_memory
    return memory


def get_suggester(request: Request) -> Suggester:
    suggester: Suggester = request.app.state.suggester
    return suggester


def get_builder(request: Request) -> IndexBuilder:
    builder: IndexBuilder = request.app.state.builder
    return builder


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def get_aliases(request: Request) -> AliasStore:
    aliases: AliasStore = request.app.state.aliases
    return aliases


def get_gaps(request: Request) -> GapStore:
    gaps: GapStore = request.app.state.gaps
    return gaps


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
