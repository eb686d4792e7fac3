"""The planbot command line, end to end with the real model (integration: needs `make setup`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planbot.cli import app

pytestmark = pytest.mark.integration

runner = CliRunner()


def test_help_is_instant_and_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "ask", "eval"):
        assert command in result.output


def test_ask_json_prints_one_reply() -> None:
    result = runner.invoke(app, ["ask", "京霸铁路是规划里的吗", "--json"])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.stdout.strip().splitlines()[-1])
    assert reply["kind"] == "answer"
    assert reply["citations"][0]["quote"] in reply["text"]
    assert set(reply) >= {"kind", "text", "citations", "related", "buttons"}


def test_ask_batch_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": "a", "q": "燃煤会压减吗"}\nnot json\n{"q": "明天限号尾号是多少"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ask", "--json", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["id"], r["reply"]["kind"]) for r in rows] == [
        ("a", "answer"),
        (None, "error"),
        (None, "no_answer"),
    ]
    assert "q.jsonl:2" in result.stderr


def test_ask_needs_a_question_or_a_batch() -> None:
    result = runner.invoke(app, ["ask", "--json"])
    assert result.exit_code != 0


def test_eval_prints_the_metrics_table(tmp_path: Path) -> None:
    file = tmp_path / "q.jsonl"
    file.write_text(
        '{"id": "x", "type": "answer", "q": "永兴河谁来治理", "section": "跨域水系", '
        '"any": ["永兴河"]}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(file)])
    assert result.exit_code == 0, result.output
    for metric in ("R@1", "R@3", "MRR", "answer accuracy", "abstention precision"):
        assert metric in result.stdout


def test_build_embeds_only_changed_documents(
    tmp_path: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANBOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("PLANBOT_SOURCES_DIR", str(sources_dir))
    monkeypatch.setenv("PLANBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'planbot.db'}")
    first = runner.invoke(app, ["build"])
    assert first.exit_code == 0, first.output
    assert "2 embedded, 0 reused" in first.stdout
    assert "up to date" in runner.invoke(app, ["build"]).stdout
    doc = sources_dir / "ecology.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "新增一句话用于测试增量构建。\n", "utf-8")
    (sources_dir / "broken.md").write_text("no front matter\n", encoding="utf-8")
    third = runner.invoke(app, ["build"])
    assert third.exit_code == 1, third.output  # built, but a source needs fixing
    assert "1 embedded, 1 reused" in third.stdout
    assert "broken.md:1" in third.stderr


def test_a_missing_index_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANBOT_INDEX_DIR", str(tmp_path / "nothing"))
    result = runner.invoke(app, ["ask", "京霸铁路会建吗", "--json"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error:") and "planbot build" in result.stderr
    assert "Traceback" not in result.output


def test_import_export_and_staff_add(
    tmp_path: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files in, files out, through the store; the export reads back as the same documents."""
    from staff.accounts import AccountStore
    from storage.database import create_database_engine

    url = f"sqlite:///{tmp_path / 'planbot.db'}"
    monkeypatch.setenv("PLANBOT_DATABASE_URL", url)
    monkeypatch.setenv("PLANBOT_INDEX_DIR", str(tmp_path / "index"))
    result = runner.invoke(
        app, ["import", "--no-rebuild", *map(str, sorted(sources_dir.iterdir()))]
    )
    assert result.exit_code == 0, result.output
    assert "ecology: created (version 1)" in result.stdout
    again = runner.invoke(app, ["import", "--no-rebuild", str(sources_dir / "ecology.md")])
    assert "ecology: unchanged" in again.stdout
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: 坏\n---\n# 一\n### 跳级\n正文\n", encoding="utf-8")
    failed = runner.invoke(app, ["import", "--no-rebuild", str(bad)])
    assert failed.exit_code == 1 and "bad.md:5" in failed.stderr

    out = tmp_path / "out"
    exported = runner.invoke(app, ["export", str(out)])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.iterdir()) == ["ecology.md", "transport.md"]
    from knowledge.documents import load_directory

    def content(directory: Path) -> dict[str, list[tuple[str, tuple[str, ...], str]]]:
        return {
            d.doc_id: [(p.text, p.section_path, p.section_anchor) for p in d.paragraphs]
            for d in load_directory(directory).documents
        }

    assert content(out) == content(sources_dir)

    # The staff aliases travel with the documents: exported beside them, imported back.
    from docstore.aliases import AliasStore

    aliases = AliasStore(create_database_engine(url))
    aliases.add("老年卡", actor="t", doc_id="ecology")
    aliases.add("老年卡", actor="t", synonym="养老助残卡")
    runner.invoke(app, ["export", str(out)])
    assert (out / "aliases.json").is_file()
    for alias in aliases.aliases():
        aliases.delete(alias.id, actor="t")
    restored = runner.invoke(app, ["import", "--no-rebuild", *map(str, sorted(out.iterdir()))])
    assert restored.exit_code == 0, restored.output
    assert "2 aliases added" in restored.stdout
    assert {(a.phrase, a.doc_id, a.synonym) for a in aliases.aliases()} == {
        ("老年卡", "ecology", None),
        ("老年卡", None, "养老助残卡"),
    }

    created = runner.invoke(
        app,
        ["staff", "add", "alice", "--role", "editor", "--password-stdin"],
        input="a long enough password\n",
    )
    assert created.exit_code == 0, created.output
    accounts = AccountStore(create_database_engine(url))
    assert accounts.authenticate("alice", "a long enough password") is not None
    weak = runner.invoke(
        app, ["staff", "add", "bob", "--role", "admin", "--password-stdin"], input="short\n"
    )
    assert weak.exit_code == 2 and "at least" in weak.stderr
    common = runner.invoke(
        app, ["staff", "add", "bob", "--role", "admin", "--password-stdin"], input="password12\n"
    )
    assert common.exit_code == 2 and "过于常见" in common.stderr
