"""The test console (POST /api/staff/try) and the aliases (/api/staff/aliases) as the contract
has them: the reply a resident would get and why; aliases acting within 5 s in every answering
process (here: the app's engine and a second engine with its own follower, as the action server
runs one) and stopping within 5 s when deleted."""

from __future__ import annotations

import time
from collections.abc import Callable

from docstore.aliases import AliasFollower, AliasStore
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.index.live import LiveIndex
from knowledge.retrieval import Retriever
from tests.api.conftest import StaffSite
from tests.conftest import FakeEmbedder

QUESTION = "老年卡靠谱吗"


def _until(check: Callable[[], bool], seconds: float = 5.0) -> float:
    """Seconds until ``check`` holds; fails after ``seconds``."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "not within 5 s"
        time.sleep(0.05)
    return time.monotonic() - started


def _anchors(reply_citations: list[dict[str, object]]) -> set[str]:
    return {str(c["url"]) for c in reply_citations}


def test_try_gives_the_chat_reply_and_the_reason(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    r = client.post("/api/staff/try", headers=editor, json={"question": "京霸铁路会建吗"})
    assert r.status_code == 200, r.text
    body = r.json()
    engine_reply = staff_site.engine().answer("京霸铁路会建吗")
    assert body["reply"] == engine_reply.model_dump(mode="json")
    assert body["reply"]["kind"] == "answer" and body["gate"] == "answered"
    assert body["reason"].startswith("已回答") and body["against"] == "published"

    r = client.post("/api/staff/try", headers=editor, json={"question": "when is the railway"})
    assert r.json()["gate"] == "not_chinese" and "中文" in r.json()["reason"]


def test_try_refuses_without_token_bad_input_and_unknown_draft(staff_site: StaffSite) -> None:
    client = staff_site.client
    assert client.post("/api/staff/try", json={"question": "铁路"}).status_code == 401
    editor = staff_site.login("editor")
    assert client.post("/api/staff/try", headers=editor, json={"question": "  "}).status_code == 422
    assert client.post("/api/staff/try", headers=editor, json={}).status_code == 422
    r = client.post("/api/staff/try", headers=editor, json={"question": "铁路", "doc_id": "nope"})
    assert r.status_code == 404 and "文档" in r.json()["detail"]


def test_try_against_a_draft_leaves_the_live_index_alone(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    notice = "# 一、领取时间\n\n老年卡于2027年3月1日起在各街道便民服务中心领取。"
    r = client.post(
        "/api/staff/documents", headers=editor, json={"title": "老年卡领取通知", "content": notice}
    )
    doc_id = r.json()["doc_id"]
    build = staff_site.engine().manifest.build_id
    question = {"question": "老年卡什么时候可以领取"}
    published = client.post("/api/staff/try", headers=editor, json=question).json()
    assert doc_id not in {c["doc_id"] for c in published["reply"]["citations"]}
    drafted = client.post("/api/staff/try", headers=editor, json={**question, "doc_id": doc_id})
    assert drafted.status_code == 200, drafted.text
    body = drafted.json()
    assert body["against"] == f"{doc_id} 第 1 版"
    assert body["reply"]["kind"] == "answer"
    assert body["reply"]["citations"][0]["doc_id"] == doc_id
    assert "2027年3月1日" in body["reply"]["text"]
    assert staff_site.engine().manifest.build_id == build  # nothing was built or swapped
    again = client.post("/api/staff/try", headers=editor, json=question).json()
    assert again == published


def test_aliases_act_in_every_engine_within_5s_and_stop_when_deleted(
    staff_site: StaffSite,
) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    # A second answering process's engine (as the action server holds one), following the
    # same database with its own follower.
    second = AnswerEngine(
        Retriever(LiveIndex(staff_site.index_dir, model_id="fake-bigram"), FakeEmbedder()),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    database = client.app.state.runtime.database  # type: ignore[attr-defined]
    follower = AliasFollower(AliasStore(database), lambda: (second,), interval=0.5).start()
    try:
        found = client.get("/api/staff/passages", headers=admin, params={"q": "征地拆迁人员安置"})
        target = found.json()["passages"][0]
        assert target["doc_id"] == "ecology" and "拆迁" in target["text"]
        url = target["url"]
        before = _anchors(second.answer(QUESTION).model_dump(mode="json")["citations"])
        assert url not in before

        r = client.post(
            "/api/staff/aliases",
            headers=admin,
            json={"phrase": QUESTION, "doc_id": "ecology", "anchor": target["anchor"]},
        )
        assert r.status_code == 201, r.text
        alias = r.json()
        assert alias["id"] >= 1 and alias["kind"] == "passage"

        def cites(engine: AnswerEngine) -> Callable[[], bool]:
            return lambda: (
                url in _anchors(engine.answer(QUESTION).model_dump(mode="json")["citations"])
            )

        _until(cites(staff_site.engine()))
        _until(cites(second))
        tried = client.post("/api/staff/try", headers=admin, json={"question": QUESTION}).json()
        assert url in _anchors(tried["reply"]["citations"]) and QUESTION in tried["reason"]
        listed = client.get("/api/staff/aliases", headers=admin).json()["aliases"]
        assert [a["id"] for a in listed] == [alias["id"]]

        assert client.delete(f"/api/staff/aliases/{alias['id']}", headers=admin).status_code == 204
        _until(lambda: not cites(staff_site.engine())())
        _until(lambda: not cites(second)())
        assert client.get("/api/staff/aliases", headers=admin).json()["aliases"] == []
        actions = [
            e["action"] for e in client.get("/api/staff/audit", headers=admin).json()["entries"]
        ]
        assert "alias_add" in actions and "alias_delete" in actions
    finally:
        follower.stop()


def test_alias_access_and_bad_input(staff_site: StaffSite) -> None:
    client = staff_site.client
    body = {"phrase": "老年卡", "doc_id": "ecology"}
    assert client.post("/api/staff/aliases", json=body).status_code == 401
    assert client.get("/api/staff/aliases").status_code == 401
    assert client.delete("/api/staff/aliases/1").status_code == 401
    editor, admin = staff_site.login("editor"), staff_site.login("admin")
    assert client.post("/api/staff/aliases", headers=editor, json=body).status_code == 403
    assert client.delete("/api/staff/aliases/1", headers=editor).status_code == 403
    assert client.get("/api/staff/aliases", headers=editor).status_code == 200
    for bad in (
        {"phrase": "老", "doc_id": "ecology"},  # too short to mean anything
        {"phrase": "老年卡"},  # neither a document nor a synonym
        {"phrase": "老年卡", "doc_id": "nope"},
        {"phrase": "老年卡", "doc_id": "ecology", "anchor": "no-such-passage"},
        {"phrase": "老年卡", "doc_id": "ecology", "synonym": "养老卡"},
    ):
        r = client.post("/api/staff/aliases", headers=admin, json=bad)
        assert r.status_code == 422, (bad, r.text)
        assert isinstance(r.json()["detail"], str | list)
    assert client.delete("/api/staff/aliases/999", headers=admin).status_code == 404
    r = client.post(
        "/api/staff/aliases", headers=admin, json={"phrase": "老年卡", "synonym": "养老助残卡"}
    )
    assert r.status_code == 201 and r.json()["kind"] == "synonym"
