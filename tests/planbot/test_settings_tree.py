"""The one settings tree: the same PLANBOT_* names as before land in the right branch, and no
module but the tree's builder reads a settings class from the environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.settings import Settings
from knowledge.settings import KnowledgeSettings
from planbot.settings import ContactSettings, PlanbotSettings, load_settings
from storage.database import DatabaseSettings
from tests.conftest import REPO

# The packages whose code runs in the assistant (tests, benchmarks and scripts excluded).
PACKAGES = (
    "actions",
    "api",
    "docstore",
    "knowledge",
    "planbot",
    "rasa_runtime",
    "rasa_sdk_plugins",
    "records",
    "staff",
    "storage",
    "tools",
)
# The one place that builds the tree from the environment.
ALLOWED = {Path("planbot/settings.py")}


def test_the_variables_keep_their_names_and_land_in_their_branch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANBOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("PLANBOT_CANDIDATES", "40")
    monkeypatch.setenv("PLANBOT_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.db"))
    monkeypatch.setenv("PLANBOT_RASA_URL", "http://127.0.0.1:6005")
    monkeypatch.setenv("PLANBOT_ACTIONS_IN_APP", "false")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.setenv("PLANBOT_HOTLINE", "96156")
    monkeypatch.setenv("PLANBOT_CONTACT", "区政务服务中心")
    monkeypatch.setenv("PLANBOT_HANDOFF_RESPONSE_TIME", "1个工作日内")
    monkeypatch.setenv("PLANBOT_INQUIRY_RESPONSE_TIME", "5个工作日内")

    tree = load_settings()

    assert tree.knowledge.index_dir == tmp_path / "index" and tree.knowledge.candidates == 40
    assert tree.database.database_url == "sqlite:///" + str(tmp_path / "x.db")
    assert tree.web.rasa_url == "http://127.0.0.1:6005" and tree.web.actions_in_app is False
    assert tree.web.metrics_multiprocess_dir == str(tmp_path / "metrics")  # the alias kept
    assert tree.contact == ContactSettings(
        hotline="96156",
        contact="区政务服务中心",
        handoff_response_time="1个工作日内",
        inquiry_response_time="5个工作日内",
    )


def test_each_setting_lives_in_one_branch() -> None:
    """The hotline was in two classes, the database URL in two: one field, one branch."""
    branches: list[type[BaseSettings]] = [
        KnowledgeSettings,
        DatabaseSettings,
        Settings,
        ContactSettings,
    ]
    assert {f.annotation for f in PlanbotSettings.model_fields.values()} == set(branches)
    seen: dict[str, str] = {}
    for branch in branches:
        for name in branch.model_fields:
            assert name not in seen, f"{name} is in {seen.get(name)} and {branch.__name__}"
            seen[name] = branch.__name__


def test_a_branch_given_is_used_as_given(tmp_path: Path) -> None:
    web = Settings(rate_limit_per_minute=7)
    tree = load_settings(web=web, knowledge=KnowledgeSettings(index_dir=tmp_path))
    assert tree.web is web and tree.knowledge.index_dir == tmp_path


def _settings_classes() -> set[str]:
    """Every BaseSettings subclass defined in the packages (found by reading them)."""
    names = {"BaseSettings"}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "BaseSettings" for b in node.bases
            ):
                names.add(node.name)
    return names


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _aliases_of(tree: ast.Module, classes: set[str]) -> set[str]:
    """Names a module imports a settings class under (``import Settings as WebSettings``)."""
    return {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name in classes and alias.asname
    }


def test_no_module_but_the_tree_builder_instantiates_a_settings_class() -> None:
    classes = _settings_classes()
    # The scan must know the classes it looks for, or it proves nothing.
    assert {"KnowledgeSettings", "DatabaseSettings", "Settings", "ContactSettings"} <= classes
    offenders = []
    for path in _sources():
        relative = path.relative_to(REPO)
        if relative in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = classes | _aliases_of(tree, classes)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in local:
                offenders.append(f"{relative}:{node.lineno} {_called_name(node)}()")
            # default_factory=SomeSettings reads the environment just the same
            if isinstance(node, ast.keyword) and node.arg == "default_factory":
                value = node.value
                if isinstance(value, ast.Name) and value.id in local:
                    offenders.append(f"{relative}:{value.lineno} default_factory={value.id}")
    assert offenders == []


def test_the_scan_finds_an_instantiation() -> None:
    """The scan's own check: a call written the usual ways, or under another name, is seen."""
    source = "from x import Settings as Web\nimport y\na = Web()\nb = y.KnowledgeSettings()\n"
    tree = ast.parse(source)
    assert _aliases_of(tree, {"Settings"}) == {"Web"}
    calls = [_called_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert calls == ["Web", "KnowledgeSettings"]
