"""The FastAPI app: :func:`create_app` builds it; nothing is created at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.rasa_client import RasaClient
from api.ratelimit import RateLimiter
from api.routers import chat, health, info, pages, search, sources
from api.settings import Settings
from api.state import KnowledgeHolder
from knowledge.answering.engine import AnswerEngine


def _default_engine_factory() -> AnswerEngine:
    from knowledge.service import create_engine
    from knowledge.settings import KnowledgeSettings

    return create_engine(KnowledgeSettings())


def create_app(
    settings: Settings | None = None,
    *,
    engine_factory: Callable[[], AnswerEngine] | None = None,
    load_knowledge_in_background: bool = True,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; tests pass a fake engine and a fake Rasa transport instead of real ones."""
    settings = settings or Settings()
    holder = KnowledgeHolder(engine_factory or _default_engine_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.knowledge = holder
        app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
        app.state.rasa = RasaClient(
            settings.rasa_url,
            settings.actions_url,
            timeout=settings.rasa_timeout_seconds,
            hotline=settings.hotline,
            transport=rasa_transport,
        )
        if load_knowledge_in_background:
            holder.start_loading()
        else:
            holder.load()
        try:
            yield
        finally:
            await app.state.rasa.close()

    app = FastAPI(
        title="大兴规划问答助手",
        description="Answers from the published plan, every answer cited; never generated.",
        version="0.1.0",
        lifespan=lifespan,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """Bad input gets a 422 that says which field is wrong and why."""
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "problem": e["msg"],
            }
            for e in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    for router in (chat.router, search.router, info.router, health.router, sources.router):
        app.include_router(router)
    app.include_router(pages.router)  # last: its /{asset} route must not shadow the others
    return app
