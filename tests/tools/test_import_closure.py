"""The Rasa fingerprint covers every repository file the NLU featurizer imports.

The expected set is computed here by the standard library's ``modulefinder`` (bytecode, not
the AST walk ``tools.import_closure`` does), so the two derivations check each other, and
``scripts/train-rasa.sh --list-inputs`` must name every file of it.
"""

from __future__ import annotations

import modulefinder
import subprocess
from pathlib import Path

import pytest

from tools.import_closure import REPO, closure

FEATURIZER = REPO / "rasa_runtime" / "sentence_featurizer.py"


def _modulefinder_closure(entry: Path) -> set[Path]:
    """Repository files ``entry`` reaches, found by running modulefinder on the repository
    only (third-party and standard-library imports are left unresolved, and so out)."""
    finder = modulefinder.ModuleFinder(path=[str(REPO)])
    # The entry is imported as rasa_runtime.sentence_featurizer: its package runs first.
    finder.import_hook("rasa_runtime.sentence_featurizer")
    files = {Path(m.__file__).resolve() for m in finder.modules.values() if m.__file__}
    return {f for f in files if f.is_relative_to(REPO) and f.suffix == ".py"}


def _fingerprinted() -> set[Path]:
    done = subprocess.run(
        ["bash", "scripts/train-rasa.sh", "--list-inputs"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {(REPO / line).resolve() for line in done.stdout.split() if line}


def test_the_featurizer_reaches_the_knowledge_cores_embedder() -> None:
    found = _modulefinder_closure(FEATURIZER)
    # Sanity: the derivation really follows imports into the knowledge core.
    assert (REPO / "knowledge" / "embedding" / "onnx_embedder.py").resolve() in found
    assert (REPO / "knowledge" / "embedding" / "embedder.py").resolve() in found
    assert set(closure([FEATURIZER])) >= found


def test_every_file_the_featurizer_imports_is_fingerprinted() -> None:
    missing = _modulefinder_closure(FEATURIZER) - _fingerprinted()
    assert not missing, f"scripts/train-rasa.sh does not fingerprint {sorted(missing)}"


def test_closure_follows_relative_imports_and_packages(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("from . import leaf\n")
    (tmp_path / "pkg" / "sub" / "leaf.py").write_text("from ..other import thing\n")
    (tmp_path / "pkg" / "other.py").write_text("def f():\n    import pkg.late\n")
    (tmp_path / "pkg" / "late.py").write_text("import json\n")
    (tmp_path / "pkg" / "unused.py").write_text("")
    entry = tmp_path / "main.py"
    entry.write_text("import pkg.sub\n")
    got = {p.relative_to(tmp_path.resolve()).as_posix() for p in closure([entry], tmp_path)}
    assert got == {
        "main.py",
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/sub/leaf.py",
        "pkg/other.py",
        "pkg/late.py",
    }


@pytest.mark.parametrize("entry", ["rasa_runtime/sentence_featurizer.py"])
def test_the_cli_prints_repository_paths(entry: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tools.import_closure import main

    assert main([str(REPO / entry)]) == 0
    printed = capsys.readouterr().out.split()
    assert entry in printed and all(not p.startswith("/") for p in printed)
