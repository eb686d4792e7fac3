"""Reading a fragment ("那高速呢", "地铁呢", "生产环节放哪") against the previous turn's question.

The dialogue keeps the previous turn's standalone question (answered or declined alike) and,
when the next message is a fragment, gives the engine one combined standalone question. The
rule is general, not per question:

- a bare subject ("那高速呢"): the previous question with its subject replaced by the fragment's
  and its detail wording (什么时候, 多少钱, 多久 …) dropped, so the topic words stay and the
  previous question's *type* is not carried over ("京霸铁路什么时候通车" + "那高速呢" →
  "高速通车");
- an aspect with its own question wording ("生产环节放哪"): the previous subject followed by the
  fragment ("生物医药" + "生产环节放哪" → "生物医药生产环节放哪");
- nothing but a lead ("还有呢"): the previous question again.

Whether a message is a fragment at all comes in two strengths: ``STRONG`` (a lead word such as
那/还有 or a final 呢 on a short message, or no content word at all) is always combined; ``WEAK``
(a short message without those marks) is answered alone first by the caller, and combined only
when alone it is declined.
"""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.answering import terms as term_tools
from knowledge.answering.question import asked_details
from knowledge.text import fold

_LEAD = re.compile(r"^(?:那么|那|还有|另外|然后|再问一下|再问问|再问)[，,、\s]*")
_TAIL = re.compile(r"(?:呢|吧|啊|呀)?[？?。！!，,\s]*$")
_ENDS_NE = re.compile(r"呢[？?。！!\s]*$")
# Wording that makes a fragment a question of its own about an aspect of the previous subject.
_OWN_QUESTION = re.compile(
    r"吗|什么|啥|哪|怎么|怎样|如何|多少|多久|几|是否|有没有|会不会|能不能|要不要|是不是|[不没]\S?$"
)
# The wording that asks for a kind of detail (a date, an amount, a duration, a count): it is the
# previous question's type, not its topic, so a bare-subject fragment does not inherit it.
_DETAIL_WORDING = re.compile(
    r"(?:大概|大约|预计)?(?:什么时候|啥时候|什么时间|何时|哪一年|哪年|几月|几号|哪天|多久|多长时间|"
    r"几年|多少钱|多少|几个|几条|几座|能不能|会不会|要不要|是不是|有没有)"
    r"|[吗嘛][？?]?$"
)
# Parts of speech (jieba) that can make up a subject: nouns of every kind, abbreviations, and a
# measure word directly after a noun (汽车零部件).
# A designator with its one-character prefix (兴58路, S6线): jieba splits it (兴 / 58 / 路).
_DESIGNATOR = re.compile(r"[\u4e00-\u9fff]?[A-Za-z]*\d+[A-Za-z]*(?:号线|线|路|号)")
# A bare fragment naming a kind of detail asks it of the previous subject (那收费标准呢).
_ATTRIBUTE = re.compile(r"时间|地点|地址|电话|材料|条件|范围|标准|费用|价格|票价|名单|对象")
_NOUN_FLAGS = ("n", "nr", "ns", "nt", "nz", "nw", "j", "eng", "l")
_AFTER_NOUN_FLAGS = ("mq", "an")
STRONG_MAX_CHARS = 10
WEAK_MAX_CHARS = 6


class Strength(StrEnum):
    NONE = "none"
    WEAK = "weak"
    STRONG = "strong"


def core_of(fragment: str) -> str:
    """The fragment without its lead word and its final particle and punctuation."""
    return _TAIL.sub("", _LEAD.sub("", fragment.strip())).strip()


def strength(message: str) -> Strength:
    """How surely a message leans on the previous turn (see the module docstring)."""
    text = fold(message).strip()
    core = core_of(text)
    if not core or not term_tools.content_terms(core):
        return Strength.STRONG
    marked = bool(_LEAD.match(text)) or bool(_ENDS_NE.search(text))
    if marked and len(core) <= STRONG_MAX_CHARS:
        return Strength.STRONG
    if len(core) <= WEAK_MAX_CHARS and not core.endswith(("吗", "嘛")):
        return Strength.WEAK
    return Strength.WEAK if marked else Strength.NONE


def subject_of(question: str) -> str:
    """The question's subject: a designator it names (兴58路), else its first run of nouns
    that are content words, which may open with a number or a verb used as a topic
    (规划里有哪些铁路要修 → 铁路; 京霸铁路什么时候通车 → 京霸铁路; 供暖什么时候开始 → 供暖).
    The wording that asks for a detail is not part of it (什么时候 holds the noun 时候)."""
    import jieba.posseg

    designator = _DESIGNATOR.search(fold(question))
    if designator:
        return designator.group(0)
    term_tools.segmenter()  # the shared dictionary is loaded once
    run: list[str] = []
    nouns = 0
    for token in jieba.posseg.lcut(_DETAIL_WORDING.sub("，", fold(question))):
        word, flag = token.word, token.flag
        content = word not in term_tools.STOP_TERMS and (len(word) > 1 or word.isascii())
        is_noun = flag.startswith(_NOUN_FLAGS) and word not in term_tools.STOP_TERMS
        opens = not run and content and (flag in ("v", "vn") or flag == "m")
        if is_noun or opens or (nouns and flag in _AFTER_NOUN_FLAGS):
            run.append(word)
            nouns += is_noun
        elif run:
            break
    return "".join(run)


def readings(previous: str, fragment: str) -> list[str]:
    """The standalone questions a fragment can mean after the previous question, the likelier
    first: a bare subject replaces the previous one (那高速呢) or names an aspect of it
    (那收费呢 after a heating question); a fragment with its own question wording asks about an
    aspect (生产环节放哪). The caller asks them in order and keeps the first one answered."""
    core = core_of(fold(fragment))
    previous = fold(previous).strip()
    if not previous:
        return [fragment]
    own_question = bool(_OWN_QUESTION.search(core))
    if not core or not (term_tools.content_terms(core) or own_question):
        return [previous]
    subject = subject_of(previous)
    aspect = core if not subject or subject in core else f"{subject}{core}"
    if own_question:
        return _unique([aspect, core])
    if asked_details(core) or _ATTRIBUTE.search(core):
        return _unique([aspect, _replace(previous, subject, core)])
    return _unique([_replace(previous, subject, core), aspect])


def _replace(previous: str, subject: str, core: str) -> str:
    """The previous question about the fragment's subject, without its detail wording."""
    base = _DETAIL_WORDING.sub("", previous).rstrip("？?。！! ")
    if subject and subject in base:
        return base.replace(subject, core, 1)
    topic = [t for t in term_tools.content_terms(base) if t not in core]
    return core + "".join(topic[:2])


def combine(previous: str, fragment: str) -> str:
    """The likeliest standalone question (the first of :func:`readings`)."""
    return readings(previous, fragment)[0]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
