"""The staff workspace (/staff) in headless Chromium against a real app and database.

Waits use locators and ``expect``, never ``wait_for_function``: the page's CSP (no eval)
blocks the latter. Screenshots go to test-artifacts/staff-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.staff_conftest_helpers import ADMIN, EDITOR, StaffSite, serve_staff_site

pytestmark = pytest.mark.browser

BAD_CONTENT = "# 第三章 城市更新 {#ch3}\n\n## 一、老旧小区 {#old}\n\n## 二、重复 {#old}\n\n改造。\n"
V1_CONTENT = (
    "# 第三章 城市更新 {#ch3}\n\n"
    "## 一、老旧小区 {#old}\n\n"
    "推进黄村地区老旧小区综合整治，完善养老托育设施。\n\n"
    "## 二、街区更新 {#blocks}\n\n"
    "以街区为单元推进城市更新，补齐公共服务短板。\n"
)
V2_CONTENT = V1_CONTENT.replace("完善养老托育设施。", "完善养老托育和停车设施。")

# Every check of the accessibility sanity test, run in the page (evaluate is not blocked by
# the CSP; wait_for_function is). Returns a list of problems, empty when all is well.
A11Y_SCRIPT = """
() => {
  const problems = [];
  const ids = {};
  document.querySelectorAll('[id]').forEach((e) => { ids[e.id] = (ids[e.id] || 0) + 1; });
  Object.keys(ids).filter((k) => ids[k] > 1).forEach((k) => problems.push('duplicate id ' + k));
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const named = (e) => {
    if ((e.getAttribute('aria-label') || '').trim()) return true;
    const by = e.getAttribute('aria-labelledby');
    if (by && by.split(/\\s+/).some((id) => {
      const t = document.getElementById(id); return t && t.textContent.trim();
    })) return true;
    if (e.labels && Array.from(e.labels).some((l) => l.textContent.trim())) return true;
    if (['BUTTON', 'A', 'SUMMARY'].includes(e.tagName) && e.textContent.trim()) return true;
    return false;
  };
  document.querySelectorAll('input, select, textarea, button, a[href], summary').forEach((e) => {
    if (visible(e) && !named(e)) problems.push('no accessible name: ' + e.outerHTML.slice(0, 80));
  });
  document.querySelectorAll('[aria-labelledby], [aria-describedby], label[for]').forEach((e) => {
    const refs = (e.getAttribute('aria-labelledby') || '') + ' ' +
      (e.getAttribute('aria-describedby') || '') + ' ' + (e.getAttribute('for') || '');
    refs.split(/\\s+/).filter(Boolean).forEach((id) => {
      if (!document.getElementById(id)) problems.push('dangling reference to #' + id);
    });
  });
  if (document.documentElement.lang !== 'zh-CN') problems.push('lang is not zh-CN');
  if (!document.querySelector('main')) problems.push('no main landmark');
  const h1s = Array.from(document.querySelectorAll('h1')).filter(visible);
  if (h1s.length !== 1) problems.push('visible h1 count ' + h1s.length);
  if (document.querySelector('[style]')) problems.push('inline style attribute');
  return problems;
}
"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with serve_staff_site(tmp_path_factory.mktemp("staff")) as site:
        yield site


