"""An invalid document id on upload is a 422 naming the field (it was a 409, as if the id were
taken); a 404 is short, in Chinese, and never repeats the path (it echoed 5 KB of it)."""

from __future__ import annotations

import pytest

from tests.api.conftest import StaffSite

LONG = "x" * 5000
NOTICE = "第一章 搬迁安置\n一、周转房\n周转房按户分配，过渡期不超过十八个月。\n"


@pytest.mark.parametrize("doc_id", ["../etc/passwd", "bad id", "-starts-with-dash", "a" * 129])
def test_an_invalid_doc_id_on_upload_is_a_422(staff_site: StaffSite, doc_id: str) -> None:
    r = staff_site.client.post(
        "/api/staff/documents/upload",
        headers=staff_site.login("editor"),
        files={"file": ("notice.txt", NOTICE.encode(), "text/plain")},
        data={"title": "周转房安排", "doc_id": doc_id},
    )
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["detail"]] == ["doc_id"]
    assert len(staff_site.store.documents()) == 2  # nothing saved


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", f"/sources/{LONG}", None),
        ("GET", f"/api/staff/documents/{LONG}", "editor"),
        ("GET", f"/api/staff/documents/{LONG}/versions", "editor"),
        ("GET", f"/api/staff/documents/transport/versions/{9_999}", "editor"),
        ("PATCH", f"/api/staff/accounts/{LONG}", "admin"),
        ("GET", f"/no/such/{LONG}", None),
        ("GET", f"/{LONG}", None),
    ],
)
def test_a_404_is_short_chinese_and_does_not_echo_the_path(
    staff_site: StaffSite, method: str, path: str, role: str | None
) -> None:
    headers = staff_site.login(role) if role else {}
    body = {"role": "editor"} if method == "PATCH" else None
    r = staff_site.client.request(method, path, headers=headers, json=body)
    assert r.status_code == 404
    assert len(r.content) < 200 and "xxxxxxxx" not in r.text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])
