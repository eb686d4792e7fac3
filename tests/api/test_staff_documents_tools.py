"""The documents page's tools through the API: search/filter/sort, multi-file upload, the
change note on publish, and the character-level diff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from docstore.models import DocumentVersion
from tests.api.conftest import StaffSite

NOTICE = "# 一、搬家补助\n\n每户搬家补助费为3000元，于签约后十日内发放。"


def _create(site: StaffSite, headers: dict[str, str], title: str, content: str = NOTICE) -> str:
    r = site.client.post(
        "/api/staff/documents", headers=headers, json={"title": title, "content": content}
    )
    assert r.status_code == 201, r.text
    doc_id: str = r.json()["doc_id"]
    return doc_id


def _listed(site: StaffSite, headers: dict[str, str], **params: Any) -> list[str]:
    r = site.client.get("/api/staff/documents", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return [d["doc_id"] for d in r.json()["documents"]]


def _set_updated(site: StaffSite, doc_id: str, moment: datetime) -> None:
    """Date a document's versions (the store stamps them with the current time)."""
    with site.store._sessions.begin() as session:
        session.execute(
            update(DocumentVersion)
            .where(DocumentVersion.doc_id == doc_id)
            .values(created_at=moment)
        )


def test_the_list_is_searched_filtered_and_sorted_on_the_server(staff_site: StaffSite) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    # Two published sources (transport "交通规划", ecology "生态规划") and three new drafts.
    old = _create(staff_site, admin, "搬迁补助通知")
    new = _create(staff_site, admin, "周转房安排通知")
    pct = _create(staff_site, admin, "补助100%_发放说明")
    _set_updated(staff_site, old, datetime(2026, 3, 1, 12, tzinfo=UTC))
    _set_updated(staff_site, new, datetime(2026, 6, 1, 12, tzinfo=UTC))
    client.post(f"/api/staff/documents/{new}/publish", headers=admin)
    client.put(
        "/api/staff/documents/ecology",
        headers=admin,
        json={"content": "# 生态\n\n新的生态内容。", "base_version": 1},
    )

    # No parameters: every document by id, the shape the contract gives.
    everything = _listed(staff_site, admin)
    assert everything == sorted(everything) and len(everything) == 5
    body = client.get("/api/staff/documents", headers=admin).json()
    assert set(body) == {"documents"}
    assert {"doc_id", "title", "version", "status"} <= set(body["documents"][0])

    # Title search: a part of the title; the id matches too; % and _ are literal.
    assert set(_listed(staff_site, admin, q="通知")) == {old, new}
    assert _listed(staff_site, admin, q="TRANS") == ["transport"]
    assert _listed(staff_site, admin, q="100%_") == [pct]
    assert _listed(staff_site, admin, q="%") == [pct]
    assert _listed(staff_site, admin, q="没有这个词") == []

    # Status: one or several.
    assert _listed(staff_site, admin, status="changed") == ["ecology"]
    assert set(_listed(staff_site, admin, status=["draft", "changed"])) == {old, pct, "ecology"}
    assert set(_listed(staff_site, admin, status="published")) == {"transport", new}

    # Dates: since is inclusive, before exclusive; an offset-less moment is UTC.
    assert _listed(
        staff_site, admin, updated_since="2026-02-01T00:00:00+08:00", updated_before="2026-04-01"
    ) == [old]
    assert _listed(staff_site, admin, updated_since="2026-06-01T12:00:00Z") == sorted(
        set(everything) - {old}
    )
    r = client.get(
        "/api/staff/documents",
        headers=admin,
        params={"updated_since": "2026-06-01", "updated_before": "2026-05-01"},
    )
    assert r.status_code == 422 and "晚于" in r.json()["detail"][0]["problem"]

    # Sorting: by time either way, by status (drafts first), ties by id.
    by_time = _listed(staff_site, admin, sort="updated_at", order="desc")
    assert by_time[-2:] == [new, old]
    assert _listed(staff_site, admin, sort="updated_at")[:2] == [old, new]
    statuses = [
        d["status"]
        for d in client.get(
            "/api/staff/documents", headers=admin, params={"sort": "status"}
        ).json()["documents"]
    ]
    assert statuses == ["draft", "draft", "changed", "published", "published"]
    published_first = _listed(staff_site, admin, sort="published_at", order="desc")
    assert published_first[0] == new and set(published_first[-2:]) == {old, pct}
    titles = [
        d["title"]
        for d in client.get("/api/staff/documents", headers=admin, params={"sort": "title"}).json()[
            "documents"
        ]
    ]
    assert titles == sorted(titles)

    # Combined, and bad values get a 422 that names the field.
    assert _listed(staff_site, admin, q="通知", status="draft") == [old]
    for bad in ({"status": "gone"}, {"sort": "size"}, {"order": "up"}, {"updated_since": "x"}):
        r = client.get("/api/staff/documents", headers=admin, params=bad)
        assert r.status_code == 422, bad
    r = client.get("/api/staff/documents", headers=admin, params={"q": "a\u200bb"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "q"
    client.cookies.clear()  # the log-in's cookie also authenticates GETs
    assert client.get("/api/staff/documents", params={"q": "通知"}).status_code == 401


def test_several_files_upload_at_once_and_a_bad_one_loses_nothing(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    before = len(_listed(staff_site, editor))
    files = [
        (
            "files",
            ("green.md", "# 绿道规划\n\n## 一、环线\n\n建设环城绿道。\n".encode(), "text/markdown"),
        ),
        ("files", ("plan.pdf", b"%PDF-1.7 ...", "application/pdf")),
        (
            "files",
            (
                "notice.txt",
                "第一章 搬迁安置\n一、周转房\n过渡期不超过十八个月。\n".encode("gb18030"),
                "text/plain",
            ),
        ),
        ("files", ("broken.md", "# 一\n\n正文\n\n### 跳级\n\n正文".encode(), "text/markdown")),
        ("files", ("big.md", b"# a\n\n" + b"x" * 2_100_000, "text/markdown")),
        ("files", ("无标题.md", "只有一段正文，没有标题。".encode(), "text/markdown")),
    ]
    r = client.post("/api/staff/documents/uploads", headers=editor, files=files)
    assert r.status_code == 207, r.text
    body = r.json()
    results = {item["filename"]: item for item in body["results"]}
    assert [item["filename"] for item in body["results"]] == [f[1][0] for f in files]
    assert body["saved"] == 3 and body["failed"] == 3

    green = results["green.md"]
    assert green["status_code"] == 201 and green["title"] == "绿道规划"
    notice = results["notice.txt"]
    assert notice["status_code"] == 201 and notice["encoding"] == "gb18030"
    content = client.get(f"/api/staff/documents/{notice['doc_id']}", headers=editor).json()
    assert "十八个月" in content["content"] and content["status"] == "draft"
    untitled = results["无标题.md"]
    assert untitled["status_code"] == 201 and untitled["title"] == "无标题"
    assert any("文件名" in w for w in untitled["warnings"])

    pdf = results["plan.pdf"]
    assert pdf["status_code"] == 422 and "PDF" in pdf["problems"][0]["problem"]
    assert pdf["doc_id"] is None
    broken = results["broken.md"]
    assert broken["status_code"] == 422 and broken["problems"][0]["line"] == 5
    assert results["big.md"]["status_code"] == 413
    assert "文件过大" in results["big.md"]["problems"][0]["problem"]
    for item in body["results"]:
        assert all(p["problem"] for p in item["problems"])

    assert len(_listed(staff_site, editor)) == before + 3
    audit = client.get("/api/staff/audit", headers=staff_site.login("admin")).json()["entries"]
    assert sum(1 for e in audit if e["action"] == "create") == 3


def test_multi_file_upload_limits(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    one = ("files", ("a.md", "# 甲\n\n正文。".encode(), "text/markdown"))
    # A title is for a batch of one.
    r = client.post(
        "/api/staff/documents/uploads", headers=editor, files=[one], data={"title": "自定标题"}
    )
    assert r.status_code == 207 and r.json()["results"][0]["title"] == "自定标题"
    r = client.post(
        "/api/staff/documents/uploads", headers=editor, files=[one, one], data={"title": "标题"}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "title"
    # Too many files, no files, no log-in.
    r = client.post("/api/staff/documents/uploads", headers=editor, files=[one] * 11)
    assert r.status_code == 422 and "最多" in r.json()["detail"][0]["problem"]
    assert client.post("/api/staff/documents/uploads", headers=editor).status_code == 422
    client.cookies.clear()  # (a POST needs the bearer token anyway)
    assert client.post("/api/staff/documents/uploads", files=[one]).status_code == 401
    # The whole body is bounded before anything reads it (and before log-in).
    huge = ("files", ("h.md", b"x" * 10_200_000, "text/markdown"))
    assert client.post("/api/staff/documents/uploads", files=[huge]).status_code == 413


def test_a_change_note_is_kept_with_the_version_and_in_the_audit_log(
    staff_site: StaffSite,
) -> None:
    client, admin = staff_site.client, staff_site.login("admin")
    doc_id = _create(staff_site, admin, "搬迁补助通知")

    # The body-less call still publishes (no note).
    assert client.post(f"/api/staff/documents/{doc_id}/publish", headers=admin).status_code == 202
    v1 = client.get(f"/api/staff/documents/{doc_id}/versions", headers=admin).json()["versions"][0]
    assert v1["publish_note"] is None and v1["published_by"] == "admin"
    assert v1["published_at"] is not None

    client.put(
        f"/api/staff/documents/{doc_id}",
        headers=admin,
        json={"content": NOTICE.replace("3000", "3500"), "base_version": 1},
    )
    note = "  补助标准\n调整为3500元，咨询电话 13912345678 "
    r = client.post(f"/api/staff/documents/{doc_id}/publish", headers=admin, json={"note": note})
    assert r.status_code == 202 and r.json()["version"] == 2
    versions = client.get(f"/api/staff/documents/{doc_id}/versions", headers=admin).json()
    latest = versions["versions"][0]
    assert latest["version"] == 2
    assert latest["publish_note"].startswith("补助标准 调整为3500元")
    assert "13912345678" not in latest["publish_note"]  # personal numbers are masked
    assert latest["note"] == ""  # the draft's own note is untouched
    entries = client.get("/api/staff/audit", headers=admin, params={"doc_id": doc_id}).json()[
        "entries"
    ]
    assert entries[0]["action"] == "publish" and entries[0]["version"] == 2
    assert entries[0]["detail"]["note"] == latest["publish_note"]
    assert "note" not in entries[1]["detail"]  # the first publishing had none

    # With the reviewed version and a note; a stale version is still refused.
    client.put(
        f"/api/staff/documents/{doc_id}",
        headers=admin,
        json={"content": NOTICE, "base_version": 2},
    )
    r = client.post(
        f"/api/staff/documents/{doc_id}/publish", headers=admin, json={"version": 2, "note": "旧"}
    )
    assert r.status_code == 409
    r = client.post(
        f"/api/staff/documents/{doc_id}/publish", headers=admin, json={"version": 3, "note": "恢复"}
    )
    assert r.status_code == 202
    notes = [
        v["publish_note"]
        for v in client.get(f"/api/staff/documents/{doc_id}/versions", headers=admin).json()[
            "versions"
        ]
    ]
    assert notes[0] == "恢复" and notes[2] is None

    # Bad notes: too long, control characters; an editor may not publish at all.
    for bad in ("长" * 301, "a\x00b"):
        r = client.post(f"/api/staff/documents/{doc_id}/publish", headers=admin, json={"note": bad})
        assert r.status_code == 422, bad
    editor = staff_site.login("editor")
    r = client.post(f"/api/staff/documents/{doc_id}/publish", headers=editor, json={"note": "x"})
    assert r.status_code == 403


def test_the_diff_marks_the_changed_digit_not_the_paragraph(staff_site: StaffSite) -> None:
    client, editor = staff_site.client, staff_site.login("editor")
    content = NOTICE + "\n\n## 二、周转房\n\n周转房按户分配。"
    doc_id = _create(staff_site, editor, "搬迁补助通知", content)
    client.put(
        f"/api/staff/documents/{doc_id}",
        headers=editor,
        json={
            "content": content.replace("3000元", "3500元") + "\n\n## 三、咨询\n\n请拨打12345。",
            "base_version": 1,
        },
    )
    body = client.get(
        f"/api/staff/documents/{doc_id}/diff", headers=editor, params={"from": 1, "to": 2}
    ).json()
    assert any(line.startswith("+每户搬家补助费为3500元") for line in body["lines"])  # unchanged
    rows = [row for hunk in body["hunks"] for row in hunk["rows"]]
    changed = [
        (row["op"], [s["text"] for s in row["segments"] if s["changed"]])
        for row in rows
        if row["op"] != "equal"
    ]
    assert ("delete", ["0"]) in changed and ("insert", ["5"]) in changed
    deleted = next(r for r in rows if r["op"] == "delete")
    assert (
        "".join(s["text"] for s in deleted["segments"])
        == "每户搬家补助费为3000元，于签约后十日内发放。"
    )
    assert deleted["old_line"] is not None and deleted["new_line"] is None
    # A wholly new paragraph is one insertion, marked whole.
    assert ("insert", ["请拨打12345。"]) in changed
    # The same versions: no hunks.
    same = client.get(
        f"/api/staff/documents/{doc_id}/diff", headers=editor, params={"from": 2, "to": 2}
    ).json()
    assert same["hunks"] == [] and same["lines"] == []
