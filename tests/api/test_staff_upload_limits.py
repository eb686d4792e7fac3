"""Uploads cannot freeze the service: bombs are a Chinese 422, and the event loop keeps
answering while a conversion runs (security review, issue 14, H1)."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import httpx
import pytest

from docstore import isolation
from tests.api.conftest import StaffSite
from tests.docstore.bombs import TEXT_PARAGRAPH, alias_bomb, body_of, docx_with, lying_docx


def _upload(site: StaffSite, name: str, data: bytes, headers: dict[str, str]) -> httpx.Response:
    return site.client.post(
        "/api/staff/documents/upload",
        headers=headers,
        files={"file": (name, data, "application/octet-stream")},
        data={"title": "上传"},
    )


@pytest.mark.parametrize(
    ("name", "build", "fragment"),
    [
        ("bomb.md", lambda: alias_bomb(7), "锚点或别名"),
        ("lying.docx", lying_docx, "docx"),
        (
            "dense.docx",
            lambda: docx_with({"word/document.xml": body_of(TEXT_PARAGRAPH, 400_000)}),
            "元素",
        ),
    ],
    ids=["yaml-alias-bomb", "lying-zip-member", "dense-docx"],
)
def test_a_bomb_upload_is_refused_in_chinese_and_changes_nothing(
    staff_site: StaffSite, name: str, build: Any, fragment: str
) -> None:
    editor = staff_site.login("editor")
    before = staff_site.client.get("/api/staff/documents", headers=editor).json()
    started = time.monotonic()
    r = _upload(staff_site, name, build(), editor)
    assert time.monotonic() - started < 15  # a hang guard (old: 48 s for the alias bomb)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["field"] == "file" and fragment in problem["problem"]
    assert staff_site.client.get("/api/staff/documents", headers=editor).json() == before


# The real worker, started three seconds late: a conversion that takes a while.
SLOW_WORKER = (
    "import runpy, time\n"
    "time.sleep(3)\n"
    "runpy.run_module('docstore.isolation', run_name='__main__')\n"
)


def test_healthz_answers_while_an_upload_is_converting(
    staff_site: StaffSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolation, "worker_argv", lambda: [sys.executable, "-c", SLOW_WORKER])
    editor = staff_site.login("editor")
    result: dict[str, httpx.Response] = {}

    def upload() -> None:
        text = "第一章 总则\n一、目标\n建设新区。\n".encode()
        result["upload"] = _upload(staff_site, "slow.txt", text, editor)

    uploading = threading.Thread(target=upload)
    uploading.start()
    try:
        time.sleep(0.5)  # the upload is in its conversion now
        started = time.monotonic()
        health = staff_site.client.get("/healthz")
        waited = time.monotonic() - started
        still_converting = uploading.is_alive()
    finally:
        uploading.join(30)
    assert health.status_code == 200
    assert still_converting, "the conversion ended before /healthz was asked"
    assert waited < 1.5  # it did not wait for the conversion (some 2.5 s still to go)
    assert result["upload"].status_code == 201, result["upload"].text
