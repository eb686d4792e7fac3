"""The stored form of a document and the Markdown source the knowledge parser reads.

The store keeps a document's title and metadata apart from its body, so staff edit the body
and the title separately; the parser wants one Markdown text with YAML front matter. These two
functions convert between the two forms, so the same text is validated on save, indexed on
publish and written on export.
"""

from __future__ import annotations

import yaml

from knowledge.documents import Document, DocumentError, parse_document, read_front_matter

# The longest body a document may have, in characters: what the workspace's editor accepts and
# what an upload may convert to (a whole plan chapter is about 30,000).
MAX_CONTENT_CHARS = 500_000


def one_line(value: str) -> str:
    """Front-matter fields are one line: any run of whitespace, line breaks included (NEL and
    U+2028 too, which YAML also reads as breaks), becomes one space. A field can then never
    close the front matter early with a line of its own '---'."""
    return " ".join(value.split())


def compose(title: str, content: str, metadata: dict[str, str] | None = None) -> str:
    """The full Markdown source: front matter (title first, then metadata) and the body."""
    # An empty field is written as an empty YAML value, as staff leave it in the sources.
    fields: dict[str, str | None] = {"title": one_line(title)}
    fields.update({k: one_line(v) or None for k, v in (metadata or {}).items() if k != "title"})
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n\n{content.strip()}\n"


def split(text: str, source: str = "document") -> tuple[str, dict[str, str], str]:
    """``(title, other metadata, body)`` of a Markdown source with front matter.

    A text without front matter is all body with an empty title (the caller names it).
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return "", {}, text.strip()
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise DocumentError(source, 1, "front matter is not closed with '---'")
    meta = read_front_matter("\n".join(lines[1:end]), source)
    title = meta.pop("title", "")
    return title, meta, "\n".join(lines[end + 1 :]).strip()


def parse(
    doc_id: str, title: str, content: str, metadata: dict[str, str] | None = None
) -> Document:
    """Parse the stored form exactly as the index will; raises :class:`DocumentError`.

    Line numbers in errors refer to the body as staff see it in the editor, not to the
    composed text with its front matter.
    """
    if not title.strip():
        raise DocumentError(doc_id, 1, "the document has no title")
    text = compose(title, content, metadata)
    offset = text.index("\n---\n") + len("\n---\n\n")
    body_start_line = text[:offset].count("\n")
    try:
        return parse_document(text, doc_id=doc_id, source=doc_id)
    except DocumentError as exc:
        line = max(1, exc.line - body_start_line)
        raise DocumentError(doc_id, line, exc.message) from exc
