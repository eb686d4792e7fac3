"""Every version of every document: drafts, publishing, rollback, deletion, import and export.

Edits carry the version they started from (optimistic concurrency): an edit based on anything
but the latest version is refused with :class:`StaleEdit`, and two edits racing from the same
base cannot both land because (doc_id, version) is unique. Deleting retires a document (it
stops being cited) but keeps its history, so it can be restored by rolling back.
"""

from __future__ import annotations

import difflib
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from docstore import markdown
from docstore.audit import add_entry
from docstore.chardiff import DiffHunk, diff_lines
from docstore.listing import DocumentQuery, documents_query
from docstore.models import DocumentRecord, DocumentVersion
from knowledge.documents import Document, DocumentError, parse_document, valid_doc_id

MAX_TITLE = 300  # the columns' sizes (PostgreSQL enforces them; SQLite would not)
MAX_NOTE = 300


class StaleEdit(Exception):
    """The edit started from an older version than the latest one."""

    def __init__(self, doc_id: str, base_version: int, latest_version: int) -> None:
        super().__init__(
            f"{doc_id}：您的修改基于第 {base_version} 版，但最新已是第 {latest_version} 版。"
            "请载入最新版本后再改。"
        )
        self.base_version = base_version
        self.latest_version = latest_version


class UnknownDocument(LookupError):
    pass


class UnknownVersion(LookupError):
    pass


@dataclass(frozen=True)
class VersionView:
    doc_id: str
    version: int
    title: str
    metadata: dict[str, str]
    content: str
    content_hash: str
    created_at: datetime
    created_by: str
    note: str
    published_at: datetime | None = None
    published_by: str | None = None
    publish_note: str | None = None


@dataclass(frozen=True)
class DocumentView:
    doc_id: str
    title: str  # of the latest version
    version: int  # the latest version
    published_version: int | None
    status: str  # draft | published | changed (published, newer draft) | deleted
    origin: str
    created_at: datetime
    updated_at: datetime
    updated_by: str
    published_at: datetime | None
    deleted_at: datetime | None
    latest: VersionView | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ImportOutcome:
    doc_id: str
    action: str  # created | updated | unchanged | retired
    version: int | None


def _status(record: DocumentRecord) -> str:
    if record.deleted_at is not None:
        return "deleted"
    if record.published_version is None:
        return "draft"
    return "published" if record.published_version == record.latest_version else "changed"


def _version_view(v: DocumentVersion) -> VersionView:
    return VersionView(
        v.doc_id,
        v.version,
        v.title,
        dict(v.doc_metadata),
        v.content,
        v.content_hash,
        v.created_at,
        v.created_by,
        v.note,
        v.published_at,
        v.published_by,
        v.publish_note,
    )


def _hash(title: str, content: str, metadata: dict[str, str]) -> str:
    return hashlib.sha256(markdown.compose(title, content, metadata).encode("utf-8")).hexdigest()


class DocumentStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- reading ------------------------------------------------------------------------------

    def documents(self, *, include_deleted: bool = True) -> list[DocumentView]:
        with self._sessions() as session:
            records = session.scalars(select(DocumentRecord).order_by(DocumentRecord.doc_id))
            views = [self._view(session, r) for r in records]
        return [v for v in views if include_deleted or v.status != "deleted"]

    def find(self, query: DocumentQuery) -> list[DocumentView]:
        """The documents matching ``query``, in its order (one query, see docstore.listing)."""
        with self._sessions() as session:
            rows = session.execute(documents_query(query)).all()
            return [_document_view(record, latest) for record, latest in rows]

    def get(self, doc_id: str) -> DocumentView:
        with self._sessions() as session:
            return self._view(session, self._record(session, doc_id), with_content=True)

    def has_documents(self) -> bool:
        """Whether this database holds any document at all, retired ones included."""
        with self._sessions() as session:
            return session.scalar(select(DocumentRecord.doc_id).limit(1)) is not None

    def exists(self, doc_id: str) -> bool:
        with self._sessions() as session:
            return session.get(DocumentRecord, doc_id) is not None

    def version(self, doc_id: str, version: int) -> VersionView:
        with self._sessions() as session:
            self._record(session, doc_id)
            return _version_view(self._version(session, doc_id, version))

    def history(self, doc_id: str) -> list[VersionView]:
        with self._sessions() as session:
            self._record(session, doc_id)
            rows = session.scalars(
                select(DocumentVersion)
                .where(DocumentVersion.doc_id == doc_id)
                .order_by(DocumentVersion.version.desc())
            )
            return [_version_view(v) for v in rows]

    def diff(self, doc_id: str, from_version: int, to_version: int) -> list[str]:
        """A unified diff of the composed Markdown (title and metadata included)."""
        a, b = self.version(doc_id, from_version), self.version(doc_id, to_version)
        return list(
            difflib.unified_diff(
                markdown.compose(a.title, a.content, a.metadata).splitlines(),
                markdown.compose(b.title, b.content, b.metadata).splitlines(),
                fromfile=f"{doc_id} v{from_version}",
                tofile=f"{doc_id} v{to_version}",
                lineterm="",
            )
        )

    def char_diff(self, doc_id: str, from_version: int, to_version: int) -> list[DiffHunk]:
        """The same comparison as :meth:`diff`, with changed characters marked in changed
        lines (docstore.chardiff)."""
        a, b = self.version(doc_id, from_version), self.version(doc_id, to_version)
        return diff_lines(
            markdown.compose(a.title, a.content, a.metadata).splitlines(),
            markdown.compose(b.title, b.content, b.metadata).splitlines(),
        )

    def published_documents(self) -> tuple[list[Document], list[DocumentError]]:
        """What the index is built from: the published version of every live document.

        Versions were checked when saved; a version that no longer parses (the parser became
        stricter) is reported and left out rather than stopping the whole build.
        """
        documents: list[Document] = []
        errors: list[DocumentError] = []
        with self._sessions() as session:
            rows = session.execute(
                select(DocumentVersion)
                .join(DocumentRecord, DocumentRecord.doc_id == DocumentVersion.doc_id)
                .where(
                    DocumentRecord.deleted_at.is_(None),
                    DocumentRecord.published_version == DocumentVersion.version,
                )
                .order_by(DocumentVersion.doc_id)
            ).scalars()
            for v in rows:
                try:
                    documents.append(markdown.parse(v.doc_id, v.title, v.content, v.doc_metadata))
                except DocumentError as exc:
                    errors.append(exc)
        return documents, errors

    def published_fingerprint(self) -> str:
        """Changes whenever what is published changes: lets a builder skip needless work."""
        with self._sessions() as session:
            rows = session.execute(
                select(DocumentRecord.doc_id, DocumentRecord.published_version).where(
                    DocumentRecord.deleted_at.is_(None),
                    DocumentRecord.published_version.is_not(None),
                )
            ).all()
        return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()

    # -- writing ------------------------------------------------------------------------------

    def create(
        self,
        title: str,
        content: str,
        *,
        actor: str,
        metadata: dict[str, str] | None = None,
        doc_id: str | None = None,
        origin: str = "staff",
        note: str = "",
    ) -> VersionView:
        """A new document with its first version, a draft. Raises DocumentError if it does
        not parse, ValueError if the id is taken or invalid."""
        doc_id = doc_id or f"doc-{secrets.token_hex(4)}"
        if not valid_doc_id(doc_id):
            raise ValueError(f"invalid document id {doc_id!r}: letters, digits, '-', '_', '.'")
        metadata = dict(metadata or {})
        markdown.parse(doc_id, title, content, metadata)
        try:
            with self._sessions.begin() as session:
                if session.get(DocumentRecord, doc_id) is not None:
                    raise ValueError(f"a document with id {doc_id!r} exists")
                session.add(DocumentRecord(doc_id=doc_id, created_by=actor, origin=origin))
                session.flush()
                version = self._add_version(
                    session, doc_id, 1, title, content, metadata, actor, note
                )
                add_entry(session, actor, "create", doc_id=doc_id, version=1, title=title)
                return version
        except IntegrityError as exc:
            raise ValueError(f"a document with id {doc_id!r} exists") from exc

    def update(
        self,
        doc_id: str,
        content: str,
        *,
        base_version: int,
        actor: str,
        title: str | None = None,
        metadata: dict[str, str] | None = None,
        note: str = "",
    ) -> VersionView:
        """A new draft version on top of ``base_version``, which must be the latest."""
        try:
            with self._sessions.begin() as session:
                record = self._record(session, doc_id)
                if base_version != record.latest_version:
                    raise StaleEdit(doc_id, base_version, record.latest_version)
                latest = self._version(session, doc_id, record.latest_version)
                title = latest.title if title is None else title
                metadata = dict(latest.doc_metadata) if metadata is None else dict(metadata)
                markdown.parse(doc_id, title, content, metadata)
                version = self._add_version(
                    session, doc_id, base_version + 1, title, content, metadata, actor, note
                )
                add_entry(session, actor, "edit", doc_id=doc_id, version=version.version)
                return version
        except IntegrityError as exc:  # another edit from the same base landed first
            raise StaleEdit(doc_id, base_version, base_version + 1) from exc

    def publish(
        self,
        doc_id: str,
        *,
        actor: str,
        expected_version: int | None = None,
        note: str = "",
    ) -> VersionView:
        """Make the latest version the one the assistant answers from. With
        ``expected_version`` (the version the publisher reviewed), a newer version saved since
        is not published unseen: :class:`StaleEdit` instead. ``note`` (the publisher's change
        note) is kept with the version and in the audit entry."""
        note = note.strip()[:MAX_NOTE]
        with self._sessions.begin() as session:
            record = self._record(session, doc_id)
            if expected_version is not None and expected_version != record.latest_version:
                raise StaleEdit(doc_id, expected_version, record.latest_version)
            chosen = self._version(session, doc_id, record.latest_version)
            record.published_version = chosen.version
            record.published_at = datetime.now(UTC)
            record.deleted_at = None
            _mark_published(chosen, actor, record.published_at, note)
            detail = {"note": note} if note else {}
            add_entry(session, actor, "publish", doc_id=doc_id, version=chosen.version, **detail)
            session.flush()
            return _version_view(chosen)

    def rollback(self, doc_id: str, to_version: int, *, actor: str) -> VersionView:
        """Publish the text of an earlier version again, as a new version (history is kept
        whole: nothing is rewritten, and the rollback itself is a visible step)."""
        try:
            return self._rollback(doc_id, to_version, actor=actor)
        except IntegrityError as exc:  # an edit landed the same version number first
            raise StaleEdit(doc_id, to_version, to_version) from exc

    def _rollback(self, doc_id: str, to_version: int, *, actor: str) -> VersionView:
        with self._sessions.begin() as session:
            record = self._record(session, doc_id)
            old = self._version(session, doc_id, to_version)
            new = self._add_version(
                session,
                doc_id,
                record.latest_version + 1,
                old.title,
                old.content,
                dict(old.doc_metadata),
                actor,
                f"回滚到第 {to_version} 版",
            )
            record.published_version = new.version
            record.published_at = datetime.now(UTC)
            record.deleted_at = None
            _mark_published(
                self._version(session, doc_id, new.version), actor, record.published_at, ""
            )
            new = _version_view(self._version(session, doc_id, new.version))
            add_entry(
                session,
                actor,
                "rollback",
                doc_id=doc_id,
                version=new.version,
                restored_version=to_version,
            )
            return new

    def delete(self, doc_id: str, *, actor: str) -> None:
        """Retire the document: it stops being cited; its versions stay for the record."""
        with self._sessions.begin() as session:
            record = self._record(session, doc_id)
            record.deleted_at = datetime.now(UTC)
            record.published_version = None
            add_entry(session, actor, "delete", doc_id=doc_id)

    # -- files --------------------------------------------------------------------------------

    def import_text(
        self,
        doc_id: str,
        text: str,
        *,
        actor: str,
        origin: str = "import",
        source: str = "",
    ) -> ImportOutcome:
        """Bring in one Markdown file (with front matter) and publish it.

        A file imported before and unchanged since is a no-op, so set-up can import the
        sources on every run without piling up versions or overriding staff's later edits.
        """
        source = source or doc_id
        parse_document(text, doc_id=doc_id, source=source)  # errors name the file's own lines
        title, metadata, body = markdown.split(text, source)
        markdown.parse(doc_id, title, body, metadata)  # and the stored form parses the same
        file_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._sessions.begin() as session:
            record = session.get(DocumentRecord, doc_id)
            if record is None:
                session.add(
                    DocumentRecord(
                        doc_id=doc_id, created_by=actor, origin=origin, source_hash=file_hash
                    )
                )
                session.flush()
                record = self._record(session, doc_id)
                action, number = "created", 1
            elif record.source_hash == file_hash and (
                record.deleted_at is None or origin == "sources"
            ):
                # Unchanged since its last import. A document staff retired stays retired when
                # set-up syncs the sources again; only an explicit `planbot import` restores it.
                return ImportOutcome(doc_id, "unchanged", record.published_version)
            else:
                record.source_hash = file_hash
                action, number = "updated", record.latest_version + 1
                latest = self._version(session, doc_id, record.latest_version)
                if latest.content_hash == _hash(title, body, metadata):
                    number = 0  # same text as the latest version: publish that one
            if number:
                self._add_version(
                    session, doc_id, number, title, body, metadata, actor, _imported_note(source)
                )
            record.published_version = record.latest_version
            record.published_at = datetime.now(UTC)
            record.deleted_at = None
            _mark_published(
                self._version(session, doc_id, record.latest_version),
                actor,
                record.published_at,
                "",
            )
            add_entry(
                session,
                actor,
                "import",
                doc_id=doc_id,
                version=record.latest_version,
                source=PurePath(source).name or source,  # the file, never the server's path
            )
            return ImportOutcome(doc_id, action, record.latest_version)

    def sync_directory(
        self, directory: Path, *, actor: str = "setup"
    ) -> tuple[list[ImportOutcome], list[DocumentError]]:
        """Import every ``*.md``/``*.txt`` of a sources directory (the files in version control)
        and retire documents synced from it earlier whose file is gone. A broken file is
        reported; its document keeps its last good version."""
        outcomes: list[ImportOutcome] = []
        errors: list[DocumentError] = []
        present: set[str] = set()
        for path in sorted(p for p in directory.iterdir() if p.suffix in {".md", ".txt"}):
            present.add(path.stem)
            try:
                text = path.read_bytes().decode("utf-8")
                outcomes.append(
                    self.import_text(
                        path.stem, text, actor=actor, origin="sources", source=str(path)
                    )
                )
            except UnicodeDecodeError as exc:
                errors.append(DocumentError(str(path), 1, f"not UTF-8 text ({exc.reason})"))
            except DocumentError as exc:
                errors.append(DocumentError(str(path), exc.line, exc.message))
            except ValueError as exc:
                errors.append(DocumentError(str(path), 1, str(exc)))
        for view in self.documents(include_deleted=False):
            if view.origin == "sources" and view.doc_id not in present:
                self.delete(view.doc_id, actor=actor)
                outcomes.append(ImportOutcome(view.doc_id, "retired", None))
        return outcomes, errors

    def export(self, directory: Path) -> list[Path]:
        """Write each published document as ``<doc_id>.md`` (front matter + body)."""
        directory.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        with self._sessions() as session:
            rows = session.scalars(
                select(DocumentVersion)
                .join(DocumentRecord, DocumentRecord.doc_id == DocumentVersion.doc_id)
                .where(
                    DocumentRecord.deleted_at.is_(None),
                    DocumentRecord.published_version == DocumentVersion.version,
                )
            )
            for v in rows:
                path = directory / f"{v.doc_id}.md"
                path.write_text(markdown.compose(v.title, v.content, v.doc_metadata), "utf-8")
                written.append(path)
        return sorted(written)

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _record(session: Session, doc_id: str) -> DocumentRecord:
        record = session.get(DocumentRecord, doc_id)
        if record is None:
            raise UnknownDocument(doc_id)
        return record

    @staticmethod
    def _version(session: Session, doc_id: str, version: int) -> DocumentVersion:
        row = session.scalar(
            select(DocumentVersion).where(
                DocumentVersion.doc_id == doc_id, DocumentVersion.version == version
            )
        )
        if row is None:
            raise UnknownVersion(f"{doc_id} has no version {version}")
        return row

    @staticmethod
    def _add_version(
        session: Session,
        doc_id: str,
        number: int,
        title: str,
        content: str,
        metadata: dict[str, str],
        actor: str,
        note: str,
    ) -> VersionView:
        if len(title.strip()) > MAX_TITLE:
            raise DocumentError(doc_id, 1, f"the title is longer than {MAX_TITLE} characters")
        row = DocumentVersion(
            doc_id=doc_id,
            version=number,
            title=title.strip(),
            doc_metadata=metadata,
            content=content.strip(),
            content_hash=_hash(title.strip(), content.strip(), metadata),
            created_by=actor,
            note=note[:MAX_NOTE],
        )
        session.add(row)
        record = session.get(DocumentRecord, doc_id)
        assert record is not None
        record.latest_version = number
        session.flush()
        return _version_view(row)

    def _view(
        self, session: Session, record: DocumentRecord, *, with_content: bool = False
    ) -> DocumentView:
        latest = self._version(session, record.doc_id, record.latest_version)
        return _document_view(record, latest, with_content=with_content)