def _new_page(browser: Any, width: int = 1280, height: int = 900) -> Any:
    """A page in a fresh context that records page errors and console errors (CSP reports)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


@pytest.fixture
def staff_page(browser: Any) -> Iterator[Any]:
    page = _new_page(browser)
    yield page
    page.context.close()


def _unexpected_errors(errors: list[str]) -> list[str]:
    """Console errors that are not expected: the browser logs every 4xx fetch as an error,
    which the tests provoke on purpose; anything else (a CSP report, an exception) is not."""
    return [e for e in errors if "Failed to load resource" not in e]


def _login(page: Any, base: str, account: tuple[str, str]) -> None:
    page.goto(base + "/staff")
    expect(page.locator("#login-form")).to_be_visible()
    page.fill("#login-username", account[0])
    page.fill("#login-password", account[1])
    page.click("#login-submit")
    expect(page.locator("#whoami-name")).to_have_text(account[0])
    expect(page.locator("#view-documents")).to_be_visible()


def _confirm(page: Any) -> None:
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    page.click("#confirm-ok")
    expect(dialog).to_be_hidden()


def _api_token(base: str, account: tuple[str, str]) -> str:
    response = httpx.post(
        base + "/api/staff/login", json={"username": account[0], "password": account[1]}
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def test_admin_writes_previews_publishes_diffs_and_rolls_back(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    expect(page.locator("#documents-body")).to_contain_text("交通规划")
    expect(page.locator("#documents-body .badge-published")).to_have_count(1)

    page.click("#new-document")
    expect(page.locator("#editor-title")).to_have_text("新建文档")
    expect(page.locator("#editor-title")).to_be_focused()
    page.fill("#doc-title", "城市更新规划")
    page.fill("#doc-id", "renewal")

    # A broken text: the problem is shown next to the editor, with its line.
    page.fill("#doc-content", BAD_CONTENT)
    page.click("#preview-button")
    error = page.locator("#editor-error-list li").first
    expect(error).to_contain_text("第 5 行")
    expect(error).to_contain_text("标题锚点 old 重复")
    error.locator("button").click()
    expect(page.locator("#doc-content")).to_be_focused()

    # The preview shows how each passage will be cited: "[n] section — quote".
    page.fill("#doc-content", V1_CONTENT)
    page.click("#preview-button")
    passages = page.locator("#preview-list li")
    expect(passages).to_have_count(2)
    expect(passages.first).to_have_text(
        "[1] 第三章 城市更新 > 一、老旧小区 — 推进黄村地区老旧小区综合整治，完善养老托育设施。"
    )
    expect(page.locator("#editor-error-list li")).to_have_count(0)

    page.click("#save-button")
    expect(page.locator("#status")).to_contain_text("已保存草稿")
    expect(page).to_have_url(re.compile(r"#/documents/renewal$"))
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v1")
    expect(page.locator("#editor-meta .badge-draft")).to_have_text("草稿")

    # Live preview follows the text as it is typed.
    page.check("#live-preview")
    page.fill("#doc-content", V2_CONTENT)
    expect(passages.first).to_contain_text("养老托育和停车设施")
    page.click("#save-button")
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v2")
    expect(page.locator("#history-body tr")).to_have_count(2)

    page.click("#publish-button")
    _confirm(page)
    expect(page.locator("#status")).to_contain_text("已发布版本 v2")
    expect(page.locator("#editor-meta .badge-published")).to_be_visible()
    expect(page.locator("#publish-button")).to_be_disabled()

    # The index: the build for the publish finishes and the new build is being served.
    page.click("#nav a[data-route='index']")
    expect(page.locator("#index-state")).to_have_text("空闲", timeout=20000)
    expect(page.locator("#index-result")).to_contain_text("已生效", timeout=20000)
    expect(page.locator("#index-last")).to_contain_text("renewal")
    expect(page.locator("#index-serving")).to_contain_text("2 个文档")
    page.screenshot(path=str(ARTIFACTS / "staff-index.png"), full_page=True)

    # History: a diff between any two versions, then a rollback to v1.
    page.go_back()
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v2")
    page.select_option("#diff-from", "1")
    page.select_option("#diff-to", "2")
    page.click("#diff-button")
    expect(page.locator("#diff-output .diff-add")).to_contain_text("停车设施")
    expect(page.locator("#diff-output .diff-del")).to_contain_text("完善养老托育设施")
    page.screenshot(path=str(ARTIFACTS / "staff-editor-desktop.png"), full_page=True)

    page.select_option("#rollback-version", "1")
    page.click("#rollback-button")
    _confirm(page)
    expect(page.locator("#status")).to_contain_text("已回滚到 v1")
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v3")
    expect(page.locator("#history-body tr")).to_have_count(3)
    expect(page.locator("#history-body")).to_contain_text("回滚到第 1 版")
    assert page.input_value("#doc-content").strip() == V1_CONTENT.strip()

    # A stale edit: someone else saves v4 meanwhile; the user's text is kept.
    token = _api_token(base, ADMIN)
    httpx.put(
        base + "/api/staff/documents/renewal",
        json={"content": V2_CONTENT, "base_version": 3},
        headers={"Authorization": f"Bearer {token}"},
    ).raise_for_status()
    mine = V1_CONTENT + "\n## 三、我的补充 {#mine}\n\n增加口袋公园。\n"
    page.fill("#doc-content", mine)
    page.click("#save-button")
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-text")).to_contain_text("v4")
    assert page.input_value("#doc-content") == mine
    page.click("#conflict-keep")
    expect(page.locator("#conflict")).to_be_hidden()
    assert page.input_value("#doc-content") == mine
    page.click("#save-button")
    expect(page.locator("#editor-meta")).to_contain_text("最新版本 v5")
    assert "增加口袋公园" in page.input_value("#doc-content")

    assert not _unexpected_errors(page.errors), page.errors


def test_the_index_page_shows_progress_while_a_build_runs(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    """Real builds of the small test index finish too fast to watch, so the first answers of
    the status endpoint are replaced by a build in progress; the page then polls the real one."""
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    real = httpx.get(
        base + "/api/staff/index",
        headers={"Authorization": f"Bearer {_api_token(base, ADMIN)}"},
    ).json()
    building = {
        **real,
        "state": "building",
        "reason": "发布 renewal 第 9 版",
        "documents_total": 4,
        "documents_done": 1,
        "current_document": "transport",
    }
    answered: list[str] = []

    def status(route: Any) -> None:
        answered.append(route.request.url)
        if len(answered) <= 2:
            route.fulfill(json=building)
        else:
            route.continue_()

    page.route("**/api/staff/index", status)
    page.click("#nav a[data-route='index']")
    progress = page.get_by_label("构建进度")  # the <progress> has a label
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("max", "4")
    expect(progress).to_have_attribute("value", "1")
    expect(page.locator("#index-progress-text")).to_contain_text(
        "已处理 1 / 4 个文档，当前：transport"
    )
    expect(page.locator("#index-state")).to_have_text("正在构建")
    expect(page.locator("#index-result")).to_have_text("正在构建索引…")
    page.screenshot(path=str(ARTIFACTS / "staff-index-progress.png"))
    # Polling goes on by itself until the (real) idle status arrives.
    expect(page.locator("#index-state")).to_have_text("空闲", timeout=10000)
    expect(progress).to_be_hidden()
    assert len(answered) >= 3
    assert not _unexpected_errors(page.errors), page.errors


def test_upload_makes_a_draft_and_delete_retires_it(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    page.click("#upload-box summary")
    page.click("#upload-submit")
    expect(page.locator("#upload-errors")).to_contain_text("请选择要上传的文件")
    page.set_input_files(
        "#upload-file",
        files=[{"name": "bad.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("#upload-submit")
    expect(page.locator("#upload-results")).to_contain_text("只支持")

    text = "# 绿道规划\n\n## 一、环线 {#ring}\n\n建设环城绿道。\n"
    page.set_input_files(
        "#upload-file",
        files=[{"name": "green.md", "mimeType": "text/markdown", "buffer": text.encode()}],
    )
    page.click("#upload-submit")
    expect(page.locator("#status")).to_contain_text("已上传为草稿“绿道规划”")
    expect(page.locator("#editor-title")).to_have_text("编辑：绿道规划")
    expect(page.locator("#editor-meta .badge-draft")).to_be_visible()
    expect(page.locator("#preview-list li")).to_have_count(1)

    page.click("#delete-button")
    _confirm(page)
    expect(page.locator("#view-documents")).to_be_visible()
    row = page.locator("#documents-body tr:has-text('绿道规划')")
    expect(row.locator(".badge-deleted")).to_have_text("已删除")
    assert not _unexpected_errors(page.errors), page.errors


def test_an_editor_sees_no_publishing_controls(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, EDITOR)
    expect(page.locator("#whoami-role")).to_have_text("编辑")
    expect(page.locator("#nav a[data-route='accounts']")).to_be_hidden()
    expect(page.locator("#nav a[data-route='audit']")).to_be_hidden()
    expect(page.locator("#new-document")).to_be_visible()  # editors do write drafts

    page.click("#documents-body a:has-text('交通规划')")
    expect(page.locator("#doc-content")).to_have_value(re.compile("京霸铁路"))
    for control in ("#publish-button", "#delete-button", "#rollback-form"):
        expect(page.locator(control)).to_be_hidden()
    expect(page.locator("#publish-button")).to_be_disabled()
    expect(page.locator("#save-button")).to_be_enabled()

    page.click("#nav a[data-route='index']")
    expect(page.locator("#index-state")).to_be_visible()
    expect(page.locator("#index-rebuild")).to_be_hidden()

    page.click("#nav a[data-route='insights']")
    expect(page.locator("#gaps-body")).to_be_visible()
    # Tickets hold residents' contacts and transcripts: not for an editor's eyes.
    expect(page.locator("#tickets-title")).to_be_hidden()
    expect(page.locator("#tickets-list .transcript")).to_have_count(0)

    # A forbidden section typed into the address bar: a message, not a crash.
    page.goto(base + "/staff#/accounts")
    expect(page.locator("#alert")).to_be_visible()
    expect(page.locator("#alert-text")).to_contain_text("没有权限")
    expect(page.locator("#whoami-name")).to_have_text(EDITOR[0])
    assert not _unexpected_errors(page.errors), page.errors


def test_a_wrong_password_is_refused_with_a_message(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    page.goto(base + "/staff")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("请输入用户名和密码。")
    page.fill("#login-username", ADMIN[0])
    page.fill("#login-password", "not-the-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("用户名或密码错误")
    expect(page.locator("#login-password")).to_be_focused()
    expect(page.locator("#login-password")).to_have_value("")
    expect(page.locator("#nav")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "staff-login-error.png"))


def test_an_expired_login_returns_to_the_form(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    token = page.evaluate("() => sessionStorage.getItem('planbot-staff-token')")
    assert token
    httpx.post(
        base + "/api/staff/logout", headers={"Authorization": f"Bearer {token}"}
    ).raise_for_status()
    page.click("#documents-refresh")
    expect(page.locator("#view-login")).to_be_visible()
    expect(page.locator("#login-notice")).to_contain_text("登录已过期")
    expect(page.locator("#nav")).to_be_hidden()
    assert page.evaluate("() => sessionStorage.getItem('planbot-staff-token')") is None


def test_an_expired_login_while_editing_keeps_the_text(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    page.goto(base + "/staff#/documents/transport")
    expect(page.locator("#doc-content")).not_to_have_value("")
    edited = page.locator("#doc-content").input_value() + "\n\n登录过期前写下的一段新内容。"
    page.fill("#doc-content", edited)
    token = page.evaluate("() => sessionStorage.getItem('planbot-staff-token')")
    httpx.post(
        base + "/api/staff/logout", headers={"Authorization": f"Bearer {token}"}
    ).raise_for_status()
    page.click("#save-button")
    expect(page.locator("#login-notice")).to_contain_text("暂存")
    page.fill("#login-username", ADMIN[0])
    page.fill("#login-password", ADMIN[1])
    page.click("#login-submit")
    expect(page.locator("#doc-content")).to_have_value(edited)
    assert not _unexpected_errors(page.errors), page.errors


def test_insights_accounts_and_audit_work_for_an_admin(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    page.click("#nav a[data-route='insights']")
    expect(page.locator("#gaps-body")).to_contain_text("地铁几号线到黄村")
    expect(page.locator("#unhelpful-list")).to_contain_text("[1] 交通规划 · 一、铁路 — 建设")
    expect(page.locator("#unhelpful-list")).to_contain_text("居民说缺少的内容：通车的年份")

    # The CSV downloads are plain links: the session cookie authenticates GETs.
    href = page.locator("a.download").first.get_attribute("href")
    csv = page.request.get(base + href)
    assert csv.status == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "地铁几号线到黄村" in csv.text()

    ticket = page.locator("#tickets-list details").first
    ticket.locator("summary").click()
    expect(ticket.locator(".transcript li")).to_have_count(2)
    ticket.get_by_role("button", name="标记为已处理（关闭）").click()
    expect(page.locator("#status")).to_contain_text("已关闭")
    expect(page.locator("#tickets-empty")).to_be_visible()
    page.select_option("#tickets-status", "closed")
    expect(page.locator("#tickets-list .ticket-closed")).to_have_count(1)
    assert "status=closed" in (page.locator("#tickets-csv").get_attribute("href") or "")

    page.click("#nav a[data-route='accounts']")
    expect(page.locator("#accounts-body tr")).to_have_count(2)
    page.fill("#account-username", "reviewer")
    page.fill("#account-password", "short")
    page.click("#account-form button[type='submit']")
    expect(page.locator("#account-error")).to_contain_text("至少需要 10 个字符")
    page.fill("#account-password", "Reviewer-pass-1")
    page.click("#account-form button[type='submit']")
    expect(page.locator("#accounts-body tr")).to_have_count(3)
    # The last admin cannot be demoted: the server refuses, the page says so.
    page.select_option("#accounts-body tr:has-text('admin') select", "editor")
    expect(page.locator("#alert-text")).to_contain_text("最后一个管理员")
    expect(page.locator("#accounts-body tr:has-text('admin') select").first).to_have_value("admin")

    page.click("#nav a[data-route='audit']")
    expect(page.locator("#audit-body")).to_contain_text("新建账号")
    assert not _unexpected_errors(page.errors), page.errors


def test_accessibility_sanity_on_every_section(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    page, base = staff_page, staff_site.base
    page.goto(base + "/staff")
    expect(page.locator("#login-form")).to_be_visible()
    assert page.evaluate(A11Y_SCRIPT) == []

    expect(page.locator("#login-username")).to_be_focused()  # the form is ready to type in

    _login(page, base, ADMIN)
    # On a fresh load the skip link is the first stop, visible when focused, and leads to main.
    page.goto(base + "/staff#/index")
    page.reload()  # a new hash alone is no new page load
    expect(page.locator("#index-state")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#skip-link")).to_be_focused()
    expect(page.locator("#skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#/index$"))  # the route stays
    routes = ["documents", "documents/transport", "index", "insights", "accounts", "audit"]
    for route in routes:
        page.goto(base + "/staff#/" + route)
        expect(page.locator(".view:not([hidden]) h1")).to_be_visible()
        assert page.evaluate(A11Y_SCRIPT) == [], route
        # Every element Tab reaches shows a focus ring.
        page.locator("#skip-link").focus()
        for _ in range(25):
            page.keyboard.press("Tab")
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
            )
            if outline[0] == "BODY":
                break
            assert outline[1] != "none" and outline[2] != "0px", (route, outline)

    # Keyboard alone: a document opens from the list, and the dialog closes with Escape.
    page.goto(base + "/staff#/documents")
    link = page.locator("#documents-body a:has-text('交通规划')")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor-title")).to_be_focused()
    page.locator("#delete-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-dialog")).to_be_visible()
    expect(page.locator("#confirm-cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#confirm-dialog")).to_be_hidden()
    expect(page.locator("#delete-button")).to_be_focused()
    expect(page.locator("#editor-meta .badge-published")).to_be_visible()  # nothing deleted
    assert not _unexpected_errors(page.errors), page.errors


@pytest.mark.parametrize("width", [320, 375])
def test_narrow_screens_need_no_horizontal_scrolling(browser, staff_site, width: int) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser, width=width, height=800)
    try:
        _login(page, staff_site.base, ADMIN)
        for route in ("documents", "documents/transport", "index", "insights", "accounts"):
            page.goto(staff_site.base + "/staff#/" + route)
            expect(page.locator(".view:not([hidden]) h1")).to_be_visible()
            if route == "documents/transport":
                page.click("#preview-button")
                expect(page.locator("#preview-list li").first).to_be_visible()
            assert page.evaluate(OVERFLOW) <= 0, route
            name = route.replace("/", "-")
            page.screenshot(path=str(ARTIFACTS / f"staff-{name}-{width}.png"), full_page=True)
        assert not _unexpected_errors(page.errors), page.errors
    finally:
        page.context.close()


def test_an_admin_turns_two_step_login_on_and_logs_in_with_a_code(staff_page, staff_site) -> None:  # type: ignore[no-untyped-def]
    import time

    import pyotp

    from staff.totp import TotpStore
    from storage.database import create_database_engine

    page, base = staff_page, staff_site.base
    _login(page, base, ADMIN)
    page.click("#nav a[data-route='accounts']")
    expect(page.locator("#totp-state")).to_have_text("未开启。")
    try:
        page.click("#totp-enrol")
        expect(page.locator("#totp-setup")).to_be_visible()
        secret = page.locator("#totp-secret").inner_text()
        assert page.locator("#totp-uri").inner_text().startswith("otpauth://totp/")
        totp = pyotp.TOTP(secret)
        page.fill("#totp-code", totp.at(time.time()))
        page.click("#totp-submit")
        expect(page.locator("#totp-state")).to_contain_text("已开启")
        expect(page.locator("#totp-setup")).to_be_hidden()
        expect(page.locator("#totp-secret")).to_have_text("")
        page.screenshot(path=str(ARTIFACTS / "staff-totp-on.png"))

        page.click("#logout")
        page.fill("#login-username", ADMIN[0])
        page.fill("#login-password", ADMIN[1])
        page.click("#login-submit")
        expect(page.locator("#login-otp-field")).to_be_visible()
        expect(page.locator("#login-error")).to_contain_text("验证码")
        expect(page.locator("#login-otp")).to_be_focused()
        page.screenshot(path=str(ARTIFACTS / "staff-login-otp.png"))
        page.fill("#login-otp", totp.at(time.time() + 30))  # the next step: not yet used
        page.click("#login-submit")
        expect(page.locator("#whoami-name")).to_have_text(ADMIN[0])
    finally:  # the other tests of this module log in as this admin with the password alone
        TotpStore(create_database_engine(staff_site.database_url)).reset(ADMIN[0])
