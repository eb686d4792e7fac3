"""Why the engine answered or declined, as a small typed object staff can read.

The engine's ``Decision.reason`` is an English line for logs and evaluation; the staff test
console (试问) needs the same decision in plain Chinese. Rather than parse that line, each
gate of :meth:`AnswerEngine._decide_on` records which check decided and the numbers it
compared, and :meth:`DecisionReason.chinese` words it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from knowledge.answering.question import Detail


class Gate(StrEnum):
    """The check that decided, in the order the engine makes them."""

    EMPTY_QUESTION = "empty_question"
    NOT_CHINESE = "not_chinese"
    EMPTY_INDEX = "empty_index"
    OFF_TOPIC = "off_topic"
    UNKNOWN_NAME = "unknown_name"
    NO_TERM = "no_term"
    LOW_SUPPORT = "low_support"
    UNNAMED_IDENTIFIER = "unnamed_identifier"
    MISSING_DETAIL = "missing_detail"
    OPENING_ONLY = "opening_only"
    ANSWERED = "answered"
    ANSWERED_IN_PART = "answered_in_part"


# The Chinese names of the kinds of detail, as the staff console words them.
DETAIL_NAMES: dict[Detail, str] = {
    Detail.DATE: "日期",
    Detail.TIME: "时段",
    Detail.DURATION: "时长或期限",
    Detail.FREQUENCY: "频次",
    Detail.AMOUNT: "金额或标准",
    Detail.QUANTITY: "数量",
    Detail.PLACE: "地点",
    Detail.SITE: "所问的镇、站或路段",
    Detail.PROCEDURE: "办理条件、材料或流程",
    Detail.CONTACT: "联系方式",
    Detail.ORGANISATION: "公司名称",
}


@dataclass(frozen=True)
class DecisionReason:
    """Which gate decided, with what it compared (numbers only where that gate has them)."""

    gate: Gate
    # Names or designators the gate found missing (瀛悦家园, S9线).
    names: tuple[str, ...] = ()
    missing: tuple[Detail, ...] = ()
    dense: float | None = None
    coverage: float | None = None
    support: float | None = None
    needed: float | None = None
    # The staff aliases (resident phrasings) that linked the question to a passage.
    aliases: tuple[str, ...] = ()
    follow_up: bool = False

    def chinese(self) -> str:
        """The reason in plain Chinese, one or two sentences."""
        text = _WORDS[self.gate](self)
        if self.aliases:
            text += "（问题匹配了人工关联的说法：" + "、".join(self.aliases) + "）"
        if self.follow_up:
            text += "（这句话被当作对上一个问题的追问来理解）"
        return text


def _missing(reason: DecisionReason) -> str:
    return "、".join(DETAIL_NAMES[d] for d in reason.missing) or "所问的细节"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


_WORDS: dict[Gate, Callable[[DecisionReason], str]] = {
    Gate.EMPTY_QUESTION: lambda r: "问题为空。",
    Gate.NOT_CHINESE: lambda r: "不是中文提问，目前只回答中文问题。",
    Gate.EMPTY_INDEX: lambda r: "已发布的资料为空，没有可以检索的内容。",
    Gate.OFF_TOPIC: lambda r: (
        f"最相关的段落与问题的主题相去甚远（语义相似度 {_number(r.dense)} 低于下限 "
        f"{_number(r.needed)}），判定资料没有涉及这个话题。"
    ),
    Gate.UNKNOWN_NAME: lambda r: f"名称在资料中不存在：{'、'.join(r.names)}。",
    Gate.NO_TERM: lambda r: "主题词未出现：问题中的关键词在最相关的段落里都没有出现。",
    Gate.LOW_SUPPORT: lambda r: (
        f"证据不足（支持度 {_number(r.support)} 低于阈值 {_number(r.needed)}；"
        f"关键词覆盖 {_number(r.coverage)}，语义相似度 {_number(r.dense)}）。"
    ),
    Gate.UNNAMED_IDENTIFIER: lambda r: (
        f"找到的段落没有提到问题中的编号或名称：{'、'.join(r.names)}。"
    ),
    Gate.OPENING_ONLY: lambda r: (
        f"只有通知开头的概述谈到了这个主题，没有写到所问的：{'、'.join(r.names)}。"
    ),
    Gate.MISSING_DETAIL: lambda r: (
        f"资料谈到了这个主题，但缺少所问的{_missing(r)}，所以只摘录相关内容并说明没有写到。"
    ),
    Gate.ANSWERED: lambda r: "已回答：最相关的段落谈到了问题的主题，并包含所问的内容。",
    Gate.ANSWERED_IN_PART: lambda r: f"已回答一部分：资料中没有写到所问的{_missing(r)}。",
}
