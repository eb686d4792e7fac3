"""The store's side of the documents page: the SQL listing, and who published each version."""

from __future__ import annotations

from docstore.listing import DocumentQuery
from docstore.store import DocumentStore

TEXT = "# 一\n\n正文。"
SOURCE = "---\ntitle: 交通规划\n---\n\n# 交通\n\n京霸铁路。\n"


def test_find_filters_in_the_database(store: DocumentStore) -> None:
    store.import_text("transport", SOURCE, actor="setup", origin="sources")
    store.create("搬迁补助通知", TEXT, actor="a", doc_id="notice")
    store.create("绿道规划", TEXT, actor="a", doc_id="green")
    store.publish("green", actor="a")
    store.update("green", TEXT + "\n\n更多。", base_version=1, actor="a")
    store.create("旧通知", TEXT, actor="a", doc_id="old")
    store.delete("old", actor="a")

    assert [v.doc_id for v in store.find(DocumentQuery())] == [v.doc_id for v in store.documents()]
    assert [v.status for v in store.find(DocumentQuery(sort="status"))] == [
        "draft",
        "changed",
        "published",
        "deleted",
    ]
    assert [v.doc_id for v in store.find(DocumentQuery(text="通知"))] == ["notice", "old"]
    assert [v.doc_id for v in store.find(DocumentQuery(statuses=("deleted",)))] == ["old"]
    found = store.find(DocumentQuery(text="绿道"))
    assert found[0].title == "绿道规划" and found[0].version == 2  # the latest version's


def test_publish_rollback_and_import_record_who_published(store: DocumentStore) -> None:
    store.import_text("transport", SOURCE, actor="setup", origin="sources")
    (imported,) = store.history("transport")
    assert imported.published_by == "setup" and imported.published_at is not None

    store.create("通知", TEXT, actor="editor", doc_id="n")
    assert store.history("n")[0].published_at is None  # a draft
    store.publish("n", actor="admin", note="  首次发布  ")
    store.update("n", TEXT + "\n\n补充。", base_version=1, actor="editor")
    store.publish("n", actor="admin")
    rolled = store.rollback("n", 1, actor="admin")
    assert rolled.published_by == "admin" and rolled.publish_note is None
    v3, v2, v1 = store.history("n")
    assert v1.publish_note == "首次发布" and v2.publish_note is None
    assert v3.version == 3 and v3.published_by == "admin"
