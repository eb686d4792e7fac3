"""Talking to Rasa's REST webhook, and turning what it says into Reply objects.

Rasa answers 200 with ``[]`` when the action server is down; that, an unreachable Rasa, a timeout
and a malformed answer all become one ``kind: "error"`` reply naming the hotline: the resident
always gets something to do next, never an empty list or a 5xx.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from api.metrics import Metrics
from knowledge.answering.reply import Button, Reply

LOG = logging.getLogger(__name__)

# The form that asks an enterprise for a phone number or e-mail, and its slot (bot/domain).
CONTACT_FORM = "contact_form"
CONTACT_SLOT = "contact"
# Every (form, slot) that asks for a contact given by consent: the cooperation inquiry's, and
# the optional one after a handoff (bot/domain/handoff.yml).
CONTACT_QUESTIONS = frozenset(
    {(CONTACT_FORM, CONTACT_SLOT), ("handoff_contact_form", "handoff_contact")}
)
# A no_answer that did not come with the engine's reason (an action's own prompt).
NO_ENGINE_REASON = "no_engine_reason"
# The conversation the start-up warm-up turn is sent in (never a resident's).
WARM_UP_SENDER = "planbot-warm-up"
WARM_UP_MESSAGE = "你好"
# A message's metadata for Rasa (api/message_vectors.py), computed off the event loop.
MessageMetadata = Callable[[str], dict[str, Any] | None]


def unavailable(hotline: str) -> Reply:
    return Reply(
        kind="error",
        text=(f"抱歉，问答服务暂时不可用，请稍后再试。急需咨询请拨打{hotline}市民服务热线。"),
    )


def busy(hotline: str) -> Reply:
    return Reply(
        kind="error",
        text=(f"抱歉，当前咨询人数较多，请稍后再试。急需咨询请拨打{hotline}市民服务热线。"),
    )


def replies_from_rasa(messages: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST output as Replies.

    A bot message with a custom payload arrives as two entries, the text (with buttons) and then
    ``{"custom": {"reply": …}}``; the Reply in the payload is authoritative and the text entry
    before it is its plain-channel copy. A text without a payload becomes a chit-chat Reply.
    """
    replies: list[Reply] = []
    pending: Reply | None = None
    for message in messages:
        if not isinstance(message, dict):
            continue  # not a Rasa message; never let it turn into a 5xx
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("reply"), dict):
            replies.append(Reply.model_validate(custom["reply"]))
            pending = None
            continue
        if pending is not None:
            replies.append(pending)
        text = message.get("text")
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in message.get("buttons") or []
            if isinstance(b, dict)
        ]
        pending = Reply(kind="chitchat", text=str(text), buttons=buttons) if text else None
    if pending is not None:
        replies.append(pending)
    return replies


def decline_reasons(messages: list[Any]) -> list[str]:
    """The reason code of each no_answer Reply in Rasa's output (actions/conversation.py sends
    it beside the Reply), for counting declines by reason."""
    reasons: list[str] = []
    for message in messages:
        custom = message.get("custom") if isinstance(message, dict) else None
        if not isinstance(custom, dict) or not isinstance(custom.get("reply"), dict):
            continue
        if custom["reply"].get("kind") == "no_answer":
            reason = custom.get("decline_reason")
            reasons.append(reason if isinstance(reason, str) and reason else NO_ENGINE_REASON)
    return reasons


