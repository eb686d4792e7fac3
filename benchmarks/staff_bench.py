"""Benchmarks of the staff cycle: index builds over a larger corpus, and publish-to-cited.

Run with `make bench-staff` (after `make setup`). Prints Markdown for docs/BENCHMARKS.md.

The corpus is ``--documents`` synthetic plan-like documents (``benchmarks.synthetic_corpus``,
one unique fact each) plus the real plan chapter, in a throw-away database and index under a
temporary directory: ``var/planbot.db`` and ``var/index`` are never touched, and the synthetic
documents never become knowledge.

1. In this process, with the embedding model loaded first (its load is reported apart): the
   full build, an incremental build after one edited document is published (only it may be
   re-embedded), a rebuild with nothing changed, and what each serving process pays to load a
   new build (``load_index``, as ``LiveIndex`` does on a reload).
2. Against the whole running assistant (Rasa, the actions, the web app) over that database and
   index: staff log in, edit a document's fact and publish it, and /api/chat is polled until
   an answer cites the document with the new fact (publish-to-cited); then documents are
   deleted until they are no longer cited (delete-to-gone). The contract allows 60 s.

Timings on a shared 2-core machine are noisy: compare numbers from one run with each other.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import machine, percentile, stop_on_signals
from benchmarks.synthetic_corpus import synthetic_corpus
from docstore.indexing import build_published
from docstore.store import DocumentStore
from knowledge.index.sparse import CharNgramIndex
from knowledge.index.store import load_index
from knowledge.service import create_embedder
from knowledge.settings import KnowledgeSettings
from planbot import launcher
from planbot.settings import load_settings
from staff.accounts import AccountStore
from storage.database import create_database_engine, create_schema

REPO = Path(__file__).resolve().parent.parent
CHAPTER = REPO / "knowledge" / "sources" / "plan-chapter-4.md"
CONTRACT_SECONDS = 60.0
GIVE_UP_SECONDS = 2 * CONTRACT_SECONDS
POLL_SECONDS = 0.25
ADMIN = "bench-admin"
PASSWORD = "a staff bench password"
GREETINGS = 10
LOAD_REPEATS = 3


# -- helpers -----------------------------------------------------------------------------------


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    """``p50 / p95 / max`` of ``values``."""
    if not values:
        return "n/a"
    return (
        f"{statistics.median(values):.{digits}f} / {percentile(values, 95):.{digits}f} / "
        f"{max(values):.{digits}f} {unit}"
    )


def median(values: list[float], unit: str = "s", digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f} {unit}" if values else "n/a"


# Asked through /api/chat, so Rasa's NLU must send them to action_answer. A question naming
# 示范项目 (or even 计划…建成) is classified ask_cooperation and starts the enterprise form, so
# these leave out 项目 (they reach action_answer as nlu_fallback); the first phrasing that is
# answered from the document before the cycle is used for it.
QUESTIONS = ("示范{n}号什么时候建成？", "示范{n}号建成是哪一年？", "第{n}号示范什么时候建成？")


def fact_pattern(n: int) -> re.Pattern[str]:
    return re.compile(rf"示范项目{n}号计划于\d+年\d+月建成")


def new_fact(n: int, k: int) -> str:
    """A completion date no generated document has (they use 2027-2030)."""
    return f"示范项目{n}号计划于{2031 + k}年{1 + k % 12}月建成"


def with_new_fact(n: int, content: str, k: int) -> tuple[str, str]:
    fact = new_fact(n, k)
    changed, count = fact_pattern(n).subn(fact, content)
    if count != 1:
        raise RuntimeError(f"document {n} does not state its fact once: {count} matches")
    return changed, fact


# -- 1. in-process builds ----------------------------------------------------------------------


@dataclass
class BuildBench:
    documents: int = 0
    passages: int = 0
    model_load: float = 0.0
    full: float = 0.0
    incremental: list[float] = field(default_factory=list)
    noop: float = 0.0
    load: list[float] = field(default_factory=list)
    load_unverified: list[float] = field(default_factory=list)
    tfidf_fit: list[float] = field(default_factory=list)


def fill_store(store: DocumentStore, count: int) -> int:
    for doc_id, title, body in synthetic_corpus(count):
        store.create(title, body, actor="bench", doc_id=doc_id, origin="bench")
        store.publish(doc_id, actor="bench")
    outcome = store.import_text(
        CHAPTER.stem, CHAPTER.read_text(encoding="utf-8"), actor="bench", origin="sources"
    )
    if outcome.action != "created":
        raise RuntimeError(f"the chapter was not imported: {outcome}")
    return count + 1


def time_loads(index_dir: Path, bench: BuildBench) -> None:
    """What a serving process pays when it reloads: ``load_index`` as ``LiveIndex`` calls it
    (checksums verified), and two parts of it for the breakdown."""
    for _ in range(LOAD_REPEATS):
        started = time.perf_counter()
        loaded = load_index(index_dir)
        bench.load.append(time.perf_counter() - started)
        started = time.perf_counter()
        load_index(index_dir, verify=False)
        bench.load_unverified.append(time.perf_counter() - started)
        texts = [p.text for p in loaded.passages]
        started = time.perf_counter()
        CharNgramIndex().fit(texts)
        bench.tfidf_fit.append(time.perf_counter() - started)


def bench_builds(
    store: DocumentStore, settings: KnowledgeSettings, doc_numbers: list[int], documents: int
) -> BuildBench:
    bench = BuildBench(documents=documents)
    embedder = create_embedder(settings)
    started = time.perf_counter()
    embedder.warm_up()
    bench.model_load = time.perf_counter() - started

    started = time.perf_counter()
    first = build_published(store, settings, embedder=embedder).result
    bench.full = time.perf_counter() - started
    bench.passages = first.passage_count
    if len(first.embedded_documents) != documents:
        raise RuntimeError(f"full build embedded {len(first.embedded_documents)} documents")
    print(f"full build: {bench.full:.1f} s, {bench.passages} passages", flush=True)

    started = time.perf_counter()
    noop = build_published(store, settings, embedder=embedder).result
    bench.noop = time.perf_counter() - started
    if noop.changed:
        raise RuntimeError("a rebuild with nothing changed made a new build")

    for k, n in enumerate(doc_numbers):
        doc_id = f"synthetic-{n:04d}"
        view = store.get(doc_id)
        assert view.latest is not None
        content, _ = with_new_fact(n, view.latest.content, k)
        store.update(doc_id, content, base_version=view.version, actor="bench")
        store.publish(doc_id, actor="bench")
        started = time.perf_counter()
        result = build_published(store, settings, embedder=embedder).result
        bench.incremental.append(time.perf_counter() - started)
        if result.embedded_documents != (doc_id,):
            raise RuntimeError(f"editing {doc_id} re-embedded {result.embedded_documents}")
        print(f"incremental build ({doc_id}): {bench.incremental[-1]:.2f} s", flush=True)
        time_loads(settings.index_dir, bench)
    return bench


# -- 2. the running assistant ------------------------------------------------------------------


@dataclass
class CycleBench:
    ready: float = 0.0
    greeting_ms: list[float] = field(default_factory=list)
    question_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    first_new_ms: list[float] = field(default_factory=list)  # the turn that loaded the build
    publish: list[float] = field(default_factory=list)
    delete: list[float] = field(default_factory=list)
    failed_publishes: int = 0
    failed_deletes: int = 0
    build_seconds: list[float] = field(default_factory=list)
    queue_seconds: list[float] = field(default_factory=list)
    after_build: list[float] = field(default_factory=list)
    reload_seconds: dict[str, list[float]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def expect(self, method: str, path: str, status: int, body: Any = None) -> Any:
        got, answer = self.call(method, path, body)
        if got != status:
            raise RuntimeError(f"{method} {path}: {got} (expected {status}): {answer}")
        return answer

    def chat(self, session: str, message: str) -> tuple[float, list[dict[str, Any]]]:
        """Milliseconds of one turn, and the citations of its replies."""
        started = time.perf_counter()
        body = self.expect("POST", "/api/chat", 200, {"session_id": session, "message": message})
        elapsed = (time.perf_counter() - started) * 1000
        replies = body["replies"]
        if not replies or replies[0]["kind"] == "error":
            raise RuntimeError(f"bad reply to {message!r}: {replies}")
        return elapsed, [c for r in replies for c in r["citations"]]


def poll(
    client: Client,
    ask: str,
    done: Callable[[list[dict[str, Any]]], bool],
    tag: str,
    cycle: CycleBench,
) -> float | None:
    """Seconds until ``done`` holds for a fresh session's answer, or None after giving up."""
    started = time.monotonic()
    k = 0
    while time.monotonic() - started < GIVE_UP_SECONDS:
        elapsed, citations = client.chat(f"{tag}-{k}", ask)
        cycle.poll_ms.append(elapsed)
        if done(citations):
            cycle.first_new_ms.append(elapsed)
            return time.monotonic() - started
        k += 1
        time.sleep(POLL_SECONDS)
    return None


