"""The document store: versions, stale edits, publishing, rollback, deletion, files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from docstore.audit import AuditLog
from docstore.store import DocumentStore, StaleEdit, UnknownDocument, UnknownVersion, import_files
from knowledge.documents import DocumentError
from tests.conftest import ECOLOGY, TRANSPORT

BODY = "# 一、补助\n\n每户搬家补助费为3000元。"


def test_a_new_document_is_a_draft_and_not_published(store: DocumentStore) -> None:
    v = store.create("搬迁通知", BODY, actor="ed", doc_id="notice")
    assert (v.version, v.doc_id) == (1, "notice")
    view = store.get("notice")
    assert view.status == "draft" and view.published_version is None
    assert store.published_documents() == ([], [])


def test_an_invalid_text_is_refused_with_its_line(store: DocumentStore) -> None:
    with pytest.raises(DocumentError) as caught:
        store.create("t", "# 一\n\n正文。\n\n### 跳级\n\n正文。", actor="ed")
    assert caught.value.line == 5 and "level" in caught.value.message
    assert store.documents() == []


def test_edits_must_start_from_the_latest_version(store: DocumentStore) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    assert store.update("n", BODY + "\n\n补充。", base_version=1, actor="ed").version == 2
    with pytest.raises(StaleEdit) as caught:
        store.update("n", "# 一\n\n别的改动。", base_version=1, actor="other")
    assert caught.value.latest_version == 2
    assert [v.version for v in store.history("n")] == [2, 1]
    latest = store.get("n").latest
    assert latest is not None and "补充" in latest.content


def test_two_edits_racing_from_one_base_never_both_land(store: DocumentStore) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def edit(n: int) -> None:
        barrier.wait()
        try:
            store.update("n", f"# 一\n\n第{n}个人的改动。", base_version=1, actor=f"u{n}")
            outcomes.append("ok")
        except StaleEdit:
            outcomes.append("stale")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale", "stale", "stale"]
    assert store.get("n").version == 2


def test_publish_rollback_and_delete(store: DocumentStore) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    store.publish("n", actor="admin")
    store.update("n", BODY.replace("3000", "5000"), base_version=1, actor="ed")
    assert store.get("n").status == "changed"
    (doc,), _ = store.published_documents()
    assert "3000" in doc.paragraphs[0].text  # the draft is not what is served

    store.publish("n", actor="admin")
    (doc,), _ = store.published_documents()
    assert "5000" in doc.paragraphs[0].text

    rolled = store.rollback("n", 1, actor="admin")
    assert rolled.version == 3 and rolled.note == "回滚到第 1 版"
    (doc,), _ = store.published_documents()
    assert "3000" in doc.paragraphs[0].text and store.get("n").status == "published"

    store.delete("n", actor="admin")
    assert store.get("n").status == "deleted" and store.published_documents() == ([], [])
    assert len(store.history("n")) == 3  # the record stays

    store.rollback("n", 2, actor="admin")  # a retired document can be restored
    (doc,), _ = store.published_documents()
    assert "5000" in doc.paragraphs[0].text


def test_unknown_documents_and_versions(store: DocumentStore) -> None:
    with pytest.raises(UnknownDocument):
        store.publish("nope", actor="a")
    store.create("通知", BODY, actor="ed", doc_id="n")
    with pytest.raises(UnknownVersion):
        store.rollback("n", 7, actor="a")
    with pytest.raises(ValueError, match="exists"):
        store.create("通知", BODY, actor="ed", doc_id="n")
    with pytest.raises(ValueError, match="invalid"):
        store.create("通知", BODY, actor="ed", doc_id="../etc")


def test_the_diff_shows_what_changed(store: DocumentStore) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    store.update("n", BODY.replace("3000", "5000"), base_version=1, actor="ed")
    lines = store.diff("n", 1, 2)
    assert "-每户搬家补助费为3000元。" in lines and "+每户搬家补助费为5000元。" in lines


def test_every_change_is_in_the_audit_log(store: DocumentStore, database: Engine) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    store.publish("n", actor="boss")
    store.delete("n", actor="boss")
    entries = AuditLog(database).entries(doc_id="n")
    assert [(e.actor, e.action) for e in entries] == [
        ("boss", "delete"),
        ("boss", "publish"),
        ("ed", "create"),
    ]


def test_importing_the_same_file_twice_adds_no_version(store: DocumentStore) -> None:
    first = store.import_text("transport", TRANSPORT, actor="setup")
    again = store.import_text("transport", TRANSPORT, actor="setup")
    assert (first.action, again.action) == ("created", "unchanged")
    assert store.get("transport").status == "published"
    changed = store.import_text("transport", TRANSPORT.replace("京霸铁路", "京雄铁路"), actor="s")
    assert changed.action == "updated" and changed.version == 2


def test_a_staff_edit_survives_set_up_until_the_file_itself_changes(store: DocumentStore) -> None:
    store.import_text("transport", TRANSPORT, actor="setup", origin="sources")
    store.update("transport", "# 交通\n\n员工改过的正文。", base_version=1, actor="ed")
    store.publish("transport", actor="admin")
    store.import_text("transport", TRANSPORT, actor="setup", origin="sources")
    (doc,), _ = store.published_documents()
    assert doc.paragraphs[0].text == "员工改过的正文。"


def test_syncing_a_directory_imports_reports_and_retires(
    store: DocumentStore, tmp_path: Path
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "transport.md").write_text(TRANSPORT, encoding="utf-8")
    (sources / "ecology.md").write_text(ECOLOGY, encoding="utf-8")
    outcomes, errors = store.sync_directory(sources)
    assert sorted(o.action for o in outcomes) == ["created", "created"] and not errors

    (sources / "ecology.md").unlink()
    (sources / "broken.md").write_text("no front matter", encoding="utf-8")
    outcomes, errors = store.sync_directory(sources)
    assert [(o.doc_id, o.action) for o in outcomes if o.action != "unchanged"] == [
        ("ecology", "retired")
    ]
    assert len(errors) == 1 and errors[0].source.endswith("broken.md")
    assert [d.doc_id for d in store.published_documents()[0]] == ["transport"]


def test_export_writes_what_import_reads_back(
    store: DocumentStore, database: Engine, tmp_path: Path
) -> None:
    store.import_text("transport", TRANSPORT, actor="setup")
    store.create("草稿", BODY, actor="ed", doc_id="draft-only")
    (path,) = store.export(tmp_path / "out")
    assert path.name == "transport.md"
    other = DocumentStore(database)
    outcomes, errors = import_files(other, [path], actor="cli")
    assert not errors and outcomes[0].action == "updated"  # new source hash, same text
    assert other.get("transport").version == 1  # no new version for identical text


def test_set_up_does_not_bring_back_a_document_staff_retired(
    store: DocumentStore, tmp_path: Path
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "transport.md").write_text(TRANSPORT, encoding="utf-8")
    store.sync_directory(sources)
    store.delete("transport", actor="admin")
    outcomes, _ = store.sync_directory(sources)  # the next deployment's `make setup`
    assert [o.action for o in outcomes] == ["unchanged"]
    assert store.get("transport").status == "deleted"
    restored = store.import_text("transport", TRANSPORT, actor="cli")  # asked for explicitly
    assert restored.action == "updated" and store.get("transport").status == "published"


def test_publishing_a_version_other_than_the_reviewed_one_is_refused(
    store: DocumentStore,
) -> None:
    store.create("通知", BODY, actor="ed", doc_id="n")
    store.update("n", BODY.replace("3000", "9000"), base_version=1, actor="other")
    with pytest.raises(StaleEdit) as caught:
        store.publish("n", actor="admin", expected_version=1)  # reviewed v1, v2 is unseen
    assert caught.value.latest_version == 2 and store.get("n").published_version is None
    assert store.publish("n", actor="admin", expected_version=2).version == 2


def test_an_overlong_title_is_refused_not_cut(store: DocumentStore) -> None:
    with pytest.raises(DocumentError, match="longer than 300"):
        store.create("长" * 301, BODY, actor="ed")
