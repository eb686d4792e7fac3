"""The webhook client's admission queue: bounded open calls, arrival order, a busy reply."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from api.rasa_client import RasaClient


class SlowRasa(httpx.AsyncBaseTransport):
    """A webhook that holds each call until the test releases it; counts open calls."""

    def __init__(self) -> None:
        self.open = 0
        self.most_open = 0
        self.started: list[str] = []
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sender = json.loads(request.content)["sender"]
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        self.started.append(sender)
        try:
            await self.release.wait()
        finally:
            self.open -= 1
        return httpx.Response(200, json=[{"recipient_id": sender, "text": f"你好 {sender}"}])


def client_over(transport: SlowRasa, **options: float) -> RasaClient:
    return RasaClient(
        "http://rasa", "http://actions", timeout=5, hotline="12345", transport=transport, **options
    )


async def check_no_more_than_max_in_flight_calls_are_open_and_the_rest_go_in_arrival_order() -> (
    None
):
    transport = SlowRasa()
    rasa = client_over(transport, max_in_flight=2)
    turns = []
    for n in range(6):
        turns.append(asyncio.create_task(rasa.chat(f"s{n}", "你好")))
        await asyncio.sleep(0.01)  # a definite arrival order
    await asyncio.sleep(0.05)
    assert transport.open == 2
    transport.release.set()
    replies = await asyncio.gather(*turns)
    await rasa.close()

    assert transport.most_open == 2
    assert transport.started == [f"s{n}" for n in range(6)]
    assert [r[0].text for r in replies] == [f"你好 s{n}" for n in range(6)]


async def check_a_turn_that_cannot_get_a_slot_in_time_is_told_the_service_is_busy() -> None:
    transport = SlowRasa()
    rasa = client_over(transport, max_in_flight=1, queue_timeout=0.1)
    first = asyncio.create_task(rasa.chat("a", "你好"))
    await asyncio.sleep(0.01)
    waiting = await rasa.chat("b", "你好")
    transport.release.set()
    answered = await first
    await rasa.close()

    assert waiting[0].kind == "error"
    assert "12345" in waiting[0].text and "人数较多" in waiting[0].text
    assert answered[0].text == "你好 a"
    assert transport.started == ["a"]


async def check_a_failed_call_frees_its_slot() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    rasa = RasaClient(
        "http://rasa",
        "http://actions",
        timeout=5,
        hotline="12345",
        max_in_flight=1,
        queue_timeout=0.5,
        transport=httpx.MockTransport(refuse),
    )
    for _ in range(3):
        replies = await rasa.chat("s", "你好")
        assert replies[0].kind == "error" and "暂时不可用" in replies[0].text
    await rasa.close()


@pytest.mark.parametrize(
    "check",
    [
        check_no_more_than_max_in_flight_calls_are_open_and_the_rest_go_in_arrival_order,
        check_a_turn_that_cannot_get_a_slot_in_time_is_told_the_service_is_busy,
        check_a_failed_call_frees_its_slot,
    ],
    ids=lambda check: check.__name__.removeprefix("check_"),
)
def test_admission(check) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(check())


def test_at_least_one_call_must_be_allowed() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        RasaClient("http://rasa", "http://actions", timeout=5, hotline="12345", max_in_flight=0)