class RasaClient:
    """Rasa's webhook and status, and the health of the action server Rasa depends on.

    At most ``max_in_flight`` webhook calls are open at once; the others wait their turn here, in
    arrival order. Rasa serves every open request on one event loop, interleaving them at each
    await (tracker lock, action call), so a burst of 20 open requests makes a question turn,
    which awaits more often than a greeting, wait behind all the others several times over;
    a short queue in front keeps Rasa busy (a few calls overlap Rasa's work with the action
    server's) while every turn waits about the same. A turn that cannot get a slot within
    ``queue_timeout`` gets a "busy" reply naming the hotline, never a hang.
    """

    def __init__(
        self,
        base_url: str,
        actions_url: str,
        *,
        timeout: float,
        hotline: str,
        max_in_flight: int = 4,
        queue_timeout: float | None = None,
        token: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
        metrics: Metrics | None = None,
        metadata: MessageMetadata | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)
        # Rasa's HTTP API (status, trackers) answers only with its --auth-token, which it reads
        # from the ``token`` query parameter alone; its REST channel webhook needs none.
        self._api_params = {"token": token} if token else {}
        self._actions_url = actions_url.rstrip("/")
        self._hotline = hotline
        self._slots = asyncio.Semaphore(max_in_flight)
        self._queue_timeout = timeout if queue_timeout is None else queue_timeout
        self._metrics = metrics or Metrics()
        self._metadata = metadata

    async def close(self) -> None:
        await self._client.aclose()

    async def chat(self, session_id: str, message: str) -> list[Reply]:
        """One turn; its replies, the declines' reasons and its time are counted."""
        started = time.perf_counter()
        replies, reasons = await self._admitted(session_id, message)
        self._metrics.chat_seconds.observe(time.perf_counter() - started)
        self._metrics.record_turn(replies, reasons)
        return replies

    async def _admitted(self, session_id: str, message: str) -> tuple[list[Reply], list[str]]:
        metrics = self._metrics
        metrics.queue_waiting.inc()
        try:
            async with asyncio.timeout(self._queue_timeout):
                await self._slots.acquire()
        except TimeoutError:
            LOG.warning(
                "no free rasa slot within %.1f s; turn declined as busy", self._queue_timeout
            )
            metrics.busy.inc()
            return [busy(self._hotline)], []
        finally:
            metrics.queue_waiting.dec()
        metrics.in_flight.inc()
        try:
            return await self._send(session_id, message)
        finally:
            metrics.in_flight.dec()
            self._slots.release()

    async def warm_up(self) -> bool:
        """One greeting, as a resident's would go (with its vector), outside the counted
        turns: Rasa's first prediction builds its graphs. Whether Rasa answered it."""
        replies, _ = await self._send(WARM_UP_SENDER, WARM_UP_MESSAGE)
        return not any(r.kind == "error" for r in replies)

    async def _send(self, session_id: str, message: str) -> tuple[list[Reply], list[str]]:
        body: dict[str, Any] = {"sender": session_id, "message": message}
        if self._metadata is not None:
            # The message's query vector (api/message_vectors.py): Rasa's NLU then need not
            # embed it, nor hold the model at all.
            metadata = await asyncio.to_thread(self._metadata, message)
            if metadata:
                body["metadata"] = metadata
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            messages = response.json()
            if not isinstance(messages, list):
                messages = []
            replies = replies_from_rasa(messages)
        except (httpx.HTTPError, ValueError, TypeError) as exc:
            LOG.warning("rasa is unavailable: %s", exc)
            return [unavailable(self._hotline)], []
        if not replies:
            # Rasa's sign that the action server is down; its log has the details.
            LOG.warning("rasa answered nothing for session %s", session_id)
            return [unavailable(self._hotline)], []
        return replies, decline_reasons(messages)

    async def awaiting_contact(self, session_id: str) -> bool:
        """Whether the conversation's contact form is asking for the contact right now, so the
        next message is a phone number or e-mail given by consent (see api/routers/chat.py).

        Asks Rasa's tracker (the HTTP API, on loopback). Anything but a clear yes is a no: a
        number is then masked, and the worst case is that the form asks again.
        """
        try:
            response = await self._client.get(
                f"/conversations/{quote(session_id, safe='')}/tracker",
                params={"include_events": "NONE", **self._api_params},
                timeout=3,
            )
            response.raise_for_status()
            tracker = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            LOG.warning("rasa's tracker is unavailable: %s", exc.__class__.__name__)
            return False
        if not isinstance(tracker, dict):
            return False
        loop = tracker.get("active_loop")
        slots = tracker.get("slots")
        return (
            isinstance(loop, dict)
            and isinstance(slots, dict)
            and (loop.get("name"), slots.get("requested_slot")) in CONTACT_QUESTIONS
        )

    async def ready(self) -> tuple[bool, str]:
        try:
            response = await self._client.get("/status", params=self._api_params, timeout=3)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            return False, f"unreachable: {exc.__class__.__name__}"
        if not isinstance(body, dict) or not (body.get("model_id") or body.get("fingerprint")):
            return False, "no model loaded"
        return True, "model loaded"

    async def actions_ready(self) -> tuple[bool, str]:
        try:
            response = await self._client.get(f"{self._actions_url}/health", timeout=3)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            return False, f"unreachable: {exc.__class__.__name__}"
        return True, "ok"
