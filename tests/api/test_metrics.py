"""GET /metrics: the planbot_* series after a few turns, with the right labels and counts."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from api.metrics import Metrics
from api.rasa_client import RasaClient
from tests.api.test_chat import ANSWER
from tests.api.test_rasa_client import SlowRasa

NO_ANSWER = {"kind": "no_answer", "text": "资料中没有写到。", "citations": [], "related": []}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, by name and sorted labels (also checks it parses)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def turn(client, fake_rasa, messages) -> None:  # type: ignore[no-untyped-def]
    fake_rasa.reply = messages
    assert client.post("/api/chat", json={"session_id": "s", "message": "问"}).status_code == 200


def test_turns_declines_latency_and_readiness_after_a_few_turns(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    turn(client, fake_rasa, [{"custom": {"reply": ANSWER}}])
    turn(client, fake_rasa, [{"custom": {"reply": NO_ANSWER, "decline_reason": "off_topic"}}])
    turn(client, fake_rasa, [{"custom": {"reply": NO_ANSWER, "decline_reason": "off_topic"}}])
    turn(
        client,
        fake_rasa,
        [
            {"custom": {"reply": NO_ANSWER, "decline_reason": "detail_missing"}},
            {"text": "您好！"},
        ],
    )
    turn(client, fake_rasa, [{"custom": {"reply": NO_ANSWER}}])  # an action's own prompt
    turn(client, fake_rasa, [])  # the action server is down: an error reply
    assert client.get("/api/search", params={"q": "京霸铁路"}).status_code == 200

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert value(text, "planbot_chat_turns_total") == 6
    assert value(text, "planbot_chat_replies_total", kind="answer") == 1
    assert value(text, "planbot_chat_replies_total", kind="no_answer") == 4
    assert value(text, "planbot_chat_replies_total", kind="chitchat") == 1
    assert value(text, "planbot_chat_replies_total", kind="error") == 1
    assert value(text, "planbot_chat_replies_total", kind="handoff") == 0  # shown at 0
    assert value(text, "planbot_chat_declines_total", reason="off_topic") == 2
    assert value(text, "planbot_chat_declines_total", reason="detail_missing") == 1
    assert value(text, "planbot_chat_declines_total", reason="no_engine_reason") == 1
    assert value(text, "planbot_chat_turn_seconds_count") == 6
    assert value(text, "planbot_chat_turn_seconds_bucket", le="+Inf") == 6
    assert value(text, "planbot_search_seconds_count") == 1
    assert value(text, "planbot_rasa_queue_waiting") == 0
    assert value(text, "planbot_rasa_in_flight") == 0
    for component in ("rasa", "actions", "index", "database"):
        assert value(text, "planbot_component_ready", component=component) == 1, component
    assert value(text, "planbot_ready") == 1
    names = {name for name, _ in samples(text)}
    assert all(n.startswith("planbot_") for n in names), names


def test_readiness_follows_the_components_at_each_scrape(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    fake_rasa.actions_ok = False
    text = client.get("/metrics").text
    assert value(text, "planbot_component_ready", component="actions") == 0
    assert value(text, "planbot_component_ready", component="rasa") == 1
    assert value(text, "planbot_ready") == 0
    fake_rasa.actions_ok = True
    text = client.get("/metrics").text
    assert value(text, "planbot_component_ready", component="actions") == 1
    assert value(text, "planbot_ready") == 1


def test_each_app_counts_on_its_own_registry(make_client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    first, second = make_client(), make_client()
    turn(first, fake_rasa, [{"custom": {"reply": ANSWER}}])
    assert value(first.get("/metrics").text, "planbot_chat_turns_total") == 1
    assert value(second.get("/metrics").text, "planbot_chat_turns_total") == 0


def test_index_builds_are_counted_with_their_duration(staff_site) -> None:  # type: ignore[no-untyped-def]
    headers = staff_site.login("admin")
    created = staff_site.client.post(
        "/api/staff/documents",
        json={"title": "通知", "content": "# 一、通知\n\n瀛海镇将于2027年9月开放申购。"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["doc_id"]
    published = staff_site.client.post(f"/api/staff/documents/{doc_id}/publish", headers=headers)
    assert published.status_code == 202
    staff_site.wait_for_build()
    text = staff_site.client.get("/metrics").text
    assert value(text, "planbot_index_builds_total", outcome="ok") == 1
    assert value(text, "planbot_index_builds_total", outcome="failed") == 0
    assert value(text, "planbot_index_build_seconds_count") == 1
    assert value(text, "planbot_index_build_seconds_sum") > 0


def test_the_admission_queue_depth_and_busy_turns() -> None:
    async def scenario() -> None:
        metrics = Metrics()
        transport = SlowRasa()
        rasa = RasaClient(
            "http://rasa",
            "http://actions",
            timeout=5,
            hotline="12345",
            transport=transport,
            max_in_flight=1,
            queue_timeout=0.5,
            metrics=metrics,
        )
        turns = [asyncio.create_task(rasa.chat(f"s{n}", "你好")) for n in range(3)]
        await asyncio.sleep(0.1)
        text = metrics.render().decode()
        assert value(text, "planbot_rasa_in_flight") == 1
        assert value(text, "planbot_rasa_queue_waiting") == 2
        await asyncio.sleep(0.6)  # the two waiting turns give up: "busy"
        text = metrics.render().decode()
        assert value(text, "planbot_rasa_queue_waiting") == 0
        assert value(text, "planbot_rasa_queue_timeouts_total") == 2
        transport.release.set()
        await asyncio.gather(*turns)
        text = metrics.render().decode()
        assert value(text, "planbot_rasa_in_flight") == 0
        assert value(text, "planbot_chat_turns_total") == 3
        assert value(text, "planbot_chat_replies_total", kind="error") == 2
        assert value(text, "planbot_chat_replies_total", kind="chitchat") == 1
        await rasa.close()

    asyncio.run(scenario())


WORKER = """
import sys
from api.metrics import Metrics
m = Metrics(multiprocess_dir=sys.argv[1])
m.turns.inc(int(sys.argv[2]))
m.queue_waiting.set(int(sys.argv[2]))
"""


def test_several_workers_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    """Two uvicorn workers of one replica: a scrape of either shows the sum of both."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in ("2", "3"):
        subprocess.run([sys.executable, "-c", WORKER, str(tmp_path), count], env=env, check=True)
    text = Metrics(multiprocess_dir=tmp_path).render().decode()
    assert value(text, "planbot_chat_turns_total") == 5
    # Live gauges count only workers that are alive: both exited without marking themselves
    # dead here, so they still count; once marked (Metrics.close at shutdown) they do not.
    assert value(text, "planbot_rasa_queue_waiting") == 5
    pids = {p.name.rsplit("_", 1)[-1].removesuffix(".db") for p in tmp_path.glob("gauge_live*")}
    from prometheus_client import multiprocess

    for pid in pids:
        multiprocess.mark_process_dead(int(pid), str(tmp_path))  # type: ignore[no-untyped-call]
    text = Metrics(multiprocess_dir=tmp_path).render().decode()
    assert value(text, "planbot_rasa_queue_waiting") == 0
    assert value(text, "planbot_chat_turns_total") == 5


def test_a_wrong_method_gets_the_apps_chinese_4xx(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/metrics")
    assert response.status_code == 405
    assert json.loads(response.text)["detail"] == "不支持这种请求方法。"
