"""Browser tests: the real page in Debian's headless Chromium, driven by Playwright.

The app runs in-process under uvicorn with a scripted Rasa that answers from the small fake-
embedder engine (the page is what is tested here; the real dialogue has its own end-to-end
test). Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.main import create_app
from api.settings import Settings
from knowledge.answering.engine import AnswerEngine
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.reply import Reply
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever
from knowledge.settings import KnowledgeSettings
from planbot.launcher import free_port
from planbot.settings import load_settings
from tests.conftest import REPO, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ScriptedRasa:
    """Rasa's REST webhook as the page sees it, answering from the engine."""

    def __init__(self, engine: AnswerEngine) -> None:
        self.engine = engine
        self.sent: list[str] = []
        self.override: Reply | None = None
        self.app: Any = None  # the app it serves, for tests that look at what was recorded

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/status", "/health"):
            return httpx.Response(200, json={"model_id": "scripted"})
        message = json.loads(request.content)["message"]
        self.sent.append(message)
        if self.override is not None:
            reply = self.override
        elif message.startswith("/feedback"):
            reply = Reply(kind="chitchat", text="感谢您的反馈！")
        else:
            reply = self.engine.answer(message)
        out: list[dict[str, Any]] = [
            {"recipient_id": "x", "text": reply.text},
            {"recipient_id": "x", "custom": {"reply": reply.model_dump()}},
        ]
        return httpx.Response(200, json=out)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        skip_or_fail("Debian's chromium is not installed (make setup installs it)")
    return CHROMIUM


@pytest.fixture(scope="session")
def host_port() -> int:
    """The port of "the district website": known before the app, which allowlists it."""
    return free_port()


@pytest.fixture(scope="session")
def site(
    tmp_path_factory: pytest.TempPathFactory, host_port: int
) -> Iterator[tuple[str, ScriptedRasa]]:
    from knowledge.documents import parse_document
    from tests.conftest import ECOLOGY, TRANSPORT, FakeEmbedder

    index_dir = tmp_path_factory.mktemp("index")
    embedder = FakeEmbedder()
    build_index(
        [parse_document(TRANSPORT, "transport"), parse_document(ECOLOGY, "ecology")],
        embedder,
        index_dir,
    )
    engine = AnswerEngine(
        Retriever(load_index(index_dir), embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    rasa = ScriptedRasa(engine)
    port = free_port()
    app = create_app(
        load_settings(
            web=Settings(
                rate_limit_per_minute=1000,
                cors_origins=[f"http://127.0.0.1:{host_port}"],
                index_watch_seconds=0,  # this index is built without the document store
            ),
            knowledge=KnowledgeSettings(index_dir=index_dir),
        ),
        embedder=embedder,
        engine_factory=lambda: engine,
        load_knowledge_in_background=False,
        rasa_transport=httpx.MockTransport(rasa.handle),
    )
    rasa.app = app
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", rasa
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def host_page(
    site: tuple[str, ScriptedRasa], tmp_path_factory: pytest.TempPathFactory, host_port: int
) -> Iterator[str]:
    """A plain page of "the district website" on another origin, embedding widget.js."""
    base, _ = site
    root = tmp_path_factory.mktemp("host")
    (root / "index.html").write_text(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>区政府网站</title>"
        "</head><body><h1>区政府网站</h1><p>一个普通的页面。</p><a href='#'>一个链接</a>"
        f"<script src='{base}/widget.js' data-api-base='{base}' defer></script></body></html>",
        encoding="utf-8",
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", host_port), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def open_widget(page: Any) -> Any:
    """Open the widget on a host page and return its frame once the chat in it is ready.

    The frame's textarea is visible before its deferred chat.js has run; a key pressed then is
    the browser's own (a newline), not a send. init() marks the embedded page (html.is-embedded)
    after it has attached its handlers, so that mark is what is waited for.
    """
    page.locator("#dxpa-launcher").click()
    return ready_widget_frame(page)


def ready_widget_frame(page: Any) -> Any:
    """The open widget's frame, once its chat.js has attached its handlers (see open_widget)."""
    frame = page.frame_locator("#dxpa-frame")
    frame.locator("html.is-embedded").wait_for(state="attached", timeout=15000)
    return frame


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    pg.errors = errors
    yield pg
    context.close()
