"""Uploads: each accepted format converts to a valid stored form; every bad file is refused
with UploadRejected and a message staff can act on."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docstore.markdown import parse
from docstore.uploads import ConvertedUpload, UploadRejected, convert_upload

PLAN_TEXT = """第四章 推进京津冀协同发展，建设区域协同前沿区
深入贯彻国家和北京市关于推进京津冀协同发展的战略部署，建设区域协同前沿区。
一、全力推动功能承接和疏解
有序疏解非首都功能是落实城市战略定位的基础。
（一）积极承接中心城功能
落实全市工作部署，积极对接和承接中心城区优质资源。
1. 承接公共服务功能，加快建设重点医院。
（二）加快疏解非首都功能
按照依法合规的原则，加快疏解非首都功能。
二、加快推进产业对接协作
立足新区产业定位，促进产业协同发展。
"""


def _valid(upload: ConvertedUpload) -> None:
    """What the store will do with it must succeed."""
    parse("upload", upload.title or "未命名", upload.content, upload.metadata)


def _docx_bytes(path: Path, build: object) -> bytes:
    document = docx.Document()
    assert callable(build)
    build(document)
    target = path / "upload.docx"
    document.save(str(target))
    return target.read_bytes()


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_with_front_matter() -> None:
    text = (
        "---\ntitle: 第四章 推进京津冀协同发展\nissuer: 大兴区人民政府\n---\n\n"
        "# 第四章 推进京津冀协同发展 {#ch4}\n\n深入贯彻国家战略部署。\n\n"
        "## 一、功能承接\n\n有序疏解。\n"
    )
    upload = convert_upload("plan.md", text.encode("utf-8"))
    assert upload.title == "第四章 推进京津冀协同发展"
    assert upload.metadata == {"issuer": "大兴区人民政府", "source": "plan.md"}
    assert upload.content.startswith("# 第四章 推进京津冀协同发展 {#ch4}")
    assert not upload.content.startswith("---")
    assert upload.encoding == "utf-8"
    assert upload.warnings == ()
    _valid(upload)


def test_markdown_sole_h1_becomes_title_and_stays_in_body() -> None:
    text = (
        "\ufeff# 第五章 建设生态宜居新区\r\n\r\n加强生态建设。\r\n\r\n## 一、绿化\r\n\r\n植树。\r\n"
    )
    upload = convert_upload("C:\\fakepath\\Chapter5.MARKDOWN", text.encode("utf-8"))
    assert upload.title == "第五章 建设生态宜居新区"
    assert upload.content.startswith("# 第五章 建设生态宜居新区\n\n加强生态建设。")
    assert "\r" not in upload.content
    assert upload.metadata["source"] == "Chapter5.MARKDOWN"
    assert upload.encoding == "utf-8-sig"
    _valid(upload)


def test_markdown_two_h1_gives_no_title() -> None:
    text = "# 第一章\n\n正文。\n\n# 第二章\n\n正文。\n"
    assert convert_upload("a.md", text.encode()).title == ""


def test_markdown_level_skip_is_rejected_with_file_line() -> None:
    text = "---\ntitle: 测试\n---\n\n# 第一章\n\n正文。\n\n### （一）跳级\n\n正文。\n"
    with pytest.raises(UploadRejected) as info:
        convert_upload("skip.md", text.encode("utf-8"))
    assert info.value.line == 9  # the line in the uploaded file
    assert info.value.message.startswith("第 9 行：")
    assert "1 级跳到 3 级" in info.value.message


def test_markdown_first_heading_not_level_one() -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("x.md", "\n\n## 一、总体要求\n\n正文。\n".encode())
    assert info.value.line == 3
    assert "应从 1 级" in info.value.message


def test_markdown_unclosed_front_matter() -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("x.md", b"---\ntitle: x\n\nbody\n")
    assert info.value.line == 1
    assert "front matter" in info.value.message


@pytest.mark.parametrize(
    "front", ["title: [unclosed", "- a\n- b", "n: " + "1" * 5000, "a: " + "[" * 1000 + "]" * 1000]
)
def test_markdown_bad_front_matter(front: str) -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("x.md", f"---\n{front}\n---\n\n正文。\n".encode())
    assert "front matter" in info.value.message


def test_markdown_without_body_text() -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("x.md", "---\ntitle: 空\n---\n\n# 只有标题\n".encode())
    assert "没有正文" in info.value.message
    assert info.value.line is None


# --- plain text ------------------------------------------------------------------------------


def test_txt_outline_conversion() -> None:
    upload = convert_upload("plan.txt", PLAN_TEXT.encode("utf-8"))
    lines = upload.content.split("\n")
    assert "# 第四章 推进京津冀协同发展，建设区域协同前沿区" in lines
    assert "## 一、全力推动功能承接和疏解" in lines
    assert "### （一）积极承接中心城功能" in lines
    assert "## 二、加快推进产业对接协作" in lines
    assert "1. 承接公共服务功能，加快建设重点医院。" in lines  # a list item, not a heading
    assert "\n\n深入贯彻国家" in upload.content  # each line is its own paragraph
    assert upload.title == "第四章 推进京津冀协同发展，建设区域协同前沿区"
    assert any("5 行" in w for w in upload.warnings)
    document = parse("upload", upload.title, upload.content, upload.metadata)
    assert document.paragraphs[2].section_path == (
        "第四章 推进京津冀协同发展，建设区域协同前沿区",
        "一、全力推动功能承接和疏解",
        "（一）积极承接中心城功能",
    )


def test_txt_levels_are_relative_to_what_is_present() -> None:
    text = (
        "一、总体要求\n坚持新发展理念。\n（一）指导思想\n全面贯彻。\n"
        "二、主要目标\n到2020年全面建成小康社会。\n"
    )
    upload = convert_upload("a.txt", text.encode("utf-8"))
    assert "# 一、总体要求" in upload.content.split("\n")
    assert "## （一）指导思想" in upload.content.split("\n")
    assert upload.title == ""  # two level-1 headings: no title guessed
    assert not any("层级" in w for w in upload.warnings)  # ranks renumbered, nothing skipped
    _valid(upload)


def test_txt_skipped_outline_rank_is_fixed_and_reported() -> None:
    text = "第一章 总则\n正文。\n一、目标\n正文。\n第二章 任务\n正文。\n（一）创新\n正文。\n"
    upload = convert_upload("a.txt", text.encode("utf-8"))
    assert "## （一）创新" in upload.content.split("\n")  # directly under 第二章
    assert any("层级" in w for w in upload.warnings)
    _valid(upload)


def test_txt_sentences_and_toc_lines_stay_paragraphs() -> None:
    text = (
        "一、主要任务如下：\n"
        "（一）坚持创新发展。推动科技创新\n"
        "二、" + "很长的一行" * 10 + "\n"
        "第一章 总则……………1\n"
        "一、总体要求  3\n"
        "1、承接公共服务功能\n"
    )
    upload = convert_upload("a.txt", text.encode("utf-8"))
    assert not any(line.startswith("#") for line in upload.content.split("\n"))
    assert upload.warnings == ()
    assert len(parse("upload", "x", upload.content).paragraphs) == 6


def test_txt_with_markdown_headings_is_markdown() -> None:
    upload = convert_upload("a.txt", "# 第一章\n\n正文。\n".encode())
    assert upload.content == "# 第一章\n\n正文。"
    assert any("Markdown" in w for w in upload.warnings)


def test_txt_with_front_matter_is_markdown() -> None:
    text = "---\ntitle: 标题\n---\n\n# 第一章\n\n正文。\n"
    upload = convert_upload("source.TXT", text.encode())
    assert upload.title == "标题"
    assert upload.content == "# 第一章\n\n正文。"


def test_txt_comment_start_is_made_literal() -> None:
    upload = convert_upload("a.txt", "<!-- 不是注释\n正文。\n".encode())
    assert upload.content.startswith("＜!-- 不是注释")
    document = parse("upload", "x", upload.content)
    assert len(document.paragraphs) == 2


def test_gb18030_text() -> None:
    upload = convert_upload("gb.txt", PLAN_TEXT.replace("\n", "\r\n").encode("gb18030"))
    assert upload.encoding == "gb18030"
    assert "## 一、全力推动功能承接和疏解" in upload.content
    assert "\r" not in upload.content


def test_gb18030_rare_characters_still_gb18030() -> None:
    upload = convert_upload("gb.txt", "大兴区礼贤镇，喆堃。\n".encode("gb18030"))
    assert upload.encoding == "gb18030"
    assert upload.content == "大兴区礼贤镇，喆堃。"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text(codec: str) -> None:
    bom = "\ufeff".encode(codec)
    upload = convert_upload("u.txt", bom + PLAN_TEXT.encode(codec))
    assert upload.encoding == "utf-16"
    assert "### （一）积极承接中心城功能" in upload.content
    assert "\ufeff" not in upload.content


def test_utf8_sig_text() -> None:
    upload = convert_upload("u.md", "\ufeff# 标题\n\n正文。\n".encode())
    assert upload.encoding == "utf-8-sig"
    assert upload.title == "标题"


def test_big5_text() -> None:
    text = "第一章 總則\n大興區發展規劃，推進京津冀協同發展。\n一、總體要求\n堅持創新發展。\n"
    upload = convert_upload("big5.txt", text.encode("big5"))
    assert upload.encoding == "big5"
    assert "# 第一章 總則" in upload.content
    assert "大興區發展規劃" in upload.content


def test_short_big5_text() -> None:
    upload = convert_upload("big5.txt", "大興區".encode("big5"))
    assert (upload.encoding, upload.content) == ("big5", "大興區")


def test_broken_utf8_names_the_line() -> None:
    data = ("第一行。\n" * 200).encode() + b"\xe4\xb8\n" + "结尾。\n".encode()
    with pytest.raises(UploadRejected) as info:
        convert_upload("a.txt", data)
    assert info.value.line == 201
    assert "UTF-8" in info.value.message


def test_control_characters_rejected() -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload("a.txt", "正文\n第二行\x07\n".encode())
    assert info.value.line == 2


# --- Word ------------------------------------------------------------------------------------


def _build_plan(document: docx.document.Document) -> None:
    document.core_properties.title = "旧模板标题"
    document.add_paragraph("大兴区十三五规划纲要", style="Title")
    document.add_paragraph("第四章 推进京津冀协同发展", style="Heading 1")
    document.add_paragraph("深入贯彻国家和北京市的战略部署。")
    document.add_paragraph("")  # empty paragraphs are dropped
    document.add_paragraph("一、全力推动功能承接和疏解", style="Heading 2")
    run_paragraph = document.add_paragraph("有序疏解")
    run_paragraph.add_run("非首都功能").bold = True
    document.add_paragraph("承接公共服务功能", style="List Bullet")
    document.add_paragraph("承接优质产业功能", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows, [("项目", "地点", "年份"), ("北京大兴国际机场", "榆垡", "2019")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("（一）积极承接中心城功能", style="Heading 4")  # skips level 3
    document.add_paragraph("落实全市工作部署。")


def test_docx_happy_path(tmp_path: Path) -> None:
    upload = convert_upload("Plan.DOCX", _docx_bytes(tmp_path, _build_plan))
    assert upload.encoding == "docx"
    assert upload.title == "大兴区十三五规划纲要"
    assert upload.metadata == {"source": "Plan.DOCX"}
    lines = upload.content.split("\n")
    assert lines[0] == "# 第四章 推进京津冀协同发展"
    assert "## 一、全力推动功能承接和疏解" in lines
    assert "### （一）积极承接中心城功能" in lines  # Heading 4 after Heading 2 → level 3
    assert "有序疏解非首都功能" in lines  # run formatting ignored
    assert "- 承接公共服务功能" in lines
    assert "- 承接优质产业功能" in lines
    assert "| 项目 | 地点 | 年份 |" in lines
    assert "| 北京大兴国际机场 | 榆垡 | 2019 |" in lines
    assert "\n\n\n" not in upload.content
    assert any("表格" in w and "2 行" in w for w in upload.warnings)
    assert any("层级" in w for w in upload.warnings)
    _valid(upload)
    # The table's row reads with each cell under its column's header.
    document = parse("upload", upload.title, upload.content, upload.metadata)
    row = "项目：北京大兴国际机场，地点：榆垡，年份：2019。"
    assert row in [p.text for p in document.paragraphs]


def test_docx_chinese_style_names_and_core_title(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        document.core_properties.title = "属性中的标题"
        h1 = document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
        custom = document.styles.add_style("章节小标题", WD_STYLE_TYPE.PARAGRAPH)
        properties = custom.element.get_or_add_pPr()
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "1")
        properties.append(outline)
        document.add_paragraph("第一章 总则", style=h1)
        document.add_paragraph("正文。")
        document.add_paragraph("第二章 目标", style=h1)
        document.add_paragraph("一、发展目标", style=custom)
        document.add_paragraph("正文。")

    upload = convert_upload("a.docx", _docx_bytes(tmp_path, build))
    assert upload.content.split("\n\n") == [
        "# 第一章 总则",
        "正文。",
        "# 第二章 目标",
        "## 一、发展目标",
        "正文。",
    ]
    assert upload.title == "属性中的标题"  # two H1s, no Title style: document properties
    _valid(upload)


def test_docx_without_heading_styles_uses_outline_numbering(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        for line in PLAN_TEXT.strip().split("\n"):
            document.add_paragraph(line)
        document.add_paragraph("# 井号开头的正文")

    upload = convert_upload("a.docx", _docx_bytes(tmp_path, build))
    assert "### （一）积极承接中心城功能" in upload.content.split("\n")
    assert "＃ 井号开头的正文" in upload.content.split("\n")
    assert upload.title == "第四章 推进京津冀协同发展，建设区域协同前沿区"
    _valid(upload)


def test_docx_only_title_is_rejected(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        document.add_paragraph("只有标题", style="Title")

    with pytest.raises(UploadRejected, match="没有正文"):
        convert_upload("a.docx", _docx_bytes(tmp_path, build))


def test_docx_corrupt(tmp_path: Path) -> None:
    data = _docx_bytes(tmp_path, lambda d: d.add_paragraph("正文"))
    for broken in (data[: len(data) // 2], data[:100], b"PK\x03\x04" + b"x" * 100):
        with pytest.raises(UploadRejected, match="docx"):
            convert_upload("a.docx", broken)


def test_docx_zip_without_document_xml() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UploadRejected, match="docx"):
        convert_upload("a.docx", buffer.getvalue())


def test_docx_with_invalid_xml() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<not xml")
    with pytest.raises(UploadRejected, match="docx"):
        convert_upload("a.docx", buffer.getvalue())


def test_docx_zip_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<" + " " * 40_000_000)
    with pytest.raises(UploadRejected, match="解压后过大"):
        convert_upload("a.docx", buffer.getvalue())


def test_text_renamed_docx_and_legacy_doc() -> None:
    with pytest.raises(UploadRejected, match="docx"):
        convert_upload("a.docx", "正文".encode())
    with pytest.raises(UploadRejected, match="另存为"):
        convert_upload("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.pdf", "a.doc", "a.exe", "noextension", "a.md.zip", ""])
def test_unknown_extension(name: str) -> None:
    with pytest.raises(UploadRejected) as info:
        convert_upload(name, "正文".encode())
    assert ".docx" in info.value.message and ".txt" in info.value.message
    assert info.value.line is None


def test_empty_file() -> None:
    with pytest.raises(UploadRejected, match="空"):
        convert_upload("a.txt", b"")


def test_whitespace_only_file() -> None:
    with pytest.raises(UploadRejected, match="没有正文"):
        convert_upload("a.txt", "\n \r\n\u3000\n".encode())


def test_over_size() -> None:
    with pytest.raises(UploadRejected, match="1 MB"):
        convert_upload("a.txt", b"a" * 1_000_001)
    with pytest.raises(UploadRejected, match="2 KB"):
        convert_upload("a.md", b"a" * 2001, max_bytes=2000)


def test_binary_file_is_not_text() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(UploadRejected, match="不是文本"):
        convert_upload("image.txt", png)


def test_docx_named_md() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(UploadRejected, match=r"\.docx"):
        convert_upload("a.md", buffer.getvalue())


def test_huge_line() -> None:
    upload = convert_upload("a.txt", ("规划" * 150_000).encode())
    assert len(upload.content) == 300_000
    # markup characters only: the parser's emphasis pattern must not make this slow (just
    # under the 500,000 characters a document may have)
    _valid(convert_upload("a.md", b"*_`" * 165_000))


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.docx"])
def test_random_bytes_only_ever_upload_rejected(name: str) -> None:
    rng = random.Random(20240501)
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(150)]
    # Random bytes without NULs or C0 controls get past the first checks to the codecs.
    samples += [
        bytes(rng.choice(range(0x20, 0x100)) for _ in range(rng.randrange(1, 400)))
        for _ in range(150)
    ]
    samples += [b"PK\x03\x04" + sample for sample in samples[:30]]
    for data in samples:
        try:
            upload = convert_upload(name, data)
        except UploadRejected as exc:
            assert exc.message
        else:
            _valid(upload)
