from __future__ import annotations

import pytest

from knowledge.answering.compose import combine
from knowledge.answering.reply import Button, Citation, Reply


def _cite(n: int, anchor: str) -> Citation:
    return Citation(
        n=n,
        doc_id="d",
        doc_title="T",
        section="S",
        quote=f"句子{anchor}。",
        url=f"/sources/d#{anchor}",
    )


def _answer(*anchors: str) -> Reply:
    cites = [_cite(i + 1, a) for i, a in enumerate(anchors)]
    return Reply(kind="answer", text="\n".join(f"{c.quote}[{c.n}]" for c in cites), citations=cites)


def test_citations_are_renumbered_and_shared_passages_keep_one_number() -> None:
    reply = combine(
        [("产业布局：", _answer("a", "b")), ("共建园区：", _answer("b", "c"))],
        closing="需要转给工作人员吗？",
        buttons=[Button(title="是", payload="/affirm")],
    )
    assert [c.n for c in reply.citations] == [1, 2, 3]
    assert [c.url[-1] for c in reply.citations] == ["a", "b", "c"]
    assert reply.text == (
        "产业布局：\n句子a。[1]\n句子b。[2]\n\n共建园区：\n句子b。[2]\n句子c。[3]\n\n需要转给工作人员吗？"
    )
    assert reply.buttons[0].payload == "/affirm"


def test_parts_that_are_not_answers_are_skipped() -> None:
    declined = Reply(kind="no_answer", text="没有写到。")
    reply = combine([("布局：", declined), ("园区：", _answer("x"))])
    assert reply.text == "园区：\n句子x。[1]"
    with pytest.raises(ValueError):
        combine([("布局：", declined)])
