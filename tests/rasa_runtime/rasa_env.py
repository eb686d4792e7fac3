"""Running a check script in the Rasa environment (``.venv-rasa``, Python 3.10), where Rasa and
rasa_runtime are importable; the script prints its outcome as JSON on its last line."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from planbot.launcher import REPO

RASA_PYTHON = REPO / ".venv-rasa" / "bin" / "python"


def run_in_rasa(script: str, *args: str) -> Any:
    if not RASA_PYTHON.exists():
        pytest.fail("no Rasa environment: run `make setup`")
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", script, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={"RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
