"""What the service records about conversations: handoff tickets and answer feedback.

Kept apart from ``knowledge`` (which only answers) so the action server and the web app can both
write here without depending on each other. SQLAlchemy: a SQLite file by default, PostgreSQL by
URL.
"""
