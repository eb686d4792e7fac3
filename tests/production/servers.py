"""Private PostgreSQL and Redis servers on 127.0.0.1 for the production-profile tests.

They come from Debian's packages (`make setup` installs them) and run from a temporary
directory on free ports, with generated passwords; the packages' own system services are not
used. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planbot.launcher import free_port


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str
    password: str
    bindir: Path
    root: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Take the server away (a fault test); :meth:`start` brings it back, data kept."""
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-l",
                    str(self.root / "log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )


@dataclass(frozen=True)
class Redis:
    port: int
    password: str


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_server(databases: list[str]) -> Iterator[Postgres]:
    bindir = postgres_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (make setup installs it)")
    root = Path(tempfile.mkdtemp(prefix="planbot-pg-"))
    root.chmod(0o755)
    data, password = root / "data", secrets.token_hex(16)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "planbot",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    server = Postgres(port, "planbot", password, bindir, root)
    server.start()
    try:
        env = {**os.environ, "PGPASSWORD": password}
        for name in databases:
            subprocess.run(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "planbot",
                    name,
                ],
                check=True,
                capture_output=True,
                env=env,
            )
        yield server
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[Redis]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("Redis is not installed (make setup installs it)")
    port, password = free_port(), secrets.token_hex(16)
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--requirepass",
            password,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        cli = shutil.which("redis-cli")
        while time.monotonic() < deadline:
            probe = subprocess.run(
                [cli or "redis-cli", "-p", str(port), "-a", password, "--no-auth-warning", "ping"],
                capture_output=True,
                text=True,
            )
            if probe.stdout.strip() == "PONG":
                break
            time.sleep(0.1)
        yield Redis(port, password)
    finally:
        process.terminate()
        process.wait(10)
