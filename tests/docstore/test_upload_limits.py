"""Uploads built to exhaust the converter are refused quickly, with a message staff can read.

Each case is one of the security review's findings (issue 14, H1): a YAML alias bomb in the
front matter, a zip member that inflates far beyond what it declares, dense .docx files
whose XML is huge for their size, text beyond what a document may hold, and Word structures
that made python-docx quadratic. The time bounds are hang guards only (the old code took
from 5 s to minutes on these); the assertions are about the refusal.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import IO

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

from docstore.markdown import MAX_CONTENT_CHARS
from docstore.uploads import UploadRejected, convert_upload
from tests.docstore.bombs import (
    SKELETON,
    TEXT_PARAGRAPH,
    W,
    alias_bomb,
    body_of,
    docx_with,
    hang_guard,
    lying_docx,
)

UPLOAD_MAX = 2_000_000  # the service's default upload limit


# --- YAML front matter ------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [6, 7])
@pytest.mark.parametrize("name", ["bomb.md", "bomb.txt"])
def test_front_matter_alias_bomb_is_refused(levels: int, name: str) -> None:
    data = alias_bomb(levels)
    assert len(data) < 400  # the review's files were 336 and 382 bytes
    with hang_guard(), pytest.raises(UploadRejected) as info:
        convert_upload(name, data)
    assert "锚点或别名" in info.value.message
    assert info.value.line == 3  # the first anchor


@pytest.mark.parametrize(
    ("front", "fragment"),
    [
        ("title: 规划\nissuer: &who 区政府\nsource: *who", "锚点或别名"),
        ("title: 规划\ntags: [交通, 生态]", "“tags”只能是一个值"),
        ("title: 规划\nissuer:\n  name: 区政府", "“issuer”只能是一个值"),
        ("title: 规划\n<<: {issuer: 区政府}", "“<<”只能是一个值"),
        ("title: !!binary 5a6J5YWo", "标签"),
        ("title: 规划\nn: !!python/name:os.system", "标签"),
        ("title: 规划\nnote: " + "长" * 20_000, "过长"),
    ],
    ids=["anchor-alias", "list", "mapping", "merge-key", "binary-tag", "python-tag", "too-long"],
)
def test_front_matter_takes_only_plain_values(front: str, fragment: str) -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("a.md", f"---\n{front}\n---\n\n正文。\n".encode())
    assert fragment in info.value.message
    assert "front matter" in info.value.message


def test_plain_front_matter_values_still_read_as_before() -> None:
    front = 'title: "第四章：协同发展"\nissuer:\npublished: 2016-03-01\nyear: 2035\nok: true'
    upload = convert_upload("a.md", f"---\n{front}\n---\n\n正文。\n".encode())
    assert upload.title == "第四章：协同发展"
    assert upload.metadata == {
        "issuer": "",
        "published": "2016-03-01",
        "year": "2035",
        "ok": "True",
        "source": "a.md",
    }


# --- zip members ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lying() -> bytes:
    data = lying_docx()
    assert len(data) < UPLOAD_MAX
    return data


def test_a_member_that_inflates_beyond_its_declared_size_is_never_held_whole(
    lying: bytes,
) -> None:
    tracemalloc.start()
    try:
        with hang_guard(), pytest.raises(UploadRejected, match="docx"):
            convert_upload("lying.docx", lying, max_bytes=UPLOAD_MAX)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20  # the old reader allocated all 600 MB before checking the CRC


def test_declared_sizes_beyond_the_expansion_cap_are_refused_before_parsing() -> None:
    """Sizes declared honestly but beyond 30x the upload limit (as before this change)."""
    data = docx_with({"word/document.xml": body_of(b"<w:p/>", 2_000_000)})
    with hang_guard(), pytest.raises(UploadRejected, match="解压后过大"):
        convert_upload("a.docx", data, max_bytes=len(data) + 1000)


def _rewritten(data: bytes, compression: int, password_flag: bool = False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info), compress_type=compression)
    out = bytearray(buffer.getvalue())
    if password_flag:  # set the "encrypted" bit of every entry
        at = out.find(b"PK\x01\x02")
        while at >= 0:
            struct.pack_into("<H", out, at + 8, struct.unpack_from("<H", out, at + 8)[0] | 1)
            at = out.find(b"PK\x01\x02", at + 1)
    return bytes(out)


def test_only_what_word_writes_is_read() -> None:
    with pytest.raises(UploadRejected, match="docx"):
        convert_upload("a.docx", _rewritten(SKELETON, zipfile.ZIP_BZIP2))
    with pytest.raises(UploadRejected, match="密码"):
        convert_upload("a.docx", _rewritten(SKELETON, zipfile.ZIP_DEFLATED, password_flag=True))
    source = zipfile.ZipFile(io.BytesIO(SKELETON))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        for n in range(1200):
            archive.writestr(f"extra/item{n}.xml", "<a/>")
    with pytest.raises(UploadRejected, match="部件过多"):
        convert_upload("a.docx", buffer.getvalue())


# --- dense Word files -------------------------------------------------------------------------


def test_a_small_docx_of_hundreds_of_thousands_of_paragraphs_is_refused() -> None:
    data = docx_with({"word/document.xml": body_of(TEXT_PARAGRAPH, 400_000)})
    assert len(data) < 100_000
    with hang_guard(), pytest.raises(UploadRejected, match="元素"):
        convert_upload("dense.docx", data, max_bytes=UPLOAD_MAX)


def test_a_docx_inside_the_expansion_cap_is_refused_by_its_element_count() -> None:
    """About 150 KB that inflates to some 50 MB: within 30x the upload limit (old: 120 s)."""
    data = docx_with({"word/document.xml": body_of(TEXT_PARAGRAPH, 1_200_000)})
    assert len(data) < 200_000
    with hang_guard(), pytest.raises(UploadRejected, match="元素"):
        convert_upload("dense.docx", data, max_bytes=UPLOAD_MAX)


def test_converted_text_beyond_the_document_limit_is_refused() -> None:
    paragraph = f"<w:p><w:r><w:t>{'规划' * 5}</w:t></w:r></w:p>".encode()
    data = docx_with({"word/document.xml": body_of(paragraph, 60_000)})  # 600,000 characters
    with hang_guard(), pytest.raises(UploadRejected, match=f"{MAX_CONTENT_CHARS} 字"):
        convert_upload("long.docx", data, max_bytes=UPLOAD_MAX)
    text = ("规划纲要。" * 20 + "\n") * 6_000
    with pytest.raises(UploadRejected, match=f"{MAX_CONTENT_CHARS} 字"):
        convert_upload("long.txt", text.encode(), max_bytes=UPLOAD_MAX)
    with pytest.raises(UploadRejected, match=f"{MAX_CONTENT_CHARS} 字"):
        convert_upload("long.md", ("# 规划\n\n" + text).encode(), max_bytes=UPLOAD_MAX)


def test_many_paragraphs_and_many_styles_convert_without_quadratic_lookups() -> None:
    """python-docx scans every style for every paragraph's style (old: minutes here)."""
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{n}"><w:name w:val="样式{n}"/></w:style>'
        for n in range(20_000)
    )

    def styles_xml(member: IO[bytes]) -> None:
        member.write(f'<w:styles xmlns:w="{W}">{styles}</w:styles>'.encode())

    paragraph = '<w:p><w:pPr><w:pStyle w:val="missing"/></w:pPr><w:r><w:t>规划</w:t></w:r></w:p>'
    data = docx_with(
        {
            "word/styles.xml": styles_xml,
            "word/document.xml": body_of(paragraph.encode(), 20_000),
        }
    )
    with hang_guard():
        upload = convert_upload("styles.docx", data, max_bytes=UPLOAD_MAX)
    assert upload.content.count("规划") == 20_000


