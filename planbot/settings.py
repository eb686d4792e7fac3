"""The one settings tree: every ``PLANBOT_*`` setting of the assistant, read once.

Why one tree: the web app, the actions and the CLI each used to instantiate the settings classes
they needed, wherever they needed them (and the hotline lived in two of them). Now
:func:`load_settings` reads the environment once and the composition root
(:class:`planbot.runtime.Runtime`) hands each part its branch. The branches stay the classes
their packages define (the knowledge core's, the database's, the web app's); only the
resident-facing contact details are defined here, since the engine, the web app and the
actions all name them. Every variable keeps its flat name (``PLANBOT_HOTLINE``,
``PLANBOT_DATABASE_URL``, …): the tree is a Python structure, not a new naming scheme.

``knowledge/`` never imports this module: the knowledge core gets its own branch (and the
contact values) passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.settings import Settings as WebSettings
from knowledge.settings import KnowledgeSettings
from storage.database import DatabaseSettings


class ContactSettings(BaseSettings):
    """Where residents are sent, and what they are promised about tickets."""

    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore")

    hotline: str = Field(
        default="12345",
        min_length=1,
        description=(
            "The citizen hotline every reply names when it sends a resident elsewhere: the "
            "engine's declines, the actions' messages, the web app's error replies, /api/info."
        ),
    )
    contact: str = Field(
        default="北京12345市民服务热线",
        min_length=1,
        description="Where residents are sent when the sources do not answer.",
    )
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


class PlanbotSettings(BaseModel):
    """The whole configuration, one branch per concern (frozen: read once, then shared)."""

    model_config = ConfigDict(frozen=True)

    knowledge: KnowledgeSettings
    database: DatabaseSettings
    web: WebSettings
    contact: ContactSettings


def load_settings(
    *,
    knowledge: KnowledgeSettings | None = None,
    database: DatabaseSettings | None = None,
    web: WebSettings | None = None,
    contact: ContactSettings | None = None,
) -> PlanbotSettings:
    """The tree from the environment; a branch passed in is used as given (tests, tools)."""
    return PlanbotSettings(
        knowledge=knowledge or KnowledgeSettings(),
        database=database or DatabaseSettings(),
        web=web or WebSettings(),
        contact=contact or ContactSettings(),
    )


def child_web_settings(env: Mapping[str, str], names: Iterable[str]) -> WebSettings:
    """The web branch as a child process would read it when started with ``env`` on top of
    this environment (the launcher): for the fields ``names``, a ``PLANBOT_<NAME>`` in
    ``env`` wins, checked and converted by the class; the rest comes from the environment."""
    given: dict[str, Any] = {}
    for name in names:
        value = env.get(f"PLANBOT_{name.upper()}")
        if value is not None:
            given[name] = value
    return WebSettings(**given)
