"""The repository's own files a module imports, transitively: what a fingerprint must cover.

Why: ``scripts/train-rasa.sh`` retrains the NLU when its inputs change. The featurizer in the
pipeline (``rasa_runtime/sentence_featurizer.py``) embeds with the knowledge core's code, so a
change in pooling or tokenizing there changes the features the classifier was trained on. A
hand-kept list of those files drifts; this module derives it from the import statements.

Only the standard library is used (it runs under the Rasa environment's Python 3.10 too).
Every ``import`` in a file counts, including those inside functions: a conservative closure
costs at most an unneeded retrain. Importing ``a.b.c`` runs ``a/__init__.py`` and
``a/b/__init__.py`` too, so those are included. Modules outside the repository (the standard
library, Rasa, numpy) are left out: the Rasa lock fingerprints them.

CLI: ``python -m tools.import_closure FILE...`` prints the closure, one repository-relative
path a line, sorted.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def module_file(module: str, root: Path) -> Path | None:
    """The file of a dotted module name inside ``root``, or None when it is not there."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(path: Path, root: Path) -> list[str]:
    """The dotted package a file belongs to (for relative imports)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1]  # a module's package, or the package an __init__.py belongs to


def imported_modules(path: Path, root: Path) -> set[str]:
    """Dotted names a file may import: ``import x.y``, ``from x import y`` (``y`` may be a
    module) and relative imports resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(path, root)
                package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            if base:
                names.add(base)
            names.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
    return names


def _with_parents(module: str) -> Iterable[str]:
    parts = module.split(".")
    return (".".join(parts[:i]) for i in range(1, len(parts) + 1))


def closure(entries: Sequence[Path], root: Path = REPO) -> list[Path]:
    """Every repository file reachable from ``entries`` by imports, the entries included."""
    root = root.resolve()
    seen: set[Path] = set()
    todo = [entry.resolve() for entry in entries]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        # A file is imported as a module of its package: the package's __init__.py runs too.
        own = ".".join(_package_of(path, root))
        for name in {*imported_modules(path, root), *([own] if own else [])}:
            for module in _with_parents(name):
                found = module_file(module, root)
                if found is not None and found.resolve() not in seen:
                    todo.append(found.resolve())
    return sorted(seen)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.import_closure", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="entry files (repository paths)")
    args = parser.parse_args(argv)
    for path in closure(args.files):
        print(path.relative_to(REPO.resolve()).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
