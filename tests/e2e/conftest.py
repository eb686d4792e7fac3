"""What the end-to-end tests share: a database and an index of their own, seeded as
`make setup` seeds the real ones (the sources imported into the store, the index built from
what is published), so no test reads or writes var/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from planbot.launcher import REPO


def seeded_environment(root: Path) -> dict[str, str]:
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
