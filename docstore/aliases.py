"""The staff aliases, stored once in the app database and followed by every answering process.

Staff add and remove aliases through the workspace (with an audit entry each); every process
that answers (the web app, the action server, each replica) runs an :class:`AliasFollower`
that reads one counter (``alias_revision``) every couple of seconds and, when it moved, loads
the aliases and swaps a new immutable overlay into its engine. No restart, no Rasa retrain.
The engine side (how an alias enters retrieval and the checks) is
``knowledge.answering.aliases``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from docstore.audit import add_entry
from docstore.models import AliasRecord, AliasRevision
from knowledge.answering.aliases import AliasOverlay, PhraseLink, TermLink, phrase_key
from knowledge.answering.engine import AnswerEngine

LOG = logging.getLogger(__name__)
MAX_PHRASE = 200
EXPORT_FILE = "aliases.json"


class AliasRejected(ValueError):
    """An alias that cannot be stored; the message is Chinese, for the staff member."""


@dataclass(frozen=True)
class AliasView:
    id: int
    phrase: str
    doc_id: str | None
    anchor: str | None
    synonym: str | None
    created_at: datetime
    created_by: str

    @property
    def kind(self) -> str:
        return "synonym" if self.synonym else "passage" if self.anchor else "document"


def _view(r: AliasRecord) -> AliasView:
    return AliasView(r.id, r.phrase, r.doc_id, r.anchor, r.synonym, r.created_at, r.created_by)


def _bump(session: Session) -> None:
    """Move the revision counter inside the change's own transaction."""
    moved = session.execute(
        update(AliasRevision)
        .where(AliasRevision.id == 1)
        .values(revision=AliasRevision.revision + 1)
    )
    if not getattr(moved, "rowcount", 0):
        session.add(AliasRevision(id=1, revision=1))


class AliasStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def revision(self) -> int:
        """The counter every follower polls: one indexed read of one row."""
        with self._sessions() as session:
            value = session.scalar(select(AliasRevision.revision).where(AliasRevision.id == 1))
        return int(value or 0)

    def aliases(self) -> list[AliasView]:
        with self._sessions() as session:
            return [_view(r) for r in session.scalars(select(AliasRecord).order_by(AliasRecord.id))]

    def add(
        self,
        phrase: str,
        *,
        actor: str,
        doc_id: str | None = None,
        anchor: str | None = None,
        synonym: str | None = None,
    ) -> AliasView:
        """A phrase linked to a document (and passage), or a term with its synonym."""
        phrase = phrase.strip()
        synonym = (synonym or "").strip() or None
        anchor = (anchor or "").strip() or None
        if len(phrase_key(phrase)) < 2:
            raise AliasRejected("说法至少要有两个字。")
        if len(phrase) > MAX_PHRASE or (synonym and len(synonym) > MAX_PHRASE):
            raise AliasRejected(f"说法不能超过 {MAX_PHRASE} 个字。")
        if bool(doc_id) == bool(synonym):
            raise AliasRejected("请指定关联的文档（可选段落），或指定同义词，二者选一。")
        if synonym and len(phrase_key(synonym)) < 2:
            raise AliasRejected("同义词至少要有两个字。")
        for_attempts = 3
        for attempt in range(for_attempts):
            try:
                with self._sessions.begin() as session:
                    record = AliasRecord(
                        phrase=phrase,
                        doc_id=doc_id,
                        anchor=anchor,
                        synonym=synonym,
                        created_by=actor,
                    )
                    session.add(record)
                    _bump(session)
                    session.flush()
                    add_entry(
                        session,
                        actor,
                        "alias_add",
                        doc_id=doc_id,
                        alias_id=record.id,
                        phrase=phrase,
                        anchor=anchor or "",
                        synonym=synonym or "",
                    )
                    return _view(record)
            except IntegrityError:  # two first-ever changes raced to create the counter row
                if attempt == for_attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def delete(self, alias_id: int, *, actor: str) -> bool:
        with self._sessions.begin() as session:
            record = session.get(AliasRecord, alias_id)
            if record is None:
                return False
            add_entry(
                session,
                actor,
                "alias_delete",
                doc_id=record.doc_id,
                alias_id=alias_id,
                phrase=record.phrase,
            )
            session.delete(record)
            _bump(session)
        return True

    def overlay(self) -> AliasOverlay:
        """The aliases as the engine takes them, at the revision read with them."""
        with self._sessions() as session:
            revision = session.scalar(select(AliasRevision.revision).where(AliasRevision.id == 1))
            rows = list(session.scalars(select(AliasRecord).order_by(AliasRecord.id)))
        phrases = tuple(
            PhraseLink(r.id, r.phrase, r.doc_id, r.anchor or "")
            for r in rows
            if r.doc_id and not r.synonym
        )
        terms = tuple(TermLink(r.id, r.phrase, r.synonym) for r in rows if r.synonym)
        return AliasOverlay(int(revision or 0), phrases, terms)

    # -- export and import, with the documents -------------------------------------------------

    def export_json(self) -> str:
        """Every alias, for ``planbot export`` (written beside the documents)."""
        items = [
            {"phrase": a.phrase, "doc_id": a.doc_id, "anchor": a.anchor, "synonym": a.synonym}
            for a in self.aliases()
        ]
        return json.dumps({"aliases": items}, ensure_ascii=False, indent=2) + "\n"

    def import_json(self, text: str, *, actor: str) -> int:
        """Add the aliases of an export that are not here yet; returns how many were added."""
        data: Any = json.loads(text)
        have = {(a.phrase, a.doc_id, a.anchor, a.synonym) for a in self.aliases()}
        added = 0
        for item in data.get("aliases", []) if isinstance(data, dict) else []:
            key = (
                item.get("phrase", ""),
                item.get("doc_id"),
                item.get("anchor"),
                item.get("synonym"),
            )
            if key in have:
                continue
            self.add(key[0], actor=actor, doc_id=key[1], anchor=key[2], synonym=key[3])
            have.add(key)
            added += 1
        return added


class AliasFollower:
    """Keeps the engines of one process on the newest alias revision.

    ``engines`` names the engines to keep current (the holder's, once loaded); each tick reads
    the counter and, when an engine's overlay is older, loads the aliases once and gives them
    to it. A database that is away is logged and tried again next tick.
    """

    def __init__(
        self,
        store: AliasStore,
        engines: Callable[[], Iterable[AnswerEngine]],
        *,
        interval: float = 2.0,
    ) -> None:
        self._store = store
        self._engines = engines
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> bool:
        """One check; True when some engine was given a new overlay."""
        engines = [e for e in self._engines() if e is not None]
        if not engines:
            return False
        revision = self._store.revision()
        stale = [e for e in engines if e.aliases.revision != revision]
        if not stale:
            return False
        overlay = self._store.overlay()
        for engine in stale:
            engine.set_aliases(overlay)
        LOG.info("staff aliases at revision %d now in force", overlay.revision)
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the database is away, say: keep serving the overlay held
                LOG.exception("staff aliases could not be read; trying again")
            self._stop.wait(self._interval)

    def start(self) -> AliasFollower:
        self._thread = threading.Thread(target=self._run, name="alias-follower", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
