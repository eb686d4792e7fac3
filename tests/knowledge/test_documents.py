from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.documents import DocumentError, load_directory, parse_document
from tests.conftest import SHARED, skip_or_fail

SEED = SHARED / "seed"

PLAN = Path(__file__).resolve().parents[2] / "knowledge" / "sources"


def test_heading_paths_and_anchors(documents):
    doc = documents[0]
    assert doc.title == "交通规划"
    assert doc.metadata["issuer"] == ""
    first = doc.paragraphs[0]
    assert first.section_path == ("第一章 交通", "一、铁路")
    assert first.section_anchor == "rail"
    assert doc.paragraphs[1].section_path == ("第一章 交通", "二、公路")


def test_heading_without_anchor_gets_one_that_survives_edits_elsewhere():
    a = parse_document("---\ntitle: T\n---\n# 标题\n正文。\n", "d").headings[0].anchor
    edited = "---\ntitle: T2\n---\n# 前言\n新的一段。\n# 标题\n改过的正文。\n"
    b = parse_document(edited, "d").headings[1].anchor
    assert a == b and a.startswith("h-")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("no front matter\n", 1, "front matter"),
        ("---\ntitle: x\n", 1, "not closed"),
        ("---\nissuer: x\n---\n正文\n", 2, "title"),
        ("---\ntitle: [unclosed\n---\n正文\n", 2, "YAML"),
        ("---\ntitle: x\n---\n# 一\n### 三\n正文\n", 5, "heading level 3"),
        ("---\ntitle: x\n---\n# 标题\n", 4, "no body"),
    ],
)
def test_broken_documents_name_the_line(text, line, fragment):
    with pytest.raises(DocumentError) as info:
        parse_document(text, "bad", source="bad.md")
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"bad.md:{line}:")


def test_a_broken_document_does_not_stop_the_others(sources_dir):
    (sources_dir / "broken.md").write_text("---\ntitle: [x\n---\n正文\n", encoding="utf-8")
    (sources_dir / "latin1.md").write_bytes("---\ntitle: é\n---\nà\n".encode("latin-1"))
    report = load_directory(sources_dir)
    assert sorted(d.doc_id for d in report.documents) == ["ecology", "transport"]
    assert sorted(Path(e.source).name for e in report.errors) == ["broken.md", "latin1.md"]


def test_plan_chapter_is_parsed_with_its_hierarchy():
    report = load_directory(PLAN)
    assert not report.errors
    doc = next(d for d in report.documents if d.doc_id == "plan-chapter-4")
    assert doc.title.startswith("第四章")
    depths = {len(p.section_path) for p in doc.paragraphs}
    assert depths == {1, 2, 3}
    assert all(h.anchor.startswith("_Toc") for h in doc.headings)
    # Unknown metadata is left empty for staff, never invented.
    assert doc.metadata.get("issuer", "") == ""
    assert doc.metadata.get("published", "") == ""


def test_plan_chapter_text_is_verbatim_from_the_seed():
    if not SEED.exists():
        skip_or_fail(f"no seed at {SEED}")
    doc = next(d for d in load_directory(PLAN).documents if d.doc_id == "plan-chapter-4")
    seed_lines = []
    for path in SEED.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("[bookmark:"):
                seed_lines.append(line.strip())
    assert [p.text for p in doc.paragraphs] == seed_lines
    headings = [h.title for h in doc.headings]
    for path in SEED.glob("*.txt"):
        marked = [
            line.split("]", 1)[1].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("[bookmark:")
        ]
        assert headings == marked


def test_markdown_paragraphs_lists_and_markup() -> None:
    text = (
        "\ufeff---\r\ntitle: T\r\n---\r\n# 标题\r\n"
        "第一段的前半句，\r\n接着是后半句。\r\n\r\n"
        "- 第一项**重点**内容。\r\n- 第二项内容。\r\n\r\n"
        "> 引用的一段话。\r\n<!-- 编辑备注，\r\n不是正文 -->\r\n"
        "English words\r\nstay apart.\r\n"
    )
    doc = parse_document(text, "d")
    assert [p.text for p in doc.paragraphs] == [
        "第一段的前半句，接着是后半句。",
        "第一项重点内容。",
        "第二项内容。",
        "引用的一段话。English words stay apart.",
    ]
    assert [p.line for p in doc.paragraphs] == [5, 8, 9, 11]


