"""What residents are told about tickets, from the environment (prefix ``PLANBOT_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TicketSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    handoff_response_time: str = Field(
        default="2个工作日内",
        min_length=1,
        max_length=40,
        description=(
            "When staff answer a ticket, in the words the bot uses (…会在{this}答复): the one "
            "promise the handoff makes, so it must match how the office really works."
        ),
    )
    inquiry_response_time: str = Field(
        default="3个工作日内",
        min_length=1,
        max_length=40,
        description=(
            "When an enterprise that left its inquiry is contacted by investment staff, as "
            "the inquiry's closing reply states it."
        ),
    )
