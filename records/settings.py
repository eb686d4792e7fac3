"""Where records are stored (environment prefix ``PLANBOT_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.settings import PROJECT_ROOT


class RecordsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'planbot.db'}",
        description="SQLAlchemy URL; a SQLite file under var/ by default.",
    )
