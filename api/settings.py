"""The web service's settings (environment prefix ``PLANBOT_``): the ``web`` branch of the one
settings tree (planbot/settings.py). The database URL is the tree's ``database`` branch and the
hotline its ``contact`` branch, read once for every part of the assistant."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.ratelimit import storage_uri
from api.slow_clients import SlowClientLimits
from docstore.isolation import ConversionLimits
from staff.secrets import DEVELOPMENT_SECRET


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development",
        description="In production the service refuses to start with placeholder secrets.",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET,
        description="Keys the stored hashes of staff login tokens; the same on every replica.",
    )
    token_hours: float = Field(default=8.0, gt=0, le=720, description="Staff login lifetime.")
    login_attempts_per_minute: int = Field(
        default=10,
        ge=1,
        description="Failed staff log-ins per client address and minute, whatever the username.",
    )
    login_attempts_per_account_per_hour: int = Field(
        default=30,
        ge=1,
        description=(
            "Failed log-ins per account and hour, from any address (guessing one password from "
            "many addresses); a success clears the account's count."
        ),
    )
    password_check_concurrency: int = Field(
        default=2,
        ge=1,
        le=16,
        description="argon2 checks one process runs at once (each takes 64 MiB and a core).",
    )
    password_check_queue_seconds: float = Field(
        default=10.0, gt=0, description="How long a log-in waits for a check before 'busy'."
    )
    conversation_retention_days: int = Field(
        default=180,
        ge=1,
        description=(
            "Conversations (the question log and Rasa's trackers), feedback and closed tickets "
            "older go."
        ),
    )
    tracker_idle_minutes: float = Field(
        default=120,
        gt=0,
        description=(
            "The embedded default's Rasa forgets a conversation idle this long (Rasa starts a "
            "new session after 60 minutes anyway): rasa_runtime/tracker_store.py."
        ),
    )
    tracker_max_conversations: int = Field(
        default=10_000,
        ge=1,
        description=(
            "The embedded default's Rasa keeps at most this many conversations in memory "
            "(6-35 KB each); beyond, the least recently active goes."
        ),
    )
    tracker_db_host: str = Field(
        default="",
        description=(
            "The production profile's tracker database (Rasa's SQL tracker store, "
            "bot/endpoints.production.yml); when set, the retention job also deletes Rasa's "
            "events older than the retention there."
        ),
    )
    tracker_db_port: int = Field(default=5432, ge=1, le=65535)
    tracker_db_name: str = "rasa"
    tracker_db_user: str = ""
    tracker_db_password: str = ""
    index_watch_seconds: float = Field(
        default=5.0,
        ge=0,
        description=(
            "How often this replica compares its index with what is published in the database "
            "and rebuilds when behind (a publish made on another machine); 0 turns it off."
        ),
    )
    knowledge_retry_seconds: float = Field(
        default=15.0, gt=0, description="After a failed index load, when to try again."
    )
    body_max_bytes: int = Field(
        default=1_000_000, ge=10_000, description="Any request body but an upload."
    )
    upload_max_bytes: int = Field(default=2_000_000, ge=1_000, description="Staff uploads.")
    upload_max_files: int = Field(
        default=10, ge=1, le=100, description="Files one multi-file upload may hold."
    )
    upload_batch_max_bytes: int = Field(
        default=10_000_000,
        ge=1_000,
        description="A multi-file upload's whole body (each file is still held to the above).",
    )
    upload_convert_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Wall-clock limit of one upload's conversion (a child process, then killed).",
    )
    upload_convert_cpu_seconds: int = Field(
        default=10, ge=1, description="CPU-time limit of the conversion's child process."
    )
    upload_convert_memory_mb: int = Field(
        default=512, ge=128, description="Address-space limit of the conversion's child process."
    )

    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description=(
            "Rasa's server on loopback: its REST webhook, /status and the conversation's "
            "tracker (for the contact form) are used."
        ),
    )
    rasa_token: str = Field(
        default="",
        description=(
            "The token Rasa's HTTP API was started with (rasa_runtime passes it as "
            "--auth-token); planbot serve generates one per run when it is not set."
        ),
    )
    actions_url: str = Field(
        default="http://127.0.0.1:5055",
        description="The separate action server, for /readyz (when actions_in_app is off).",
    )
    actions_in_app: bool = Field(
        default=True,
        description=(
            "Serve rasa-sdk's action executor inside this app (POST "
            "/internal/actions/webhook, for Rasa only) so that the actions answer with this "
            "app's engine: one model and index per machine. Off: a separate `python -m "
            "rasa_sdk` action server at actions_url, with an engine of its own."
        ),
    )
    action_secret: str = Field(
        default="",
        description=(
            "The X-Planbot-Action-Secret header Rasa sends with every action call; the in-app "
            "executor refuses calls without it (planbot serve makes one per run when unset)."
        ),
    )
    actions_body_max_bytes: int = Field(
        default=16_000_000,
        ge=10_000,
        description="An action call's body (Rasa sends the conversation's whole tracker).",
    )
    rasa_timeout_seconds: float = Field(default=30.0, gt=0)
    rasa_max_in_flight: int = Field(
        default=4,
        ge=1,
        description=(
            "Webhook calls this process keeps open to Rasa at once; further turns queue here in "
            "arrival order (see api/rasa_client.py and docs/BENCHMARKS.md for the measurement)."
        ),
    )
    rasa_queue_seconds: float = Field(
        default=20.0, gt=0, description="How long a turn may wait for a slot before 'busy'."
    )
    metrics_multiprocess_dir: str = Field(
        default="",
        validation_alias=AliasChoices("metrics_multiprocess_dir", "PROMETHEUS_MULTIPROC_DIR"),
        description=(
            "prometheus-client's own PROMETHEUS_MULTIPROC_DIR: with several uvicorn workers each "
            "writes its metrics there and GET /metrics adds them up (api/metrics.py). Empty "
            "(one worker): the process's own values."
        ),
    )
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    cors_origins: list[str] = Field(
        default_factory=list,
        description=(
            "The district website's origins: allowed to call the API from a browser and to "
            "embed the chat page (widget.js); none by default."
        ),
    )
    rate_limit_per_minute: int = Field(default=30, ge=1, description="Chat turns per client.")
    search_limit_per_minute: int = Field(
        default=30, ge=1, description="/api/search calls per client (each embeds the query)."
    )
    ticket_lookup_limit_per_minute: int = Field(
        default=10,
        ge=1,
        description="Reference-code lookups (/api/handoff/tickets/{code}) per client and minute.",
    )
    handoff_poll_limit_per_minute: int = Field(
        default=30,
        ge=1,
        description=(
            "Polls for staff replies (/api/handoff/answers) per client and minute; the page "
            "polls every 5 s at most, backing off to 2 minutes."
        ),
    )
    rate_limit_storage: str = Field(
        default="",
        description=(
            "Where the rate limits count (a `limits` storage URI, e.g. async+redis://…); by "
            "default the production profile's Redis when PLANBOT_REDIS_HOST is set, so that "
            "replicas share one count, else this process's memory."
        ),
    )
    redis_host: str = Field(default="", description="The production profile's Redis.")
    redis_port: int = Field(default=6379, ge=1, le=65535)
    redis_password: str = ""
    redis_db: int = Field(default=0, ge=0)
    forwarded_allow_ips: str = Field(
        default="",
        description=(
            "Comma-separated addresses (or networks) of the reverse proxies whose "
            "X-Forwarded-For/-Proto uvicorn believes; none by default, so a client cannot "
            "choose the address the limits and the audit log see (planbot/launcher.py)."
        ),
    )
    search_max_k: int = Field(default=20, ge=1)
    api_header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description=(
            "A request's head (request line and headers) must arrive within this of the "
            "connection opening, else 408 and the connection is closed (api/slow_clients.py)."
        ),
    )
    api_body_idle_seconds: float = Field(
        default=10.0, gt=0, description="Longest pause between two reads of a request body."
    )
    api_body_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A whole request body (an upload is at most 2 MB) must arrive within this.",
    )
    api_max_pending_requests: int = Field(
        default=1000,
        ge=1,
        description=(
            "Connections of one worker still sending a request; past it the one waiting "
            "longest is closed. They do not count against --limit-concurrency."
        ),
    )
    session_memory_minutes: float = Field(
        default=120,
        gt=0,
        le=7 * 24 * 60,
        description=(
            "How long the buttons offered in a conversation stay clickable and its replies can "
            "be rated; kept in the production profile's Redis when PLANBOT_REDIS_HOST is set "
            "(shared by the replicas), else in this process's memory (api/session_memory.py)."
        ),
    )

    def rate_limit_storage_uri(self) -> str:
        """The `limits` storage the rate limits count in (see api/ratelimit.py)."""
        return storage_uri(
            self.rate_limit_storage,
            redis_host=self.redis_host,
            redis_port=self.redis_port,
            redis_password=self.redis_password,
            redis_db=self.redis_db,
        )

    def tracker_database_url(self) -> str | None:
        """Rasa's tracker database (PostgreSQL) as a SQLAlchemy URL, when configured."""
        if not self.tracker_db_host:
            return None
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql+psycopg",
            username=self.tracker_db_user or None,
            password=self.tracker_db_password or None,
            host=self.tracker_db_host,
            port=self.tracker_db_port,
            database=self.tracker_db_name,
        ).render_as_string(hide_password=False)

    def rasa_environment(self) -> dict[str, str]:
        """The settings the Rasa process reads through its endpoints file (bot/endpoints.yml)."""
        return {
            "PLANBOT_TRACKER_IDLE_MINUTES": str(self.tracker_idle_minutes),
            "PLANBOT_TRACKER_MAX_CONVERSATIONS": str(self.tracker_max_conversations),
            "PLANBOT_CONVERSATION_RETENTION_DAYS": str(self.conversation_retention_days),
        }

    def slow_client_limits(self) -> SlowClientLimits:
        """How long a client may take to send a request (see api/slow_clients.py)."""
        return SlowClientLimits(
            header_seconds=self.api_header_timeout_seconds,
            body_idle_seconds=self.api_body_idle_seconds,
            body_seconds=self.api_body_timeout_seconds,
            max_pending=self.api_max_pending_requests,
        )

    def conversion_limits(self) -> ConversionLimits:
        """The limits an upload's conversion runs under (see docstore/isolation.py)."""
        return ConversionLimits(
            cpu_seconds=self.upload_convert_cpu_seconds,
            memory_bytes=self.upload_convert_memory_mb * 1024 * 1024,
            wall_seconds=self.upload_convert_seconds,
        )
