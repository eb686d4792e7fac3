"""What the index page shows of a skipped document: Chinese, and no server path."""

from __future__ import annotations

from docstore.indexing import _for_staff
from knowledge.documents import DocumentError


def test_a_skipped_document_is_shown_in_chinese_without_the_path() -> None:
    error = DocumentError(
        "/srv/planbot/knowledge/sources/plan.md", 7, "heading level 3 follows level 1"
    )
    shown = _for_staff(error)
    assert shown.startswith("plan.md 第 7 行：")
    assert "/srv" not in shown and "heading" not in shown
    assert "标题层级从 1 级跳到 3 级" in shown
