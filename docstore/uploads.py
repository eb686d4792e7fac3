"""Turning a file staff upload into a draft document in the stored form.

Staff bring what they have: a Markdown source, a plain-text export of a government document
(often GB18030, one paragraph per line, outline numbering like ``第四章``/``一、``/``（一）``
instead of headings) or a Word file. :func:`convert_upload` turns each into the stored form —
title, metadata and a Markdown body — and validates it with the same parser the index uses, so
an upload that is accepted here will also save, publish and index.

Everything that is wrong with the input is reported as :class:`UploadRejected` with a Chinese
message staff can act on (and a line number where one helps); nothing else escapes, because the
caller shows the message as-is and must never turn a bad file into a server error.

Choices worth knowing:

* Markdown is taken as written: no level fixing, a level skip is an error with the line in the
  uploaded file, because staff wrote the headings on purpose and will fix them in their file.
* Converted formats (.txt, .docx) get their heading levels made contiguous, because there the
  levels are our guess (or Word's) and a skip is never what the author meant.
* A sole leading ``# `` heading becomes the title when there is none, but stays in the body:
  the knowledge sources keep the chapter heading in the body (``# 第四章 …`` under the title
  ``第四章 …``) so that every passage's citation path starts with its chapter.
* ``metadata["source"]`` is set to the uploaded file's name unless the file says otherwise,
  like the ``source:`` field of the existing knowledge sources. Nothing else is guessed
  (``published`` is not taken from a Word file's creation date).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from docstore.markdown import MAX_CONTENT_CHARS, parse, split
from knowledge.documents import Document, DocumentError
from knowledge.frontmatter import (
    ALIAS_MESSAGE,
    MAPPING_MESSAGE,
    MAX_FRONT_MATTER_CHARS,
    TAG_MESSAGE,
    TOO_LONG_MESSAGE,
)

log = logging.getLogger(__name__)

__all__ = ["ConvertedUpload", "UploadRejected", "convert_upload"]

_MARKDOWN_EXTENSIONS = frozenset({"md", "markdown"})
_TEXT_EXTENSIONS = frozenset({"txt"})
_DOCX_EXTENSIONS = frozenset({"docx"})
_ACCEPTED = "只支持 Markdown（.md、.markdown）、纯文本（.txt）和 Word（.docx）文件"

# Formats staff are likely to try, with what to do instead.
_HINTS = {
    "doc": "旧版 Word 文件（.doc）无法直接导入，请在 Word 中“另存为”.docx 后再上传",
    "wps": "WPS 文件（.wps）无法直接导入，请在 WPS 中“另存为”.docx 后再上传",
    "pdf": "PDF 文件无法直接导入，请将文字复制到 Word 或文本文件后再上传",
}

# A .docx is a zip archive; its parts may be far larger than the upload. This bounds the memory
# python-docx needs for a small archive that expands enormously (a "zip bomb"): the sizes the
# archive declares, and the bytes its members really inflate to, counted as they are read.
_MAX_EXPANSION = 30
# Word writes a few dozen parts; a thousand is far beyond any real document.
_MAX_ZIP_MEMBERS = 1000
# Members are inflated this much at a time: zipfile inflates a whole member in one call when
# asked for all of it, before it compares the size and CRC the archive declared.
_READ_CHUNK = 64 * 1024
# XML elements in all members together. python-docx builds and walks every one of them (a
# paragraph of text costs about 40 µs here); a formatted page of a plan has a few hundred, so
# this allows some 600 pages, about the length a document may have anyway. A 70 KB archive of
# hundreds of thousands of one-word paragraphs would otherwise keep a worker busy for minutes.
_MAX_XML_ELEMENTS = 300_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.wps

# C0 controls other than tab/newline/carriage return, DEL and C1 controls: a text file does not
# contain them, and text decoded with the wrong codec often does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# Unicode blocks found in Chinese government text: ASCII, Latin-1 and pinyin letters, Greek and
# Cyrillic (both in GB2312), general punctuation to miscellaneous symbols (①, ■, →, Ⅳ, ℃),
# CJK punctuation, kana and bopomofo, enclosed CJK, CJK ideographs, CJK compatibility forms and
# full-width forms. Text decoded with the wrong codec lands outside them.
_COMMON_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x4FF),
    (0x2000, 0x2BFF),
    (0x3000, 0x33FF),
    (0x4E00, 0x9FFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)

# The knowledge parser's own reading of a heading line and of a comment start (kept in step with
# knowledge.documents); plain text that starts like this must not become markup by accident.
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_MD_COMMENT = "<!--"

_NUMERAL = r"[一二三四五六七八九十百零〇两\d]{1,6}"
# Chinese official outline numbering, outermost first. The rank is only an order: levels are
# assigned from the ranks that actually occur (see _contiguous_levels).
_OUTLINE = (
    re.compile(rf"^第{_NUMERAL}(?:编|篇|部分)"),
    re.compile(rf"^第{_NUMERAL}章"),
    re.compile(rf"^第{_NUMERAL}节"),
    re.compile(r"^[一二三四五六七八九十百零〇]{1,4}、"),
    re.compile(r"^[（(][一二三四五六七八九十百零〇]{1,4}[）)]"),
)
_OUTLINE_MAX_CHARS = 40
# A heading is a title, not a sentence: no full stop anywhere, no clause punctuation at the end
# ("一、主要目标：" introduces a list; it does not name a section).
_SENTENCE_END = tuple("。；;，,：:！!？?")
# A table-of-contents line: "第一章 总则……………1", "一、总体要求  3".
_TOC_LINE = re.compile(r"(?:[.．…·•‧_—\-]{2,}|\s{2,}|\t)\s*\d{1,4}$")

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})
_LIST_STYLE = re.compile(r"list|列表|项目符号|编号", re.IGNORECASE)


@dataclass(frozen=True)
class ConvertedUpload:
    """An upload in the stored form, ready to be saved as a draft."""

    title: str
    metadata: dict[str, str]
    content: str
    encoding: str
    warnings: tuple[str, ...]


class UploadRejected(ValueError):
    """An upload that cannot become a document; ``message`` is shown to staff as-is."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _rejected_at(line: int | None, message: str) -> UploadRejected:
    if line is None:
        return UploadRejected(message)
    return UploadRejected(f"第 {line} 行：{message}", line)


