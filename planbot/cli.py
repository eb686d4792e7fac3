"""``planbot build | ask | eval`` (see shared/CONTRACT.md).

Every command takes what it needs from one :class:`~planbot.runtime.Runtime` built from the
settings tree (planbot/settings.py): the document store, the staff stores, the embedder and
the engine. Heavy imports (torch, the model, the index) happen inside the commands, so
``planbot --help`` is instant.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knowledge.answering.reply import Reply

if TYPE_CHECKING:
    from knowledge.answering.engine import AnswerEngine
    from knowledge.index.store import BuildResult
    from planbot.runtime import Runtime

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="大兴规划问答助手: build the knowledge index, ask it questions, evaluate it.",
)


def _runtime(*, schema: bool = True) -> Runtime:
    """The command's runtime, built from the environment (one per command: nothing is loaded
    until the command asks); with ``schema`` the database's tables are created when missing."""
    from planbot.runtime import Runtime
    from planbot.settings import load_settings

    runtime = Runtime(load_settings())
    if schema:
        runtime.create_schema()
    return runtime


@app.command()
def build(
    sources: Annotated[
        Path | None, typer.Option(help="Directory of Markdown sources (default: settings).")
    ] = None,
) -> None:
    """Import the sources into the document store, then (re)build the index from what is
    published there; only changed documents are re-embedded."""
    from tqdm import tqdm

    from docstore.indexing import build_published
    from knowledge.documents import Document

    def progress(docs: Sequence[Document]) -> Iterator[Document]:
        yield from tqdm(docs, desc="embedding documents", unit="doc", disable=not docs)

    runtime = _runtime(schema=False)
    directory = sources or runtime.settings.knowledge.sources_dir
    if not directory.is_dir():
        typer.echo(f"error: sources directory {directory} does not exist", err=True)
        raise typer.Exit(2)
    runtime.create_schema()
    store = runtime.documents
    outcomes, errors = store.sync_directory(directory)
    for outcome in outcomes:
        if outcome.action != "unchanged":
            typer.echo(f"{outcome.doc_id}: {outcome.action} from {directory}")
    for error in errors:
        typer.echo(f"broken document (its last good version stays published): {error}", err=True)
    built = build_published(
        store, runtime.settings.knowledge, embedder=runtime.embedder, progress=progress
    )
    _report_build(built.result)
    if errors or built.errors:
        raise typer.Exit(1)


def _report_build(r: BuildResult) -> None:
    if r.changed:
        typer.echo(
            f"index {r.build_id}: {r.passage_count} passages from "
            f"{len(r.embedded_documents) + len(r.reused_documents)} documents "
            f"({len(r.embedded_documents)} embedded, {len(r.reused_documents)} reused, "
            f"{len(r.removed_documents)} removed) in {r.seconds:.1f} s"
        )
    else:
        typer.echo(f"index {r.build_id} is up to date ({r.passage_count} passages)")


@app.command("import")
def import_documents(
    paths: Annotated[list[Path], typer.Argument(help="Markdown files with front matter.")],
    rebuild: Annotated[bool, typer.Option(help="Rebuild the index afterwards.")] = True,
) -> None:
    """Import Markdown files into the document store and publish them (id = file name)."""
    from docstore.aliases import EXPORT_FILE
    from docstore.indexing import build_published
    from docstore.store import import_files

    runtime = _runtime()
    store = runtime.documents
    documents = [p for p in paths if p.name != EXPORT_FILE]
    outcomes, errors = import_files(store, documents, actor="cli")
    for outcome in outcomes:
        typer.echo(f"{outcome.doc_id}: {outcome.action} (version {outcome.version})")
    for error in errors:
        typer.echo(f"not imported: {error}", err=True)
    for path in (p for p in paths if p.name == EXPORT_FILE):
        added = runtime.aliases.import_json(path.read_text(encoding="utf-8"), actor="cli")
        typer.echo(f"{path}: {added} aliases added")
    if rebuild and any(o.action != "unchanged" for o in outcomes):
        built = build_published(store, runtime.settings.knowledge, embedder=runtime.embedder)
        _report_build(built.result)
    if errors:
        raise typer.Exit(1)


@app.command("export")
def export_documents(
    directory: Annotated[Path, typer.Argument(help="Where to write <doc_id>.md files.")],
) -> None:
    """Write every published document out as Markdown with front matter, and the staff
    aliases (when there are any) as aliases.json beside them (``planbot import`` reads it)."""
    from docstore.aliases import EXPORT_FILE

    runtime = _runtime()
    for path in runtime.documents.export(directory):
        typer.echo(str(path))
    aliases = runtime.aliases
    if aliases.aliases():
        target = directory / EXPORT_FILE
        target.write_text(aliases.export_json(), encoding="utf-8")
        typer.echo(str(target))


staff_app = typer.Typer(no_args_is_help=True, help="Staff accounts.")
app.add_typer(staff_app, name="staff")


