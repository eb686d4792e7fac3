"""Starting the assistant's processes (Rasa, the action server) and waiting until they answer.

Used by ``make run`` (``planbot serve``), the end-to-end tests and the benchmarks. Everything
binds to 127.0.0.1: Rasa and the actions are never exposed; the web app is the only way in (its
in-app action executor answers only calls carrying the action secret, which only Rasa has).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RASA_MODEL = REPO / "var" / "rasa" / "models" / "planbot.tar.gz"


@dataclass
class Process:
    name: str
    argv: list[str]
    ready_url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None
    # Appended to ``ready_url`` when polling (Rasa's /status wants its token as a query).
    ready_query: str = ""

    @property
    def ready_check_url(self) -> str:
        return self.ready_url + self.ready_query

    def start(self) -> None:
        env = {**os.environ, **self.env}
        log = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float) -> float:
        """Seconds until ``ready_url`` answers 200; raises with the log's tail on failure."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.popen.returncode}:\n{self.tail()}"
                )
            try:
                with urllib.request.urlopen(self.ready_check_url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.tail()}")

    def stop(self, grace: float = 10.0) -> None:
        """Stop the whole process group: Sanic's workers may outlive their leader."""
        if self.popen is None:
            return
        _signal_group(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        time.sleep(0.2)
        _signal_group(self.popen.pid, signal.SIGKILL)  # any worker left behind

    def exited(self) -> bool:
        return self.popen is not None and self.popen.poll() is not None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def wait_all_ready(processes: list[Process], timeout: float) -> float:
    """Wait for every process; fail at once, with its log, if any of them exits."""
    started = time.monotonic()
    pending = list(processes)
    while pending:
        for p in list(pending):
            if p.exited():
                raise RuntimeError(f"{p.name} exited:\n{p.tail()}")
            try:
                with urllib.request.urlopen(p.ready_check_url, timeout=2) as response:
                    if response.status == 200:
                        pending.remove(p)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        if time.monotonic() - started > timeout:
            names = ", ".join(p.name for p in pending)
            raise TimeoutError(f"not ready after {timeout:.0f} s: {names}")
        if pending:
            time.sleep(0.3)
    return time.monotonic() - started


# The two secrets the processes of one machine share (see service_secrets).
RASA_TOKEN = "PLANBOT_RASA_TOKEN"
ACTION_SECRET = "PLANBOT_ACTION_SECRET"
# The header Rasa sends the action server (bot/endpoints*.yml; rasa_sdk_plugins checks it).
ACTION_SECRET_HEADER = "X-Planbot-Action-Secret"
# prometheus-client's switch to its multiprocess mode (api/metrics.py).
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"
_GENERATED: dict[str, str] = {}


def service_secrets(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Rasa's API token and the action server's secret: the configured ones (``env`` or the
    environment), else random ones made once per launching process, so that the Rasa, action
    server and web app this process starts all agree while nobody else knows them."""
    merged = {**os.environ, **(env or {})}
    return {
        name: merged.get(name) or _GENERATED.setdefault(name, secrets.token_urlsafe(32))
        for name in (RASA_TOKEN, ACTION_SECRET)
    }


def action_server(port: int, log: Path, env: Mapping[str, str] | None = None) -> Process:
    """The action server; it answers only calls that carry the action secret (Rasa's), except
    /health (rasa_sdk_plugins)."""
    return Process(
        name="actions",
        argv=[
            str(REPO / ".venv" / "bin" / "python"),
            "-m",
            "rasa_sdk",
            "--actions",
            "actions",
            "--port",
            str(port),
        ],
        ready_url=f"http://127.0.0.1:{port}/health",
        log=log,
        env={
            "SANIC_HOST": "127.0.0.1",
            **(env or {}),
            ACTION_SECRET: service_secrets(env)[ACTION_SECRET],
        },
    )


def rasa_server(
    port: int,
    actions_port: int,
    log: Path,
    workdir: Path,
    env: Mapping[str, str] | None = None,
    *,
    webhook: str | None = None,
) -> Process:
    """Rasa's REST channel on loopback, pointed at the action server on ``actions_port`` (or at
    ``webhook``: the web app's in-app executor, see :func:`in_app_webhook`).

    By default the endpoints file is ``bot/endpoints.yml``: conversations in Rasa's memory,
    forgotten when idle or older than the retention (rasa_runtime/tracker_store.py), with the
    limits from :func:`rasa_settings`. ``PLANBOT_RASA_ENDPOINTS`` (in ``env`` or the
    environment) names another, e.g. ``bot/endpoints.production.yml``. Either file's ``${…}``
    values come from the environment, the action webhook from ``PLANBOT_ACTION_WEBHOOK``, which
    is set here.

    Rasa's HTTP API (trackers, events, models) needs ``PLANBOT_RASA_TOKEN``, which
    rasa_runtime hands Rasa as ``--auth-token`` (not on this command line, where any local
    user could read it); its calls to the action server carry ``PLANBOT_ACTION_SECRET``.
    """
    merged = {**os.environ, **(env or {})}
    keys = service_secrets(env)
    webhook = webhook or f"http://127.0.0.1:{actions_port}/webhook"
    endpoints = REPO / (merged.get("PLANBOT_RASA_ENDPOINTS") or "bot/endpoints.yml")
    return Process(
        name="rasa",
        # `rasa run` with Rasa's per-call schema check of action results compiled once
        # (rasa_runtime/action_results.py: 29 % of Rasa's CPU in question turns).
        argv=[
            str(REPO / ".venv-rasa" / "bin" / "python"),
            "-m",
            "rasa_runtime",
            "run",
            "--model",
            str(RASA_MODEL),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(REPO / "bot" / "credentials.yml"),
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--enable-api",
        ],
        ready_url=f"http://127.0.0.1:{port}/status",
        ready_query="?" + urllib.parse.urlencode({"token": keys[RASA_TOKEN]}),
        log=log,
        env={
            # One TensorFlow thread of each kind, as one torch thread elsewhere: Rasa answers one
            # turn at a time per process, and on 2 cores extra threads only compete with the
            # action server and the web app (question p95 under load 325 -> 249 ms, one run).
            "TF_INTRA_OP_PARALLELISM_THREADS": merged.get("TF_INTRA_OP_PARALLELISM_THREADS", "1"),
            "TF_INTER_OP_PARALLELISM_THREADS": merged.get("TF_INTER_OP_PARALLELISM_THREADS", "1"),
            **(env or {}),
            **rasa_settings(env),
            **keys,
            "PLANBOT_ACTION_WEBHOOK": webhook,
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_CACHE_DIRECTORY": str(workdir / "cache"),
        },
    )


def rasa_settings(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The settings Rasa's endpoints file names (its tracker store's expiry and bound), read
    and checked by the settings tree's web branch from the environment and ``env``, with
    their defaults filled in: Rasa itself reads no setting on its own."""
    from planbot.settings import child_web_settings

    fields = ("conversation_retention_days", "tracker_idle_minutes", "tracker_max_conversations")
    return child_web_settings(env or {}, fields).rasa_environment()


def actions_in_app(env: Mapping[str, str] | None = None) -> bool:
    """``PLANBOT_ACTIONS_IN_APP`` (``env`` or the environment), read and checked by the
    settings tree's web branch: whether the web app serves the actions (default) or a
    separate ``python -m rasa_sdk`` action server does."""
    from planbot.settings import child_web_settings

    return child_web_settings(env or {}, ("actions_in_app",)).actions_in_app


def in_app_webhook(api_port: int) -> str:
    """Where Rasa calls the actions when the web app serves them (api/routers/actions.py)."""
    return f"http://127.0.0.1:{api_port}/internal/actions/webhook"


def api_server(
    port: int, log: Path, env: Mapping[str, str] | None = None, workers: int | None = None
) -> Process:
    """The public web app on loopback: uvicorn with ``workers`` processes (default: the
    ``PLANBOT_API_WORKERS`` setting, else one). Every worker follows each new index build.
    It gets both secrets: Rasa's token (it calls Rasa's API) and the action secret (its
    in-app executor checks it on Rasa's calls)."""
    merged = {**os.environ, **(env or {})}
    count = workers or int(merged.get("PLANBOT_API_WORKERS", "1") or "1")
    extra = dict(service_secrets(env))
    if count > 1 and not merged.get(METRICS_DIR):
        # One scrape reaches one worker: prometheus-client's multiprocess mode lets it report
        # all of them. The directory must start empty (stale files of dead workers would count).
        extra[METRICS_DIR] = tempfile.mkdtemp(prefix="planbot-metrics-")
    return Process(
        name="api",
        argv=[
            str(REPO / ".venv" / "bin" / "uvicorn"),
            "api.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--workers",
            str(count),
            *uvicorn_options(merged),
        ],
        ready_url=f"http://127.0.0.1:{port}/readyz",
        log=log,
        env={**(env or {}), **extra},
    )


# uvicorn's httptools protocol with request-arrival timeouts (finding L1).
SLOW_CLIENT_PROTOCOL = "api.slow_clients:GuardedHttpToolsProtocol"


def uvicorn_options(env: Mapping[str, str]) -> list[str]:
    """uvicorn's options from the settings in ``env``.

    uvicorn believes ``X-Forwarded-For`` from 127.0.0.1 unless told otherwise, and every client
    of a server on loopback comes from there: any client could then pick the address that the
    rate limits and the audit log see. Forwarded headers are believed only from the proxies
    listed in ``PLANBOT_FORWARDED_ALLOW_IPS`` (none by default).

    Slow or idle clients: an idle keep-alive connection is closed after
    ``PLANBOT_API_KEEP_ALIVE_SECONDS``, and past ``PLANBOT_API_LIMIT_CONCURRENCY`` requests
    being served per worker uvicorn answers 503 at once instead of taking more. uvicorn has no
    timeout for a request that arrives slowly, so the protocol is uvicorn's own with one added
    (api/slow_clients.py): a request head or body that does not arrive in time is answered 408
    and closed, and requests still arriving do not count against the limit.
    """
    options = [
        "--http",
        SLOW_CLIENT_PROTOCOL,
        "--timeout-keep-alive",
        str(_positive_int(env, "PLANBOT_API_KEEP_ALIVE_SECONDS", 5)),
        "--limit-concurrency",
        str(_positive_int(env, "PLANBOT_API_LIMIT_CONCURRENCY", 200)),
    ]
    proxies = env.get("PLANBOT_FORWARDED_ALLOW_IPS", "").strip()
    if not proxies:
        return [*options, "--no-proxy-headers"]
    return [*options, "--proxy-headers", "--forwarded-allow-ips", proxies]


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _post_json(
    url: str, payload: object, timeout: float, headers: Mapping[str, str] | None = None
) -> float:
    """POST a JSON body and read the answer; returns the seconds it took."""
    import json

    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
    return time.monotonic() - started


def warm_up_actions(
    actions_port: int,
    timeout: float = 120,
    secret: str | None = None,
    *,
    webhook: str | None = None,
) -> float:
    """Run ``action_answer`` once so the action server loads its model before the first
    resident asks (it loads lazily, taking seconds), at ``webhook`` if given (the in-app
    executor), else the action server on ``actions_port``. Returns the seconds it took."""
    tracker = {
        "sender_id": "planbot-warm-up",
        "slots": {},
        "latest_message": {"text": "规划", "intent": {"name": "ask_plan"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    call = {
        "next_action": "action_answer",
        "sender_id": "planbot-warm-up",
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }
    secret = secret or service_secrets()[ACTION_SECRET]
    return _post_json(
        webhook or f"http://127.0.0.1:{actions_port}/webhook",
        call,
        timeout,
        headers={ACTION_SECRET_HEADER: secret},
    )


def warm_up_rasa(api_port: int, secret: str, timeout: float = 60) -> float:
    """One greeting through Rasa: its first prediction builds the TensorFlow graphs (~1 s).

    Sent by the web app (``POST /internal/rasa/warm-up``, api/routers/warm_up.py) with the
    message's query vector, as every resident's message is: sent to Rasa directly, it would
    make Rasa's NLU load its own copy of the embedding model, which it otherwise never needs.
    """
    return _post_json(
        f"http://127.0.0.1:{api_port}/internal/rasa/warm-up",
        {},
        timeout,
        headers={ACTION_SECRET_HEADER: secret},
    )


@dataclass
class Assistant:
    """The whole assistant as `make run` starts it: Rasa and the web app, which serves the
    actions itself (``PLANBOT_ACTIONS_IN_APP``, the default), or else beside them a separate
    action server."""

    processes: list[Process]
    api_port: int
    rasa_port: int
    actions_port: int
    action_secret: str = ""
    actions_webhook: str = ""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self, timeout: float) -> None:
        """Start them all, wait until each answers, then warm the slow first calls."""
        for p in self.processes:
            p.start()
        wait_all_ready(self.processes, timeout)
        self.warm_up_actions()
        warm_up_rasa(self.api_port, self.action_secret or service_secrets()[ACTION_SECRET])

    def warm_up_actions(self) -> float:
        """One action call where Rasa sends them (see :func:`warm_up_actions`)."""
        return warm_up_actions(
            self.actions_port, secret=self.action_secret or None, webhook=self.actions_webhook
        )

    def stop(self) -> None:
        for p in reversed(self.processes):
            p.stop()


def assistant(
    *,
    api_port: int,
    rasa_port: int,
    actions_port: int,
    logs: Path,
    workdir: Path,
    settings: Mapping[str, str] | None = None,
) -> Assistant:
    """``settings`` (PLANBOT_* variables) go to every process: they must agree on the
    database and the index. With the actions in the app (the default) Rasa calls the web app's
    executor and ``actions_port`` stays unused; otherwise a separate action server listens
    there."""
    shared = dict(settings or {})
    env = {
        "PLANBOT_RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "PLANBOT_ACTIONS_URL": f"http://127.0.0.1:{actions_port}",
        **shared,
    }
    secret = service_secrets(shared)[ACTION_SECRET]
    if actions_in_app(shared):
        webhook = in_app_webhook(api_port)
        processes = [
            rasa_server(
                rasa_port, actions_port, logs / "rasa.log", workdir, shared, webhook=webhook
            ),
            api_server(api_port, logs / "api.log", env),
        ]
        return Assistant(
            processes, api_port, rasa_port, actions_port, secret, actions_webhook=webhook
        )
    processes = [
        action_server(actions_port, logs / "actions.log", shared),
        rasa_server(rasa_port, actions_port, logs / "rasa.log", workdir, shared),
        api_server(api_port, logs / "api.log", env),
    ]
    return Assistant(processes, api_port, rasa_port, actions_port, action_secret=secret)


def seeded_environment(root: Path) -> dict[str, str]:
    """Settings for an assistant over a database and an index of its own under ``root``,
    seeded as `make setup` seeds the real ones (the sources imported into the store, the index
    built from what is published): tests and benchmarks never read or write var/."""
    env = {
        "PLANBOT_DATABASE_URL": f"sqlite:///{root / 'planbot.db'}",
        "PLANBOT_INDEX_DIR": str(root / "index"),
    }
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "planbot"), "build"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    rasa: Process
    actions: Process
    workdir: Path

    @property
    def webhook(self) -> str:
        return self.rasa.ready_url.replace("/status", "/webhooks/rest/webhook")


@contextmanager
def dialogue_stack(env: Mapping[str, str] | None = None, timeout: float = 180) -> Iterator[Stack]:
    """Rasa and the action server on free loopback ports, stopped on exit."""
    workdir = Path(tempfile.mkdtemp(prefix="planbot-stack-"))
    actions_port, rasa_port = free_port(), free_port()
    actions = action_server(actions_port, workdir / "actions.log", env)
    rasa = rasa_server(rasa_port, actions_port, workdir / "rasa.log", workdir, env)
    try:
        actions.start()
        rasa.start()
        actions.wait_ready(timeout)
        rasa.wait_ready(timeout)
        yield Stack(rasa, actions, workdir)
    finally:
        rasa.stop()
        actions.stop()