def _document_view(
    record: DocumentRecord, latest: DocumentVersion, *, with_content: bool = False
) -> DocumentView:
    return DocumentView(
        doc_id=record.doc_id,
        title=latest.title,
        version=record.latest_version,
        published_version=record.published_version,
        status=_status(record),
        origin=record.origin,
        created_at=record.created_at,
        updated_at=latest.created_at,
        updated_by=latest.created_by,
        published_at=record.published_at,
        deleted_at=record.deleted_at,
        latest=_version_view(latest) if with_content else None,
    )


def _mark_published(row: DocumentVersion, actor: str, at: datetime, note: str) -> None:
    """Who published this version, when, and why (the latest publishing, if several)."""
    row.published_at = at
    row.published_by = actor
    row.publish_note = note or None


def import_files(
    store: DocumentStore, paths: Sequence[Path], *, actor: str
) -> tuple[list[ImportOutcome], list[DocumentError]]:
    """``planbot import PATH…``: each file's stem is its document id."""
    outcomes: list[ImportOutcome] = []
    errors: list[DocumentError] = []
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8")
            outcomes.append(store.import_text(path.stem, text, actor=actor, source=str(path)))
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(DocumentError(str(path), 1, f"cannot be read as UTF-8 text ({exc})"))
        except DocumentError as exc:
            errors.append(DocumentError(str(path), exc.line, exc.message))
        except ValueError as exc:
            errors.append(DocumentError(str(path), 1, str(exc)))
    return outcomes, errors


def _imported_note(source: str) -> str:
    """The version note of an import: the file's name only (a server path means nothing to
    staff and tells visitors of the history how the server is laid out)."""
    name = PurePath(source).name or source
    return f"从文件 {name} 导入"
