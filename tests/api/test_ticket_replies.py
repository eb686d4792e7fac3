"""A handoff that returns: staff answer a ticket, the resident reads it in the chat or by code."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from records.store import RecordStore
from tests.api.conftest import StaffSite

CLICKED_TRANSCRIPT = [
    {"who": "user", "text": "我们想在大兴建厂", "time": "1"},
    {
        "who": "bot",
        "text": "您主要想了解哪方面？",
        "time": "2",
        "buttons": [
            {"title": "合作共建园区", "payload": '/inform_need{"cooperation_need": "park"}'},
            {"title": "项目落地选址", "payload": '/inform_need{"cooperation_need": "site"}'},
        ],
    },
    {"who": "user", "text": '/inform_need{"cooperation_need": "park"}', "time": "3"},
    {"who": "bot", "text": "需要转给工作人员吗？", "time": "4"},
    {"who": "user", "text": "/affirm", "time": "5"},
]


def _ticket(records: RecordStore, session_id: str = "web-abc", **extra: object) -> tuple[int, str]:
    ticket = records.add_ticket(
        kind="handoff",
        session_id=session_id,
        summary="转人工：拆迁补偿什么时候发，我电话13912345678",
        transcript=CLICKED_TRANSCRIPT,
        **extra,  # type: ignore[arg-type]
    )
    assert ticket.code
    return ticket.id, f"{ticket.code[:4]}-{ticket.code[4:]}"


def test_staff_answer_a_ticket_and_the_resident_reads_it_in_the_chat(
    staff_site: StaffSite,
) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    ticket_id, code = _ticket(staff_site.records, contact="13912345678")
    _ticket(staff_site.records, session_id="web-someone-else")

    waiting = client.get("/api/handoff/answers", params={"session_id": "web-abc"}).json()
    assert waiting == {"replies": [], "waiting": 1}

    r = client.post(
        f"/api/staff/insights/tickets/{ticket_id}/replies",
        headers=admin,
        json={"text": "  您好，补偿款预计本月底前发放，请留意村委会通知。  "},
    )
    assert r.status_code == 201, r.text
    answered = r.json()
    assert answered["status"] == "answered" and answered["code"] == code
    assert answered["answered_at"] and answered["contact"] == "13912345678"
    assert [(x["author"], x["text"]) for x in answered["replies"]] == [
        ("admin", "您好，补偿款预计本月底前发放，请留意村委会通知。")
    ]
    # What the resident clicked, as they saw it: never /affirm or /inform_need{…}.
    said = [t["text"] for t in answered["transcript"] if t["who"] == "user"]
    assert said == ["我们想在大兴建厂", "合作共建园区", "是"]
    assert answered["transcript"][1]["buttons"] == "合作共建园区 / 项目落地选址"

    body = client.get("/api/handoff/answers", params={"session_id": "web-abc"}).json()
    assert body["waiting"] == 0
    (reply,) = body["replies"]
    assert reply["code"] == code and reply["text"].startswith("您好，补偿款")
    later = client.get(
        "/api/handoff/answers", params={"session_id": "web-abc", "after": reply["id"]}
    )
    assert later.json() == {"replies": [], "waiting": 0}
    # Another conversation sees nothing of it.
    other = client.get("/api/handoff/answers", params={"session_id": "web-someone-else"}).json()
    assert other == {"replies": [], "waiting": 1}

    (entry, *_) = client.get("/api/staff/audit", headers=admin).json()["entries"]
    assert entry["action"] == "ticket_reply" and entry["actor"] == "admin"

    listed = client.get("/api/staff/insights/tickets?status=answered", headers=admin).json()
    assert [t["id"] for t in listed["tickets"]] == [ticket_id]
    csv_text = client.get("/api/staff/insights/tickets?format=csv", headers=admin).text
    assert code in csv_text and "/affirm" not in csv_text and "admin：您好" in csv_text


def test_the_reference_code_opens_the_replies_and_nothing_else(staff_site: StaffSite) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    ticket_id, code = _ticket(staff_site.records, contact="13912345678")
    r = client.get(f"/api/handoff/tickets/{code}")
    assert r.status_code == 200
    assert r.json()["status"] == "open" and r.json()["status_label"] == "待答复"
    client.post(
        f"/api/staff/insights/tickets/{ticket_id}/replies", headers=admin, json={"text": "已处理"}
    )
    typed = code.lower().replace("-", " ")  # as a resident may type it
    found = client.get(f"/api/handoff/tickets/{typed}").json()
    assert found["code"] == code and found["status_label"] == "已答复"
    assert [x["text"] for x in found["replies"]] == ["已处理"]
    assert found["question"] == "拆迁补偿什么时候发，我电话139****5678"
    # The code grants the answers, not the conversation, the contact or the session.
    assert set(found) == {"code", "status", "status_label", "created_at", "question", "replies"}
    assert "13912345678" not in str(found) and "web-abc" not in str(found)

    missing = client.get("/api/handoff/tickets/AAAA-2222")
    assert missing.status_code == 404 and "没有找到" in missing.json()["detail"]
    bad = client.get("/api/handoff/tickets/0O1I-LLLL")
    assert bad.status_code == 422 and "查询码格式不对" in bad.json()["detail"]


def test_ticket_lookups_and_polls_are_rate_limited(make_client: Callable[..., TestClient]) -> None:
    client = make_client(ticket_lookup_limit_per_minute=3, handoff_poll_limit_per_minute=2)
    codes = [client.get("/api/handoff/tickets/AAAA-222" + str(n)).status_code for n in range(2, 7)]
    assert codes == [404, 404, 404, 429, 429]
    limited = client.get("/api/handoff/tickets/AAAA-2222")
    assert limited.json()["detail"] == "查询过于频繁，请稍后再试。"
    assert int(limited.headers["Retry-After"]) >= 1
    polls = [
        client.get("/api/handoff/answers", params={"session_id": "s"}).status_code for _ in range(3)
    ]
    assert polls == [200, 200, 429]


def test_replies_need_the_ticket_permission_and_a_ticket_that_is_not_closed(
    staff_site: StaffSite,
) -> None:
    client = staff_site.client
    ticket_id, _ = _ticket(staff_site.records)
    url = f"/api/staff/insights/tickets/{ticket_id}/replies"
    assert client.post(url, json={"text": "好"}).status_code == 401
    assert (
        client.post(url, headers=staff_site.login("editor"), json={"text": "好"}).status_code == 403
    )
    admin = staff_site.login("admin")
    blank = client.post(url, headers=admin, json={"text": "   "})
    assert blank.status_code == 422
    too_long = client.post(url, headers=admin, json={"text": "答" * 2001})
    assert too_long.status_code == 422
    unknown = client.post(
        "/api/staff/insights/tickets/999/replies", headers=admin, json={"text": "好"}
    )
    assert unknown.status_code == 404
    client.patch(
        f"/api/staff/insights/tickets/{ticket_id}", headers=admin, json={"status": "closed"}
    )
    closed = client.post(url, headers=admin, json={"text": "好"})
    assert closed.status_code == 409 and "重新打开" in closed.json()["detail"]
    assert client.get("/api/handoff/answers?session_id=web-abc").json()["replies"] == []


def test_bad_session_ids_are_refused(staff_site: StaffSite) -> None:
    for bad in ("", "a" * 65, "含中文", "a b"):
        r = staff_site.client.get("/api/handoff/answers", params={"session_id": bad})
        assert r.status_code == 422
