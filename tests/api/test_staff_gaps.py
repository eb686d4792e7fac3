"""Knowledge gaps as a work list: codes never shown, fragments with the turn before them,
resolved with who and when, and a gap the assistant now answers leaves the open list."""

from __future__ import annotations

import time

from tests.api.conftest import StaffSite


def _open(site: StaffSite, headers: dict[str, str]) -> dict[str, dict[str, object]]:
    r = site.client.get("/api/staff/gaps", headers=headers)
    assert r.status_code == 200, r.text
    return {g["question"]: g for g in r.json()["gaps"]}


def _log(site: StaffSite, session: str, message: str, kinds: list[str]) -> None:
    site.records.add_turn(session_id=session, message=message, reply_kinds=kinds)


def test_gaps_work_list(staff_site: StaffSite) -> None:
    client = staff_site.client
    _log(staff_site, "s1", "老年卡靠谱吗", ["no_answer"])
    _log(staff_site, "s1", "/affirm", ["no_answer"])
    _log(staff_site, "s1", "那养老卡呢", ["no_answer"])
    _log(staff_site, "s2", '/inform_need{"need": "用地"}', ["no_answer"])
    _log(staff_site, "s2", "老年卡靠谱吗？", ["no_answer"])
    staff_site.records.add_feedback(
        session_id="s3", helpful=False, question="京霸铁路会建吗", citations=[]
    )
    assert client.get("/api/staff/gaps").status_code == 401
    editor, admin = staff_site.login("editor"), staff_site.login("admin")

    gaps = _open(staff_site, editor)
    assert not any(q.startswith("/") for q in gaps)
    listed = client.get("/api/staff/insights/unanswered", headers=editor).json()["questions"]
    assert listed and not any(g["question"].startswith("/") for g in listed)
    assert gaps["那养老卡呢"]["previous"] == "老年卡靠谱吗"
    assert gaps["老年卡靠谱吗？"]["times_asked"] == 2 and gaps["老年卡靠谱吗？"]["sessions"] == 2
    unhelpful = gaps["京霸铁路会建吗"]
    assert unhelpful["source"] == "unhelpful" and unhelpful["answered_now"] is True

    r = client.post("/api/staff/gaps/resolve", headers=editor, json={"question": "那养老卡呢"})
    assert r.status_code == 200 and r.json()["resolved_by"] == "editor"
    assert r.json()["resolved_at"]
    assert "那养老卡呢" not in _open(staff_site, editor)
    resolved = client.get("/api/staff/gaps", headers=editor, params={"state": "resolved"}).json()
    assert [g["question"] for g in resolved["gaps"]] == ["那养老卡呢"]
    assert resolved["gaps"][0]["resolved_by"] == "editor"
    assert client.post("/api/staff/gaps/resolve", headers=editor, json={}).status_code == 422

    # Linked to a passage: the assistant answers it, and it leaves the open list.
    passage = client.get("/api/staff/passages", headers=admin, params={"q": "征地拆迁"}).json()
    first = passage["passages"][0]
    r = client.post(
        "/api/staff/aliases",
        headers=admin,
        json={"phrase": "老年卡靠谱吗？", "doc_id": first["doc_id"], "anchor": first["anchor"]},
    )
    assert r.status_code == 201
    started = time.monotonic()
    while "老年卡靠谱吗？" in _open(staff_site, editor):
        assert time.monotonic() - started < 5, "the linked gap is still open after 5 s"
        time.sleep(0.2)

    assert client.post("/api/staff/gaps/reopen", headers=editor, json={"question": "那养老卡呢"})
    assert "那养老卡呢" in _open(staff_site, editor)
