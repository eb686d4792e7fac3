"""Everything a resident or staff member sees is Simplified Chinese.

Chromium renders every page and staff view (logged in, with data that exercises version notes,
audit details and both ticket types), provokes the errors staff and residents can meet, and
fails on any Latin-alphabet word outside a short allowlist: product and format names, ``ID``,
file extensions, and the test's own data (account names and document ids staff typed).
The JSON bodies of the API's errors are scanned too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from docstore.store import DocumentStore
from records.store import RecordStore
from storage.database import create_database_engine
from tests.browser.staff_conftest_helpers import ADMIN, EDITOR, StaffSite, serve_staff_site
from tests.browser.test_staff_page import _login, _new_page

pytestmark = pytest.mark.browser

# Words of two or more Latin letters (a version "v3" or a build id's "T"/"Z" are not words).
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Identifiers with digits (session ids such as web-8eeb44f9…, build ids, anchors like s1-1) are
# data, not words: they are taken out before the scan.
IDENTIFIER = re.compile(r"[\w.#-]*\d[\w.#-]*", re.ASCII)
# A ticket's reference code (records/reference.py: K7MQ-4XRT, letters only in some) is data too.
REFERENCE_CODE = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")
ALLOWED = {
    # product, format and standard names
    "ID",
    "Markdown",
    "Word",
    "YAML",
    "JSON",
    "CSV",
    "UTF",
    "PDF",
    # file extensions
    "md",
    "txt",
    "docx",
    "csv",
    # the names printed on the keys (the chat page's hint "Enter 发送，Shift+Enter 换行")
    "Enter",
    "Shift",
}
# The test's own data: what staff typed as account names and document ids, shown back as is.
TEST_DATA = {ADMIN[0], EDITOR[0], "reviewer", "transport", "renewal", "notice", "setup"}
TEST_DATA |= {"web", "test"}  # the seeded conversation's id, web-test
# Visible text and the attributes that are read out or shown (placeholders, labels, titles).
VISIBLE_TEXT = """
() => {
  const out = [document.title, document.body.innerText];
  const shown = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  document.querySelectorAll('[placeholder],[title],[aria-label],[alt],[aria-description]')
    .forEach((e) => {
      if (!shown(e)) return;
      ['placeholder', 'title', 'aria-label', 'alt', 'aria-description'].forEach((a) => {
        if (e.getAttribute(a)) out.push(e.getAttribute(a));
      });
    });
  return out.join('\\n');
}
"""


def latin_words(text: str) -> set[str]:
    words = LATIN_WORD.findall(IDENTIFIER.sub(" ", REFERENCE_CODE.sub(" ", text)))
    return {w for w in words if w not in ALLOWED and w not in TEST_DATA}


def test_the_scan_finds_words_and_passes_identifiers() -> None:
    shown = "原因：publish renewal v9 · 20261204T224209314036Z · 会话 web-8eeb44f98a6f9b854d7c861d"
    assert latin_words(shown) == {"publish"}
    assert latin_words("工单 KRVB-YFNH 已答复 · 查询码 K7MQ-4XRT") == set()
    assert latin_words("标题层级 heading level 3 follows level 1") == {
        "heading",
        "level",
        "follows",
    }


def scan(page: Any, where: str, found: dict[str, set[str]]) -> None:
    words = latin_words(page.evaluate(VISIBLE_TEXT))
    if words:
        found[where] = words


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    """The staff test site with history, audit entries and tickets of every kind."""
    with serve_staff_site(tmp_path_factory.mktemp("chinese")) as site:
        base = site.base
        database = create_database_engine(site.database_url)
        DocumentStore(database).import_text(
            "notice",
            "---\ntitle: 通知\n---\n# 一、通知 {#n}\n\n瀛海镇将于2027年9月开放申购。\n",
            actor="setup",
            source="/srv/planbot/knowledge/sources/notice.md",
        )
        RecordStore(database).add_ticket(
            kind="cooperation",
            session_id="web-coop",
            summary="合作咨询：生物医药",
            transcript=[{"who": "user", "text": "我们想在大兴投资生物医药", "time": "1"}],
            contact="13800000000",
        )
        database.dispose()
        httpx.post(base + "/api/staff/login", json={"username": "admin", "password": "wrong!"})
        token = httpx.post(
            base + "/api/staff/login", json={"username": ADMIN[0], "password": ADMIN[1]}
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        body = "# 一、更新 {#u}\n\n推进黄村地区老旧小区综合整治。\n"
        r = httpx.post(
            base + "/api/staff/documents",
            json={"title": "城市更新", "content": body, "doc_id": "renewal"},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        httpx.post(base + "/api/staff/documents/renewal/publish", headers=auth)
        httpx.put(
            base + "/api/staff/documents/renewal",
            json={"content": body + "\n完善停车设施。\n", "base_version": 1},
            headers=auth,
        )
        httpx.post(
            base + "/api/staff/documents/renewal/rollback", json={"version": 1}, headers=auth
        )
        httpx.post(
            base + "/api/staff/accounts",
            json={"username": "reviewer", "password": "Reviewer-pass-2024", "role": "editor"},
            headers=auth,
        )
        yield site


def test_every_page_and_view_is_chinese(browser: Any, site: StaffSite) -> None:
    base = site.base
    found: dict[str, set[str]] = {}
    page = _new_page(browser)
    try:
        # The public pages: the chat page with a failing dialogue (the error reply) and a source.
        page.goto(base + "/")
        scan(page, "/", found)
        page.fill("#chat-input", "京霸铁路会建吗")
        page.keyboard.press("Enter")
        expect(page.locator(".msg-bot").last).to_contain_text("12345")
        scan(page, "/ after an error reply", found)
        page.goto(base + "/sources/transport")
        scan(page, "/sources/transport", found)

        # The staff log-in, and a wrong password.
        page.goto(base + "/staff")
        expect(page.locator("#login-form")).to_be_visible()
        scan(page, "/staff login", found)
        page.fill("#login-username", ADMIN[0])
        page.fill("#login-password", "wrong password")
        page.click("#login-submit")
        expect(page.locator("#login-error")).to_be_visible()
        scan(page, "/staff wrong password", found)

        _login(page, base, ADMIN)
        routes = [
            "documents", "documents/transport", "documents/renewal", "documents/notice",
            "documents/new", "index", "insights", "try", "accounts", "audit",
        ]  # fmt: skip
        for route in routes:
            page.goto(base + "/staff#/" + route)
            expect(page.locator(".view:not([hidden]) h1")).to_be_visible()
            page.wait_for_load_state("networkidle")
            for details in page.locator("details").all():  # open tickets and forms
                if details.is_visible():
                    details.evaluate("(e) => { e.open = true; }")
            scan(page, "/staff#/" + route, found)

        # The test console's replies and their reasons.
        page.goto(base + "/staff#/try")
        page.fill("#try-questions", "京霸铁路什么时候通车\n大兴的房价是多少")
        page.click("#try-submit")
        expect(page.locator("#try-results > li")).to_have_count(2)
        scan(page, "/staff#/try with replies", found)

        # The editor's checks: a heading that skips a level.
        page.goto(base + "/staff#/documents/new")
        expect(page.locator("#editor-title")).to_be_visible()
        page.fill("#doc-title", "跳级")
        page.fill("#doc-content", "# 一\n\n正文。\n\n### 三\n\n正文。\n")
        page.click("#save-button")
        expect(page.locator("#editor-errors")).to_be_visible()
        scan(page, "editor: heading level", found)

        # An editor opening an admin's page: the 403 message.
        page.context.clear_cookies()
        page.evaluate("() => sessionStorage.clear()")
        _login(page, base, EDITOR)
        page.goto(base + "/staff#/accounts")
        page.wait_for_load_state("networkidle")
        scan(page, "editor on #/accounts", found)
    finally:
        page.context.close()
    assert found == {}, "Latin words shown to users:\n" + json.dumps(
        {k: sorted(v) for k, v in found.items()}, ensure_ascii=False, indent=1
    )


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("field", "loc", "type"):  # field names are the API's, not prose
                yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


JSON_TYPE = {"content-type": "application/json"}
SKIPPED_LEVEL = "# 一\n\n正文。\n\n### 三\n\n正文。"


def test_api_errors_are_chinese(site: StaffSite) -> None:
    base = site.base
    editor = httpx.post(
        base + "/api/staff/login", json={"username": EDITOR[0], "password": EDITOR[1]}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {editor}"}
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/staff/documents", {}),  # 401
        ("POST", "/api/staff/documents/transport/publish", {"headers": auth}),  # 403
        ("GET", "/api/staff/documents/nothing-here", {"headers": auth}),  # 404
        ("GET", "/no/such/page", {}),  # 404
        ("DELETE", "/api/chat", {}),  # 405
        ("POST", "/api/chat", {"json": {}}),  # 422 missing
        ("POST", "/api/chat", {"json": {"session_id": "s", "message": "长" * 501}}),
        ("POST", "/api/chat", {"json": {"session_id": "s", "message": "   "}}),
        ("POST", "/api/chat", {"json": {"session_id": "s!", "message": "你好\x00"}}),
        ("POST", "/api/chat", {"content": b"{not json", "headers": JSON_TYPE}),
        ("GET", "/api/search?q=&k=0", {}),
        ("GET", "/api/search?q=a&k=abc", {}),
        ("POST", "/api/staff/login", {"json": {"username": "x"}}),
        (
            "POST",
            "/api/staff/documents",
            {"headers": auth, "json": {"title": "坏", "content": SKIPPED_LEVEL}},
        ),
        (
            "PUT",
            "/api/staff/documents/transport",
            {"headers": auth, "json": {"content": "# 一\n\n正文。", "base_version": 99}},
        ),
    ]  # fmt: skip
    found: dict[str, set[str]] = {}
    for method, path, options in calls:
        response = httpx.request(method, base + path, **options)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        words = set().union(*(latin_words(t) for t in _texts(response.json())))
        if words:
            found[f"{method} {path} {response.status_code}"] = words
    assert found == {}, json.dumps({k: sorted(v) for k, v in found.items()}, ensure_ascii=False)
