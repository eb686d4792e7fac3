"""Refusing placeholder secrets in production: the service will not start with them."""

from __future__ import annotations

# Good enough on a developer's machine; refused in production.
DEVELOPMENT_SECRET = "development-only-not-secret"
_PLACEHOLDERS = {"", DEVELOPMENT_SECRET, "changeme", "change-me", "secret", "password", "xxx"}
_PLACEHOLDER_PASSWORDS = ("password", "changeme", "postgres", "secret")


def production_problems(secret_key: str, database_url: str) -> list[str]:
    """What makes these settings unfit for production; empty when they are fit."""
    found = []
    if secret_key.strip().lower() in _PLACEHOLDERS or len(secret_key) < 32:
        found.append("PLANBOT_SECRET_KEY is a placeholder or shorter than 32 characters")
    lowered = database_url.lower()
    if lowered.startswith("sqlite"):
        found.append(
            "PLANBOT_DATABASE_URL is SQLite: every replica would keep its own documents and "
            "accounts; use PostgreSQL"
        )
    for word in _PLACEHOLDER_PASSWORDS:
        if f":{word}@" in lowered:
            found.append(f"PLANBOT_DATABASE_URL uses the placeholder password {word!r}")
    return found
