"""The FastAPI app: :func:`create_app` builds it; nothing is created at import."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.actions_host import host_actions, release_actions
from api.bodylimit import BodyLimit
from api.logs import configure_logging
from api.message_vectors import MessageVectors
from api.metrics import Metrics
from api.passwords import PasswordGate
from api.rasa_client import RasaClient
from api.ratelimit import RateLimits, Rules
from api.routers import (
    actions,
    apidocs,
    chat,
    feedback,
    handoff,
    health,
    info,
    metrics,
    pages,
    search,
    sources,
    warm_up,
)
from api.routers.staff import accounts as staff_accounts
from api.routers.staff import aliases as staff_aliases
from api.routers.staff import audit as staff_audit
from api.routers.staff import auth as staff_auth
from api.routers.staff import documents as staff_documents
from api.routers.staff import gaps as staff_gaps
from api.routers.staff import index as staff_index
from api.routers.staff import insights as staff_insights
from api.routers.staff import totp as staff_totp
from api.routers.staff import try_question as staff_try
from api.schemas import NOT_FOUND, ErrorBody
from api.security import SecurityHeaders
from api.session_memory import LocalMemory, RedisMemory, SessionMemory
from api.settings import Settings
from api.state import KnowledgeHolder
from api.validation import chinese_problem
from docstore.aliases import AliasFollower, AliasStore
from docstore.audit import AuditLog
from docstore.indexing import IndexBuilder
from docstore.store import DocumentStore
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.suggestions import Suggester
from knowledge.embedding.embedder import Embedder
from knowledge.embedding.recent import RecentQueries
from knowledge.index.store import IndexUnavailable
from knowledge.settings import KnowledgeSettings
from records.gaps import GapStore
from records.store import RecordStore
from records.tracker_events import TrackerEvents
from staff.accounts import AccountStore
from staff.secrets import production_problems
from staff.tokens import TokenStore
from staff.totp import TotpStore
from storage.database import create_database_engine, create_schema

LOG = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 3600.0


class UnsafeConfiguration(RuntimeError):
    """Production settings that must not be served (placeholder secrets)."""


def create_app(
    settings: Settings | None = None,
    *,
    knowledge_settings: KnowledgeSettings | None = None,
    embedder: Embedder | None = None,
    engine_factory: Callable[[], AnswerEngine] | None = None,
    load_knowledge_in_background: bool = True,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; tests pass a fake embedder or engine and a fake Rasa transport.

    In production mode it refuses placeholder secrets here, before anything is served.
    """
    settings = settings or Settings()
    configure_logging(settings.log_level)
    if settings.environment == "production":
        problems = production_problems(settings.secret_key, settings.database_url)
        if problems:
            raise UnsafeConfiguration("refusing to start in production: " + "; ".join(problems))
    knowledge_settings = knowledge_settings or KnowledgeSettings()
    if embedder is None:
        from knowledge.service import create_embedder

        embedder = create_embedder(knowledge_settings)
    # One model for the engine, the index builder and the vectors sent with messages to Rasa;
    # the engine's retrieval of a message's text reuses the vector sent (a turn embeds once).
    shared_embedder = RecentQueries(embedder)
    message_vectors = MessageVectors(
        shared_embedder, knowledge_settings.embedding_model, knowledge_settings.query_prompt
    )

    def default_engine() -> AnswerEngine:
        from knowledge.service import create_engine

        return create_engine(knowledge_settings, shared_embedder)

    builders: list[IndexBuilder] = []
    followers: list[AliasFollower] = []

    def engine_or_rebuild() -> AnswerEngine:
        """An index that cannot be used (damaged on disk, missing) is rebuilt from the store;
        the holder retries the load shortly after."""
        try:
            return (engine_factory or default_engine)()
        except IndexUnavailable as exc:
            for builder in builders:
                # Shown to staff on the index page (the log has the exception).
                LOG.warning("the index could not be used (%s): rebuilding it", exc)
                builder.request("索引无法使用，从已发布文档重建", by="系统启动", allow_empty=False)
            raise

    # Per app, never at import: each app (and each test) counts on its own registry.
    app_metrics = Metrics(multiprocess_dir=settings.metrics_multiprocess_dir)
    holder = KnowledgeHolder(engine_or_rebuild, retry_seconds=settings.knowledge_retry_seconds)

    def warm_embedder() -> Embedder:
        """The builder embeds with the engine's model: one copy in memory, loaded once."""
        shared_embedder.warm_up()
        return shared_embedder

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = create_database_engine(settings.database_url)
        await run_in_threadpool(create_schema, database)
        documents = DocumentStore(database)
        app.state.database = database
        app.state.settings = settings
        app.state.metrics = app_metrics
        app.state.knowledge = holder
        app.state.rate_limits = _rate_limits(settings)
        app.state.password_gate = PasswordGate(
            settings.password_check_concurrency, settings.password_check_queue_seconds
        )
        app.state.documents = documents
        app.state.accounts = AccountStore(database)
        app.state.totp = TotpStore(database)
        app.state.tokens = TokenStore(
            database, secret_key=settings.secret_key, lifetime=timedelta(hours=settings.token_hours)
        )
        app.state.audit = AuditLog(database)
        app.state.records = RecordStore(database)
        tracker_database = settings.tracker_database_url()
        app.state.tracker_events = TrackerEvents(tracker_database) if tracker_database else None
        app.state.builder = IndexBuilder(
            documents, knowledge_settings, warm_embedder, on_build=app_metrics.record_build
        )
        app.state.aliases = AliasStore(database)
        app.state.gaps = GapStore(database)
        followers.append(
            AliasFollower(
                app.state.aliases,
                lambda: [e for e in (holder.engine,) if e is not None],
                interval=knowledge_settings.alias_check_seconds,
            ).start()
        )
        # Rasa's actions in this process, with this app's engine and records (one engine per
        # machine), unless a separate action server is configured.
        app.state.actions = (
            host_actions(holder, app.state.records, settings.hotline)
            if settings.actions_in_app
            else None
        )
        app.state.session_memory = _session_memory(settings)
        app.state.suggester = Suggester()
        builders.append(app.state.builder)
        app.state.rasa = RasaClient(
            settings.rasa_url,
            settings.actions_url,
            timeout=settings.rasa_timeout_seconds,
            hotline=settings.hotline,
            max_in_flight=settings.rasa_max_in_flight,
            queue_timeout=settings.rasa_queue_seconds,
            token=settings.rasa_token,
            transport=rasa_transport,
            metrics=app_metrics,
            metadata=message_vectors.metadata,
        )
        if load_knowledge_in_background:
            holder.start_loading()
        else:
            holder.load()
        if settings.index_watch_seconds:
            app.state.builder.watch(settings.index_watch_seconds)
        housekeeping = asyncio.create_task(_housekeeping(app))
        try:
            yield
        finally:
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            app.state.builder.stop()
            if app.state.actions is not None:
                release_actions()
            for follower in followers:
                follower.stop()
            await app.state.rasa.close()
            await app.state.session_memory.close()
            database.dispose()
            if app.state.tracker_events is not None:
                app.state.tracker_events.dispose()
            app_metrics.close()

    app = FastAPI(
        title="大兴规划问答助手",
        description="Answers from the published plan, every answer cited; never generated.",
        version="0.2.0",
        lifespan=lifespan,
        # Served by api/routers/apidocs.py from the app's own copy of Swagger UI (no CDN).
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(
        BodyLimit,
        default_bytes=settings.body_max_bytes,
        upload_bytes=settings.upload_max_bytes,
        batch_upload_bytes=settings.upload_batch_max_bytes,
        actions_bytes=settings.actions_body_max_bytes,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """Bad input gets a 422 that says which field is wrong and why, in Chinese."""
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "problem": chinese_problem(e),
            }
            for e in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's own answers (an unknown path, a wrong method) in Chinese, never echoing
        the path; the routes' own details pass through as they are."""
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = NOT_FOUND
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = "不支持这种请求方法。"
        return JSONResponse(
            status_code=exc.status_code, content={"detail": detail}, headers=exc.headers
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        """The database is away (restarting, network): say so with a 503 the caller may retry,
        never a 500. The public chat does not depend on it."""
        LOG.error("database unavailable on %s: %s", request.url.path, exc.__class__.__name__)
        return JSONResponse(
            status_code=503,
            content={"detail": "数据库暂时不可用，请稍后再试。"},
            headers={"Retry-After": "10"},
        )

    for router in (
        chat.router,
        feedback.router,
        handoff.router,
        search.router,
        info.router,
        health.router,
        metrics.router,
        apidocs.router,
        sources.router,
        staff_auth.router,
        staff_documents.router,
        staff_index.router,
        staff_insights.router,
        staff_accounts.router,
        staff_totp.router,
        staff_audit.router,
        staff_try.router,
        staff_aliases.router,
        staff_gaps.router,
        actions.router,
        warm_up.router,
    ):
        app.include_router(router, responses=TOO_LARGE)
    # Last: its /{asset} route must not shadow the others.
    app.include_router(pages.router, responses=TOO_LARGE)
    return app


# BodyLimit refuses any request whose body is over the limit before a route runs: every
# operation documents that answer (schemathesis holds the app to its schema).
TOO_LARGE: dict[int | str, dict[str, object]] = {
    413: {"model": ErrorBody, "description": "The request body is too large."}
}


def _session_memory(settings: Settings) -> SessionMemory:
    """The production profile's Redis when configured (shared by the replicas), else memory."""
    ttl = settings.session_memory_minutes * 60
    if settings.redis_host:
        return RedisMemory.connect(
            host=settings.redis_host,
            port=settings.redis_port,
            password=settings.redis_password,
            db=settings.redis_db,
            ttl_seconds=ttl,
        )
    return LocalMemory(ttl)


def _rate_limits(settings: Settings) -> RateLimits:
    """The limits, counted where the settings say; in production a count in this process's
    memory is allowed (one machine) but said, since replicas would each keep their own."""
    limits = RateLimits(
        settings.rate_limit_storage_uri(),
        Rules.per(
            chat_per_minute=settings.rate_limit_per_minute,
            search_per_minute=settings.search_limit_per_minute,
            login_per_minute=settings.login_attempts_per_minute,
            login_account_per_hour=settings.login_attempts_per_account_per_hour,
        ),
    )
    if settings.environment == "production" and limits.uri_scheme == "async+memory":
        LOG.warning(
            "rate limits are counted in this process only: with several replicas or workers set "
            "PLANBOT_REDIS_HOST (or PLANBOT_RATE_LIMIT_STORAGE) so that they share one count"
        )
    return limits


async def _housekeeping(app: FastAPI) -> None:
    """Stored records masked again with today's rules (at start), then the retention rule (the
    app's records, and Rasa's tracker events in the production profile) and expired tokens, at
    start and then hourly; a failure is logged
    and retried next time, never fatal to serving."""
    settings: Settings = app.state.settings
    try:  # once per start: rows stored before the masking knew their form (RecordStore.remask)
        remasked = await run_in_threadpool(app.state.records.remask)
        if remasked:
            LOG.info("privacy: masked personal numbers in %d stored records", remasked)
    except Exception:
        LOG.exception("masking the stored records failed; they are tried again at next start")
    while True:
        try:
            purged = await run_in_threadpool(
                app.state.records.purge_older_than, settings.conversation_retention_days
            )
            await run_in_threadpool(app.state.tokens.purge_expired)
            if purged.turns or purged.tickets or purged.feedback:
                LOG.info("retention: removed %s", purged)
            if app.state.tracker_events is not None:
                events = await run_in_threadpool(
                    app.state.tracker_events.purge_older_than,
                    settings.conversation_retention_days,
                )
                if events:
                    LOG.info("retention: removed %d events from Rasa's tracker store", events)
        except Exception:
            LOG.exception("housekeeping failed; retrying in an hour")
        await asyncio.sleep(HOUSEKEEPING_SECONDS)
