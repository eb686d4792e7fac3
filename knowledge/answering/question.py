"""What a question asks for, read from its wording alone (no knowledge of the sources).

Retrieval finds the passage on the right topic even when that passage lacks what was asked:
"京霸铁路哪年通车" retrieves the sentence that lists 京霸铁路 with a high score, but the sentence
has no year. So the engine also needs to know the *kind* of detail asked for (an amount, a date,
a count, a specific place, a personal procedure) and check the evidence actually holds one.
These are patterns of Chinese interrogatives, not of any particular source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.text import normalize


class Detail(StrEnum):
    AMOUNT = "amount"
    DATE = "date"
    COUNT = "count"
    PLACE = "place"
    SITE = "site"
    PROCEDURE = "procedure"
    CONTACT = "contact"


# Each detail: the question wordings that ask for it.
_ASKS: dict[Detail, re.Pattern[str]] = {
    Detail.AMOUNT: re.compile(
        r"多少钱|几块钱|多少元|几元|价格|价钱|房价|地价|租金|费用|收费|票价|多少费|金额|工资|薪资|"
        r"多少(?:亿|万|钱|补贴|补偿|赔偿|奖励|资金)|(?:投资|投入|花)多少|"
        r"税率|利率|(?:补偿|补贴|赔偿|奖励|补助|安置费)(?:标准|多少|几)|(?:补|赔|给)多少|标准是多少|"
        r"(?:费|金|款)(?:是|有|为)?多少"
    ),
    Detail.DATE: re.compile(
        r"什么时候|啥时候|何时|哪一?年|哪个月|几月|几号|哪一?天|多久|多长时间|几年|"
        r"时间表|截止|期限|几点|开通时间|通车时间|开工时间|完工|竣工时间|日期"
    ),
    Detail.COUNT: re.compile(
        r"几[套个座条家户人处所项栋间辆亩趟站]|多少[套个座条家户人处所项栋间辆亩平米公里万]|"
        r"多少|面积多大|多大面积|多大|多长|多宽|多远|多快|多高|数量是"
    ),
    # Where, in general: answered by a locative in the evidence (在新区布局…, 沿永定河…).
    Detail.PLACE: re.compile(
        r"在哪(?!些|个领域|方面)|哪里|哪儿|什么地方|什么位置|放哪|搬哪|搬到哪|往哪|去哪|建在|设在|位置在"
    ),
    # Where, precisely (a town, a station, an address): needs that very kind of place.
    Detail.SITE: re.compile(
        r"哪(?:些|几)?个?(?:镇|乡|村|街道|社区|小区|站|路口|地块)|站点|站址|选址|具体位置|地址|"
        r"在哪条路|门牌|经过哪|途经哪|从哪(?:儿|里)?到哪"
    ),
    Detail.PROCEDURE: re.compile(
        r"(?:怎么|怎样|如何|去哪|到哪|在哪|哪里|哪儿)"
        r"(?:[^，。？?！!]{0,6}?(?:申请|办理|挂号|预约|报名|缴纳|缴费|补交|充值|领取|购买|登记|"
        r"认定|查询|投诉|举报|补办)|(?:儿|里)?(?:才能|可以|能)?(?:办|缴|领|买|租))|"
        r"申请条件|申请流程|办理流程|需要什么材料|需要哪些材料|要啥材料|有资格|符合条件|什么条件|"
        r"条件是什么|哪些(?:人|企业|单位|公司)(?:可以|能)|谁可以|能不能申请|怎么才能"
    ),
    Detail.CONTACT: re.compile(r"电话|联系方式|手机号|邮箱|找谁|联系谁|热线"),
}

# Evidence that can answer each detail.
_HOLDS: dict[Detail, re.Pattern[str]] = {
    Detail.AMOUNT: re.compile(
        r"\d[\d.,]*\s*(?:元|万|亿|%|％)|[一二两三四五六七八九十百千万亿]+(?:元|万元|亿元)"
    ),
    Detail.DATE: re.compile(
        r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|[一二三四五六七八九十]+月|年底|年内|年初|年末|"
        r"上半年|下半年|[一二两三四五六七八九十]+年(?:内|后|前)"
    ),
    Detail.COUNT: re.compile(
        r"(?<![a-z])\d+(?:\.\d+)?\s*(?:[个套座条家户人处所项栋间辆亩万千百%％米吨元]|平方|公里|微克)|"
        r"[一二两三四五六七八九十百千万]+(?:套|个|座|条|家|户|人|处|所|项|栋|间|辆|亩|平方米|公里|万|元|吨)"
    ),
    Detail.PLACE: re.compile(
        r"在[^，。；]{1,12}?(?:布局|建设|设立|设置|建|落地|聚集|集中)|向[^，。；]{1,10}?(?:聚集|集中|转移)|"
        r"沿[^，。；]{2,12}|[^，。；、]{1,8}(?:市|县|镇|省)|新城|园区|基地|承接地|开发区|示范区"
    ),
    Detail.SITE: re.compile(r"镇|乡|村|街道|社区|车站|站点|\w站|路口|地块|门牌|号院"),
    Detail.PROCEDURE: re.compile(r"申请|办理|手续|(?<!原)材料|流程|程序|窗口|登记|报名|资格审查"),
    Detail.CONTACT: re.compile(r"\d{5,}|电话|热线|邮箱|@"),
}

# Personal entitlements: the engine may say what the plan says, never what a person will get.
_ENTITLEMENT = re.compile(
    r"补偿|赔偿|补贴|补助|安置费|拆迁款|分房|能分|能拿|能领|能得|资格|符合条件|"
    r"够不够|算不算|我家|我们家|我的房|我能"
)

_LIST = re.compile(
    r"有哪些|哪些|(?<!没)有什么|都有啥|(?<!没)有啥|包括什么|包括哪些|列举|清单|列表|都有"
)
_LIST_HEAD = re.compile(
    r"(?:有哪些|哪些|有什么|都有啥|有啥|包括什么|包括哪些)(?P<head>[^？?。，,！!]*)"
)
_LIST_BEFORE = re.compile(
    r"(?P<head>[^？?。，,！!]{2,12})(?:有哪些|都有哪些|包括哪些|有什么)[？?]?$"
)
_FOLLOW_UP = re.compile(r"^(?:那|那么|还有|另外|然后|再问一下)")
# Designators that name one thing among many of its kind: S6线, 104国道, 3号地块, G4.
# Amounts, counts and dates (2035年, 30%, 5万) are details, not names, and are checked apart.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])("
    r"[A-Za-z]*\d+[A-Za-z]*(?=号线|号|线|路|国道|省道|条|期|地块|标段|街区|楼)"
    r"|[A-Za-z]+\d+[A-Za-z0-9]*"
    r")"
)


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    normalized: str
    details: frozenset[Detail] = field(default_factory=frozenset)
    is_list: bool = False
    list_head: str = ""
    entitlement: bool = False
    follow_up: bool = False
    # Named designators the evidence must contain (asking about 示范162号 is not answered by
    # a passage on 示范166号, however close its wording).
    identifiers: tuple[str, ...] = ()


def analyze(question: str) -> QuestionAnalysis:
    norm = normalize(question)
    details = frozenset(d for d, pattern in _ASKS.items() if pattern.search(norm))
    head = ""
    is_list = bool(_LIST.search(norm))
    if is_list:
        match = _LIST_HEAD.search(norm)
        if match and len(match.group("head")) >= 2:
            head = match.group("head")
        else:
            before = _LIST_BEFORE.search(norm)
            head = before.group("head") if before else ""
    return QuestionAnalysis(
        text=question,
        normalized=norm,
        details=details,
        is_list=is_list,
        list_head=head,
        entitlement=bool(_ENTITLEMENT.search(norm)),
        follow_up=bool(_FOLLOW_UP.search(norm)),
        identifiers=tuple(dict.fromkeys(m.group(1).upper() for m in _IDENTIFIER.finditer(norm))),
    )


def evidence_holds(detail: Detail, evidence: str) -> bool:
    """Whether a piece of evidence contains something of the kind the question asks for."""
    return bool(_HOLDS[detail].search(normalize(evidence)))


def evidence_names(identifier: str, evidence: str) -> bool:
    """Whether the evidence names this designator itself (not one with more digits)."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(identifier)}(?![0-9])"
    return bool(re.search(pattern, normalize(evidence).upper()))
