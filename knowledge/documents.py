"""Parsing the Markdown source documents staff maintain.

A source is Markdown with YAML front matter (``title`` required; any other field optional and
left empty rather than guessed) and ATX headings that may carry a stable anchor,
``## 一、… {#anchor}``. Paragraphs are separated by blank lines (a soft-wrapped sentence stays
one paragraph); each list item is a paragraph of its own; Markdown markup (list markers,
quote markers, emphasis, comments) is not part of the text. The parser keeps the heading path
of each paragraph, because citations show where in the plan a passage sits.

A broken document raises :class:`DocumentError` naming the file and line, so a bulk load can
report it and go on with the others (:func:`load_directory`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.frontmatter import FrontMatterError, load_front_matter

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*(?:\{#([A-Za-z0-9_\-:.]+)\})?\s*$")
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,127}$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
# A line staff write as a sub-heading without Markdown (（二）电工（初级）培训班): alone between
# blank lines, no sentence punctuation, a paragraph of text (not another numbered line) after it.
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*[^。；;，,、：:？?！!]{2,30}$")
_NUMBERED = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}\s*[.、．]|[一二三四五六七八九十]{1,3}、)"
)
_QUOTE_MARK = re.compile(r"^(?:>\s?)+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")
_INLINE_COMMENT = re.compile(r"<!--.*?-->")


# A pipe table's delimiter row (| --- | :---: |), under its header row.
_TABLE_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _table_cells(line: str) -> list[str]:
    row = line.strip()
    row = row.removeprefix("|").removesuffix("|")
    return [_strip_inline(cell) for cell in row.split("|")]


def _table_rows(body: list[str]) -> dict[int, str]:
    """Each pipe table of the body read row by row: for each line of a table, the paragraph it
    reads as ("" for its header and delimiter rows). A row reads with its column's header before
    each cell (日期：5月29日（星期六），社区：新居里社区，服务地点：新居里12号楼东侧停车场。), so a
    sentence of it says which date is which community's, as a resident reads the table."""
    rows: dict[int, str] = {}
    at = 0
    while at < len(body) - 1:
        header = body[at].strip()
        if not (header.startswith("|") and _TABLE_DELIMITER.match(body[at + 1].strip())):
            at += 1
            continue
        names = _table_cells(header)
        rows[at] = rows[at + 1] = ""
        at += 2
        while at < len(body) and body[at].strip().startswith("|"):
            cells = _table_cells(body[at])
            # (A row of other length than the header, merged cells, is read without names.)
            named = names if len(cells) == len(names) else [""] * len(cells)
            pairs = [
                f"{name}：{cell}" if name else cell
                for name, cell in zip(named, cells, strict=True)
                if cell
            ]
            rows[at] = "，".join(pairs) + ("。" if pairs else "")
            at += 1
    return rows


def _strip_inline(text: str) -> str:
    """Emphasis and code marks are presentation, not words of the source."""
    return _EMPHASIS.sub(r"\2", _INLINE_COMMENT.sub("", text)).strip()


def _join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between Chinese characters, one between Latin words."""
    text = ""
    for line in (part for part in lines if part):
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return text


class DocumentError(ValueError):
    """A source document that cannot be used, with the place that is wrong."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    anchor: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text, with the headings it sits under (outermost first)."""

    index: int
    text: str
    section_path: tuple[str, ...]
    section_anchor: str
    line: int


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    metadata: dict[str, str]
    headings: tuple[Heading, ...]
    paragraphs: tuple[Paragraph, ...]
    content_hash: str
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class LoadReport:
    documents: tuple[Document, ...]
    errors: tuple[DocumentError, ...]


def valid_doc_id(doc_id: str) -> bool:
    """Ids appear in URLs and file names: letters, digits, '-', '_', '.', at most 128."""
    return bool(_DOC_ID.match(doc_id))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def heading_anchor(title: str, taken: set[str], next_suffix: dict[str, int] | None = None) -> str:
    """A stable anchor for a heading without an explicit one: derived from its text.

    Repeated headings get -2, -3, …; ``next_suffix`` (base → the next number to try) lets a
    document of many identical headings be read in linear time: counting up from 2 for each
    was quadratic, and an editor's draft of 20,000 such headings held a core for 40 s.
    """
    base = "h-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    suffixes = next_suffix if next_suffix is not None else {}
    n = suffixes.get(base, 2)
    anchor = base if n == 2 else f"{base}-{n}"
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    suffixes[base] = n
    return anchor


def _split_front_matter(text: str, source: str) -> tuple[dict[str, str], list[str], int]:
    # split("\n"), not splitlines(): the latter also breaks at U+2028 and form feeds, which
    # would shift every line number reported after them.
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if not lines or lines[0].strip() != "---":
        raise DocumentError(source, 1, "missing front matter: the file must start with '---'")
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise DocumentError(source, 1, "front matter is not closed with '---'")
    meta = read_front_matter("\n".join(lines[1:end]), source)
    return meta, lines[end + 1 :], end + 2


