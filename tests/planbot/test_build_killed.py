"""A build killed half-way leaves the previous index serving, and the next build succeeds.

Integration: runs the real ``planbot build`` (real model) over a synthetic corpus big enough
to kill it while it embeds, and checks the index, the lock and the next build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.synthetic_corpus import synthetic_corpus
from docstore.store import DocumentStore
from knowledge.index.store import current_path, load_index
from storage.database import create_database_engine, create_schema

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PLANBOT = REPO / ".venv" / "bin" / "planbot"
DOCUMENTS = 24


def test_a_killed_build_leaves_the_old_index_and_the_next_build_succeeds(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PLANBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'planbot.db'}",
        "PLANBOT_INDEX_DIR": str(tmp_path / "index"),
    }
    subprocess.run([str(PLANBOT), "build"], env=env, check=True, capture_output=True)
    before = load_index(tmp_path / "index")

    database = create_database_engine(env["PLANBOT_DATABASE_URL"])
    create_schema(database)
    store = DocumentStore(database)
    for doc_id, title, body in synthetic_corpus(DOCUMENTS):
        store.create(title, body, actor="test", doc_id=doc_id)
        store.publish(doc_id, actor="test")

    log = tmp_path / "build.log"
    with log.open("w") as out:
        build = subprocess.Popen(
            [str(PLANBOT), "build"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        # Kill it once it is embedding (tqdm has counted a few documents), not before.
        while time.monotonic() < deadline and build.poll() is None:
            text = log.read_text(errors="replace")
            if any(f" {n}/{DOCUMENTS} " in text for n in range(2, DOCUMENTS)):
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before it could be killed: " + text[-500:]
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(10)

    after = load_index(tmp_path / "index")  # verifies every checksum
    assert after.manifest.build_id == before.manifest.build_id
    assert current_path(tmp_path / "index").resolve() == before.path

    finished = subprocess.run(
        [str(PLANBOT), "build"], env=env, capture_output=True, text=True, timeout=600
    )
    assert finished.returncode == 0, finished.stderr[-2000:]  # the lock died with the process
    rebuilt = load_index(tmp_path / "index")
    assert len(rebuilt.manifest.documents) == DOCUMENTS + 1
    assert not list((tmp_path / "index" / "builds").glob(".*.tmp"))
    database.dispose()