@staff_app.command("add")
def staff_add(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="admin or editor")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a staff account (there is no default account and no default password)."""
    import getpass

    from staff.accounts import AccountError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            typer.echo("error: the passwords differ", err=True)
            raise typer.Exit(2)
    runtime = _runtime()
    try:
        user = runtime.accounts.add(username, password, role)
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    runtime.audit.record("cli", "account_add", username=user.username, role=user.role)
    typer.echo(f"created {user.role} account {user.username}")


@staff_app.command("totp-reset")
def staff_totp_reset(username: Annotated[str, typer.Argument()]) -> None:
    """Turn an account's two-step log-in off (run on the server, for an admin whose
    authenticator is lost); the admin can then log in with the password and enrol again."""
    from staff.totp import TotpError

    runtime = _runtime()
    try:
        runtime.totp.reset(username)
    except TotpError as exc:
        typer.echo(f"error: no account {username!r}", err=True)
        raise typer.Exit(2) from exc
    runtime.audit.record("cli", "totp_reset", username=username, note="在服务器上重置两步验证")
    typer.echo(f"two-step log-in turned off for {username}")


def _engine() -> AnswerEngine:
    """The engine over the current index, or a one-line error and exit code 2."""
    from knowledge.index.store import IndexUnavailable

    try:
        engine = _runtime(schema=False).create_engine()
        engine.warm_up()
    except (IndexUnavailable, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    return engine


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question, in Chinese.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Reply as JSON.")] = False,
    batch: Annotated[
        Path | None, typer.Option(help="A JSON-lines file of {'q': ...}; one reply per line.")
    ] = None,
) -> None:
    """Answer a question (or a batch of them) from the index, without Rasa."""
    if (question is None) == (batch is None):
        raise typer.BadParameter("give either a QUESTION or --batch FILE")
    engine = _engine()
    if batch is not None:
        _ask_batch(engine, batch)
        return
    assert question is not None
    reply = engine.answer(question)
    if as_json:
        typer.echo(reply.model_dump_json())
        return
    typer.echo(reply.text)
    for c in reply.citations or reply.related:
        typer.echo(f"  [{c.n}] {c.section}\n      {c.url}")


def _ask_batch(engine: AnswerEngine, path: Path) -> None:
    """One output line per input line; a line that is not a question gets an error reply."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item: Any = None
        try:
            item = json.loads(line)
            q = item["q"]
            if not isinstance(q, str):
                raise TypeError("'q' must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            typer.echo(f"{path}:{n}: not a question line ({exc})", err=True)
            out = {
                "id": item.get("id") if isinstance(item, dict) else None,
                "q": None,
                "reply": Reply(
                    kind="error", text=f"第{n}行不是有效的问题：需要含有文本字段 q。"
                ).model_dump(),
            }
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            continue
        started = time.perf_counter()
        reply = engine.answer(q)
        out = {
            "id": item.get("id"),
            "q": q,
            "reply": reply.model_dump(),
            "ms": round((time.perf_counter() - started) * 1000, 2),
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="Question file, as shared/eval/*.jsonl.")],
) -> None:
    """Score a question file: R@1, R@3, MRR, answer accuracy, abstention; list failures."""
    from knowledge.evaluation import evaluate as run_eval
    from knowledge.evaluation import format_report, load_items

    try:
        items = load_items(file)
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    report = run_eval(_engine(), items)
    typer.echo(format_report(report))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the public web app.")] = 8000,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for readiness.")] = 180,
) -> None:
    """Serve the whole assistant (Rasa and the web app, which runs the actions unless
    PLANBOT_ACTIONS_IN_APP is false) on 127.0.0.1 until interrupted."""
    import signal
    import tempfile
    import threading
    import time

    from planbot import launcher

    logs = launcher.REPO / "var" / "log"
    logs.mkdir(parents=True, exist_ok=True)
    service = launcher.assistant(
        api_port=port,
        rasa_port=5005,
        actions_port=5055,
        logs=logs,
        workdir=Path(tempfile.mkdtemp(prefix="planbot-serve-")),
    )
    stop = threading.Event()

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal stops everything too
        signal.signal(sig, interrupt)
    started = time.monotonic()
    try:
        names = " and ".join(p.name for p in service.processes)
        typer.echo(f"starting {names}; logs in {logs}")
        service.start(timeout)
        typer.echo(
            f"ready in {time.monotonic() - started:.0f} s: open {service.base_url}/ "
            "(Ctrl-C stops everything)"
        )
        _hint_first_account(service.base_url)
        while not stop.wait(1.0):
            for p in service.processes:
                if p.exited():
                    typer.echo(f"{p.name} stopped unexpectedly; see {p.log}", err=True)
                    stop.set()
    except KeyboardInterrupt:
        pass
    except (TimeoutError, RuntimeError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        service.stop()
        typer.echo("stopped")


def _hint_first_account(base_url: str) -> None:
    """There is no default account: say how to make the first one, once, when there is none."""
    runtime = _runtime()
    if not runtime.accounts.accounts():
        typer.echo(
            f"staff workspace: {base_url}/staff — no staff account yet; create the first admin "
            "with: .venv/bin/planbot staff add NAME --role admin --password-stdin"
        )
    runtime.close()


def main() -> None:
    app()