def read_front_matter(text: str, source: str) -> dict[str, str]:
    """The fields of the front matter between the ``---`` lines, or a :class:`DocumentError`
    with the file line (the front matter starts on line 2).

    Only a flat mapping of plain values is read (see :mod:`knowledge.frontmatter`): anchors,
    aliases, tags and nested values are refused before anything is built.
    """
    try:
        return load_front_matter(text)
    except FrontMatterError as exc:
        raise DocumentError(source, 1 + exc.line, exc.message) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        raise DocumentError(source, line, f"front matter is not valid YAML: {exc}") from exc
    except ValueError as exc:  # a date that is no date (2021-02-30), an int too long for str()
        raise DocumentError(source, 2, f"front matter has an invalid value: {exc}") from exc


def parse_document(text: str, doc_id: str, source: str = "") -> Document:
    """Parse one Markdown source into a :class:`Document`."""
    text = text.removeprefix("\ufeff")
    source = source or doc_id
    if not _DOC_ID.match(doc_id):
        raise DocumentError(source, 1, f"invalid document id {doc_id!r}")
    meta, body, first_line = _split_front_matter(text, source)
    title = meta.get("title", "")
    if not title:
        raise DocumentError(source, 2, "front matter has no 'title'")

    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    path: list[Heading] = []
    anchors: set[str] = set()
    next_suffix: dict[str, int] = {}
    pending: list[str] = []
    pending_line = 0

    def flush() -> None:
        nonlocal pending
        text = _join_lines(pending)
        pending = []
        if text:
            paragraphs.append(
                Paragraph(
                    index=len(paragraphs),
                    text=text,
                    section_path=tuple(h.title for h in path),
                    section_anchor=path[-1].anchor if path else "",
                    line=pending_line,
                )
            )

    subheadings = _subheading_lines(body)
    table_rows = _table_rows(body)
    heading_level = 0  # the level of the last Markdown heading
    in_comment = False
    for offset, raw_line in enumerate(body):
        line_no = first_line + offset
        line = raw_line.strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            # The comment is not text, but what follows it on the line where it closes is.
            line = "" if in_comment else line.split("-->", 1)[1].strip()
            if not line:
                continue
        if not line:
            flush()
            continue
        if offset in table_rows:
            flush()  # each row of a table is a paragraph of its own
            pending_line = line_no
            pending = [table_rows[offset]]
            flush()
            continue
        match = _HEADING.match(line)
        if not match and offset in subheadings and heading_level < 6:
            match = _HEADING.match("#" * (heading_level + 1) + " " + line)
        elif match:
            heading_level = len(match.group(1))
        if match:
            flush()
            level = len(match.group(1))
            parent_level = path[-1].level if path else 0
            if level > parent_level + 1:
                raise DocumentError(
                    source, line_no, f"heading level {level} follows level {parent_level}"
                )
            title_text = _strip_inline(match.group(2).strip())
            anchor = match.group(3) or heading_anchor(title_text, anchors, next_suffix)
            if anchor in anchors:
                raise DocumentError(source, line_no, f"duplicate heading anchor {anchor!r}")
            anchors.add(anchor)
            heading = Heading(level, title_text, anchor, line_no)
            while path and path[-1].level >= level:
                path.pop()
            path.append(heading)
            headings.append(heading)
            continue
        if not _QUOTE_MARK.sub("", line).strip():
            flush()  # a bare '>' is the blank line between two paragraphs of a quote
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            line = line[item.end() :]
        if not pending:
            pending_line = line_no
        pending.append(_strip_inline(_QUOTE_MARK.sub("", line)))
    flush()
    if not paragraphs:
        raise DocumentError(source, first_line, "the document has no body text")
    return Document(
        doc_id=doc_id,
        title=title,
        metadata=meta,
        headings=tuple(headings),
        paragraphs=tuple(paragraphs),
        content_hash=content_hash(text),
        source=source,
    )


def _subheading_lines(body: list[str]) -> set[int]:
    """The offsets of lines written as sub-headings without Markdown (see ``_SUBHEADING``): a
    notice's （一）育婴员培训班 over its own paragraphs of time, place and size, so that those
    paragraphs sit under it as under a heading. A numbered line followed by another is a list
    item (（一）身份证原件), not a heading."""
    lines = [raw.strip() for raw in body]
    out = set()
    for at, line in enumerate(lines):
        if not _SUBHEADING.match(line) or (at and lines[at - 1]):
            continue
        after = next((x for x in lines[at + 1 :] if x), "")
        if (
            at + 1 < len(lines)
            and not lines[at + 1]
            and after
            and not after.startswith("#")
            and not _NUMBERED.match(after)
            and not _LIST_ITEM.match(after)
        ):
            out.add(at)
    return out


def load_file(path: Path) -> Document:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), 1, f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise DocumentError(str(path), 1, f"cannot be read ({exc.strerror})") from exc
    return parse_document(text, doc_id=path.stem, source=str(path))


def load_directory(directory: Path) -> LoadReport:
    """Load every ``*.md`` and ``*.txt`` source; broken ones are reported, not fatal."""
    return load_files(sorted(p for p in directory.iterdir() if p.suffix in {".md", ".txt"}))


def load_files(paths: Iterable[Path]) -> LoadReport:
    """Load sources one by one; a broken one is reported and the others still load."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc = load_file(path)
        except DocumentError as exc:
            errors.append(exc)
            continue
        if doc.doc_id in seen:
            errors.append(DocumentError(str(path), 1, f"duplicate id of {seen[doc.doc_id]}"))
            continue
        seen[doc.doc_id] = str(path)
        documents.append(doc)
    return LoadReport(tuple(documents), tuple(errors))
