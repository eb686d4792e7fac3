"""What each role may do; routes ask for a permission, never for a role name."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    EDITOR = "editor"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"  # documents, versions, diffs, index status, knowledge gaps, feedback
    EDIT = "edit"  # create and change drafts, upload, preview
    PUBLISH = "publish"  # publish, roll back, delete, rebuild the index
    # Tickets hold residents' contacts (given for a call back) and whole transcripts: only
    # those who answer them may read them, not everyone who edits documents.
    TICKETS = "tickets"  # read, export, close and reopen handoff and cooperation tickets
    MANAGE_ACCOUNTS = "manage_accounts"
    AUDIT = "audit"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.EDITOR: frozenset({Permission.READ, Permission.EDIT}),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: str, permission: Permission) -> bool:
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
