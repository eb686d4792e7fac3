"""Writing a Reply from the engine's decision: quoted sentences and fixed templates only.

Every sentence of an answer is a source sentence, verbatim, followed by its ``[n]``. The only
other words are fixed templates that say where the text comes from, what the sources do not
say (没有写到您问的具体时间), and where to ask instead; nothing is generated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from knowledge.answering.question import Detail, evidence_holds
from knowledge.answering.reply import Button, Citation, Reply
from knowledge.chunking import Passage

if TYPE_CHECKING:
    from knowledge.answering.engine import Candidate, Decision

DETAIL_LABELS: dict[Detail, str] = {
    Detail.DATE: "具体时间",
    Detail.TIME: "具体时段（几点）",
    Detail.DURATION: "具体时长或期限",
    Detail.FREQUENCY: "具体频次（多久一次）",
    Detail.AMOUNT: "具体金额或标准",
    Detail.QUANTITY: "具体数量",
    Detail.PLACE: "具体地点",
    Detail.SITE: "具体是哪个镇、站或路段",
    Detail.PROCEDURE: "办理条件、材料和流程",
    Detail.CONTACT: "联系方式",
    Detail.ORGANISATION: "具体是哪家公司",
}

# What a partial reply names as not written when the sources only say it will be announced
# (具体安排另行通知): the matter's particulars, whatever was asked of them.
PUT_OFF_LABEL = "具体安排"

HANDOFF_BUTTON = Button(title="转人工服务", payload="/human_handoff")

# Shown apart from the answer (Reply.notice): it is guidance, not a statement from the sources.
ENTITLEMENT_NOTICE = (
    "以上是规划原文。个人的补偿、安置标准和资格，以主管部门正式公布的政策为准，"
    "具体情况请咨询{contact}（{hotline}）。"
)


class ReplyRenderer:
    """Replies in the service's words, naming its hotline and contact (from settings)."""

    def __init__(self, *, hotline: str, contact: str) -> None:
        self._hotline = hotline
        self._contact = contact

    def render(self, decision: Decision) -> Reply:
        if decision.kind == "answer":
            return self._answer(decision)
        return self._no_answer(decision)

    def _answer(self, decision: Decision) -> Reply:
        citations = [_citation(i + 1, c.passage) for i, c in enumerate(decision.evidence)]
        title = decision.evidence[0].passage.doc_title
        lines = [f"根据《{title}》：" if _one_doc(decision.evidence) else "根据已公布的资料："]
        labels = _heading_labels(decision)
        lines += [f"{label}{c.quote}[{c.n}]" for label, c in zip(labels, citations, strict=True)]
        if decision.missing:
            asked = "、".join(DETAIL_LABELS[d] for d in decision.missing)
            lines.append(f"资料中没有写到您问的{asked}。")
        notice = ""
        if decision.analysis and decision.analysis.entitlement:
            notice = ENTITLEMENT_NOTICE.format(contact=self._contact, hotline=self._hotline)
        return Reply(kind="answer", text="\n".join(lines), citations=citations, notice=notice)

    def _no_answer(self, decision: Decision) -> Reply:
        ask = f"如需了解具体情况，请拨打{self._contact}（{self._hotline}）咨询，或转人工服务。"
        if (decision.missing or decision.missing_words) and decision.evidence:
            return self._partial(decision, ask)
        if decision.reason == "not a Chinese question":
            head = "目前只能回答中文提问，请用中文描述您的问题。"
        else:
            head = "已公布的规划和资料中没有找到能回答这个问题的内容。"
        if decision.related:
            head += "下面是资料中与此最相关的内容，供参考。"
        related = [_citation(i + 1, h.passage) for i, h in enumerate(decision.related)]
        return Reply(kind="no_answer", text=head + ask, related=related, buttons=[HANDOFF_BUTTON])

    def _partial(self, decision: Decision, ask: str) -> Reply:
        """What the sources say about the subject, quoted inline, and what they do not."""
        said = decision.evidence[0].passage
        others = [h.passage for h in decision.related if h.passage.passage_id != said.passage_id]
        related = [_citation(i + 1, p) for i, p in enumerate([said, *others])]
        asked = "、".join(
            [DETAIL_LABELS[d] for d in decision.missing]
            + [f"“{w}”" for w in decision.missing_words]
        )
        text = f"《{said.doc_title}》中写道：“{said.text}”[1]但资料中没有写到您问的{asked}。{ask}"
        return Reply(kind="no_answer", text=text, related=related, buttons=[HANDOFF_BUTTON])


# Kinds a heading may give by its own words, for the sentences under it: （二）入户排查（2027年
# 4月1日至5月31日） dates each step's sentences. (A label such as 三、需携带材料 only names what
# the sentences say.)
_GIVEN_BY_HEADINGS = frozenset(
    {Detail.DATE, Detail.TIME, Detail.DURATION, Detail.AMOUNT, Detail.PLACE, Detail.CONTACT}
)
_FIGURE = re.compile(r"\d")


def _heading_labels(decision: Decision) -> list[str]:
    """For each quoted sentence, its own heading and a colon when that heading, not the
    sentence, gives a kind asked (once per heading); else nothing. The reply must say what the
    answer rests on, and a heading is source text as written."""
    analysis = decision.analysis
    asked = (analysis.details if analysis else frozenset()) & _GIVEN_BY_HEADINGS
    labels: list[str] = []
    shown: set[tuple[str, str]] = set()
    for candidate in decision.evidence:
        passage = candidate.passage
        heading = passage.section_path[-1] if len(passage.section_path) > 1 else ""
        key = (passage.doc_id, heading)
        # (Only a heading with a figure of its own: 一、食堂地址和供餐时间 names, gives nothing.)
        given = _FIGURE.search(heading) and any(
            evidence_holds(d, heading, asked=analysis)
            and not evidence_holds(d, passage.text, asked=analysis)
            for d in asked
        )
        labels.append(f"{heading}：" if given and key not in shown else "")
        if given:
            shown.add(key)
    return labels


def _one_doc(evidence: Sequence[Candidate]) -> bool:
    return len({c.passage.doc_id for c in evidence}) == 1


def _citation(n: int, passage: Passage) -> Citation:
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        doc_title=passage.doc_title,
        section=passage.section,
        quote=passage.text,
        url=f"/sources/{passage.doc_id}#{passage.anchor}",
    )
