"""Searching, filtering and sorting the document list in the database.

The staff list grows with every notice; filtering it in the page would send every document on
every view. The query here runs in SQL on both databases the store supports (SQLite and
PostgreSQL): one join of each document with its latest version (where the title lives), the
derived status as a CASE expression so it can be filtered and sorted like a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from docstore.models import DocumentRecord, DocumentVersion

Status = Literal["draft", "published", "changed", "deleted"]
SortKey = Literal["doc_id", "title", "status", "updated_at", "published_at"]
STATUSES: tuple[Status, ...] = ("draft", "changed", "published", "deleted")


@dataclass(frozen=True)
class DocumentQuery:
    """What the list shows. The defaults list every document by id, as before filters existed.

    ``text`` matches the latest title or the id, ignoring case (``%`` and ``_`` are literal);
    ``updated_since`` / ``updated_before`` bound the latest version's time (the first
    inclusive, the second exclusive, aware datetimes).
    """

    text: str = ""
    statuses: tuple[Status, ...] = ()
    updated_since: datetime | None = None
    updated_before: datetime | None = None
    sort: SortKey = "doc_id"
    descending: bool = False


def status_expression() -> ColumnElement[str]:
    """The status of :func:`docstore.store._status`, in SQL."""
    return case(
        (DocumentRecord.deleted_at.is_not(None), "deleted"),
        (DocumentRecord.published_version.is_(None), "draft"),
        (DocumentRecord.published_version == DocumentRecord.latest_version, "published"),
        else_="changed",
    )


def documents_query(query: DocumentQuery) -> Select[DocumentRecord, DocumentVersion]:
    """Each matching document with its latest version, in the order asked."""
    status = status_expression()
    statement = select(DocumentRecord, DocumentVersion).join(
        DocumentVersion,
        and_(
            DocumentVersion.doc_id == DocumentRecord.doc_id,
            DocumentVersion.version == DocumentRecord.latest_version,
        ),
    )
    text = query.text.strip().lower()
    if text:
        statement = statement.where(
            or_(
                func.lower(DocumentVersion.title).contains(text, autoescape=True),
                func.lower(DocumentRecord.doc_id).contains(text, autoescape=True),
            )
        )
    if query.statuses:
        statement = statement.where(status.in_(query.statuses))
    if query.updated_since is not None:
        statement = statement.where(DocumentVersion.created_at >= query.updated_since)
    if query.updated_before is not None:
        statement = statement.where(DocumentVersion.created_at < query.updated_before)
    return statement.order_by(*_order(query, status))


def _order(query: DocumentQuery, status: ColumnElement[str]) -> list[Any]:
    """The sort column, then the id as a tie-breaker (always ascending, so pages are stable).
    Documents never published sort after the published ones by publishing time, either way."""
    columns: dict[str, Any] = {
        "doc_id": DocumentRecord.doc_id,
        "title": DocumentVersion.title,
        # Drafts first: what needs attention before what is settled.
        "status": case({s: n for n, s in enumerate(STATUSES)}, value=status),
        "updated_at": DocumentVersion.created_at,
        "published_at": DocumentRecord.published_at,
    }
    column = columns[query.sort]
    ordered = column.desc() if query.descending else column.asc()
    keys: list[Any] = []
    if query.sort == "published_at":
        keys.append(DocumentRecord.published_at.is_(None))  # False (published) first
    keys.append(ordered)
    if query.sort != "doc_id":
        keys.append(DocumentRecord.doc_id.asc())
    return keys