def test_line_numbers_do_not_drift_on_unusual_line_breaks() -> None:
    text = "---\ntitle: T\n---\n# 一\n正文\u2028仍是同一行。\n# 二\n### 三\n"
    with pytest.raises(DocumentError) as info:
        parse_document(text, "d")
    assert info.value.line == 7


def test_an_unreadable_file_is_reported_not_fatal(sources_dir: Path) -> None:
    (sources_dir / "dir.md").mkdir()
    report = load_directory(sources_dir)
    assert len(report.documents) == 2
    assert [Path(e.source).name for e in report.errors] == ["dir.md"]


def test_repeated_headings_get_numbered_anchors_in_linear_time() -> None:
    """An editor's draft of thousands of identical headings is parsed in one pass (the
    numbering once counted up from 2 for every heading: quadratic, 40 s for 20,000)."""
    body = "# 标题\n\n" + "".join("## 同名\n\n正文。\n\n" for _ in range(20_000))
    document = parse_document("---\ntitle: 重复\n---\n\n" + body, "repeated")
    anchors = [h.anchor for h in document.headings[1:4]]
    assert anchors[1:] == [anchors[0] + "-2", anchors[0] + "-3"]
    assert len({h.anchor for h in document.headings}) == 20_001


def test_a_numbered_line_over_paragraphs_is_a_sub_heading_and_one_over_items_is_not() -> None:
    """（二）电工培训班 alone between blank lines, over its paragraphs of time and place, is a
    heading of its own; （一）身份证原件 followed by （二）… is a list item."""
    text = (
        "---\ntitle: 培训招生通知\n---\n\n# 培训招生通知\n\n开班。\n\n## 一、培训班次\n\n"
        "（一）育婴员培训班\n\n培训地点：社区服务中心三楼。\n\n"
        "（二）电工培训班\n\n培训地点：职业学校实训楼。\n\n"
        "## 二、报名材料\n\n（一）身份证原件\n\n（二）户口簿\n"
    )
    doc = parse_document(text, "training")
    paths = {p.text: p.section_path for p in doc.paragraphs}
    assert paths["培训地点：职业学校实训楼。"][1:] == ("一、培训班次", "（二）电工培训班")
    assert paths["（一）身份证原件"][1:] == ("二、报名材料",)
    assert "（一）育婴员培训班" not in paths


def test_a_table_reads_row_by_row_each_cell_under_its_column_header() -> None:
    """A pipe table is one paragraph per row, each cell named by its column's header, so a row
    says which date is which community's; the header and delimiter rows are no text."""
    text = (
        "---\ntitle: T\n---\n# 服务日\n活动安排如下：\n\n"
        "| 日期 | 社区 | 服务地点 |\n| --- | :---: | --- |\n"
        "| 5月8日（星期六） | 车站北里社区 | 车站北里8号楼前小广场 |\n"
        "| 5月29日（星期六） | **新居里社区** | |\n\n遇雨顺延。\n"
    )
    paragraphs = [p.text for p in parse_document(text, "d").paragraphs]
    assert paragraphs == [
        "活动安排如下：",
        "日期：5月8日（星期六），社区：车站北里社区，服务地点：车站北里8号楼前小广场。",
        "日期：5月29日（星期六），社区：新居里社区。",
        "遇雨顺延。",
    ]
    # A line of pipes without a delimiter row under it is text as written.
    plain = "---\ntitle: T\n---\n# 标题\n| 不是表格 |\n"
    assert parse_document(plain, "d").paragraphs[0].text == "| 不是表格 |"
