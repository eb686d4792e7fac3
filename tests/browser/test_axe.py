"""axe-core (npm, pinned in package-lock.json; `make setup` installs it) on every page:
the chat page (with an answer and a decline shown), the widget on a host page, and every
/staff view logged in as an admin. No serious or critical violation is allowed.

axe is injected with Playwright into a context that bypasses the pages' CSP (which, rightly,
refuses scripts the app did not serve); the pages themselves are unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ScriptedRasa, ready_widget_frame
from tests.browser.staff_conftest_helpers import ADMIN, StaffSite, serve_staff_site
from tests.conftest import REPO, skip_or_fail

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        skip_or_fail("axe-core is not installed: run `make setup` (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    yield context.new_page()
    context.close()


def serious(frame: Any, axe_source: str) -> list[dict[str, Any]]:
    """Serious and critical violations of one document (a page or an iframe's frame)."""
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.add_script_tag(content=axe_source)
    return [v for v in frame.evaluate(RUN_AXE) if v["impact"] in SERIOUS]


def check(found: dict[str, list[dict[str, Any]]], where: str, violations: list[Any]) -> None:
    if violations:
        found[where] = violations


def report(found: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(found, ensure_ascii=False, indent=1)


def test_chat_page_and_widget(
    axe_page: Any, axe_source: str, site: tuple[str, ScriptedRasa], host_page: str
) -> None:
    base, _ = site
    page = axe_page
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(base + "/")
    check(found, "/", serious(page, axe_source))
    for question in ("京霸铁路会建吗", "火星基地什么时候建"):
        page.fill("#chat-input", question)
        page.keyboard.press("Enter")
        expect(page.locator(".msg.msg-bot").last).to_be_visible(timeout=15_000)
    page.wait_for_load_state("networkidle")
    check(found, "/ with replies", serious(page, axe_source))

    page.goto(host_page)
    page.locator("#dxpa-launcher").click()
    expect(page.locator("#dxpa-panel")).to_be_visible()
    check(found, "host page with the widget open", serious(page, axe_source))
    frame = ready_widget_frame(page)
    frame.locator("#chat-input").fill("京霸铁路会建吗")
    frame.locator("#chat-input").press("Enter")
    frame.locator(".msg.msg-bot[data-kind='answer']").wait_for(timeout=15_000)
    inner = next(f for f in page.frames if f.url.startswith(base))
    check(found, "the widget's chat", serious(inner, axe_source))
    assert found == {}, report(found)


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with serve_staff_site(tmp_path_factory.mktemp("axe")) as site:
        yield site


def test_every_staff_view(axe_page: Any, axe_source: str, staff_site: StaffSite) -> None:
    page, base = axe_page, staff_site.base
    # Colours are audited at rest: a button's 0.15 s fade back from disabled would otherwise be
    # measured half-way (the page has no transition under reduced motion).
    page.emulate_media(reduced_motion="reduce")
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(base + "/staff")
    expect(page.locator("#login-form")).to_be_visible()
    check(found, "login", serious(page, axe_source))
    page.fill("#login-username", ADMIN[0])
    page.fill("#login-password", ADMIN[1])
    page.click("#login-submit")
    expect(page.locator("#whoami-name")).to_have_text(ADMIN[0])
    routes = ["documents", "documents/transport", "documents/new", "index", "insights"]
    routes += ["try", "accounts", "audit"]
    for route in routes:
        page.goto(base + "/staff#/" + route)
        expect(page.locator(".view:not([hidden]) h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        for details in page.locator(".view:not([hidden]) details").all():
            details.evaluate("(e) => { e.open = true; }")
        check(found, route, serious(page, axe_source))
    # The test console with replies shown (an answer and a decline, each with its reason).
    page.goto(base + "/staff#/try")
    page.fill("#try-questions", "京霸铁路什么时候通车\n大兴的房价是多少")
    page.click("#try-submit")
    expect(page.locator("#try-results > li")).to_have_count(2)
    check(found, "try with replies", serious(page, axe_source))
    # The confirmation dialog, open over the editor.
    page.goto(base + "/staff#/documents/transport")
    page.click("#delete-button")
    expect(page.locator("#confirm-dialog")).to_be_visible()
    check(found, "confirm dialog", serious(page, axe_source))
    assert found == {}, report(found)


def test_the_audit_catches_a_broken_page(axe_page: Any, axe_source: str) -> None:
    """The check can fail: an unlabelled image and a nameless button are reported."""
    axe_page.set_content(
        "<!doctype html><html lang='zh-CN'><head><title>坏页面</title></head><body><main>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><button></button>"
        "</main></body></html>"
    )
    ids = {v["id"] for v in serious(axe_page, axe_source)}
    assert {"image-alt", "button-name"} <= ids, ids
