"""The web app's own services, beside the process's :class:`~planbot.runtime.Runtime`.

The runtime holds what every part of the assistant shares (engine, stores, index builder); these
exist only because there is an HTTP front: the client of Rasa, rate limits, the password-check
gate, staff log-in tokens, the chat's session memory, metrics, Rasa's tracker events for the
retention job, and the in-app action executor. Built once per app in its lifespan
(api/main.py), reached by the routes through api/deps.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx

from api.actions_host import ActionsHost, host_actions, release_actions
from api.message_vectors import MessageVectors
from api.metrics import Metrics
from api.passwords import PasswordGate
from api.prefetch import DecisionPrefetcher
from api.rasa_client import RasaClient
from api.ratelimit import RateLimits, Rules
from api.session_memory import LocalMemory, RedisMemory, SessionMemory
from api.settings import Settings
from knowledge.answering.suggestions import Suggester
from planbot.runtime import Runtime
from records.tracker_events import TrackerEvents
from staff.tokens import TokenStore

LOG = logging.getLogger(__name__)


@dataclass
class WebServices:
    """Mutable on purpose: tests swap one service (a store whose database is gone, say)."""

    metrics: Metrics
    rasa: RasaClient
    rate_limits: RateLimits
    password_gate: PasswordGate
    tokens: TokenStore
    session_memory: SessionMemory
    suggester: Suggester
    tracker_events: TrackerEvents | None
    actions: ActionsHost | None
    # Decides typed messages while Rasa reads them, when the actions run in this process.
    prefetcher: DecisionPrefetcher | None

    @classmethod
    def build(
        cls,
        runtime: Runtime,
        metrics: Metrics,
        *,
        rasa_transport: httpx.AsyncBaseTransport | None = None,
    ) -> WebServices:
        web = runtime.settings.web
        knowledge = runtime.settings.knowledge
        # The vector sent with each message to Rasa comes from the runtime's one embedder, so
        # the engine's retrieval of the same text reuses it (a question turn embeds once).
        vectors = MessageVectors(
            runtime.embedder, knowledge.embedding_model, knowledge.query_prompt
        )
        tracker_database = web.tracker_database_url()
        return cls(
            metrics=metrics,
            rasa=RasaClient(
                web.rasa_url,
                web.actions_url,
                timeout=web.rasa_timeout_seconds,
                hotline=runtime.settings.contact.hotline,
                max_in_flight=web.rasa_max_in_flight,
                queue_timeout=web.rasa_queue_seconds,
                token=web.rasa_token,
                transport=rasa_transport,
                metrics=metrics,
                metadata=vectors.metadata,
            ),
            rate_limits=_rate_limits(web),
            password_gate=PasswordGate(
                web.password_check_concurrency, web.password_check_queue_seconds
            ),
            tokens=TokenStore(
                runtime.database,
                secret_key=web.secret_key,
                lifetime=timedelta(hours=web.token_hours),
            ),
            session_memory=_session_memory(web),
            suggester=Suggester(),
            tracker_events=TrackerEvents(tracker_database) if tracker_database else None,
            # Rasa's actions in this process, on the runtime's engine and records (one engine
            # per machine), unless a separate action server is configured.
            actions=host_actions(runtime) if web.actions_in_app else None,
            prefetcher=DecisionPrefetcher() if web.actions_in_app else None,
        )

    async def close(self) -> None:
        if self.prefetcher is not None:
            self.prefetcher.close()
        if self.actions is not None:
            release_actions()
        await self.rasa.close()
        await self.session_memory.close()
        if self.tracker_events is not None:
            self.tracker_events.dispose()
        self.metrics.close()


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
