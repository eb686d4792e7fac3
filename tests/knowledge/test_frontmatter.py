"""Front matter is a flat mapping of plain values, for every reader of sources (the index
build and `planbot import` read files with the same parser as uploads)."""

from __future__ import annotations

import time

import pytest

from knowledge.documents import DocumentError, parse_document
from knowledge.frontmatter import FrontMatterError, load_front_matter


def _bomb(levels: int) -> str:
    lines = ["title: 规划", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines)


def test_an_alias_bomb_is_refused_before_anything_is_built() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        parse_document(f"---\n{_bomb(8)}\n---\n正文。\n", "bomb")
    assert time.monotonic() - started < 15  # a hang guard: 9**8 items were never built
    assert "anchors or aliases" in info.value.message
    assert info.value.line == 3  # the file line of the first anchor


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: x\nissuer: *nowhere", 2),
        ("title: x\nlist:\n  - a\n  - b", 3),
        ("title: x\n? [a, b]\n: c", 2),
        ("title: !!str x", 1),
        ("- title\n- x", 1),
        ("just text", 1),
    ],
)
def test_anything_but_plain_fields_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as info:
        load_front_matter(text)
    assert info.value.line == line


def test_plain_fields_read_as_they_always_did() -> None:
    text = "title: '第四章：协同'\nissuer:\npublished: 2016-03-01\nn: 3\ndraft: on\n# a comment"
    assert load_front_matter(text) == {
        "title": "第四章：协同",
        "issuer": "",
        "published": "2016-03-01",
        "n": "3",
        "draft": "True",
    }
    assert load_front_matter("") == {}


def test_a_syntax_error_is_still_reported_as_yaml() -> None:
    with pytest.raises(DocumentError) as info:
        parse_document("---\ntitle: [unclosed\n---\n正文\n", "d")
    assert "not valid YAML" in info.value.message