def build_status(client: Client, doc_id: str) -> dict[str, Any]:
    """The API builder's status once it has finished the build that names ``doc_id``."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while True:
        status: dict[str, Any] = client.expect("GET", "/api/staff/index", 200)
        finished = status["state"] in {"idle", "failed"} and doc_id in status["reason"]
        if finished or time.monotonic() > deadline:
            return status
        time.sleep(POLL_SECONDS)


def account_for(status: dict[str, Any], sent: float, seen: float, cycle: CycleBench) -> str:
    """Split one cycle: waiting for the builder, the build, and the build's end to the answer."""
    if status["state"] != "idle" or not status["started_at"] or not status["finished_at"]:
        return f"index status: {status}"
    begun = datetime.fromisoformat(status["started_at"]).timestamp()
    ended = datetime.fromisoformat(status["finished_at"]).timestamp()
    cycle.build_seconds.append(float(status["seconds"]))
    cycle.queue_seconds.append(begun - sent)
    cycle.after_build.append(seen - ended)
    return (
        f"queued {begun - sent:.2f} s, API build {status['seconds']:.2f} s, then "
        f"{seen - ended:.2f} s to the answer (that turn {cycle.first_new_ms[-1]:.0f} ms)"
    )


def choose_questions(
    client: Client, pool: list[int], wanted: int, cycle: CycleBench
) -> dict[int, str]:
    """``wanted`` documents of ``pool`` with a question answered from them now (steady-state
    question turns, timed); documents no phrasing reaches are skipped and counted."""
    asked: dict[int, str] = {}
    for n in pool:
        for phrasing in QUESTIONS:
            q = phrasing.format(n=n)
            elapsed, citations = client.chat(f"ask-{n}-{len(cycle.question_ms)}", q)
            cycle.question_ms.append(elapsed)
            if any(c["doc_id"] == f"synthetic-{n:04d}" for c in citations):
                asked[n] = q
                break
        else:
            cycle.skipped.append(n)
        if len(asked) == wanted:
            return asked
    raise RuntimeError(
        f"only {len(asked)} of {wanted} documents are answered through /api/chat "
        f"(not reached: {cycle.skipped}); see the NLU note at QUESTIONS"
    )


