"""Dependencies injected into the routes (FastAPI ``Annotated`` style).

Everything lives on ``app.state``, created in the app's lifespan, never at import.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.rasa_client import RasaClient
from api.ratelimit import RateLimiter
from api.settings import Settings
from api.state import KnowledgeHolder


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_rasa(request: Request) -> RasaClient:
    rasa: RasaClient = request.app.state.rasa
    return rasa


def get_knowledge(request: Request) -> KnowledgeHolder:
    holder: KnowledgeHolder = request.app.state.knowledge
    return holder


def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
KnowledgeDep = Annotated[KnowledgeHolder, Depends(get_knowledge)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
