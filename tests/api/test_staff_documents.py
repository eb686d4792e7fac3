"""The staff document cycle through the API, against a real store and a live index."""

from __future__ import annotations

from tests.api.conftest import StaffSite

NOTICE = "# 一、搬家补助\n\n每户搬家补助费为3000元，于签约后十日内发放。"


def cited_docs(site: StaffSite, question: str) -> set[str]:
    reply = site.engine().answer(question)
    return {c.doc_id for c in reply.citations}


def test_publish_then_cited_then_rolled_back_then_deleted(staff_site: StaffSite) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    editor = staff_site.login("editor")
    r = client.post(
        "/api/staff/documents", headers=editor, json={"title": "搬迁补助通知", "content": NOTICE}
    )
    assert r.status_code == 201 and r.json()["status"] == "draft"
    doc_id = r.json()["doc_id"]
    assert doc_id not in cited_docs(staff_site, "搬家补助费多少钱")  # a draft is not served

    assert client.post(f"/api/staff/documents/{doc_id}/publish", headers=admin).status_code == 202
    staff_site.wait_for_build()
    reply = staff_site.engine().answer("搬家补助费多少钱")
    assert reply.kind == "answer" and reply.citations[0].doc_id == doc_id
    assert "3000元" in reply.citations[0].quote

    r = client.put(
        f"/api/staff/documents/{doc_id}",
        headers=editor,
        json={"content": NOTICE.replace("3000", "4500"), "base_version": 1},
    )
    assert r.json() == {"doc_id": doc_id, "version": 2, "status": "changed"}
    client.post(f"/api/staff/documents/{doc_id}/publish", headers=admin)
    staff_site.wait_for_build()
    assert "4500元" in staff_site.engine().answer("搬家补助费多少钱").citations[0].quote

    r = client.post(f"/api/staff/documents/{doc_id}/rollback", headers=admin, json={"version": 1})
    assert r.status_code == 202 and r.json()["version"] == 3
    staff_site.wait_for_build()
    assert "3000元" in staff_site.engine().answer("搬家补助费多少钱").citations[0].quote

    assert client.delete(f"/api/staff/documents/{doc_id}", headers=admin).status_code == 202
    staff_site.wait_for_build()
    assert doc_id not in cited_docs(staff_site, "搬家补助费多少钱")
    listed = {
        d["doc_id"]: d
        for d in client.get("/api/staff/documents", headers=admin).json()["documents"]
    }
    assert listed[doc_id]["status"] == "deleted" and listed[doc_id]["version"] == 3

    actions = [
        e["action"]
        for e in client.get("/api/staff/audit", headers=admin, params={"doc_id": doc_id}).json()[
            "entries"
        ]
    ]
    assert actions == ["delete", "rollback", "publish", "edit", "publish", "create"]


def test_a_stale_edit_gets_409_and_loses_nothing(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    first = client.put(
        "/api/staff/documents/transport",
        headers=editor,
        json={"content": "# 交通\n\n甲的改动。", "base_version": 1},
    )
    assert first.status_code == 200
    second = client.put(
        "/api/staff/documents/transport",
        headers=editor,
        json={"content": "# 交通\n\n乙的改动。", "base_version": 1},
    )
    assert second.status_code == 409 and second.json()["latest_version"] == 2
    assert "第 2 版" in second.json()["detail"]
    current = client.get("/api/staff/documents/transport", headers=editor).json()
    assert current["content"] == "# 交通\n\n甲的改动。" and current["version"] == 2


def test_history_versions_and_diff(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    client.put(
        "/api/staff/documents/ecology",
        headers=editor,
        json={
            "content": "# 生态\n\n新的生态内容。",
            "base_version": 1,
            "title": "生态规划（修订）",
        },
    )
    versions = client.get("/api/staff/documents/ecology/versions", headers=editor).json()
    assert [v["version"] for v in versions["versions"]] == [2, 1]
    assert versions["versions"][0]["created_by"] == "editor"
    diff = client.get(
        "/api/staff/documents/ecology/diff", headers=editor, params={"from": 1, "to": 2}
    ).json()["lines"]
    assert "-title: 生态规划" in diff and "+title: 生态规划（修订）" in diff
    r = client.get("/api/staff/documents/ecology/versions/9", headers=editor)
    assert r.status_code == 404 and r.json()["detail"]


def test_invalid_documents_get_422_with_the_line(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    r = client.post(
        "/api/staff/documents",
        headers=editor,
        json={"title": "坏文档", "content": "# 一\n\n正文。\n\n### 跳级\n\n正文。"},
    )
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["line"] == 5 and "标题层级从 1 级跳到 3 级" in problem["problem"]
    r = client.post(
        "/api/staff/documents", headers=editor, json={"title": "t", "content": "a\x00b"}
    )
    assert r.status_code == 422
    assert len(client.get("/api/staff/documents", headers=editor).json()["documents"]) == 2


def test_a_malformed_upload_changes_nothing(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    before = client.get("/api/staff/documents", headers=editor).json()
    bad_files = [
        ("plan.pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "application/octet-stream"),
        ("plan.md", "# 一\n\n正文\n\n### 跳级\n\n正文".encode(), "text/markdown"),
        ("plan.txt", b"", "text/plain"),
        ("plan.txt", b"\xff\xfe\x00\xd8" * 10, "text/plain"),
    ]
    for name, data, kind in bad_files:
        r = client.post(
            "/api/staff/documents/upload",
            headers=editor,
            files={"file": (name, data, kind)},
            data={"title": "上传"},
        )
        assert r.status_code == 422, (name, r.text)
        assert r.json()["detail"][0]["problem"], name
    big = client.post(
        "/api/staff/documents/upload",
        headers=editor,
        files={"file": ("big.md", b"# a\n\n" + b"x" * 3_000_000, "text/markdown")},
    )
    assert big.status_code == 413
    assert client.get("/api/staff/documents", headers=editor).json() == before


def test_a_good_upload_becomes_a_draft(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    text = "第一章 搬迁安置\n一、周转房\n周转房按户分配，过渡期不超过十八个月。\n"
    r = client.post(
        "/api/staff/documents/upload",
        headers=editor,
        files={"file": ("notice.txt", text.encode("gb18030"), "text/plain")},
        data={"title": "周转房安排"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["encoding"] == "gb18030" and body["status"] == "draft"
    content = client.get(f"/api/staff/documents/{body['doc_id']}", headers=editor).json()["content"]
    assert "# 第一章 搬迁安置" in content and "十八个月" in content


def test_preview_shows_the_passages_as_they_will_be_cited(staff_site: StaffSite) -> None:
    r = staff_site.client.post(
        "/api/staff/documents/preview",
        headers=staff_site.login("editor"),
        json={"title": "通知", "content": NOTICE},
    )
    passages = r.json()["passages"]
    assert passages[0]["section"] == "一、搬家补助"
    assert passages[0]["quote"].startswith("每户搬家补助费为3000元")
    assert staff_site.store.documents()[0].doc_id == "ecology"  # nothing saved


def test_index_status_and_manual_rebuild(staff_site: StaffSite) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    status = client.get("/api/staff/index", headers=admin).json()
    assert status["serving_documents"] == 2 and status["serving_passages"] > 0
    assert client.post("/api/staff/index/rebuild", headers=admin).status_code == 202
    staff_site.wait_for_build()
    status = client.get("/api/staff/index", headers=admin).json()
    assert status["state"] == "idle" and status["requested_by"] == "admin"
    assert status["build_id"] == status["serving_build"]
