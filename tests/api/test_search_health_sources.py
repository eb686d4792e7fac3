from __future__ import annotations

import base64
import hashlib
import re


def test_search_returns_passages_with_sections(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/search", params={"q": "京霸铁路", "k": 2})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert results[0]["doc_id"] == "transport" and "京霸铁路" in results[0]["text"]
    assert results[0]["section"] == "第一章 交通 > 一、铁路"
    assert results[0]["score"] >= results[1]["score"]


def test_search_validates_its_parameters(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "铁路", "k": 0}).status_code == 422
    assert client.get("/api/search", params={"q": "铁路", "k": 500}).status_code == 422
    assert client.get("/api/search", params={"q": "  "}).status_code == 422


def test_health_and_readiness(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    fake_rasa.actions_ok = False
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["components"]["actions"].startswith("unreachable")
    fake_rasa.down = True
    assert client.get("/readyz").json()["components"]["rasa"].startswith("unreachable")


def test_a_source_is_shown_with_an_anchor_on_every_passage(client, engine) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sources/transport")
    assert response.status_code == 200
    html = response.text
    for passage in engine.document_passages("transport"):
        assert f'id="{passage.anchor}"' in html
    assert ":target" in html and "<h1>交通规划</h1>" in html
    assert client.get("/sources/nothing-here").status_code == 404


def test_source_text_is_escaped(client, engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passage = engine.document_passages("transport")[0]
    evil = passage.__class__(**{**passage.__dict__, "text": "<script>alert(1)</script>"})
    monkeypatch.setattr(engine, "document_passages", lambda doc_id: [evil])
    html = client.get("/sources/transport").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_openapi_schema_describes_every_route(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/chat", "/api/search", "/healthz", "/readyz", "/sources/{doc_id}"):
        assert path in paths
    assert "Reply" in str(client.get("/openapi.json").json()["components"]["schemas"])


def test_info_tells_the_date_of_the_knowledge_base(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/info").json()
    assert body["knowledge_updated"] and body["hotline"] == "12345"
    assert {d["doc_id"] for d in body["documents"]} == {"transport", "ecology"}


def test_the_chat_page_and_its_assets(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'lang="zh-CN"' in page.text and "自动问答助手" in page.text
    assert "<script>" not in page.text  # no inline code: the CSP forbids it
    for asset in ("chat.js", "chat.css", "widget.js"):
        assert client.get(f"/{asset}").status_code == 200
    assert client.get("/widget.js").headers["access-control-allow-origin"] == "*"
    assert client.get("/secrets.txt").status_code == 404
    assert client.get("/..%2Fsettings.py").status_code == 404


def test_only_allowlisted_sites_may_embed_the_page(make_client) -> None:  # type: ignore[no-untyped-def]
    closed = make_client().get("/").headers["content-security-policy"]
    assert "frame-ancestors 'self';" in closed
    allowed = make_client(cors_origins=["https://www.example.gov.cn"]).get("/")
    csp = allowed.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://www.example.gov.cn;" in csp


def test_an_unreachable_database_is_reported_and_the_chat_goes_on(client, fake_rasa) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from records.store import RecordStore

    gone = create_engine("sqlite:////nonexistent-directory/planbot.db")
    client.app.state.runtime.database = gone
    client.app.state.runtime.records = RecordStore(gone)
    ready = client.get("/readyz")
    # Reported, but the replica stays in the load balancer: residents are still answered.
    assert ready.status_code == 200
    assert ready.json()["components"]["database"].startswith("unreachable")
    reply = {"kind": "chitchat", "text": "您好！", "citations": [], "related": [], "buttons": []}
    fake_rasa.reply = [{"recipient_id": "s", "text": "您好！", "custom": {"reply": reply}}]
    r = client.post("/api/chat", json={"session_id": "s", "message": "你好"})
    assert r.status_code == 200 and r.json()["replies"][0]["text"] == "您好！"


def test_every_response_carries_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/healthz", "/api/search?q=铁路", "/staff", "/api/staff/me", "/nope"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] in ("same-origin", "no-referrer"), path
    assert client.get("/api/staff/me").headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in client.get("/staff").headers["content-security-policy"]
    assert "strict-transport-security" not in client.get("/healthz").headers  # no TLS here


def test_a_source_page_runs_no_script_and_is_never_framed(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sources/transport")
    header = response.headers["content-security-policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["default-src"] == "'none'" and "script-src" not in policy
    assert policy["frame-ancestors"] == "'none'" and response.headers["x-frame-options"] == "DENY"
    # The one inline style sheet is allowed by its hash, so the page still looks as designed.
    style = re.search(r"<style>(.*?)</style>", response.text, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert policy["style-src"] == f"'sha256-{digest}'"
