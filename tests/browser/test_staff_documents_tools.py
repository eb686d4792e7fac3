"""The documents page's tools in headless Chromium: search and filter, several files uploaded
at once, a change note that shows in the history (and the audit log), and a diff that marks
the one digit that changed.

The browser runs in Beijing time while the server stamps versions in UTC, so the date filter
is checked across the day boundary the two disagree on for eight hours a day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.staff_conftest_helpers import ADMIN, StaffSite, serve_staff_site

pytestmark = pytest.mark.browser

BEIJING = ZoneInfo("Asia/Shanghai")
NOTICE = "# 一、搬家补助 {#move}\n\n每户搬家补助费为3000元，于签约后十日内发放。\n"


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with serve_staff_site(tmp_path_factory.mktemp("staff-docs")) as site:
        yield site


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()


def _headers(base: str) -> dict[str, str]:
    r = httpx.post(base + "/api/staff/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _create(base: str, headers: dict[str, str], title: str, content: str) -> str:
    r = httpx.post(
        base + "/api/staff/documents", headers=headers, json={"title": title, "content": content}
    )
    r.raise_for_status()
    doc_id: str = r.json()["doc_id"]
    return doc_id


def _login(page: Any, base: str) -> None:
    page.goto(base + "/staff")
    page.fill("#login-username", ADMIN[0])
    page.fill("#login-password", ADMIN[1])
    page.click("#login-submit")
    expect(page.locator("#view-documents")).to_be_visible()


def _confirm(page: Any) -> None:
    expect(page.locator("#confirm-dialog")).to_be_visible()
    page.click("#confirm-ok")
    expect(page.locator("#confirm-dialog")).to_be_hidden()


def _unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if "Failed to load resource" not in e]


def test_search_filter_and_sort_the_documents(page, staff_site) -> None:  # type: ignore[no-untyped-def]
    base = staff_site.base
    headers = _headers(base)
    notice = _create(base, headers, "搬迁补助通知", NOTICE)
    housing = _create(base, headers, "周转房安排", "# 周转房\n\n周转房按户分配。\n")
    httpx.post(f"{base}/api/staff/documents/{housing}/publish", headers=headers).raise_for_status()

    _login(page, base)
    rows = page.locator("#documents-body tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#documents-count")).to_have_text("共 3 个文档。")
    # Default order: the most recently changed first.
    expect(rows.first).to_contain_text("周转房安排")

    page.fill("#filter-q", "补助")  # searched as it is typed
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("搬迁补助通知")
    expect(page.locator("#documents-count")).to_have_text("找到 1 个符合条件的文档。")
    page.fill("#filter-q", notice.upper())  # the id, in any case
    expect(rows).to_have_count(1)
    page.fill("#filter-q", "")

    page.select_option("#filter-status", "published")
    expect(rows).to_have_count(2)
    expect(page.locator("#documents-body")).not_to_contain_text("搬迁补助通知")
    page.select_option("#filter-status", "draft")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("搬迁补助通知")
    page.select_option("#filter-status", "")

    # Dates are the staff member's days in Beijing, whatever the UTC date is now.
    today = datetime.now(BEIJING).date()
    page.fill("#filter-from", today.isoformat())
    page.fill("#filter-to", today.isoformat())
    page.click("#filter-apply")
    expect(rows).to_have_count(3)
    page.fill("#filter-from", (today + timedelta(days=1)).isoformat())
    page.fill("#filter-to", (today + timedelta(days=2)).isoformat())
    page.click("#filter-apply")
    expect(rows).to_have_count(0)
    expect(page.locator("#documents-empty")).to_have_text("没有符合条件的文档。")
    page.fill("#filter-to", today.isoformat())
    page.click("#filter-apply")
    expect(page.locator("#filter-error")).to_contain_text("结束日期不能早于开始日期")
    page.click("#filter-reset")
    expect(rows).to_have_count(3)
    expect(page.locator("#filter-error")).to_have_text("")

    page.select_option("#filter-sort", "title:asc")
    titles = ["交通规划", "周转房安排", "搬迁补助通知"]
    expect(rows.locator("a.doc-link")).to_have_text(sorted(titles))
    page.select_option("#filter-sort", "status:asc")
    expect(rows.first).to_contain_text("搬迁补助通知")  # the draft first
    page.screenshot(path=str(ARTIFACTS / "staff-documents-filter.png"), full_page=True)
    page.select_option("#filter-sort", "updated_at:desc")
    assert not _unexpected(page.errors), page.errors


def test_several_files_upload_at_once_each_with_its_result(page, staff_site) -> None:  # type: ignore[no-untyped-def]
    base = staff_site.base
    _login(page, base)
    page.click("#upload-box summary")
    page.set_input_files(
        "#upload-file",
        files=[
            {
                "name": "green.md",
                "mimeType": "text/markdown",
                "buffer": "# 绿道规划\n\n## 一、环线\n\n建设环城绿道。\n".encode(),
            },
            {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"},
            {
                "name": "parks.txt",
                "mimeType": "text/plain",
                "buffer": "第一章 公园规划\n一、口袋公园\n新建口袋公园二十处。\n".encode("gb18030"),
            },
        ],
    )
    page.fill("#upload-title", "一个标题")
    page.click("#upload-submit")
    expect(page.locator("#upload-errors")).to_contain_text("请不要填写标题")
    page.fill("#upload-title", "")
    page.click("#upload-submit")

    results = page.locator("#upload-results > li")
    expect(results).to_have_count(3)
    expect(page.locator("#upload-summary")).to_have_text(
        "上传完成：2 个文件已保存为草稿，1 个文件未能保存，原因见各文件下方。"
    )
    expect(results.nth(0)).to_contain_text("成功")
    expect(results.nth(0)).to_contain_text("已保存为草稿“绿道规划”")
    expect(results.nth(1)).to_contain_text("失败")
    expect(results.nth(1)).to_contain_text("PDF 文件无法直接导入")
    expect(results.nth(2)).to_contain_text("已保存为草稿“第一章 公园规划”")
    expect(results.nth(2)).to_contain_text("gb18030")
    # Both good files are in the list; staying on the page, not jumping into one editor.
    expect(page.locator("#view-documents")).to_be_visible()
    expect(page.locator("#documents-body")).to_contain_text("绿道规划")
    expect(page.locator("#documents-body")).to_contain_text("第一章 公园规划")
    page.screenshot(path=str(ARTIFACTS / "staff-upload-several.png"), full_page=True)
    results.nth(2).locator("a.upload-open").click()
    expect(page.locator("#editor-title")).to_have_text("编辑：第一章 公园规划")
    assert not _unexpected(page.errors), page.errors


def test_a_change_note_shows_in_history_and_a_digit_diff_marks_the_digit(page, staff_site) -> None:  # type: ignore[no-untyped-def]
    base = staff_site.base
    doc_id = _create(base, _headers(base), "搬家补助标准", NOTICE)
    _login(page, base)
    page.goto(f"{base}/staff#/documents/{doc_id}")
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v1")

    page.fill("#doc-content", NOTICE.replace("3000元", "4000元"))
    page.click("#save-button")
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v2")
    page.fill("#publish-note", "补助标准由3000元调整为4000元")
    page.click("#publish-button")
    expect(page.locator("#confirm-text")).to_contain_text("发布说明：补助标准由3000元调整为4000元")
    _confirm(page)
    expect(page.locator("#status")).to_contain_text("已发布版本 v2")
    history = page.locator("#history-body tr").first
    expect(history).to_contain_text("发布说明：补助标准由3000元调整为4000元")
    expect(history).to_contain_text("admin 发布于")
    expect(page.locator("#publish-note")).to_have_value("")

    page.select_option("#diff-from", "1")
    page.select_option("#diff-to", "2")
    page.click("#diff-button")
    expect(page.locator("#diff-output del.diff-char")).to_have_text(["3"])
    expect(page.locator("#diff-output ins.diff-char")).to_have_text(["4"])
    # The whole paragraph is still there to read, on its - and + lines.
    expect(page.locator("#diff-output .diff-del")).to_have_text(
        "- 每户搬家补助费为3000元，于签约后十日内发放。"
    )
    expect(page.locator("#diff-output .diff-add")).to_have_text(
        "+ 每户搬家补助费为4000元，于签约后十日内发放。"
    )
    expect(page.locator("#diff-output .diff-hunk")).to_contain_text("旧版本第")
    page.locator("#diff-output").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "staff-diff-digit.png"), full_page=True)

    page.click("#nav a[data-route='audit']")
    expect(page.locator("#audit-body tr").first).to_contain_text("补助标准由3000元调整为4000元")
    assert not _unexpected(page.errors), page.errors
