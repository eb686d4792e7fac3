"""What staff learn from the conversations: knowledge gaps, unhelpful answers, tickets."""

from __future__ import annotations

import csv
import io

from tests.api.conftest import FakeRasa, StaffSite


def say(site: StaffSite, rasa: FakeRasa, session: str, message: str, kind: str) -> None:
    reply = {"kind": kind, "text": "……", "citations": [], "related": [], "buttons": []}
    rasa.reply = [{"recipient_id": session, "text": "……", "custom": {"reply": reply}}]
    r = site.client.post("/api/chat", json={"session_id": session, "message": message})
    assert r.status_code == 200, r.text


def test_unanswered_questions_are_ranked_by_how_often_they_were_asked(
    staff_site: StaffSite, fake_rasa: FakeRasa
) -> None:
    say(staff_site, fake_rasa, "s1", "燃气费怎么交？", "no_answer")
    say(staff_site, fake_rasa, "s2", "燃气费怎么交", "no_answer")
    say(staff_site, fake_rasa, "s3", "燃气费 怎么交?", "no_answer")
    say(staff_site, fake_rasa, "s1", "我的电话是13912345678，拆迁款什么时候发？", "no_answer")
    say(staff_site, fake_rasa, "s1", "你好", "chitchat")
    say(staff_site, fake_rasa, "s2", "京台高速", "answer")
    admin = staff_site.login("admin")
    gaps = staff_site.client.get("/api/staff/insights/unanswered", headers=admin).json()
    ranked = [(g["question"], g["times_asked"], g["sessions"]) for g in gaps["questions"]]
    assert ranked[0][1:] == (3, 3) and "燃气费" in ranked[0][0]
    assert ranked[1] == ("我的电话是139****5678，拆迁款什么时候发？", 1, 1)
    assert len(ranked) == 2

    r = staff_site.client.get(
        "/api/staff/insights/unanswered", headers=admin, params={"format": "csv"}
    )
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0] == ["question", "times_asked", "sessions", "last_asked"] and len(rows) == 3
    assert "13912345678" not in r.text


def test_unhelpful_answers_come_with_their_citations(staff_site: StaffSite) -> None:
    citation = {"n": 1, "doc_id": "transport", "quote": "建设京台高速"}
    staff_site.records.add_feedback(
        session_id="s1", helpful=False, question="京台高速什么时候通车", citations=[citation]
    )
    staff_site.records.add_feedback(session_id="s2", helpful=True, question="好", citations=[])
    items = staff_site.client.get(
        "/api/staff/insights/unhelpful", headers=staff_site.login("editor")
    ).json()["feedback"]
    assert [(f["question"], f["citations"]) for f in items] == [
        ("京台高速什么时候通车", [citation])
    ]


def test_what_was_missing_reaches_the_insights_masked(staff_site: StaffSite) -> None:
    item = staff_site.records.add_feedback(
        session_id="s1", helpful=False, question="京台高速什么时候通车", citations=[]
    )
    said = staff_site.records.add_missing(item.id, "s1", "通车日期，回电13912345678")
    assert said is not None
    assert staff_site.records.add_missing(item.id, "s1", "再说一次") is None  # once
    assert staff_site.records.add_missing(item.id, "s2", "别的会话") is None
    editor = staff_site.login("editor")
    (listed,) = staff_site.client.get("/api/staff/insights/unhelpful", headers=editor).json()[
        "feedback"
    ]
    assert "通车日期" in listed["missing"] and "13912345678" not in listed["missing"]
    csv = staff_site.client.get("/api/staff/insights/unhelpful?format=csv", headers=editor).text
    assert "通车日期" in csv and "13912345678" not in csv


def test_tickets_can_be_listed_closed_and_exported(staff_site: StaffSite) -> None:
    ticket = staff_site.records.add_ticket(
        kind="handoff",
        session_id="s9",
        transcript=[{"sender": "user", "text": "=cmd 我要找人工，身份证110101199001011234"}],
        summary='=HYPERLINK("http://evil.example")',
    )
    client, admin = staff_site.client, staff_site.login("admin")
    (listed,) = client.get("/api/staff/insights/tickets?status=open", headers=admin).json()[
        "tickets"
    ]
    assert "110101********1234" in listed["transcript"][0]["text"]
    r = client.patch(
        f"/api/staff/insights/tickets/{ticket.id}", headers=admin, json={"status": "closed"}
    )
    assert r.json()["status"] == "closed" and r.json()["closed_by"] == "admin"
    assert client.get("/api/staff/insights/tickets?status=open", headers=admin).json() == {
        "tickets": []
    }
    csv_text = client.get("/api/staff/insights/tickets?format=csv", headers=admin).text
    assert "'=HYPERLINK" in csv_text  # a spreadsheet shows it as text, never runs it
    r = client.patch("/api/staff/insights/tickets/999", headers=admin, json={"status": "closed"})
    assert r.status_code == 404


def test_an_editor_cannot_read_tickets_contacts_or_transcripts(staff_site: StaffSite) -> None:
    staff_site.records.add_ticket(
        kind="cooperation",
        session_id="s10",
        transcript=[{"sender": "user", "text": "我们想合作"}],
        summary="企业合作",
        contact="13987654321",
    )
    client, editor = staff_site.client, staff_site.login("editor")
    for query in ("", "?format=csv", "?status=open"):
        r = client.get("/api/staff/insights/tickets" + query, headers=editor)
        assert r.status_code == 403 and "13987654321" not in r.text
        assert "无权" in r.json()["detail"]
    r = client.patch("/api/staff/insights/tickets/1", headers=editor, json={"status": "closed"})
    assert r.status_code == 403
    me = client.get("/api/staff/me", headers=editor).json()
    assert "tickets" not in me["permissions"]
    admin = staff_site.login("admin")
    assert "tickets" in client.get("/api/staff/me", headers=admin).json()["permissions"]
    (ticket,) = client.get("/api/staff/insights/tickets", headers=admin).json()["tickets"]
    assert ticket["contact"] == "13987654321"


def test_accounts_are_managed_by_admins_and_the_last_admin_stays(staff_site: StaffSite) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    r = client.post(
        "/api/staff/accounts",
        headers=admin,
        json={"username": "carol", "password": "a good long one", "role": "editor"},
    )
    assert r.status_code == 201 and r.json()["role"] == "editor"
    again = client.post(
        "/api/staff/accounts",
        headers=admin,
        json={"username": "carol", "password": "a good long one", "role": "editor"},
    )
    assert again.status_code == 409
    weak = client.post(
        "/api/staff/accounts",
        headers=admin,
        json={"username": "dan", "password": "x", "role": "editor"},
    )
    assert weak.status_code == 422
    r = client.patch("/api/staff/accounts/admin", headers=admin, json={"role": "editor"})
    assert r.status_code == 409 and "最后一个管理员" in r.json()["detail"]
    r = client.patch("/api/staff/accounts/carol", headers=admin, json={"active": False})
    assert r.json()["active"] is False
    login = client.post(
        "/api/staff/login", json={"username": "carol", "password": "a good long one"}
    )
    assert login.status_code == 401