@dataclass(frozen=True)
class _Block:
    """One unit of converted text: a heading, a paragraph or a list item.

    ``origin`` is the line in the uploaded file it came from, when that means anything to
    staff (plain text); Word paragraphs have no line numbers.
    """

    kind: str  # "heading", "paragraph" or "item"
    text: str
    level: int = 0
    origin: int | None = None


def convert_upload(filename: str, data: bytes, *, max_bytes: int = 1_000_000) -> ConvertedUpload:
    """Convert an uploaded file into the stored form of a draft document.

    Raises :class:`UploadRejected` — and nothing else — for any file that cannot become a
    valid document.
    """
    name = re.split(r"[\\/]", filename)[-1].strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _MARKDOWN_EXTENSIONS | _TEXT_EXTENSIONS | _DOCX_EXTENSIONS:
        hint = _HINTS.get(extension)
        raise UploadRejected(f"{hint}。{_ACCEPTED}。" if hint else f"无法导入该文件：{_ACCEPTED}。")
    if not data:
        raise UploadRejected("文件是空的，请检查后重新上传。")
    if len(data) > max_bytes:
        raise UploadRejected(
            f"文件过大（{_size_label(len(data))}），上传文件不能超过 {_size_label(max_bytes)}。"
        )
    try:
        if extension in _DOCX_EXTENSIONS:
            return _convert_docx(name, data, max_bytes)
        text, encoding = _decode_text(data)
        if extension in _TEXT_EXTENSIONS and not _looks_like_markdown(text):
            return _convert_plain_text(name, text, encoding)
        warnings = []
        if extension in _TEXT_EXTENSIONS:
            warnings.append(
                "该 .txt 文件带有 Markdown 标记（front matter 或 # 标题），已按 Markdown 导入。"
            )
        return _convert_markdown(name, text, encoding, warnings)
    except (UploadRejected, MemoryError):  # a MemoryError is the caller's to report
        raise
    except Exception as exc:
        # A bug or a library failing on input nobody foresaw: staff still get a message they
        # can act on, and the log keeps the traceback for us.
        log.exception("upload %r could not be converted", name)
        raise UploadRejected("文件无法转换，请检查文件内容，或另存为 UTF-8 文本后重试。") from exc