def reload_times(logs: Path) -> dict[str, list[float]]:
    """The serving processes' own reload times, when their logs show them (INFO lines of
    ``knowledge.index.live``)."""
    pattern = re.compile(r"now serving index build \S+ \(\d+ passages, loaded in ([\d.]+) s\)")
    found: dict[str, list[float]] = {}
    for name in ("actions", "api"):
        path = logs / f"{name}.log"
        if path.exists():
            text = path.read_text(errors="replace")
            found[name] = [float(m) for m in pattern.findall(text)]
    return found


def bench_cycle(workdir: Path, env: dict[str, str], pool: list[int], rounds: int) -> CycleBench:
    cycle = CycleBench()
    logs = workdir / "logs"
    logs.mkdir()
    api_port, rasa_port, actions_port = (launcher.free_port() for _ in range(3))
    api_env = {
        **env,
        "PLANBOT_RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "PLANBOT_ACTIONS_URL": f"http://127.0.0.1:{actions_port}",
        "PLANBOT_RATE_LIMIT_PER_MINUTE": "100000",
    }
    # launcher.assistant() passes the environment to the web app only; the action server must
    # read the same index, so the three processes are put together here.
    service = launcher.Assistant(
        [
            launcher.action_server(actions_port, logs / "actions.log", env),
            launcher.rasa_server(rasa_port, actions_port, logs / "rasa.log", workdir),
            launcher.api_server(api_port, logs / "api.log", api_env),
        ],
        api_port,
        rasa_port,
        actions_port,
    )
    client = Client(service.base_url)
    started = time.perf_counter()
    try:
        service.start(300)
        cycle.ready = time.perf_counter() - started
        print(f"assistant ready in {cycle.ready:.1f} s", flush=True)
        login = client.expect(
            "POST", "/api/staff/login", 200, {"username": ADMIN, "password": PASSWORD}
        )
        client.token = login["token"]
        for i in range(GREETINGS):
            cycle.greeting_ms.append(client.chat(f"greet-{i}", "你好")[0])
        asked = choose_questions(client, pool, 2 * rounds, cycle)
        publish_docs, delete_docs = list(asked)[:rounds], list(asked)[rounds:]

        for k, n in enumerate(publish_docs):
            doc_id = f"synthetic-{n:04d}"
            doc = client.expect("GET", f"/api/staff/documents/{doc_id}", 200)
            content, fact = with_new_fact(n, doc["content"], 10 + k)
            client.expect(
                "PUT",
                f"/api/staff/documents/{doc_id}",
                200,
                {"content": content, "base_version": doc["version"]},
            )
            sent = time.time()
            client.expect("POST", f"/api/staff/documents/{doc_id}/publish", 202)

            def cited(citations: list[dict[str, Any]], doc_id: str = doc_id, f: str = fact) -> bool:
                return any(c["doc_id"] == doc_id and f in c["quote"] for c in citations)

            took = poll(client, asked[n], cited, f"publish-{k}", cycle)
            seen = time.time()
            status = build_status(client, doc_id)
            if took is None:
                cycle.failed_publishes += 1
                print(f"publish {doc_id}: not cited within {GIVE_UP_SECONDS:.0f} s", flush=True)
                continue
            cycle.publish.append(took)
            if status["embedded"] != [doc_id]:
                raise RuntimeError(f"publishing {doc_id} re-embedded {status['embedded']}")
            parts = account_for(status, sent, seen, cycle)
            print(f"publish {doc_id}: cited after {took:.2f} s; {parts}", flush=True)

        for k, n in enumerate(delete_docs):
            doc_id = f"synthetic-{n:04d}"
            sent = time.time()
            client.expect("DELETE", f"/api/staff/documents/{doc_id}", 202)

            def gone(citations: list[dict[str, Any]], doc_id: str = doc_id) -> bool:
                return all(c["doc_id"] != doc_id for c in citations)

            took = poll(client, asked[n], gone, f"delete-{k}", cycle)
            seen = time.time()
            status = build_status(client, doc_id)
            if took is None:
                cycle.failed_deletes += 1
                print(f"delete {doc_id}: still cited after {GIVE_UP_SECONDS:.0f} s", flush=True)
                continue
            cycle.delete.append(took)
            if status["removed"] != [doc_id]:
                raise RuntimeError(f"deleting {doc_id} removed {status['removed']}")
            parts = account_for(status, sent, seen, cycle)
            print(f"delete {doc_id}: gone after {took:.2f} s; {parts}", flush=True)
    except Exception:  # the logs say why; Ctrl-C needs no tails
        for p in service.processes:
            print(f"--- {p.name} log tail ---\n{p.tail(20)}", flush=True)
        raise
    finally:
        service.stop()
    cycle.reload_seconds = reload_times(logs)
    return cycle


