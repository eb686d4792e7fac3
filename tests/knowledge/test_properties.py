"""Property-based tests of the parser, the chunker, the text normalizers and the docstore
Markdown round trip: the invariants every citation rests on, checked on generated input."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docstore.markdown import compose, one_line, split
from knowledge.chunking import (
    _CLOSERS,
    _CONTENT_CHAR,
    _ENDS,
    _OPENERS,
    MIN_SENTENCE_CHARS,
    chunk_document,
    split_sentences,
)
from knowledge.documents import Document, DocumentError, parse_document
from knowledge.text import normalize, strip_controls, to_simplified

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- building blocks -----------------------------------------------------------------------

CJK = "大兴区规划新城北京交通铁路公路建设发展生态绿地河道机场产业用地控制"
LATIN = "abcdefxyzABCXYZ0123456789"
PUNCT = "，、：“”《》（）"
ENDS = "。！？；"
WORD_CHARS = CJK + LATIN + PUNCT + ENDS

no_surrogates = st.characters(blacklist_categories=("Cs",))
any_text = st.text(no_surrogates, max_size=200)

word = st.text(st.sampled_from(WORD_CHARS), min_size=1, max_size=12)


@st.composite
def inline_text(draw: st.DrawFn, allow_comment: bool = True) -> tuple[str, str]:
    """(markdown, visible text) of one line: words, emphasis, code and inline comments."""
    raw, shown = [], []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["plain", "plain", "em", "comment"]))
        if kind == "comment" and not allow_comment:
            kind = "plain"
        if kind == "comment":
            raw.append("<!-- " + draw(st.text(st.sampled_from(CJK + " "), max_size=6)) + " -->")
            continue
        w = draw(word)
        if kind == "em":
            mark = draw(st.sampled_from(["**", "*", "`", "__"]))
            raw.append(f"{mark}{w}{mark}")
        else:
            raw.append(w)
        shown.append(w)
        if draw(st.booleans()):
            raw.append(" ")
            shown.append(" ")
    visible = "".join(shown).strip()
    if not visible:  # a line made of comments only: give it a word
        w = draw(word)
        raw.append(w)
        visible = w
    return "".join(raw).strip(), visible


def join_lines(lines: list[str]) -> str:
    """Soft-wrapped lines, as the module documents it: a space only between Latin words."""
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return text


@dataclass
class Expected:
    """What the parser must find in a generated document."""

    title: str
    metadata: dict[str, str]
    lines: list[str] = field(default_factory=list)
    # (level, title, explicit anchor or "", line)
    headings: list[tuple[int, str, str, int]] = field(default_factory=list)
    # (text, heading indexes of the path, line)
    paragraphs: list[tuple[str, tuple[int, ...], int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)


@st.composite
def documents(draw: st.DrawFn, sentences: bool = False) -> Expected:
    """A valid source: front matter, headings that never skip a level, paragraphs, lists,
    quotes and comments, each block with the text and line the parser must report."""
    title = draw(st.text(st.sampled_from(CJK + LATIN + " "), min_size=1, max_size=20))
    title = title.strip() or "标题"
    meta = draw(
        st.dictionaries(
            st.sampled_from(["issuer", "published", "status", "文号"]),
            st.text(st.sampled_from(CJK + LATIN + " "), max_size=10),
            max_size=3,
        )
    )
    exp = Expected(title, {k: v.strip() for k, v in meta.items()})
    exp.add("---")
    front = {"title": title, **{k: v or None for k, v in meta.items()}}
    for line in yaml.safe_dump(front, allow_unicode=True, sort_keys=False).splitlines():
        exp.add(line)
    exp.add("---")

    stack: list[int] = []  # heading indexes of the current path
    n_anchor = 0
    line_text = inline_text()

    def paragraph_line() -> tuple[str, str]:
        if sentences:
            text = draw(sentence_paragraph())
            return text, text
        return draw(line_text)

    blocks = draw(
        st.lists(
            st.sampled_from(["heading", "para", "para", "quote", "list", "comment"]),
            min_size=1,
            max_size=10,
        )
    )
    if not any(b in ("para", "quote", "list") for b in blocks):
        blocks.append("para")
    for block in blocks:
        for _ in range(draw(st.integers(0 if block == "heading" else 1, 2))):
            exp.add(draw(st.sampled_from(["", " ", "\t"])))
        if block == "heading":
            last = exp.headings[stack[-1]][0] if stack else 0
            level = draw(st.integers(1, min(6, last + 1)))
            raw, shown = draw(inline_text(allow_comment=False))
            anchor = ""
            if draw(st.booleans()):
                n_anchor += 1
                anchor = f"sec-{n_anchor}"
            line = "#" * level + " " + raw + (f" {{#{anchor}}}" if anchor else "")
            no = exp.add(line)
            while stack and exp.headings[stack[-1]][0] >= level:
                stack.pop()
            stack.append(len(exp.headings))
            exp.headings.append((level, shown, anchor, no))
        elif block in ("para", "quote"):
            prefix = draw(st.sampled_from(["> ", ">", "> > "])) if block == "quote" else ""
            shown_lines, first = [], 0
            for i in range(draw(st.integers(1, 3))):
                if i and block == "para" and draw(st.integers(0, 4)) == 0:
                    exp.add("<!-- 一行注释 -->")  # a comment line does not end the paragraph
                raw, shown = paragraph_line()
                no = exp.add(prefix + raw)
                first = first or no
                shown_lines.append(shown)
            exp.paragraphs.append((join_lines(shown_lines), tuple(stack), first))
        elif block == "list":
            for n in range(draw(st.integers(1, 3))):
                marker = draw(st.sampled_from(["-", "*", "+", f"{n + 1}.", f"{n + 1})"]))
                raw, shown = paragraph_line()
                first = exp.add(f"{marker} {raw}")
                shown_lines = [shown]
                if draw(st.integers(0, 3)) == 0:
                    raw, shown = paragraph_line()
                    exp.add("  " + raw)
                    shown_lines.append(shown)
                exp.paragraphs.append((join_lines(shown_lines), tuple(stack), first))
        else:
            if draw(st.booleans()):
                exp.add("<!-- 注释：" + draw(word) + " -->")
            else:
                exp.add("<!--")
                exp.add("# 注释里的标题不算 {#x}")
                exp.add("-->")
    return exp


def check_document(doc: Document, exp: Expected) -> None:
    assert doc.title == exp.title
    assert doc.metadata == {"title": exp.title, **exp.metadata}
    assert [(h.level, h.title, h.line) for h in doc.headings] == [
        (level, title, line) for level, title, _, line in exp.headings
    ]
    for heading, (_, title, anchor, _) in zip(doc.headings, exp.headings, strict=True):
        if anchor:
            assert heading.anchor == anchor
        else:
            assert heading.anchor.startswith("h-" + hashlib.sha1(title.encode()).hexdigest()[:8])
    assert len({h.anchor for h in doc.headings}) == len(doc.headings)
    assert [p.text for p in doc.paragraphs] == [text for text, _, _ in exp.paragraphs]
    assert [p.line for p in doc.paragraphs] == [line for _, _, line in exp.paragraphs]
    assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))
    for para, (_, path, _) in zip(doc.paragraphs, exp.paragraphs, strict=True):
        assert para.section_path == tuple(doc.headings[i].title for i in path)
        assert para.section_anchor == (doc.headings[path[-1]].anchor if path else "")
        # The path is consistent with the levels: strictly increasing, each one deeper.
        levels = [doc.headings[i].level for i in path]
        assert levels == list(range(1, len(levels) + 1))
        # The paragraph's first line holds the start of its text.
        source_line = exp.lines[para.line - 1]
        assert para.text[0] in source_line and not source_line.startswith("#")


def parsed(text: str) -> tuple[object, ...]:
    """A comparable outcome of parsing: the document without its hash, or the error line."""
    try:
        doc = parse_document(text, "doc")
    except DocumentError as exc:
        return ("error", exc.line)
    return ("doc", doc.title, doc.metadata, doc.headings, doc.paragraphs)


# --- 1. the parser -------------------------------------------------------------------------

markdownish = st.lists(
    st.one_of(
        st.sampled_from([*"#>-*+`_{}<!:\n\r \t。“”1.)", "---", "<!--", "-->", "{#a}", "# "]),
        no_surrogates,
    ),
    max_size=60,
).map("".join)
with_front_matter = st.builds(
    lambda a, b: f"---\n{a}\n---\n{b}", st.text(no_surrogates, max_size=60), markdownish
)


@FAST
@given(st.one_of(any_text, markdownish, with_front_matter))
@example("---\ntitle: 2020-13-45\n---\n正文\n")  # a YAML date that is no date: ValueError
@example("---\ntitle: x\npublished: 2021-02-30\n---\n正文\n")
@example("---\ntitle: x\nn: " + "9" * 5000 + "\n---\n正文\n")  # int beyond str() limit
@example("---\n[[[[[[[[[[[[[[[[[[\n---\n")
@example("---\n? [a]\n: b\n---\n")
def test_parser_returns_a_document_or_a_document_error(text: str) -> None:
    try:
        doc = parse_document(text, "doc")
    except DocumentError as exc:
        assert exc.line >= 1
        return
    n_lines = text.count("\n") + 1
    assert doc.title
    assert doc.paragraphs
    for para in doc.paragraphs:
        assert para.text == para.text.strip() and para.text
        assert "\n" not in para.text
        assert 1 <= para.line <= n_lines
    assert [p.line for p in doc.paragraphs] == sorted(p.line for p in doc.paragraphs)
    assert len({h.anchor for h in doc.headings}) == len(doc.headings)


@FAST
@given(st.one_of(markdownish, with_front_matter))
def test_crlf_parses_like_lf_for_any_text(text: str) -> None:
    assert parsed(text.replace("\n", "\r\n")) == parsed(text)


@SLOW
@given(documents())
@example(  # text after a comment that closes on the same line is still text
    Expected(
        "T",
        {},
        ["---", "title: T", "---", "<!-- 注 --> 正文一。", "", "<!-- 多行", "注释 --> 正文二。"],
        [],
        [("正文一。", (), 4), ("正文二。", (), 7)],
    )
)
@example(  # a bare '>' is a blank line inside a quote: it separates two paragraphs
    Expected(
        "T",
        {},
        ["---", "title: T", "---", "", ">", "> 第一段", ">", "> 第二段"],
        [],
        [("第一段", (), 6), ("第二段", (), 8)],
    )
)
def test_valid_documents_round_trip(exp: Expected) -> None:
    check_document(parse_document(exp.text, "doc"), exp)


@SLOW
@given(documents())
def test_crlf_and_bom_variants_parse_to_the_same_paragraphs(exp: Expected) -> None:
    base = parse_document(exp.text, "doc")
    for variant in (
        exp.text.replace("\n", "\r\n"),
        "\ufeff" + exp.text,
        "\ufeff" + exp.text.replace("\n", "\r\n"),
    ):
        doc = parse_document(variant, "doc")
        assert doc.paragraphs == base.paragraphs
        assert doc.headings == base.headings
        assert (doc.title, doc.metadata) == (base.title, base.metadata)


@SLOW
@given(documents(), st.data())
def test_a_heading_level_skip_raises_on_its_line(exp: Expected, data: st.DataObject) -> None:
    # Cut the document after some line and put a heading two or more levels deeper there.
    body_start = exp.lines.index("---", 1) + 1
    cut = data.draw(st.integers(body_start, len(exp.lines)), label="cut")
    while exp.lines[cut - 1] == "<!--" or exp.lines[cut - 1].startswith("# 注释"):
        cut += 1  # not inside a comment, where a heading is no heading
    lines = exp.lines[:cut]
    depth = 0
    in_path = [(level, line) for level, _, _, line in exp.headings if line <= cut]
    if in_path:
        depth = in_path[-1][0]
    if depth >= 5:
        return
    level = data.draw(st.integers(depth + 2, 6), label="level")
    lines += ["", "#" * level + " 跳级的标题", "正文。"]
    with pytest.raises(DocumentError) as info:
        parse_document("\n".join(lines) + "\n", "doc")
    assert info.value.line == cut + 2
    assert f"heading level {level} follows level {depth}" in info.value.message


# --- 2. the chunker ------------------------------------------------------------------------

SENTENCE_CHARS = CJK + LATIN + "，、：" + ENDS + "!?; " + "".join(_OPENERS) + "".join(_CLOSERS)


@st.composite
def bracketed(draw: st.DrawFn, depth: int = 0) -> str:
    opener = draw(st.sampled_from(sorted(_OPENERS)))
    inner = draw(st.text(st.sampled_from(CJK + LATIN + ENDS + "，"), max_size=12))
    if depth < 2 and draw(st.booleans()):
        inner += draw(bracketed(depth + 1)) + draw(st.text(st.sampled_from(CJK + ENDS), max_size=4))
    return opener + inner + _OPENERS[opener]


@st.composite
def sentence_paragraph(draw: st.DrawFn) -> str:
    """A paragraph of sentences with (balanced) quotes and brackets, no leading/trailing space,
    no character that is Markdown markup at the start of a line."""
    parts = draw(
        st.lists(
            st.one_of(
                st.text(st.sampled_from(CJK + LATIN + "，、 "), min_size=1, max_size=15),
                st.sampled_from([*ENDS, "。”", "！）"]),
                bracketed(),
            ),
            min_size=1,
            max_size=12,
        )
    )
    text = "".join(parts).strip()
    return text if text and text[0] in CJK + LATIN else "规划" + text


def locate(paragraph: str, sentences: list[str]) -> list[tuple[int, int]]:
    """The spans of the sentences in the paragraph, asserting they are consecutive slices with
    only whitespace between them: nothing lost, nothing added, order kept."""
    spans, cursor = [], 0
    for sentence in sentences:
        start = cursor + len(paragraph[cursor:]) - len(paragraph[cursor:].lstrip())
        assert paragraph.startswith(sentence, start), (paragraph, sentences)
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    assert not paragraph[cursor:].strip()
    return spans


def content_chars(text: str) -> int:
    return len(_CONTENT_CHAR.findall(text))


@FAST
@given(st.one_of(st.text(st.sampled_from(SENTENCE_CHARS), max_size=120), sentence_paragraph()))
@example("严格控制增量。 根据新增产业的禁止和限制目录，严把新增产业准入关。")
@example("Short one! And then a rather longer second sentence here.")
def test_sentences_are_the_paragraph_in_order(paragraph: str) -> None:
    sentences = split_sentences(paragraph)
    locate(paragraph, sentences)
    assert all(s and s == s.strip() for s in sentences)
    assert bool(sentences) == bool(paragraph.strip())
    if not any(ch.isspace() for ch in paragraph):
        assert "".join(sentences) == paragraph
    # A sentence boundary is always after a full stop (or the marks that close it) ...
    for s in sentences[:-1]:
        assert s[-1] in _ENDS or s[-1] in _CLOSERS
    # ... and short lead-ins are merged: only a lone sentence may be short.
    if len(sentences) > 1:
        assert all(content_chars(s) >= MIN_SENTENCE_CHARS for s in sentences)
    assert split_sentences(paragraph) == sentences


@FAST
@given(st.lists(st.one_of(bracketed(), st.text(st.sampled_from(CJK + ENDS)))), st.data())
def test_no_split_inside_quotes_or_brackets(parts: list[str], data: st.DataObject) -> None:
    paragraph, quoted, pos = "", [], 0
    for part in parts:
        if part[:1] in _OPENERS and part[-1:] == _OPENERS[part[0]]:
            quoted.append((pos, pos + len(part)))
        paragraph += part
        pos += len(part)
    spans = locate(paragraph, split_sentences(paragraph))
    for q_start, q_end in quoted:
        assert any(s <= q_start and q_end <= e for s, e in spans), (paragraph, q_start, spans)


@SLOW
@given(documents(sentences=True))
def test_passages_of_a_document(exp: Expected) -> None:
    doc = parse_document(exp.text, "doc")
    passages = chunk_document(doc)
    anchors = [p.anchor for p in passages]
    assert len(set(anchors)) == len(anchors)
    assert [p.anchor for p in chunk_document(parse_document(exp.text, "doc"))] == anchors
    assert all(p.passage_id == f"doc#{p.anchor}" for p in passages)
    for para in doc.paragraphs:
        mine = [p for p in passages if p.paragraph_index == para.index]
        assert len(mine) >= 1
        assert [p.sentence_index for p in mine] == list(range(len(mine)))
        for p in mine:
            assert p.paragraph_text == para.text
            assert p.text in para.text
            assert (p.section_path, p.section_anchor) == (para.section_path, para.section_anchor)
            assert (p.doc_id, p.doc_title) == ("doc", doc.title)
        locate(para.text, [p.text for p in mine])
    # An edit after a passage (here: a paragraph appended) does not move its anchor.
    grown = parse_document(exp.text + "\n新增的一段文字在最后，内容与前文都不相同。\n", "doc")
    assert [p.anchor for p in chunk_document(grown)][: len(anchors)] == anchors


# --- 3. the text normalizers ----------------------------------------------------------------

unicode_mix = st.lists(
    st.one_of(
        no_surrogates,
        st.sampled_from(["😀", "👨\u200d👩\u200d👧", "\u0301", "\u0308", "\u3000", "ｓ", "Ｓ６"]),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
        st.characters(whitelist_categories=("Mn", "Zs", "Cc", "Cf")),
    ),
    max_size=80,
).map("".join)
_WHITESPACE = re.compile(r"\s")


def full_width(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


@FAST
@given(unicode_mix)
@example("a \u0301")  # NFKC composes the accent once the space between is gone
@example("\u00b4")  # NFKC decomposes the acute accent into a space and a combining mark
def test_normalize_is_idempotent_and_has_no_whitespace(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not _WHITESPACE.search(once)
    assert unicodedata.normalize("NFKC", once) == once


@FAST
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40))
def test_full_width_forms_normalize_like_ascii(text: str) -> None:
    assert normalize(full_width(text)) == normalize(text) == normalize(text.upper())


@FAST
@given(unicode_mix)
def test_strip_controls_removes_controls_and_only_them(text: str) -> None:
    out = strip_controls(text)
    assert all(unicodedata.category(ch)[0] != "C" or ch in "\n\t" for ch in out)
    assert strip_controls(out) == out
    assert len(out) <= len(text)
    kept = iter(text)
    assert all(ch in kept for ch in out)  # a subsequence: nothing added, order kept
    if all(unicodedata.category(ch)[0] != "C" for ch in text):
        assert out == text


@FAST
@given(unicode_mix)
def test_to_simplified_never_raises(text: str) -> None:
    out = to_simplified(text)
    assert isinstance(out, str)
    assert to_simplified(strip_controls(text)) == strip_controls(out)


@FAST
@given(st.text(st.characters(max_codepoint=0x7F, blacklist_categories=("Cs",)), max_size=60))
def test_to_simplified_keeps_ascii(text: str) -> None:
    assert to_simplified(text) == text


def test_to_simplified_converts_traditional() -> None:
    assert to_simplified("京霸鐵路與機場") == "京霸铁路与机场"


# --- 4. docstore compose / split ------------------------------------------------------------

# Any text, line breaks and '---' included: fields come back as one line (``one_line``).
field_text = st.text(no_surrogates, max_size=40)
body_text = st.lists(
    st.one_of(no_surrogates, st.sampled_from(["\n", "---", "# ", "\n---\n"])), max_size=40
).map("".join)


@FAST
@given(
    field_text.filter(str.strip),
    st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), field_text, max_size=4),
    body_text.map(lambda s: s.replace("\r", "")),
)
def test_compose_then_split_round_trips(title: str, metadata: dict[str, str], body: str) -> None:
    got_title, got_meta, got_body = split(compose(title, body, metadata))
    assert got_title == one_line(title)
    assert got_meta == {k: one_line(v) for k, v in metadata.items() if k != "title"}
    assert got_body == body.strip()


def test_a_field_with_a_dash_line_becomes_one_line_and_keeps_the_front_matter() -> None:
    text = compose("标题", "正文。", {"note": "上\n---\n下"})
    assert split(text) == ("标题", {"note": "上 --- 下"}, "正文。")


def test_a_field_with_a_next_line_character_becomes_one_line() -> None:
    assert split(compose("标题\x85甲", "正文。"))[0] == "标题 甲"
