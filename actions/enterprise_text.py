"""Reading an enterprise's own words: its industry, what it wants, and whether a message is a
question (which is answered, never stored as a slot value).

Pure text functions (no Rasa), shared by the cooperation answer and the cooperation form.
Industries are not listed anywhere: the industry is the enterprise's own phrase, cut out of
the sentence by the ways people introduce a business (我们是做…的, …企业, 从事…), and matched
against the knowledge base when answering, so a new industry in the plan needs no retrain.
"""

from __future__ import annotations

import re

# 我们是做新能源汽车零部件的企业 / 我们公司搞集成电路设计 / 从事生物医药研发 / 一家医疗器械企业
_INDUSTRY_PATTERNS = (
    re.compile(
        r"(?:做|搞|从事|经营|生产|干)(?P<ind>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)"
        r"(?:的(?:企业|公司|厂|单位|行业)?|行业|产业|企业|公司|业务|工作)"
    ),
    re.compile(
        r"(?:是|一家|我们|我司|本公司)(?:一家)?(?P<ind>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)"
        r"(?:企业|公司|厂家|厂商|行业)"
    ),
    re.compile(r"(?:做|搞|从事|经营|生产)(?P<ind>[\u4e00-\u9fffA-Za-z0-9]{2,12})$"),
)
_CLAUSE = re.compile(r"[，,。；;！!？?\s]+")
# Clauses that only refer back or fill ("刚才说了呀", "我不是说过了吗", "你好").
_FILLER_CLAUSE = re.compile(
    r"^(?:你好|您好|嗯|哦|好的?|是的|对|刚才|刚刚|之前|前面|上面|我|不是)?"
    r"(?:已经|都|不是)?(?:说|讲|告诉|提)(?:了|过|到)?.*$|^(?:你好|您好|嗯|哦|呃|那个|就是)$"
)
_FILLER_HEAD = re.compile(
    r"^(?:你好|您好)?[，,]?(?:我们|我|俺们|咱们)?(?:公司|企业|厂|单位)?(?:是|主要)?(?:一家)?"
    r"(?:做|搞|从事|干|经营|生产)?"
)
_FILLER_TAIL = re.compile(r"(?:的|行业|产业|企业|公司|方面|相关)*[。！!？?，, ]*$")
# Words that make a message a question (asked of the plan), in any position.
_QUESTION = re.compile(
    r"[？?]|吗|呢$|什么|啥|哪|怎么|怎样|如何|多少|多久|几[年月号个条]|是否|有没有|会不会|"
    r"能不能|可不可以|要不要|是不是|真的假的|是真的|对不对|行不行|(?P<a>[\u4e00-\u9fff])[不没](?P=a)"
)
# In this order: "找地方建厂" wants a site, "生产环节放哪" production capacity.
NEED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "park": ("园区", "园", "共建", "入园", "入驻"),
    "site": ("地", "选址", "落地", "厂房", "场地", "办公"),
    "capacity": ("产能", "生产", "制造", "代工", "环节", "工厂"),
}
NEED_LABELS = {"site": "项目落地选址", "park": "合作共建园区", "capacity": "生产环节与产能布局"}


def is_question(text: str) -> bool:
    """Whether the message asks something (it is answered, not stored as a slot value)."""
    return bool(_QUESTION.search(text.strip()))


def extract_industry(text: str) -> str:
    """The industry an enterprise names in a sentence, or "" when it names none.

    我们是做新能源汽车零部件的企业，想在大兴或周边找地方建厂 → 新能源汽车零部件;
    刚才说了呀，新能源汽车零部件 → 新能源汽车零部件 (the clause that refers back is dropped).
    """
    for pattern in _INDUSTRY_PATTERNS:
        for clause in _CLAUSE.split(text.strip()):
            match = pattern.search(clause)
            if match:
                return clean_industry(match.group("ind"))
    return ""


def industry_answer(text: str) -> str:
    """An answer to "what is your industry?": the industry named, else the one clause that is
    neither a filler nor a question, cleaned; "" when there is none."""
    named = extract_industry(text)
    if named:
        return named
    clauses = [c for c in _CLAUSE.split(text.strip()) if c]
    kept = [c for c in clauses if not _FILLER_CLAUSE.match(c) and not is_question(c)]
    if len(kept) != 1 or len(kept[0]) > 20:
        return ""
    return clean_industry(kept[0])


def clean_industry(text: str) -> str:
    cleaned = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", text.strip()))
    return cleaned.strip() or text.strip()


def need_from_text(text: str) -> str | None:
    """What the enterprise wants (site, park or capacity), when its words say so."""
    for need, words in NEED_KEYWORDS.items():
        if any(w in text for w in words):
            return need
    return None