# -- report ------------------------------------------------------------------------------------


def report(args: argparse.Namespace, builds: BuildBench, cycle: CycleBench) -> str:
    ratio = builds.full / statistics.median(builds.incremental)
    actions_reload = cycle.reload_seconds.get("actions", [])
    api_reload = cycle.reload_seconds.get("api", [])
    rounds = len(cycle.publish) + len(cycle.delete)
    check_seconds = load_settings().knowledge.index_check_seconds
    lines = [
        "## Staff cycle (`make bench-staff`)",
        "",
        f"Machine: {machine()}; run on {datetime.now(UTC):%Y-%m-%d}. Command: "
        f"`.venv/bin/python -m benchmarks.staff_bench --documents {args.documents} "
        f"--publishes {args.publishes}` (what `make bench-staff` runs with the defaults).",
        f"Corpus: {args.documents} synthetic plan-like documents "
        "(`benchmarks/synthetic_corpus.py`) plus the plan chapter, "
        f"{builds.documents} documents and {builds.passages} passages, in a temporary "
        "database and index (never `var/`).",
        "",
        "### Index builds, in one process (model loaded first)",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| embedding model load (not part of the builds below) | {builds.model_load:.2f} s |",
        f"| full build, {builds.documents} documents, {builds.passages} passages "
        f"| {builds.full:.1f} s |",
        f"| incremental build after one document is edited and published (only it "
        f"re-embedded), p50 / p95 / max of {len(builds.incremental)} "
        f"| {spread(builds.incremental)} |",
        f"| full / incremental, p50 | {ratio:.0f}× |",
        f"| rebuild with nothing changed | {builds.noop:.2f} s |",
        f"| `load_index` of a build (checksums verified): what each serving process pays "
        f"to reload, and each build to read the previous one, p50 of {len(builds.load)} "
        f"| {median(builds.load)} |",
        f"| … of which TF-IDF fit over all passages / checksums, p50 "
        f"| {median(builds.tfidf_fit)} / "
        f"{statistics.median(builds.load) - statistics.median(builds.load_unverified):.2f} s |",
        "",
        "### Publish and delete against the running assistant (Rasa, actions, web app)",
        "",
        f"Each publish puts a new version of a different synthetic document with a new "
        f"completion date, publishes it, and polls `/api/chat` (a fresh session each time, "
        f"every {POLL_SECONDS} s) with a question about it until an answer cites that document "
        "with the new date; each delete polls until the document is no longer cited.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| publish-to-cited, p50 / p95 / max ({len(cycle.publish)} publishes"
        f"{f', {cycle.failed_publishes} not cited in time' if cycle.failed_publishes else ''})"
        f" | {spread(cycle.publish)} (contract: {CONTRACT_SECONDS:.0f} s) |",
        f"| delete-to-gone, p50 / p95 / max ({len(cycle.delete)} deletes"
        f"{f', {cycle.failed_deletes} still cited' if cycle.failed_deletes else ''})"
        f" | {spread(cycle.delete)} (contract: {CONTRACT_SECONDS:.0f} s) |",
        f"| … the web app's index build (`/api/staff/index` seconds), p50 / p95 / max "
        f"| {spread(cycle.build_seconds)} |",
        f"| … from the request to the build starting, p50 | {median(cycle.queue_seconds)} |",
        f"| … from the build's end to the first answer from it (a serving process looks "
        f"for a new build at most every {check_seconds:g} s, then loads it in that request), "
        f"p50 / max ({rounds} cycles) | {median(cycle.after_build)} / "
        f"{max(cycle.after_build, default=float('nan')):.2f} s |",
        f"| action server reloads of the index (its log), p50 / max ({len(actions_reload)}) "
        f"| {median(actions_reload)} / {max(actions_reload, default=float('nan')):.2f} s |"
        if actions_reload
        else "| action server reloads of the index (its log) | not logged: INFO is not shown |",
        f"| web app reloads of the index (its log), p50 / max ({len(api_reload)}) "
        f"| {median(api_reload)} / {max(api_reload, default=float('nan')):.2f} s |"
        if api_reload
        else "| web app reloads of the index (its log) | not logged: INFO is not shown |",
        f"| greeting turn (`你好`) p50, the floor ({len(cycle.greeting_ms)} turns) "
        f"| {median(cycle.greeting_ms, 'ms', 0)} |",
        f"| question turn p50, no build running ({len(cycle.question_ms)} turns) "
        f"| {median(cycle.question_ms, 'ms', 0)} |",
        f"| the turn that first answered from the new build (it loads it), p50 / max "
        f"| {median(cycle.first_new_ms, 'ms', 0)} / "
        f"{max(cycle.first_new_ms, default=float('nan')):.0f} ms |",
        f"| polling turns during the cycles, p50 / p95 / max ({len(cycle.poll_ms)} turns) "
        f"| {spread(cycle.poll_ms, 'ms', 0)} |",
        f"| cold start to ready (warm-up included) | {cycle.ready:.1f} s |",
        "",
        f"Questions asked: `{QUESTIONS[0]}` and rephrasings (without 项目, which Rasa's NLU "
        "sends to the enterprise-cooperation form); documents skipped because no phrasing was "
        f"answered from them before the cycle: {len(cycle.skipped)}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=200, help="synthetic documents")
    parser.add_argument(
        "--publishes", type=int, default=5, help="edits timed in process; publishes and deletes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.documents < 3 * args.publishes or args.publishes < 1:
        parser.error("--documents must be at least 3 × --publishes (and --publishes ≥ 1)")
    if not launcher.RASA_MODEL.exists():
        parser.error(f"no trained Rasa model at {launcher.RASA_MODEL}: run `make setup`")
    # Different documents for the in-process edits and the cycle (whose pool has spares).
    picks = random.Random(20261126).sample(range(1, args.documents + 1), args.documents)
    in_process, pool = picks[: args.publishes], picks[args.publishes :]
    workdir = Path(tempfile.mkdtemp(prefix="planbot-staff-bench-"))
    env = {
        "PLANBOT_DATABASE_URL": f"sqlite:///{workdir / 'planbot.db'}",
        "PLANBOT_INDEX_DIR": str(workdir / "index"),
    }
    try:
        with stop_on_signals():
            database = create_database_engine(env["PLANBOT_DATABASE_URL"])
            create_schema(database)
            store = DocumentStore(database)
            documents = fill_store(store, args.documents)
            AccountStore(database).add(ADMIN, PASSWORD, "admin")
            settings = KnowledgeSettings(index_dir=Path(env["PLANBOT_INDEX_DIR"]))
            builds = bench_builds(store, settings, in_process, documents)
            database.dispose()
            cycle = bench_cycle(workdir, env, pool, args.publishes)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report(args, builds, cycle))


if __name__ == "__main__":
    main()
