"""The web service's one settings class (environment prefix ``PLANBOT_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Rasa's server on loopback; only its REST webhook and /status are used.",
    )
    actions_url: str = Field(
        default="http://127.0.0.1:5055", description="The action server, for /readyz."
    )
    rasa_timeout_seconds: float = Field(default=30.0, gt=0)
    hotline: str = "12345"
    contact: str = "北京12345市民服务热线"
    cors_origins: list[str] = Field(
        default_factory=list,
        description=(
            "The district website's origins: allowed to call the API from a browser and to "
            "embed the chat page (widget.js); none by default."
        ),
    )
    rate_limit_per_minute: int = Field(default=30, ge=1, description="Chat turns per client.")
    search_max_k: int = Field(default=20, ge=1)