# --- tables -----------------------------------------------------------------------------------


def _table_docx(build: Callable[[Table], object]) -> bytes:
    document = docx.Document()
    document.add_paragraph("表格说明。")
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"格{r}{c}"
    build(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _reference_rows(data: bytes) -> list[str]:
    """Rows as python-docx's own ``row.cells`` gives them (how uploads read tables before)."""
    rows = []
    for table in docx.Document(io.BytesIO(data)).tables:
        for row in table.rows:
            cells, previous = [], None
            for cell in row.cells:
                if cell._tc is previous:
                    continue
                previous = cell._tc
                text = "".join(line.strip() for line in cell.text.split("\n"))
                if text:
                    cells.append(text)
            if cells:
                rows.append("；".join(cells))
    return rows


@pytest.mark.parametrize(
    "merge",
    [
        lambda t: t.cell(0, 0).merge(t.cell(0, 2)),  # across a row
        lambda t: t.cell(0, 1).merge(t.cell(3, 1)),  # down a column
        lambda t: t.cell(1, 0).merge(t.cell(2, 1)),  # a block
    ],
)
def test_merged_cells_read_as_python_docx_reads_them(merge: Callable[[Table], object]) -> None:
    data = _table_docx(merge)
    table = convert_upload("t.docx", data).content.split("\n\n")[1].split("\n")
    rows = [line.strip("| ").split(" | ") for line in table if not line.startswith("| ---")]
    assert ["；".join(cells) for cells in rows] == _reference_rows(data)


def test_a_cell_spanning_a_billion_columns_is_read_once() -> None:
    def span(table: Table) -> None:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "1000000000")
        table.cell(0, 0)._tc.get_or_add_tcPr().append(span)

    data = _table_docx(span)
    with hang_guard():
        content = convert_upload("t.docx", data).content
    assert content.count("格00") == 1
