from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api.bodylimit import BodyLimit
from api.errors import install_error_handlers
from api.logs import configure_logging
from api.metrics import Metrics
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
from api.schemas import ErrorBody
from api.security import SecurityHeaders
from api.services import WebServices
from api.settings import Settings
from knowledge.answering.engine import AnswerEngine
from knowledge.embedding.embedder import Embedder
from planbot.runtime import Runtime
from planbot.settings import PlanbotSettings, load_settings
from staff.secrets import production_problems

LOG = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 3600.0

# Every router; pages last, so that its /{asset} route does not shadow the others.
ROUTERS = (
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
    pages.router,
)

# BodyLimit refuses any request whose body is over the limit before a route runs: every
# operation documents that answer (schemathesis holds the app to its schema).
TOO_LARGE: dict[int | str, dict[str, object]] = {
    413: {"model": ErrorBody, "description": "The request body is too large."}
}


class UnsafeConfiguration(RuntimeError):
    """Production settings that must not be served (placeholder secrets)."""


@dataclass(frozen=True)
class Doubles:
    """What tests put in place of the real model, engine and Rasa; the defaults are real."""

    embedder: Embedder | None = None
    engine_factory: Callable[[], AnswerEngine] | None = None
    rasa_transport: httpx.AsyncBaseTransport | None = None
    load_knowledge_in_background: bool = True


def create_app(
    settings: PlanbotSettings | None = None,
    *,
    embedder: Embedder | None = None,
    engine_factory: Callable[[], AnswerEngine] | None = None,
    load_knowledge_in_background: bool = True,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app over the settings tree (read from the environment when not given); tests pass
    a fake embedder or engine and a fake Rasa transport.

    Nothing is loaded here: the lifespan builds the process's :class:`Runtime` and the web
    services. In production mode placeholder secrets are refused here, before anything runs.
    """
    settings = settings or load_settings()
    configure_logging(settings.web.log_level)
    _refuse_unsafe(settings)
    doubles = Doubles(embedder, engine_factory, rasa_transport, load_knowledge_in_background)
    # Per app, never at import: each app (and each test) counts on its own registry.
    app_metrics = Metrics(multiprocess_dir=settings.web.metrics_multiprocess_dir)
    app = FastAPI(
        title="大兴规划问答助手",
        description="Answers from the published plan, every answer cited; never generated.",
        version="0.2.0",
        lifespan=_lifespan(settings, app_metrics, doubles),
        # Served by api/routers/apidocs.py from the app's own copy of Swagger UI (no CDN).
        docs_url=None,
        redoc_url=None,
    )
    _add_middleware(app, settings.web)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, responses=TOO_LARGE)
    return app


def _refuse_unsafe(settings: PlanbotSettings) -> None:
    if settings.web.environment != "production":
        return
    problems = production_problems(settings.web.secret_key, settings.database.database_url)
    if problems:
        raise UnsafeConfiguration("refusing to start in production: " + "; ".join(problems))


def _lifespan(
    settings: PlanbotSettings, app_metrics: Metrics, doubles: Doubles
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's life: the runtime and the web services are built, warmed, and closed here."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(
            settings,
            embedder=doubles.embedder,
            engine_factory=doubles.engine_factory,
            on_build=app_metrics.record_build,
        )
        web = WebServices.build(runtime, app_metrics, rasa_transport=doubles.rasa_transport)
        app.state.runtime, app.state.web = runtime, web
        try:
            await run_in_threadpool(
                runtime.warm_up, background=doubles.load_knowledge_in_background
            )
            housekeeping = asyncio.create_task(_housekeeping(runtime, web))
            try:
                yield
            finally:
                housekeeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await housekeeping
        finally:
            await web.close()
            runtime.close()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings) -> None:
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


async def _housekeeping(runtime: Runtime, web: WebServices) -> None:
    """Stored records masked again with today's rules (at start), then the retention rule (the
    app's records, and Rasa's tracker events in the production profile) and expired tokens, at
    start and then hourly; a failure is logged
    and retried next time, never fatal to serving."""
    days = runtime.settings.web.conversation_retention_days
    try:  # once per start: rows stored before the masking knew their form (RecordStore.remask)
        remasked = await run_in_threadpool(runtime.records.remask)
        if remasked:
            LOG.info("privacy: masked personal numbers in %d stored records", remasked)
    except Exception:
        LOG.exception("masking the stored records failed; they are tried again at next start")
    while True:
        try:
            purged = await run_in_threadpool(runtime.records.purge_older_than, days)
            await run_in_threadpool(web.tokens.purge_expired)
            if purged.turns or purged.tickets or purged.feedback:
                LOG.info("retention: removed %s", purged)
            if web.tracker_events is not None:
                events = await run_in_threadpool(
                    web.tracker_events.purge_older_than,
                    days,
                )
                if events:
                    LOG.info("retention: removed %d events from Rasa's tracker store", events)
        except Exception:
            LOG.exception("housekeeping failed; retrying in an hour")
        await asyncio.sleep(HOUSEKEEPING_SECONDS)
