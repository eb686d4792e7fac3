"""Follow-up questions drawn from the sources: one per section, written from its own heading.

After an answer the resident is offered the sections next to the ones cited (the next and the
previous section, then the other sections under the same parent, then the parent itself). Each
section's question is made by one general rule from its heading (its numbering stripped, then
``…有哪些内容？``) and is offered only when the engine, asked that very question, answers it from
that section (or one below it): a suggestion never leads to a decline. The check runs once per
section and index build, when the section is first needed, and is kept for the build; a new
build starts afresh. The welcome's starter questions are the documents' top sections, checked
the same way.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from knowledge.answering.engine import AnswerEngine
from knowledge.answering.reply import Citation
from knowledge.chunking import Passage

# The numbering in front of a heading: 第四章, 一、, （二）, 1. , 1、 (what the heading says
# follows it).
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分篇]\s*|[一二三四五六七八九十]+[、.．]\s*"
    r"|[（(][一二三四五六七八九十\d]+[)）]\s*|\d+(?:\.\d+)*[、.．]?\s+|\d+[、．]\s*)"
)
# Tried in order; the first one the engine answers from the section is kept.
TEMPLATES = ("{}有哪些内容？", "{}包括哪些方面？")
MIN_TOPIC_CHARS = 2
MAX_TOPIC_CHARS = 30

SectionKey = tuple[str, tuple[str, ...]]  # (doc_id, heading path)
# What the engine answers a question from: the (doc_id, heading path) of each passage of its
# evidence, or None when it does not answer.
AnsweredFrom = Callable[[str], Sequence[SectionKey] | None]


def topic_of(heading: str) -> str:
    """A heading without its numbering and trailing punctuation; empty when too short or too
    long to ask about."""
    topic = _NUMBERING.sub("", heading).strip().rstrip("。：:；;，,")
    return topic if MIN_TOPIC_CHARS <= len(topic) <= MAX_TOPIC_CHARS else ""


def candidate_questions(heading: str) -> list[str]:
    topic = topic_of(heading)
    return [t.format(topic) for t in TEMPLATES] if topic else []


def _under(key: SectionKey, section: SectionKey) -> bool:
    """Whether ``key`` is ``section`` or one of its subsections."""
    return key[0] == section[0] and key[1][: len(section[1])] == section[1]


@dataclass
class SuggestionBook:
    """The checked question of each section of one index build (filled in lazily)."""

    build_id: str
    sections: list[SectionKey]
    passage_sections: dict[tuple[str, str], SectionKey]
    answered_from: AnsweredFrom
    _questions: dict[SectionKey, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(
        cls, build_id: str, passages: Sequence[Passage], answered_from: AnsweredFrom
    ) -> SuggestionBook:
        sections: dict[SectionKey, None] = {}
        where: dict[tuple[str, str], SectionKey] = {}
        for p in passages:
            key = (p.doc_id, tuple(p.section_path))
            # Every heading on the way down is a section too (a chapter with only subsections).
            for depth in range(1, len(key[1]) + 1):
                sections.setdefault((p.doc_id, key[1][:depth]), None)
            where[(p.doc_id, p.anchor)] = key
        return cls(build_id, list(sections), where, answered_from)

    def question(self, section: SectionKey) -> str:
        """The section's checked question, or "" when no candidate is answered from it."""
        with self._lock:
            if section in self._questions:
                return self._questions[section]
        found = ""
        for q in candidate_questions(section[1][-1]) if section[1] else []:
            keys = self.answered_from(q)
            if keys and any(_under(k, section) for k in keys):
                found = q
                break
        with self._lock:
            self._questions[section] = found
        return found

    def after(self, citations: Sequence[Citation], asked: str = "", limit: int = 3) -> list[str]:
        """Up to ``limit`` checked questions about the sections next to the cited ones."""
        cited: list[SectionKey] = []
        for c in citations:
            key = self.passage_sections.get((c.doc_id, c.url.rpartition("#")[2]))
            if key is not None and key not in cited:
                cited.append(key)
        out: list[str] = []
        for section in self._neighbours(cited):
            q = self.question(section)
            if q and q != asked.strip() and q not in out:
                out.append(q)
                if len(out) >= limit:
                    break
        return out

    def starters(self, limit: int = 3) -> list[str]:
        """The documents' top sections (below the title), taking each document in turn."""
        per_doc: dict[str, list[SectionKey]] = {}
        for key in self.sections:
            depth = len(key[1])
            leaf = not any(k != key and _under(k, key) for k in self.sections)
            if depth == 2 or (depth == 1 and leaf):
                per_doc.setdefault(key[0], []).append(key)
        queues = list(per_doc.values())
        out: list[str] = []
        while queues and len(out) < limit:
            for queue in list(queues):
                if not queue:
                    queues.remove(queue)
                    continue
                q = self.question(queue.pop(0))
                if q and q not in out:
                    out.append(q)
                    if len(out) >= limit:
                        break
        return out

    def _neighbours(self, cited: Sequence[SectionKey]) -> list[SectionKey]:
        """For each cited section: its siblings, nearest first and the next before the
        previous, then its subsections, then its parent's siblings;
        never a cited section or one that holds it (that would answer the same again)."""
        order = {key: i for i, key in enumerate(self.sections)}
        found: list[SectionKey] = []

        def add(key: SectionKey) -> None:
            if key not in found and not any(_under(c, key) for c in cited):
                found.append(key)

        for section in cited:
            doc, path = section
            here = order[section]

            def near(k: SectionKey, here: int = here) -> tuple[int, bool]:
                return abs(order[k] - here), order[k] < here

            siblings = sorted(
                (
                    k
                    for k in self.sections
                    if k[0] == doc and len(k[1]) == len(path) and k[1][:-1] == path[:-1]
                ),
                key=near,
            )
            for k in siblings:
                add(k)
            for k in self.sections:
                if k[0] == doc and len(k[1]) == len(path) + 1 and k[1][:-1] == path:
                    add(k)
            if len(path) > 2:
                uncles = [
                    k
                    for k in self.sections
                    if k[0] == doc and len(k[1]) == len(path) - 1 and k[1][:-1] == path[:-2]
                ]
                for k in sorted(uncles, key=near):
                    add(k)
        return found


class Suggester:
    """The book of the build an engine serves now: a new build gets a new, empty book."""

    def __init__(self) -> None:
        self._book: SuggestionBook | None = None
        self._lock = threading.Lock()

    def book(self, engine: AnswerEngine) -> SuggestionBook:
        index = engine.index
        build = index.manifest.build_id
        with self._lock:
            if self._book is None or self._book.build_id != build:
                self._book = SuggestionBook.of(
                    build, index.passages, lambda q: answered_from(engine, q)
                )
            return self._book


def answered_from(engine: AnswerEngine, question: str) -> list[SectionKey] | None:
    """Where the engine answers ``question`` from (no conversation context), or None."""
    decision, _ = engine.decide_and_reply(question)
    if decision.kind != "answer":
        return None
    return [(c.passage.doc_id, tuple(c.passage.section_path)) for c in decision.evidence]
