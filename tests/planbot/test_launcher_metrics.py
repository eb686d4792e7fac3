"""The launcher turns on prometheus-client's multiprocess mode for more than one worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planbot.launcher import METRICS_DIR, api_server


def test_several_workers_get_a_fresh_empty_metrics_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(METRICS_DIR, raising=False)
    one = api_server(8001, tmp_path / "one.log", {}, workers=1)
    assert METRICS_DIR not in one.env
    two = api_server(8001, tmp_path / "two.log", {}, workers=2)
    again = api_server(8001, tmp_path / "again.log", {}, workers=2)
    directory = Path(two.env[METRICS_DIR])
    assert directory.is_dir() and not any(directory.iterdir())
    assert again.env[METRICS_DIR] != two.env[METRICS_DIR]  # never another run's files
    for process in (two, again):
        shutil.rmtree(process.env[METRICS_DIR])


def test_a_directory_given_by_the_operator_is_kept(tmp_path: Path) -> None:
    given = str(tmp_path / "metrics")
    process = api_server(8001, tmp_path / "a.log", {METRICS_DIR: given}, workers=2)
    assert process.env[METRICS_DIR] == given
