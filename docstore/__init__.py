"""The document store: the one source of truth for the knowledge the assistant answers from.

Every version of every document lives here (SQLAlchemy: SQLite under var/ by default,
PostgreSQL by URL). Staff edit drafts and publish them; the index is always built from the
published versions in this store, never from files directly (files are imported into it).
"""
