"""Follow-up questions: written from headings by one rule, offered only when answered from
their own section, nearest sections first, checked once per section and build."""

from __future__ import annotations

from knowledge.answering.reply import Citation
from knowledge.answering.suggestions import SectionKey, SuggestionBook, topic_of
from knowledge.chunking import Passage

TITLE = "第四章 推进协同发展"
SECTIONS = [
    ("一、功能承接", "（一）积极承接中心城功能"),
    ("一、功能承接", "（二）加快疏解非首都功能"),
    ("二、产业协作", "（一）加快共建园区发展"),
    ("二、产业协作", "（二）引导区域产业布局"),
    ("三、交通一体化", "（一）全力配合机场建设"),
    ("三、交通一体化", "（二）拓展区域交通通道"),
    ("三、交通一体化", "（三）推进停车设施"),
]


def _passages() -> list[Passage]:
    return [
        Passage(
            passage_id=f"p{i}",
            doc_id="plan",
            doc_title=TITLE,
            section_path=(TITLE, *path),
            section_anchor=f"s{i}",
            anchor=f"p-{i}",
            text=f"句子{i}。",
            paragraph_index=i,
            sentence_index=0,
            paragraph_text=f"句子{i}。",
        )
        for i, path in enumerate(SECTIONS)
    ]


def _citation(i: int) -> Citation:
    return Citation(
        n=1, doc_id="plan", doc_title=TITLE, section="", quote="", url=f"/sources/plan#p-{i}"
    )


def test_topics_are_headings_without_their_numbering() -> None:
    assert topic_of("（二）拓展区域交通通道") == "拓展区域交通通道"
    assert topic_of("三、需携带材料：") == "需携带材料"
    assert topic_of("第四章 推进协同发展") == "推进协同发展"
    assert topic_of("1. 办理流程") == "办理流程"
    assert topic_of("（一）") == ""


def test_only_questions_answered_from_their_own_section_are_offered() -> None:
    asked: list[str] = []
    unanswered = "推进停车设施"
    wrong_place = "全力配合机场建设"

    def answered_from(question: str) -> list[SectionKey] | None:
        asked.append(question)
        if question.startswith(unanswered):
            return None
        if question.startswith(wrong_place):
            return [("plan", (TITLE, *SECTIONS[0]))]  # answered, but from another section
        return [("plan", (TITLE, *_where(question)))]

    book = SuggestionBook.of("b1", _passages(), answered_from)
    # Cited: 拓展区域交通通道. Its siblings are not answered from themselves; the parent's
    # siblings are, nearest first; never the cited section or the one holding it.
    after = book.after([_citation(5)], asked="京霸铁路会建吗", limit=3)
    assert after == ["产业协作有哪些内容？", "功能承接有哪些内容？"]
    checks = len(asked)
    assert book.after([_citation(5)], limit=3) == after  # checked once per build
    assert len(asked) == checks


def test_siblings_come_first_and_the_next_before_the_previous() -> None:
    book = SuggestionBook.of("b1", _passages(), lambda q: [("plan", (TITLE, *_where(q)))])
    assert book.after([_citation(5)], limit=2) == [
        "推进停车设施有哪些内容？",
        "全力配合机场建设有哪些内容？",
    ]
    assert book.starters(2) == ["功能承接有哪些内容？", "产业协作有哪些内容？"]


def _where(question: str) -> tuple[str, ...]:
    for path in SECTIONS:
        for depth in (2, 1):
            if question.startswith(topic_of(path[depth - 1])):
                return path[:depth]
    return ()