def _size_label(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if size >= 1000:
        return f"{size / 1000:.1f}".removesuffix(".0") + " KB"
    return f"{size} 字节"


# --- decoding text ---------------------------------------------------------------------------


def _decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` with the BOM stripped and newlines normalized to ``\\n``.

    Order: a BOM decides; then strict UTF-8; then GB18030 (what Chinese Windows and many
    government systems save); then Big5. GB18030 decodes almost any byte string, so its result
    is only taken when it reads like Chinese text (see :func:`_plausible`).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _checked_text(data[3:].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _rejected_at(
                _byte_line(data, exc.start + 3), "文件标为 UTF-8，但含有无效字节，请另存为 UTF-8。"
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked_text(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise UploadRejected(
                "文件标为 UTF-16，但内容无法按 UTF-16 读取，请另存为 UTF-8。"
            ) from exc
    if b"\x00" in data:
        raise _not_text(data)
    try:
        return _checked_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates: list[tuple[str, str]] = []
    for codec in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(codec), codec))
        except UnicodeDecodeError:
            continue
    for text, codec in candidates:
        if _plausible(text, simplified=codec == "gb18030"):
            return _checked_text(text), codec
    # Simplified-Chinese text with many characters outside GB2312 that Big5 cannot read either
    # is still better read as GB18030 than refused.
    for text, codec in candidates:
        if codec == "gb18030" and _plausible(text, simplified=False):
            return _checked_text(text), codec
    valid = len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    if valid >= 0.98 * len(data):
        raise _rejected_at(
            _byte_line(data, utf8_error.start),
            "文件大部分是 UTF-8 编码，但此处含有无效字节（文件可能已损坏），请检查后另存为 UTF-8。",
        )
    raise UploadRejected("无法识别文件编码，请另存为 UTF-8 后再上传。")


def _byte_line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _not_text(data: bytes) -> UploadRejected:
    if data.startswith(_ZIP_MAGIC):
        return UploadRejected(
            "这是压缩包或 Word 文档，不是文本文件；Word 文档请使用 .docx 扩展名上传。"
        )
    if data.startswith(_OLE_MAGIC):
        return UploadRejected(_HINTS["doc"] + "。")
    return UploadRejected("文件含有二进制内容，不是文本文件。" + _ACCEPTED + "。")


def _checked_text(text: str) -> str:
    """Normalize newlines and refuse control characters, naming the first one's line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # A form feed is a page break in text exports; a trailing SUB is a DOS end-of-file mark.
    text = text.replace("\f", "\n").rstrip("\x1a")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise _rejected_at(
            line, f"含有控制字符（U+{ord(bad.group()):04X}），不像是文本文件，请检查文件。"
        )
    return text


def _plausible(text: str, *, simplified: bool) -> bool:
    """Does text decoded with a guessed codec read like Chinese text?

    No control, private-use or unassigned characters; at most 1% of characters outside the
    blocks Chinese text uses; and, for GB18030 (``simplified``), most ideographs within GB2312 —
    Big5 or UTF-8 bytes read as GB18030 give mostly rare ideographs from the GBK extension.
    """
    if _CONTROL.search(text):
        return False
    chars = [c for c in text if not c.isspace()]
    odd = 0
    for char in chars:
        if unicodedata.category(char) in {"Co", "Cn", "Cs"}:
            return False
        code = ord(char)
        if not any(low <= code <= high for low, high in _COMMON_RANGES):
            odd += 1
    if odd > len(chars) // 100:
        return False
    if simplified:
        han = {c for c in chars if "\u4e00" <= c <= "\u9fff"}
        rare = sum(1 for c in han if not _in_gb2312(c))
        if rare * 5 > len(han):
            return False
    return True


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# --- Markdown --------------------------------------------------------------------------------


def _looks_like_markdown(text: str) -> bool:
    """A .txt with front matter or ATX headings is a Markdown source under another name.

    The knowledge loader itself reads ``*.txt`` sources as Markdown; plain Chinese text never
    has ``# `` headings.
    """
    lines = text.lstrip("\ufeff").split("\n")
    if lines[0].strip() == "---":
        return True
    return any(_MD_HEADING.match(line.strip()) for line in lines)


def _convert_markdown(name: str, text: str, encoding: str, warnings: list[str]) -> ConvertedUpload:
    try:
        title, metadata, body = split(text, source="upload")
    except DocumentError as exc:
        raise _rejected_at(exc.line, chinese_problem(exc.message)) from exc
    except MemoryError:
        raise
    except Exception as exc:  # anything else YAML fails on: never a server error
        raise _rejected_at(2, "文件开头的元数据（front matter）无法读取，请检查格式。") from exc
    offset = _body_offset(text)
    return _finish(
        name,
        title,
        metadata,
        body,
        encoding,
        warnings,
        origin=lambda line: line + offset,
    )


def _body_offset(text: str) -> int:
    """How many lines of the uploaded file precede the body ``split`` returns.

    Errors are reported in lines of the file staff have open, not of the stored body.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    skipped = 0
    if lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        skipped = end + 1
    rest = "\n".join(lines[skipped:])
    return skipped + rest[: len(rest) - len(rest.lstrip())].count("\n")


# --- plain text ------------------------------------------------------------------------------


def _convert_plain_text(name: str, text: str, encoding: str) -> ConvertedUpload:
    """Each non-empty line is a paragraph; outline-numbered lines become headings."""
    blocks = [
        _Block("paragraph", line.strip(), origin=number)
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]
    warnings: list[str] = []
    blocks = _outline_headings(blocks, warnings)
    blocks = _contiguous_levels(blocks, warnings)
    content, origins = _render(blocks, warnings)
    return _finish(
        name,
        "",
        {},
        content,
        encoding,
        warnings,
        origin=lambda line: origins[line - 1] if 0 < line <= len(origins) else None,
    )


def _outline_heading_rank(text: str) -> int | None:
    """The outline rank of a line numbered like a Chinese official heading, if it is one."""
    if (
        len(text) > _OUTLINE_MAX_CHARS
        or "。" in text
        or text.endswith(_SENTENCE_END)
        or _TOC_LINE.search(text)
    ):
        return None
    for rank, pattern in enumerate(_OUTLINE, start=1):
        if pattern.match(text):
            return rank
    return None


def _outline_headings(blocks: list[_Block], warnings: list[str]) -> list[_Block]:
    converted = 0
    result: list[_Block] = []
    for block in blocks:
        rank = _outline_heading_rank(block.text) if block.kind == "paragraph" else None
        if rank is None:
            result.append(block)
        else:
            converted += 1
            text = re.sub(r"\s+", " ", block.text)
            result.append(_Block("heading", text, level=rank, origin=block.origin))
    if converted:
        warnings.append(f"已将 {converted} 行“第…章／一、／（一）”式编号的短行识别为标题，请核对。")
    return result


def _contiguous_levels(
    blocks: list[_Block], warnings: list[str], *, explicit: bool = False
) -> list[_Block]:
    """Renumber heading levels so that none skips a level (the parser refuses skips).

    Each heading goes one level below the nearest preceding heading of a higher raw level, so
    a file using only 一、 and （一） gets levels 1 and 2, and a Word file whose Heading 3
    follows a Heading 1 gets level 2 there.

    ``explicit`` levels (Word heading styles) were chosen by the author, so any change is
    reported; guessed ones (outline ranks) are reported only where the file skipped a rank.
    """
    stack: list[tuple[int, int]] = []  # (raw level, new level)
    ranks = {
        raw: rank
        for rank, raw in enumerate(
            sorted({b.level for b in blocks if b.kind == "heading"}), start=1
        )
    }
    changed = False
    result: list[_Block] = []
    for block in blocks:
        if block.kind != "heading":
            result.append(block)
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        level = min(6, stack[-1][1] + 1 if stack else 1)
        stack.append((block.level, level))
        changed = changed or level != min(6, block.level if explicit else ranks[block.level])
        result.append(_Block("heading", block.text, level=level, origin=block.origin))
    if changed:
        warnings.append("标题层级已调整为从 1 级开始、逐级递进，与原文不完全相同，请核对。")
    return result


def _render(blocks: Iterable[_Block], warnings: list[str]) -> tuple[str, list[int | None]]:
    """Markdown for the blocks, and the uploaded-file line each Markdown line came from."""
    lines: list[str] = []
    origins: list[int | None] = []
    escaped = 0
    for block in blocks:
        if lines:
            lines.append("")
            origins.append(None)
        if block.kind == "heading":
            lines.append("#" * block.level + " " + block.text)
            origins.append(block.origin)
            continue
        for index, raw in enumerate(block.text.split("\n")):
            text, changed = _literal(raw)
            escaped += changed
            lines.append(f"- {text}" if block.kind == "item" and index == 0 else text)
            origins.append(block.origin)
    if escaped:
        warnings.append(
            f"有 {escaped} 行以 # 或 <!-- 开头，已将该符号改为全角，以免被当作标题或注释。"
        )
    return "\n".join(lines), origins


def _literal(line: str) -> tuple[str, bool]:
    """Plain text that the Markdown parser would read as a heading or comment, made literal.

    The parser has no escapes, so the first character becomes its full-width form.
    """
    if _MD_HEADING.match(line):
        return "＃" + line[1:], True
    if line.startswith(_MD_COMMENT):
        return "＜" + line[1:], True
    return line, False


# --- Word ------------------------------------------------------------------------------------


def _convert_docx(name: str, data: bytes, max_bytes: int) -> ConvertedUpload:
    not_docx = _not_docx()
    if data.startswith(_OLE_MAGIC):
        raise UploadRejected(_HINTS["doc"] + "。")
    names = _check_archive(data, max_bytes)
    warnings: list[str] = []
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _WordStyles(document)
        blocks, title, rows = _docx_blocks(document.iter_inner_content(), styles)
        core_title = (document.core_properties.title or "").strip()
    except (UploadRejected, MemoryError):
        raise
    except Exception as exc:
        raise not_docx from exc

    styled = any(block.kind == "heading" for block in blocks)
    if not styled:
        blocks = _outline_headings(blocks, warnings)
    blocks = _contiguous_levels(blocks, warnings, explicit=styled)
    if rows:
        warnings.append(
            f"表格已按行转换（共 {rows} 行）：问答时表头以下每行作为一段，"
            "每个单元格前标注所在列的表头，请核对首行是否为表头。"
        )
    if any(n.startswith("word/media/") for n in names):
        warnings.append("文档中的图片未导入。")
    content, _ = _render(blocks, warnings)
    return _finish(
        name, title, {}, content, "docx", warnings, origin=lambda _: None, fallback=core_title
    )


def _not_docx() -> UploadRejected:
    return UploadRejected(
        "不是有效的 Word（.docx）文件，文件可能已损坏，请在 Word 中重新保存后上传。"
    )


def _check_archive(data: bytes, max_bytes: int) -> set[str]:
    """The member names of a .docx, after reading every member as python-docx will.

    Each member is inflated in small chunks and the bytes are counted as they come, so a
    member that inflates far beyond what it declares is refused (by its CRC, or by the
    budget) without ever being held in memory whole; XML elements are counted too. Only what
    Word itself writes is accepted: stored or deflated members, no encryption.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "word/document.xml" not in names:
                raise _not_docx()
            if len(members) > _MAX_ZIP_MEMBERS:
                raise UploadRejected(
                    f"Word 文件内部包含的部件过多（{len(members)} 个），不像是正常的 Word 文档，"
                    "无法导入。"
                )
            budget = _ArchiveBudget(_MAX_EXPANSION * max_bytes)
            if sum(member.file_size for member in members) > budget.bytes_left:
                raise _too_large_archive()
            for member in members:
                _read_member(archive, member, budget)
    except (UploadRejected, MemoryError):
        raise
    except Exception as exc:  # a broken archive, a bad CRC, a truncated member
        raise _not_docx() from exc
    return names


def _too_large_archive() -> UploadRejected:
    return UploadRejected("Word 文件解压后过大，无法导入。")


class _ArchiveBudget:
    """What a .docx may still inflate to: bytes, and XML elements (counted as ``<`` that do
    not close a tag: an upper bound, as a comment or processing instruction counts too)."""

    def __init__(self, max_bytes: int) -> None:
        self.bytes_left = max_bytes
        self.elements_left = _MAX_XML_ELEMENTS

    def spend(self, chunk: bytes) -> None:
        """Charge one inflated chunk. Every member counts towards the elements, whatever its
        name: python-docx parses the parts the package's relationships name, not only files
        called ``*.xml`` (in an image, a stray ``<`` is one byte in 256)."""
        self.bytes_left -= len(chunk)
        if self.bytes_left < 0:
            raise _too_large_archive()
        self.elements_left -= chunk.count(b"<") - chunk.count(b"</")
        if self.elements_left < 0:
            raise UploadRejected(
                f"Word 文件结构过于复杂（超过 {_MAX_XML_ELEMENTS} 个元素），无法导入；"
                "请删除多余的空段落或拆分为几个文件后再上传。"
            )


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _ArchiveBudget) -> None:
    """Inflate one member in chunks, charging the budget; zipfile checks the CRC at the end."""
    if member.flag_bits & 0x1:
        raise UploadRejected("Word 文件设置了密码，请在 Word 中取消密码后再上传。")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _not_docx()
    with archive.open(member) as stream:
        while chunk := stream.read(_READ_CHUNK):
            budget.spend(chunk)


def _docx_blocks(
    items: Iterable[DocxParagraph | Table], styles: _WordStyles
) -> tuple[list[_Block], str, int]:
    """``(blocks, title from the Title style, number of table rows)`` of a Word body.

    Stops with :class:`UploadRejected` as soon as the text passes the length a document may
    have, rather than converting the rest of a file that will be refused anyway.
    """
    blocks: list[_Block] = []
    title = ""
    rows = 0
    chars = 0
    for item in items:
        if isinstance(item, Table):
            table = [cells for cells in _table_rows(item) if cells]
            if table:
                rows += len(table)
                blocks.append(_Block("paragraph", _pipe_table(table)))
                chars = _count_chars(chars, blocks[-1].text)
            continue
        if len(item._p) == 0:  # <w:p/>: an empty line, and cheap to see without python-docx
            continue
        lines = [line.strip() for line in item.text.replace("\t", " ").split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        chars = _count_chars(chars, "\n".join(lines))
        kind, level = styles.kind(item)
        if kind == "title" and not title:
            title = re.sub(r"\s+", " ", " ".join(lines))
        elif kind == "heading":
            blocks.append(_Block("heading", re.sub(r"\s+", " ", " ".join(lines)), level=level))
        elif kind == "item":
            blocks.append(_Block("item", "\n".join(lines)))
        else:
            blocks.append(_Block("paragraph", "\n".join(lines)))
    return blocks, title, rows


def _pipe_table(rows: list[list[str]]) -> str:
    """A Word table as a Markdown pipe table, its first row the header: the knowledge parser
    reads each further row as a paragraph with each cell under its column's header. A table of
    one row has no header to name its cells by: it is a paragraph, its cells joined by ；."""
    if len(rows) == 1:
        return "；".join(rows[0])
    lines = ["| " + " | ".join(cell.replace("|", "｜") for cell in row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
    return "\n".join(lines)


def _table_rows(table: Table) -> Iterator[list[str]]:
    """The text of each cell of each row, a cell merged across columns or rows once per row.

    python-docx's ``row.cells`` repeats a cell once per grid column it spans, so a cell that
    declares a span of a billion columns builds a tuple of a billion; and it finds the cell a
    vertically merged one continues by walking up row by row, again for every row. Here each
    ``<w:tc>`` is read once per row and a continuation is resolved through the one above it,
    remembered.
    """
    roots: dict[CT_Tc, CT_Tc] = {}
    for row in table.rows:
        cells: list[str] = []
        previous: CT_Tc | None = None
        for tc in row._tr.tc_lst:
            root = _merge_root(tc, roots)
            if root is previous:  # one cell below a wider one that spans both columns
                continue
            previous = root
            text = _soft_join(_Cell(root, table).text.split("\n"))
            if text:
                cells.append(text)
        yield cells


def _merge_root(tc: CT_Tc, roots: dict[CT_Tc, CT_Tc]) -> CT_Tc:
    """The cell holding the content of a vertically merged ``tc`` (``tc`` itself if none).

    ``roots`` remembers every cell already resolved (and keeps its proxy alive, so lxml hands
    out the same object again), so a merge down a whole column costs one step per row.
    """
    path: list[CT_Tc] = []
    current = tc
    while current not in roots and current.vMerge == "continue":
        path.append(current)
        current = current._tc_above
    root = roots.get(current, current)
    roots[current] = root
    for cell in path:
        roots[cell] = root
    return root


def _count_chars(total: int, text: str) -> int:
    """The running length of the converted text, refused once it passes the cap."""
    total += len(text) + 2  # and the blank line between blocks
    if total > MAX_CONTENT_CHARS:
        raise _too_long()
    return total


def _too_long() -> UploadRejected:
    return UploadRejected(
        f"转换后的正文超过 {MAX_CONTENT_CHARS} 字的上限，请拆分为几个文档后分别上传。"
    )


def _soft_join(lines: Iterable[str]) -> str:
    """Join lines like the parser does: a space only between Latin words."""
    text = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return text


class _WordStyles:
    """What each paragraph style of one Word file makes of a paragraph, worked out once.

    python-docx looks a paragraph's style up by scanning every style of the file, for every
    paragraph (and again for each base style): 5,000 paragraphs cost 5 s, and a file with
    many paragraphs and many styles, minutes. Here the styles are indexed once and each
    style's verdict is remembered.
    """

    def __init__(self, document: DocxDocument) -> None:
        styles = [s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH]
        self._by_id: dict[str, BaseStyle] = {}
        for style in styles:
            self._by_id.setdefault(str(style.style_id), style)
        # As Word (and python-docx) read it: of several default styles, the last one counts.
        defaults = [s for s in styles if s.element.get(qn("w:default")) in ("1", "true", "on")]
        self._default = defaults[-1] if defaults else None
        self._verdicts: dict[str | None, tuple[str, int]] = {}

    def kind(self, paragraph: DocxParagraph) -> tuple[str, int]:
        """``("title" | "heading" | "item" | "paragraph", heading level)`` of a paragraph.

        Word marks headings by style ("Heading 1", or "标题 1" in Chinese WPS/Word templates)
        or by an outline level set on the paragraph or its style; list paragraphs by
        numbering properties or a list style. The style chain is followed because custom
        styles are usually based on a built-in heading style.
        """
        properties = paragraph._p.find(qn("w:pPr"))
        outline = _outline_level(properties)
        if outline is not None:
            return "heading", outline
        numbered = properties is not None and properties.find(qn("w:numPr")) is not None
        style_id = paragraph._p.style
        if style_id not in self._verdicts:
            self._verdicts[style_id] = self._style_verdict(style_id)
        kind, level = self._verdicts[style_id]
        if kind in ("title", "heading"):
            return kind, level
        return ("item", 0) if numbered or kind == "list" else ("paragraph", 0)

    def _style_verdict(self, style_id: str | None) -> tuple[str, int]:
        """``("title" | "heading" | "list" | "plain", level)`` from a style and its bases."""
        style = self._by_id.get(style_id or "", self._default)
        listed = False
        for _ in range(10):  # a malformed file may chain styles in a loop
            if style is None:
                break
            style_name = str(style.name or "").strip()
            if style_name.lower() in _TITLE_STYLES:
                return "title", 0
            match = _HEADING_STYLE.match(style_name)
            if match:
                return "heading", int(match.group(1))
            style_properties = style.element.find(qn("w:pPr"))
            outline = _outline_level(style_properties)
            if outline is not None:
                return "heading", outline
            if _LIST_STYLE.search(style_name) or (
                style_properties is not None and style_properties.find(qn("w:numPr")) is not None
            ):
                listed = True
            base = style.element.basedOn_val
            style = self._by_id.get(str(base)) if base else None
        return ("list", 0) if listed else ("plain", 0)


def _outline_level(properties: object) -> int | None:
    """Heading level from ``<w:outlineLvl w:val="0..8">``; 9 means body text."""
    find = getattr(properties, "find", None)
    if find is None:
        return None
    element = find(qn("w:outlineLvl"))
    if element is None:
        return None
    value = str(element.get(qn("w:val"), ""))
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


# --- validation ------------------------------------------------------------------------------


def _finish(
    name: str,
    title: str,
    metadata: dict[str, str],
    content: str,
    encoding: str,
    warnings: list[str],
    *,
    origin: Callable[[int], int | None],
    fallback: str = "",
) -> ConvertedUpload:
    """Validate the stored form with the index's parser and choose the title.

    ``origin`` maps a body line to the uploaded file's line for error messages. Without a title
    of its own, a document whose body opens with its only level-1 heading takes that heading's
    text (the heading stays in the body, see the module docstring); ``fallback`` (a Word file's
    document properties) comes after that, because it is often stale template text.
    """
    title = title.strip()
    metadata = {**metadata}
    metadata.setdefault("source", name)
    if not content.strip():
        raise UploadRejected("文件中没有正文内容。")
    if len(content.strip()) > MAX_CONTENT_CHARS:
        raise _too_long()
    try:
        document = parse("upload", title or "未命名", content, metadata)
    except DocumentError as exc:
        line = None if exc.message == "the document has no body text" else origin(exc.line)
        raise _rejected_at(line, chinese_problem(exc.message)) from exc
    if not title:
        title = _sole_leading_h1(document)
        if title:
            warnings.append(f"文档没有单独的标题，已使用第一个一级标题“{title}”作为标题。")
    if not title and fallback:
        title = fallback
        warnings.append(f"已使用 Word 文档属性中的标题“{title}”，请核对。")
    return ConvertedUpload(
        title=title,
        metadata=metadata,
        content=content.strip(),
        encoding=encoding,
        warnings=tuple(warnings),
    )


def _sole_leading_h1(document: Document) -> str:
    top = [heading for heading in document.headings if heading.level == 1]
    if len(top) != 1 or document.headings[0] is not top[0]:
        return ""
    if document.paragraphs and document.paragraphs[0].line < top[0].line:
        return ""
    return top[0].title


def chinese_problem(message: str) -> str:
    """The knowledge parser's English message in Chinese staff can act on (uploads and the
    editor's checks alike; the English stays in the logs)."""
    match = re.fullmatch(r"heading level (\d+) follows level (\d+)", message)
    if match:
        level, parent = int(match.group(1)), int(match.group(2))
        if parent == 0:
            return f"第一个标题是 {level} 级标题，标题应从 1 级（# ）开始。"
        return (
            f"标题层级从 {parent} 级跳到 {level} 级，不能跳级：此处最多是 {parent + 1} 级标题"
            f"（{'#' * (parent + 1)} ）。"
        )
    match = re.fullmatch(r"duplicate heading anchor (.+)", message)
    if match:
        return f"标题锚点 {match.group(1).strip(chr(39) + chr(34))} 重复，每个锚点只能用一次。"
    translations = {
        "the document has no body text": "文件中没有正文内容（只有标题或注释）。",
        "front matter is not closed with '---'": "文件开头的元数据（front matter）缺少结束的 ---。",
        "the document has no title": "文档没有标题。",
        MAPPING_MESSAGE: "文件开头的元数据（front matter）应为“字段: 值”的形式。",
        ALIAS_MESSAGE: (
            "文件开头的元数据（front matter）不能使用 YAML 锚点或别名（& 和 *），"
            "请直接写出每个字段的值。"
        ),
        TAG_MESSAGE: (
            "文件开头的元数据（front matter）不能使用 YAML 标签（!），请直接写出每个字段的值。"
        ),
        TOO_LONG_MESSAGE: (
            f"文件开头的元数据（front matter）过长（超过 {MAX_FRONT_MATTER_CHARS} 字），"
            "只应包含标题、发布单位、日期等简短字段。"
        ),
    }
    if message in translations:
        return translations[message]
    if message.startswith("front matter is not valid YAML"):
        return "文件开头的元数据（front matter）不是有效的 YAML 格式。"
    if message.startswith("front matter has an invalid value"):
        return (
            "文件开头的元数据（front matter）中有无法读取的值"
            "（例如不存在的日期或过长的数字），请检查。"
        )
    match = re.fullmatch(
        r"front matter field (.+) must be a single value, not a list or a mapping", message
    )
    if match:
        field = match.group(1).strip(chr(39) + chr(34))
        return (
            f"文件开头的元数据（front matter）中，字段“{field}”只能是一个值（文字、数字或日期），"
            "不能是列表或嵌套的字段。"
        )
    match = re.fullmatch(r"the title is longer than (\d+) characters", message)
    if match:
        return f"标题过长，最多 {match.group(1)} 个字。"
    if message.startswith("invalid document id"):
        return "文档编号无效：只能使用字母、数字、点、连字符和下划线，最多 128 个字符。"
    if message.startswith("missing front matter"):
        return "文件应以元数据开头（第一行是 ---）。"
    return "文档格式有误，请检查这一行。"
