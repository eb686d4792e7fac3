"""Rasa's in-memory tracker store, made to forget: the embedded default's tracker store.

Rasa's own ``InMemoryTrackerStore`` keeps every conversation until the process stops (6-12 KB
a session), and the app's retention job (``records.store.RecordStore.purge_older_than``) cannot
reach a dict inside the Rasa process. :class:`ExpiringInMemoryTrackerStore` is that store with
three rules, applied as it saves and retrieves:

- a conversation idle longer than ``idle_minutes`` is dropped (Rasa starts a new session after
  ``session_expiration_time`` = 60 minutes anyway, so only the context of an abandoned
  conversation is lost);
- a conversation that started longer ago than ``retention_days``
  (``PLANBOT_CONVERSATION_RETENTION_DAYS``) is dropped even when still active, so nothing
  outlives the retention;
- at most ``max_conversations`` are kept: beyond that the least recently active goes, so memory
  is bounded whatever the traffic.

Why this and not Rasa's SQL tracker store on a SQLite file under ``var/`` (the other way to make
the embedded default forget)? Measured with ``scripts/tracker_store_cost.py`` (one turn =
retrieve, six events appended, save; the table is in docs/DEPLOY.md, *Privacy in production*):
this store costs what Rasa's in-memory store costs (the same JSON round trip of the whole tracker
plus a few dict operations: 2-4 ms a turn over a ten-turn conversation on this shared 2-core
machine), while the SQL store on SQLite cost 17-30 ms a turn in two runs (a commit each save, a
query for the session start and a count of stored events each turn) and leaves a file to purge
and to keep private. The embedded default is one Rasa process on one machine; conversations that
must survive a restart or be shared by replicas are the production profile's (PostgreSQL,
purged by the app's retention job: ``records/tracker_events.py``).

Both stores keep personal numbers masked (:func:`masked_tracker`): the web app masks them
before a message reaches Rasa, except the answer to the contact form's question, whose phone
number the form needs in that very turn to make the ticket. A tracker is saved once, at the end
of the turn, after the ticket is made; so the saved copy has every user message and string slot
masked (records/privacy.py), and the contact lives on only in the ticket, by consent, where the
ticket permission guards it. :class:`MaskingSQLTrackerStore` is Rasa's SQL store with the same
rule, for the production profile (``bot/endpoints.production.yml``).

Registered in ``bot/endpoints.yml`` by its module path (``type:``); its values come from the
settings (``api/settings.py``), which ``planbot/launcher.py`` hands the Rasa process as
``PLANBOT_*`` variables that the endpoints file names.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from records.privacy import mask_personal_numbers

LOG = logging.getLogger(__name__)


def masked_tracker(tracker: DialogueStateTracker, domain: Any) -> DialogueStateTracker:
    """The tracker as it is stored: personal numbers masked in what the resident wrote (user
    messages, their parse data and entities) and in string slot values. The tracker itself is
    not changed (the turn may still read it); when nothing needs masking it is returned as is.
    """
    dumped = [event.as_dict() for event in tracker.events]
    changed = [_mask_event(event) for event in dumped]
    if not any(changed):
        return tracker
    return DialogueStateTracker.from_dict(
        tracker.sender_id,
        dumped,
        domain.slots if domain is not None else None,
        tracker._max_event_history,
    )


def _mask_event(event: dict[str, Any]) -> bool:
    """Mask one dumped event in place; True when something changed."""
    places: list[tuple[dict[str, Any], str]] = []
    if event.get("event") == "user":
        places.append((event, "text"))
        parse_data = event.get("parse_data") or {}
        places.append((parse_data, "text"))
        places += [(entity, "value") for entity in parse_data.get("entities") or []]
    elif event.get("event") == "slot":
        places.append((event, "value"))
    changed = False
    for holder, key in places:
        value = holder.get(key)
        if isinstance(value, str):
            masked = mask_personal_numbers(value)
            if masked != value:
                holder[key] = masked
                changed = True
    return changed


class MaskingSQLTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """Rasa's SQL tracker store (the production profile's, on PostgreSQL) saving masked copies:
    see :func:`masked_tracker`."""

    async def save(self, tracker: Any) -> None:
        await super().save(masked_tracker(tracker, self.domain))


@dataclass
class _Kept:
    started: float  # when this process first saved the conversation
    touched: float  # when it last saved it


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):  # type: ignore[misc]
    """Conversations in memory, dropped when idle, too old, or beyond a count."""

    def __init__(
        self,
        domain: Any,
        event_broker: Any = None,
        idle_minutes: float | str = 120,
        retention_days: float | str = 180,
        max_conversations: int | str = 10_000,
        clock: Callable[[], float] = time.time,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        # Values from the endpoints file arrive as strings (``${PLANBOT_…}``).
        self.idle_seconds = float(idle_minutes) * 60
        self.max_age_seconds = float(retention_days) * 86_400
        self.max_conversations = int(max_conversations)
        if self.idle_seconds <= 0 or self.max_age_seconds <= 0 or self.max_conversations < 1:
            raise ValueError(
                "idle_minutes and retention_days must be positive, max_conversations at least 1"
            )
        self._clock = clock
        # Least recently saved first: idle conversations are found at the front.
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._swept = clock()

    async def save(self, tracker: Any) -> None:
        tracker = masked_tracker(tracker, self.domain)
        await self.stream_events(tracker)
        now = self._clock()
        sender_id = tracker.sender_id
        kept = self._kept.pop(sender_id, None)
        if kept is not None and self._too_old(kept, now):
            # Started before the retention: not kept, the next turn starts afresh.
            self._forget(sender_id)
        else:
            kept = kept or _Kept(started=now, touched=now)
            kept.touched = now
            self._kept[sender_id] = kept
            self.store[sender_id] = self.serialise_tracker(tracker)
        self.expire(now)

    async def retrieve(self, sender_id: str) -> Any:
        self._drop_if_expired(sender_id, self._clock())
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        self._drop_if_expired(sender_id, self._clock())
        return await super().retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[str]:
        self.expire(self._clock(), sweep=True)
        return list(self.store.keys())

    def expire(self, now: float | None = None, *, sweep: bool = False) -> int:
        """Drop what is idle too long or beyond the count; with ``sweep`` (or once a minute)
        also what started longer ago than the retention. Returns how many were dropped."""
        now = self._clock() if now is None else now
        dropped = 0
        while self._kept:
            sender_id, kept = next(iter(self._kept.items()))
            idle = now - kept.touched > self.idle_seconds
            if not idle and len(self._kept) <= self.max_conversations:
                break
            if not idle:
                LOG.warning(
                    "tracker store full (%d conversations): dropping the least recently active one",
                    self.max_conversations,
                )
            self._forget(sender_id)
            dropped += 1
        if sweep or now - self._swept >= 60:
            self._swept = now
            for sender_id in [s for s, k in self._kept.items() if self._too_old(k, now)]:
                self._forget(sender_id)
                dropped += 1
        return dropped

    def _too_old(self, kept: _Kept, now: float) -> bool:
        return now - kept.started > self.max_age_seconds

    def _drop_if_expired(self, sender_id: str, now: float) -> None:
        kept = self._kept.get(sender_id)
        if kept is None:
            return
        if now - kept.touched > self.idle_seconds or self._too_old(kept, now):
            self._forget(sender_id)

    def _forget(self, sender_id: str) -> None:
        self._kept.pop(sender_id, None)
        self.store.pop(sender_id, None)
