"""Names of a known kind: 瀛和|家园, 京霸|铁路, 白塔|村 — and those the sources never use.

A question about 瀛悦家园 asked of sources that speak only of 瀛和家园 retrieves the 瀛和家园
notice with every other word matching; what shows the sources are silent is that they never use
the name, nor its distinguishing part. The kind words are general Chinese, not the vocabulary
of any source.

The same holds for what else a question names that the sources would have to name to answer
it: a town or estate the answering notice never mentions (another notice's subject), the role
whose holder is asked (园长是谁: no source names a 园长), and the thing a yes/no question asks
exists (有皮肤科吗). Each is read from the question's grammar, never from a list of known
questions.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable

from knowledge.answering import thesaurus
from knowledge.answering.question import (
    DATE_SPAN,
    Detail,
    asked_details,
    asks_for_detail,
    clauses,
)
from knowledge.answering.terms import (
    A_NOT_A,
    COMMON_WORD_IDF,
    STOP_TERMS,
    TermStats,
    content_terms,
    general_idf,
    is_han,
    known_and_specific,
    segmenter,
    term_support,
    word_class,
)
from knowledge.text import fold

# Words that name the kind of a place or thing; the characters before one say which of its
# kind (瀛和|家园, 京霸|铁路, 念坛|公园). General Chinese, not the vocabulary of any source.
KIND_HEADS = tuple(
    sorted(
        " ".join(
            [
                "家园 小区 花园 公寓 街道 社区 大街 大道 胡同 小学 中学 大学 学校 幼儿园 医院",
                "卫生院 卫生服务中心 卫生服务站 公园 广场 车站 地铁站 铁路 公路 高速 大桥 公司",
                "集团 银行 市场 商场 园区 基地 新城 机场 港口 水库 体育馆 图书馆 博物馆 纪念馆",
                "景区 隧道 城际 派出所 居委会 村委会 消防站 供电所 司法所",
            ]
        ).split(),
        key=len,
        reverse=True,
    )
)
# One-character kinds (村, 镇, 路) end many common words (道路, 公路): only a word of three
# characters or more that jieba reads whole counts (白塔村, 安定镇).
_SHORT_HEADS = frozenset("村镇乡路街河湖山寺庙")
# Grammar, numerals and measure words (几所学校, 每所小学) are never part of a name.
_FUNCTION_CHARS = frozenset(
    "上下里进出来过开修建的了在去到从和与及或是有个这那哪我你他她它们也都就还要会能把被给对向让使为于以由啥么什"
    "几所每将得"
)
# A count before a kind word (多少名社区志愿者, 两个小区): what is counted, not a name.
_COUNTED = re.compile(r"多少|[0-9两一二三四五六七八九十百千]+[个名位家所座条户批]$")
# A lane of an estate (枣园北里, 三合南里): the name's own part comes before it.
_LANE = re.compile(r"[东南西北中]里$")
# The kinds a local notice is about one of: another estate, street office, town or clinic of
# the same kind is another notice's subject. (A university or a railway is named in passing by
# texts about something else; those are left to the corpus-wide check.)
_LOCAL_KINDS = _SHORT_HEADS | frozenset(
    " ".join(
        [
            "家园 小区 花园 公寓 街道 社区 大街 大道 胡同 幼儿园 小学 中学 医院 卫生院",
            "卫生服务中心 卫生服务站 公园 广场 派出所 居委会 村委会 消防站 供电所 司法所",
        ]
    ).split()
)


def names(question: str) -> list[tuple[str, str]]:
    """``(name, modifier)`` pairs: a kind word with the two or three characters before it.

    Characters, not jieba's words, because jieba splits a name it does not know into single
    characters (瀛悦家园 → 瀛/悦/家园) or glues it to a neighbour (镇东/白塔村); but the modifier
    must begin where a jieba word begins, so 孩子上|小学 is not read as a name 子上小学.
    """
    text = A_NOT_A.sub("", fold(question))
    words = segmenter().lcut(text)
    starts = set(itertools.accumulate((len(w) for w in words[:-1]), initial=0))
    out: list[tuple[str, str]] = []
    taken: set[int] = set()
    for head in KIND_HEADS:
        at = text.find(head)
        while at >= 0:
            if at not in taken:
                taken.update(range(at, at + len(head)))
                begin = next((at - n for n in (2, 3) if at - n in starts), None)
                modifier = text[begin:at] if begin is not None else ""
                if begin is not None and len(modifier) == 3 and _common_word(begin, text, starts):
                    modifier = ""  # 天天|跳|广场(舞): a common word and a verb, not a name
                if _LANE.search(text[:at]):
                    # 枣园北里社区, 滨河西里: the estate's name before its 东/南/西/北里.
                    begin = next((at - n for n in (4, 5) if at - n in starts), None)
                    modifier = text[begin:at] if begin is not None else ""
                    if _name_like(modifier[:-2]):
                        out.append((modifier + head, modifier))
                elif _name_like(modifier):
                    out.append((modifier + head, modifier))
            at = text.find(head, at + 1)
    for word in words:
        if (
            len(word) >= 3
            and word[-1] in _SHORT_HEADS
            and not word.endswith(KIND_HEADS)
            and _name_like(word[-3:-1])
        ):
            out.append((word, word[-3:-1]))
    # jieba also cuts a name it does not know off its kind (西红门|镇), or into characters
    # (榆|垡|镇): the two or three characters of the words just before the kind.
    for i, word in enumerate(words):
        if word not in _SHORT_HEADS:
            continue
        for before in ("".join(words[max(i - 2, 0) : i]), words[i - 1] if i else ""):
            if len(before) in (2, 3) and _name_like(before[-2:]):
                out.append((before + word, before))
                break
    return out


def local_names(text: str) -> list[tuple[str, str]]:
    """The names of a local kind (a community, a town, an estate) a text uses."""
    return [(n, m) for n, m in names(text) if n[len(m) :] in _LOCAL_KINDS]


def absent_names(question: str, text: str) -> list[str]:
    """Names of a known kind in the question that a text (one document, folded) never uses,
    nor their distinguishing part: a notice about 清源街道 does not answer for 西红门镇, though
    the sources may name 西红门镇 elsewhere."""
    return [
        name
        for name, modifier in names(question)
        if name[len(modifier) :] in _LOCAL_KINDS
        and fold(name) not in text
        and fold(modifier) not in text
        and not (len(modifier) == 3 and fold(name[1:]) in text)
    ]


def _common_word(begin: int, text: str, starts: set[int]) -> bool:
    """Whether jieba reads the two characters at ``begin`` as one common word (天天, 还得)."""
    idf, median = general_idf()
    return begin + 2 in starts and idf.get(text[begin : begin + 2], median) < COMMON_WORD_IDF


def _name_like(modifier: str) -> bool:
    """Two characters that could name one thing of a kind: not grammar, not a common word."""
    if len(modifier) < 2 or not all(is_han(ch) for ch in modifier):
        return False
    if any(ch in _FUNCTION_CHARS for ch in modifier) or modifier in STOP_TERMS:
        return False
    if _COUNTED.search(modifier):
        return False  # 多少名|社区, 三个|小区: a count of the kind, not one of it
    if any(head in modifier for head in KIND_HEADS):
        return False  # 高速|公路 is one kind, not a name; 高米店街道|郁花园 is two names
    idf, median = general_idf()
    return idf.get(modifier, median) >= COMMON_WORD_IDF


def unknown_names(question: str, stats: TermStats) -> list[str]:
    """Names of a known kind that the sources never use, nor their distinguishing part.

    A name whose modifier the sources do use (社区|医院) is more likely a resident's own way of
    naming something they speak of, and is not counted. Nor is one the sources use whole
    without the first of three modifier characters: jieba glues a verb to a name it does not
    know (报|兴悦 read as 报兴悦幼儿园).
    """
    return [
        name
        for name, modifier in names(question)
        if not stats.known(name)
        and not stats.known(modifier)
        and not (len(modifier) == 3 and stats.known(name[1:]))
    ]


# Who holds a role: 园长叫什么名字, 主讲人是谁.
# (Not 这句话是谁说的: the asker ends the question.)
_ASKS_PERSON = re.compile(
    r"(?:是谁|叫什么名字|叫啥名字|叫什么|叫啥|姓什么|是哪位)(?:呀|啊|呢|啦)?(?:[？?。！!,，]|$)"
)


def unknown_roles(question: str, stats: TermStats) -> list[str]:
    """The role whose holder a question asks for (园长, 主讲人), when the sources never use the
    word: they name no one in that role. (A role they do use is for ``unnamed_holders``.)"""
    role = _asked_role(question)
    return [role] if role and not stats.known(role) else []


def _asked_role(question: str) -> str:
    match = _ASKS_PERSON.search(fold(question))
    if not match:
        return ""
    before = content_terms(fold(question)[: match.start()])
    role = before[-1] if before else ""
    if len(role) < 2 or role[0] in "这那哪此该其" or not all(is_han(ch) for ch in role):
        return ""
    return role


# A word for someone in a role ends in one of these (值班律师, 负责人, 执业药师, 总指挥); 接种对象是
# 谁 asks who may come, which a condition answers.
_PERSON_ROLE_ENDS = frozenset("人长师员生任理官士者挥记")
# Common surnames and the titles written after one (王老师, 刘女士): how a notice names a person.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
_TITLED = re.compile(
    rf"[{_SURNAMES}](?:老师|女士|先生|医生|大夫|同志|师傅|经理|主任|律师|警官|书记|馆长|站长)"
)
# What ends a place's name, which jieba's tagger often reads as a person's (黄村镇, 康庄, 马家堡,
# 李营).
_PLACE_ENDS = frozenset("路镇村园庄门区街里苑桥河湖山楼院店营坊屯口府场站所堡")


@functools.lru_cache(maxsize=256)
def names_a_person(text: str) -> bool:
    """Whether a text names someone: a surname with a title (王老师), or a full name of three
    characters jieba tags as a person's (刘晓东). Two-character names go unseen: too many
    words (高峰, 张贴) are tagged as names. (Cached: a document is tagged once, not on every
    question asking someone's name; tagging a notice takes some 100 ms.)"""
    if _TITLED.search(text):
        return True
    segmenter()  # the tagger shares jieba's dictionary
    import jieba.posseg

    return any(
        token.flag == "nr"
        and len(token.word) == 3
        and token.word[0] in _SURNAMES
        and token.word[-1] not in _PLACE_ENDS
        for token in jieba.posseg.lcut(text)
    )


def unnamed_holders(question: str, document: str) -> list[str]:
    """The name of someone in a role asked (值班律师叫什么名字) when the answering document uses
    the role but names no one: it says there are lawyers on duty, not who they are."""
    role = _asked_role(question)
    if not role or role[-1] not in _PERSON_ROLE_ENDS or role not in document:
        return []
    return [] if names_a_person(document) else [f"{role}的姓名"]


# A card or certificate lost and replaced (身份证丢了去哪补办, 养老卡丢了怎么办, 挂失): how is told
# only by a text that speaks of losing or replacing one. Issuing it (办理, 申领) is another
# procedure, and its materials and window are not the answer.
_LOSS_ASKED = re.compile(r"丢了|补办|补领|补发|挂失|遗失|丢失")
_REPLACEMENT_ASKED = re.compile(r"补办|补领|补发|挂失")
_LOSS_TOLD = re.compile(r"补办|补领|补发|补证|挂失|遗失|丢失|损毁|重新(?:办理|申领|申请)")


def unnamed_replacement(question: str, document: str) -> list[str]:
    """What a question asks about a lost card (补办, 挂失; 补办 when it only says 丢了) when the
    answering document never speaks of losing or replacing one; nothing otherwise."""
    text = fold(question)
    if not _LOSS_ASKED.search(text) or _LOSS_TOLD.search(document):
        return []
    named = _REPLACEMENT_ASKED.search(text)
    return [named.group(0) if named else "补办"]


# Whether one may do it again (前年做过一次，今年还能再申请吗; 能重复领取吗), and a document
# speaking of doing it more than once at all (不再重复接种, 已享受过的, 每人限领一次, 期满后续签).
_REPEAT_ASKED = re.compile(
    r"(?:还能|还可以|还可|能不能|可不可以|能否|可以|能)再次?"
    r"(?:申请|报名|领取?|参加|接种|打|办理?|享受|认养|签约?)|"
    r"(?:重复|再次)(?:申请|报名|领取?|参加|接种|享受)"
)
_REPEAT_TOLD = re.compile(
    r"重复|再次|不再|已(?:经)?(?:享受|领取|参加|申请|完成|接种|办理|获得)|曾经?|一次性|"
    r"限(?:申请|享受|领取?|参加|报名)?一次|续(?:签|约|养|报|办)"
)


def unnamed_repeat(question: str, document: str) -> list[str]:
    """Doing it again asked (还能再申请吗) when the answering document never speaks of doing it
    more than once: a notice of this year's application does not say whether last year's
    applicants may apply again."""
    asked = _REPEAT_ASKED.search(fold(question))
    if asked is None or _REPEAT_TOLD.search(document):
        return []
    return [asked.group(0)]


# Whether money paid comes back (能退票吗, 钱能退不, 退不退, 能否退还), and a document speaking of
# refunds at all (退还, 退费, 全额退); 退休, 退役 and 退伍 are not refunds.
_REFUND_ASKED = re.compile(
    r"(?:能|可以|能否|给)(?:不能)?退(?:票|款|费|钱|还|回|订)?(?![休役伍出])|退不退|退(?:票|款|费|钱)(?:吗|么|不)"
)
_REFUND_WORD = re.compile(r"退(?:票|款|费|订)")
_REFUND_TOLD = re.compile(r"退(?![休役伍出])")


def unnamed_refund(question: str, document: str) -> list[str]:
    """What a question asks about getting money back (能退票吗) when the answering document never
    speaks of a refund: it does not say one is given (or refused)."""
    text = fold(question)
    if not _REFUND_ASKED.search(text) or _REFUND_TOLD.search(document):
        return []
    named = _REFUND_WORD.search(text)
    return [named.group(0) if named else "退款"]


# Whether a price or fee goes up or down (会不会涨价, 涨不涨, 明年降价吗), and a document speaking
# of a change of price at all (调整, 上调, 涨, 降, 提高, 下调).
_PRICE_CHANGE_ASKED = re.compile(r"涨价|降价|提价|涨不涨|降不降|[会要]涨|[会要]降(?!温|雨|雪)")
_PRICE_CHANGE_TOLD = re.compile(r"调整|上调|下调|涨|降(?!温|雨|雪|水)|提高|提价")


def unnamed_price_change(question: str, document: str) -> list[str]:
    """What a question asks about a price going up or down (物业费会不会涨价) when the answering
    document never speaks of a change of price: the prices it gives are today's."""
    text = fold(question)
    if not _PRICE_CHANGE_ASKED.search(text) or _PRICE_CHANGE_TOLD.search(document):
        return []
    return ["价格调整"]


# What can be done with or to a thing there (能做核磁共振, 能刷医保卡, 能办护照).
_DOABLE = r"(?:做|打|看|租|用|刷|办(?![理事法]))"
# Whether something exists or can be done there: 有皮肤科吗, 有没有延时托管服务, 能做核磁共振
# 检查吗. The opener says existence; the clause ends in a yes/no particle (有没有 needs none).
_EXISTENCE = re.compile(
    # (能办护照吗; not 能办理…, whose object is a procedure. 能不能 asks without a particle.)
    r"(?:(?P<open>有没有|有无|是否有|是不是有|是否(?:免费)?提供|提供不提供|(?:能不能|可不可以)"
    + _DOABLE
    + r")|有|(?:能|可以)"
    + _DOABLE
    + r"|"
    # Something handed out, issued or brought along (能免费发降压药吗, 能给个纸质报告不, 管午饭
    # 不, 能开病假条吗, 可以带宠物狗吗).
    # (Not 送给我妈用: given to someone; not 托管班 or 水管: 管 inside a word.)
    r"(?:(?:能|可以|会)(?:免费)?(?:发|给|送|带|配|借|开)(?!给)个?(?![我你他她您咱])|"
    r"(?<![托监主保看接分代掌尽不只血水气])管(?![理道控网线家护制辖]))|"
    r"(?:需要|要|得|须)(?:出示|携带)|(?:免费)?提供)"
    # The thing: what a card or an account is used to pay with is the card (能不能用养老助残卡支付).
    r"(?P<thing>[\u4e00-\u9fff]{2,14}?)(?:服务|项目|支付|付款|付费|结算)?"
    # (…的电话呢 asks "and what of it", not whether: 呢 ends a yes/no question only after an
    # opener.)
    r"(?(open)(?:吗|么|呢)?|(?:吗|么|没有|没|不))$"
)
# (那几个充电站, 这几天 point at something; they ask nothing.)
_WH = re.compile(r"多少|(?<![那这])几|哪|什么|怎么|咋|啥|谁")
# Words for a place or a thing in general (避寒的地儿, 洗车的地方): what says which is the
# rest of the phrase, which the sources must use; the general word they need not.
_GENERAL_HEADS = frozenset(("地方", "地儿", "地点", "场所", "去处", "东西", "事儿", "东东"))


def unknown_things(
    question: str, stats: TermStats, known: Callable[[str], bool] | None = None
) -> list[str]:
    """The words of what a yes/no question asks exists (皮肤科 in 有皮肤科吗) that the sources
    never use: they do not say it exists. Read in each clause, from its last opener.

    ``known``: where to look, when not the whole index. The engine passes the answering
    document: a handover notice that never names 物业服务中心 does not say one is there, though
    another notice names one."""
    out: list[str] = []
    for clause in clauses(question):
        if _WH.search(clause):
            continue
        for start in sorted(
            (m.start() for m in re.finditer(r"有|能|可|提|是|需|要|得|须|免|管|会", clause)),
            reverse=True,
        ):
            match = _EXISTENCE.match(clause, start)
            # After 有没有 / 提供不提供 what follows is asked to exist whatever its last word
            # (有没有课后托管: a service named by its verb); not an activity (…开会的).
            if match and (
                _is_a_thing(match.group("thing"))
                or (match.group("open") and not match.group("thing").endswith("的"))
            ):
                out += [
                    t
                    for t in content_terms(match.group("thing"))
                    if len(t) >= 2
                    and t not in _GENERAL_HEADS
                    and not (known or stats.known)(t)
                    and (stats.weight(t) > 0 or _specific_enough(t))
                    and not _cut_across(t, clause, known or stats.known)
                ]
                break
    return out


def _cut_across(word: str, clause: str, known: Callable[[str], bool]) -> bool:
    """Whether jieba only guessed a word by cutting across two it does not know: its first
    character ends, with the two before it, a word the sources use (激光|笔照|飞机 of 激光笔照
    飞机, where the sources say 激光笔), or its last starts one with the two after it."""
    if segmenter().get_FREQ(word):
        return False  # a dictionary word, read as written
    at = clause.find(word)
    if at < 0:
        return False
    head = clause[max(0, at - 2) : at + 1]
    tail = clause[at + len(word) - 1 : at + len(word) + 2]
    return (len(head) == 3 and known(head)) or (len(tail) == 3 and known(tail))


# jieba IDF from which a thing asked to exist, unnamed by the answering document, is said to be
# missing (中医 7.6, 优惠 6.1, 保险 6.2; not 变化 4.5 nor 时间). Lower than the IDF from which a
# word the sources lack weighs in coverage (terms.COMMON_WORD_IDF, 8.0): the thing is read from
# a yes/no question's own object (有没有中医大夫), not from any word of the question. Measured
# (22nd session) on the twelve notice sets, the thirteenth's read half and the plan sets: from
# 8.0 down to 5.0 no answer was lost; 7.5 gained one decline, 6.0 and 5.0 five; at 4.0 一…有
# 变化吗 lost its answer.
_THING_IDF = 6.0


def _specific_enough(word: str) -> bool:
    """Whether a thing's word is rare enough in general Chinese to be missing when unnamed."""
    idf, median = general_idf()
    return idf.get(word, median) >= _THING_IDF


def _is_a_thing(phrase: str) -> bool:
    """Whether a phrase names a thing (皮肤科, 核磁共振检查, 定制快车) rather than an activity
    (定期碰头开会的): its last word is a noun, by jieba's part-of-speech tagger."""
    segmenter()  # the tagger shares jieba's dictionary
    import jieba.posseg

    tags = [t for t in jieba.posseg.lcut(phrase) if t.flag not in ("uj", "ul", "y")]
    if not tags or phrase.endswith("的"):
        return False
    flag = tags[-1].flag
    # A nominal suffix the tagger reads alone as a verb or a numeral (开通|费, 取暖|点).
    glued = len(tags[-1].word) == 1 and tags[-1].word in _NOMINAL_SUFFIXES and len(tags) > 1
    return flag.startswith("n") or flag in ("vn", "l") or glued


# Characters that end a noun when they end a word: a fee, a card, a place, a room, a vehicle.
_NOMINAL_SUFFIXES = frozenset("费金税款价证卡券单表点站室科馆场车库厅处所桩")


# A sum's name (押金, 起步价, 罚款, 月租, 门票): a word ending in a money suffix, a ticket, or a
# compensation (拆迁补偿, 赔偿: not a subsidy, 补贴, whatever characters they share).
_MONEY_NOUN = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,4}(?:费|金|价|税|款|薪|租)|[门车机船月年套]票|[\u4e00-\u9fff]{0,4}[补赔]偿"
    r"|[\u4e00-\u9fff]{0,2}(?:工资|薪资|工钱|薪水))$"
)
_SUM_TAIL = re.compile(r"(?<=..)(?:价格|标准|金额)$")
# Words that ask about money in general, not a named sum.
_MONEY_IN_GENERAL = frozenset(
    ("收费", "免费", "自费", "花费", "消费", "经费", "资金", "现金", "金额", "价格")
)
# Paying a fee (能用什么方式缴费), not a fee's name.
_PAYING_A_FEE = frozenset(("缴费", "交费", "付费"))
_NOT_A_SUM = _MONEY_IN_GENERAL | _PAYING_A_FEE


@functools.lru_cache(maxsize=1024)
def asked_sums(question: str) -> tuple[str, ...]:
    """The sums a question names (优待金, 停车费, 门票): the amounts it asks are theirs.
    (Cached: the tagger costs about a millisecond, and a question is read more than once.)"""
    segmenter()  # the tagger shares jieba's dictionary
    out: list[str] = []
    # Only the clauses asking an amount name the sums asked: 包不包含电费 beside 摊位费多少钱
    # asks whether the fee covers electricity, not what electricity costs.
    # A clause asking only 多少钱 asks the price of the sum the clause before names (要门票不？
    # 多少钱啊？).
    parts = clauses(question)
    for at, clause in enumerate(parts):
        if asked_details(clause) & _HOW_MUCH:
            named = _sums_named(clause)
            if not named and "罚" in clause:
                named = ["罚款"]  # 会被罚多少钱 asks a fine's amount
            out += named or (_sums_named(parts[at - 1]) if at else [])
    return tuple(dict.fromkeys(out))


def _sums_named(clause: str) -> list[str]:
    """The sums' names in a folded clause (its words by jieba's tagger)."""
    import jieba.posseg

    out = []
    words = [token.word for token in jieba.posseg.lcut(clause)]
    for at, token in enumerate(words):
        # jieba may glue the sum to a general word after it (门票价格, 物业费标准), or cut its
        # last character off, alone or glued to the word after it (拖车|费|要付, 拖车|费要).
        word = _SUM_TAIL.sub("", token) or token
        following = words[at + 1] if at + 1 < len(words) else ""
        if not _MONEY_NOUN.match(word) and (
            len(following) == 1 or (len(following) == 2 and following[1] in _GLUED_AFTER)
        ):
            word += following[0]
        if _MONEY_NOUN.match(word) and word not in _NOT_A_SUM:
            out.append(word)
    return out


# The kinds a clause asking how much of a sum reads as (押金要交多少 reads as a count).
_HOW_MUCH = frozenset({Detail.AMOUNT, Detail.QUANTITY})

# What jieba glues after a sum's last character (费要, 费是, 价多).
_GLUED_AFTER = frozenset("要是多得都也还能")


# Sums charged as a penalty, whatever a notice calls them.
_PENALTIES = frozenset(("罚款", "罚金", "滞纳金", "违约金"))


def names_sum(word: str, text: str) -> bool:
    """Whether a text names this sum, or one of its kind sharing a character (供暖费 for 暖气费,
    物业服务费 for 物业费, 收费 beside 停车场 for 停车费)."""
    if word in _PENALTIES and any(name in text for name in _PENALTIES):
        return True  # a fine asked (罚多少钱) is answered by a late fee (滞纳金0.1元) too
    # (免费 is no fee: 停车场，免费停放 does not name a 拖车费.)
    return _names_its_kind(word, text, not_after="免")


def _names_its_kind(word: str, text: str, *, not_after: str = "") -> bool:
    """Whether a text names this word, or one of its kind: its last character (费, 期) with
    another of its characters at most four before it (供暖费 for 暖气费, 试运行期 for 运行期);
    ``not_after``: a character that makes that last one something else (免费 is no fee)."""
    if word in text:
        return True
    suffix, rest = word[-1], set(word[:-1])
    guard = f"(?<!{re.escape(not_after)})" if not_after else ""
    return any(
        rest & set(text[max(at - 4, 0) : at])
        for at in (m.start() for m in re.finditer(guard + re.escape(suffix), text))
    )


def unnamed_sums(question: str, document: str) -> list[str]:
    """The sums a question asks the amount of (多少押金, 起步价是多少) that the answering document
    never names, nor by a word of the same kind sharing a character (供暖费 for 暖气费, 物业服务费
    for 物业费): a notice that never names a deposit does not say what it is."""
    return [word for word in asked_sums(question) if not names_sum(word, document)]


# The kinds a clause asking a length of time or a date reads as.
_WHEN_OR_HOW_LONG = frozenset({Detail.DURATION, Detail.DATE})
# Words of the calendar that end in 期 (假期, 学期): a notice gives their days without naming
# them (5月1日至5日放假); a named period (保修期, 有效期, 公示期) it names.
_CALENDAR_PERIODS = frozenset(("假期", "学期", "星期", "日期", "周期", "时期", "暑期", "寒期"))


# The period's length or end asked right after it (保修期是几年, 有效期到什么时候; not 有效期内能
# 退票吗).
_PERIOD_ASKED = re.compile(
    r"(?:是|为|有|一般|大概|大约|共|一共|还有|到|从|截止到?)*(?:多|几|什么|啥|哪)"
)


@functools.lru_cache(maxsize=1024)
def asked_periods(question: str) -> tuple[str, ...]:
    """The named periods whose length or end a question asks (保修期是几年, 有效期到什么时候).
    (Cached, as :func:`asked_sums` is: the tagger costs about a millisecond.)"""
    import jieba.posseg

    segmenter()
    out: list[str] = []
    for clause in clauses(question):
        if not asked_details(clause) & _WHEN_OR_HOW_LONG:
            continue
        words = [token.word for token in jieba.posseg.lcut(clause)]
        for at, word in enumerate(words):
            if word in ("期", "期限") and at:
                word = words[at - 1] + word  # jieba may cut it off (保修|期)
            asked = _PERIOD_ASKED.match("".join(words[at + 1 :]))
            if (
                asked
                and len(word) >= 3
                and re.fullmatch(r"[\u4e00-\u9fff]+期(?:限)?", word)
                and word[-2:] not in _CALENDAR_PERIODS
            ) or (_LENGTH_ASKED.match("".join(words[at + 1 :])) and _names_a_term(word)):
                out.append(word)
    return tuple(dict.fromkeys(out))


# How long asked right after a word, ending the clause (保修几年？, 保固多久): the word names
# the period (交上去多久能审完 asks how long until 审完).
_LENGTH_ASKED = re.compile(
    r"(?:(?:是|为|有|一般|大概|大约|共|一共)*(?:几|多少)(?:年|个月)|"
    r"(?:是|为|有|一般|大概|大约)*多久)(?:啊|呢|呀|吧)?[?？。!！]*$"
)


def _names_a_term(word: str) -> bool:
    """Whether a word is a specific noun or verb of general Chinese (保修, not 需要 or 毛病):
    what a period is of, not how the question is put."""
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fff]{2,}", word))
        and known_and_specific(word)
        and word_class(word) in ("n", "v", "vn", "nz")
    )


def unnamed_periods(question: str, document: str) -> list[str]:
    """The named periods a question asks the length or end of (保修期是几年) that the answering
    document (folded) never names, nor by a word of the same kind sharing a character before
    its 期 (试运行期 for 运行期): a notice that never names a warranty does not say how long it
    runs, though it gives other spans of years (使用年限已超过6年)."""
    # A time limit asked when (受理期限是哪段时间) is a window of days, which a document gives
    # under its own name (申请时间为4月12日至6月30日).
    window = Detail.DATE in asked_details(question) and bool(DATE_SPAN.search(document))
    return [
        word
        for word in asked_periods(question)
        if not _names_its_kind(word, document) and not (window and word.endswith("期限"))
    ]


# A comparison with an earlier time (比去年涨了多少, 跟以前比): only a text that speaks of that
# time says how much changed.
_PAST_ASKED = re.compile(r"(?:比|较|跟|和|与|同)(?:去年|上年|上一年|往年|前年|以前|之前|上次|上回)")
_PAST_TOLD = re.compile(
    r"去年|上年|上一年|往年|前年|同比|上次|上回|原来|原标准|原收费|调整前|此前|以前|之前"
)


def absent_past(question: str, document: str) -> list[str]:
    """The earlier time a question compares with (比去年) when the answering document (folded)
    never speaks of an earlier time: a notice of this year's subsidy does not say how much it
    rose."""
    match = _PAST_ASKED.search(fold(question))
    if match is None or _PAST_TOLD.search(document):
        return []
    return [match.group(0)]


def unnamed_objects(question: str, document: str) -> list[str]:
    """The things a question asks about (洗衣机 in 能用洗衣机洗衣服吗, 频道 in 能看多少个频道)
    that the answering document never speaks of: no character of the word is in it, so no
    shortened or longer form of it either. Its sentences are then about the question's subject
    but not about that thing, and saying so is the honest reply.

    Read only in the clauses that ask (a statement before them, 我妈瘫在床上出不了门, tells the
    asker's situation), only jieba's dictionary nouns specific enough to be missing
    (``_THING_IDF``), and not where grammar makes the noun something other than the thing asked:
    the kind a question word opens (带什么证件, 哪一种疾病: its answer names one of the kind)
    unless a count of it is asked (多少个频道), the thing whose value is asked (号码是多少), a
    setting (在手机上), those who (坐轮椅的咋进站), a predicate (还算数吗), or one of examples of
    which the document names another (鱼虾、粮油这些)."""
    segmenter()  # the tagger shares jieba's dictionary
    import jieba.posseg

    parts = clauses(question)
    asking = [c for c in parts if _WH.search(c) or _YES_NO_END.search(c)] or parts[-1:]
    out: list[str] = []
    for clause in asking:
        tagged = [(t.word, t.flag) for t in jieba.posseg.lcut(clause)]
        for i, (word, flag) in enumerate(tagged):
            before = "".join(w for w, _ in tagged[max(0, i - 2) : i])
            phrase = _noun_phrase_before(tagged, i)
            after = "".join(w for w, _ in tagged[i + 1 : i + 3])
            if (
                _foreign_noun(word, flag, document)
                and not (len(word) == 1 and _cut_from_a_word(tagged, i, document))
                and not (_KIND_ASKED.search(phrase) and not _COUNT_ASKED.search(phrase))
                and not _VALUE_ASKED.match(after)
                and not _NOT_THE_THING.match(after)
                and not (_YES_NO_PARTICLE.match(after) and _ADVERB_BEFORE.search(before))
                and not any(len(w) >= 2 and w in document for w in _listed_with(tagged, i))
            ):
                out.append(word)
    return out


def _cut_from_a_word(tagged: list[tuple[str, str]], i: int, document: str) -> bool:
    """Whether the i-th word, one character, makes a dictionary word with the character next
    to it (相比|邻: 比邻), or ends a compound after a noun the document names (门诊|楼 where it
    says 发热门诊): jieba may have cut it from that word, and then it is no thing asked. (A
    pair the dictionary lacks stays: 多久能到|账 may name 账.)"""
    word = tagged[i][0]
    if i > 0 and tagged[i - 1][1].startswith("n") and tagged[i - 1][0] in document:
        return True
    before = tagged[i - 1][0][-1:] if i > 0 else ""
    after = tagged[i + 1][0][:1] if i + 1 < len(tagged) else ""
    freq = segmenter().get_FREQ
    return bool((before and freq(before + word)) or (after and freq(word + after)))


def _noun_phrase_before(tagged: list[tuple[str, str]], i: int) -> str:
    """What stands before the i-th word in its noun phrase: the words back to the first that is
    no noun, numeral, measure word or 的 (哪一种|经济|型态 → 哪一种经济), that word included."""
    start = i
    while start > 0 and tagged[start - 1][1][:1] in ("n", "m", "q", "u") and start > i - 4:
        start -= 1
    if start > 0:
        start -= 1
    return "".join(w for w, _ in tagged[start:i])


def _listed_with(tagged: list[tuple[str, str]], i: int) -> list[str]:
    """The words listed beside the i-th (鱼虾、粮油; 颜色和字体): the one across each 、和与及."""
    words = [w for w, _ in tagged]
    out = []
    if i + 2 < len(words) and _LISTED.fullmatch(words[i + 1]):
        out.append(words[i + 2])
    if i >= 2 and _LISTED.fullmatch(words[i - 1]):
        out.append(words[i - 2])
    return out


def _foreign_noun(word: str, flag: str, document: str) -> bool:
    """A dictionary noun, specific enough to be missing, none of whose characters the document
    uses (and no synonym of it): 洗衣机, 频道, 血压 — not 证件 of a notice naming 身份证."""
    idf, median = general_idf()
    if len(word) == 1:
        # A noun of one character (猫 asked of a notice on dogs' area, 伞): only a plain noun
        # (n), and none of the thesaurus's synonyms in the document either (狗 where it says 犬).
        return (
            flag == "n"
            and is_han(word)
            and idf.get(word, median) >= _THING_IDF
            and word not in document
            and not any(s in document for s in thesaurus.character_synonyms(word))
            and not (word in _SAID_BY_A_VERB and _SAID_BY_A_VERB[word].search(document))
        )
    return (
        len(word) >= 2
        and all(is_han(ch) for ch in word)
        # A common noun: not a person's, place's or body's name (nr, ns, nt: names.py reads
        # those), which jieba also gives words it half knows (登基 nrt, 开山鼻祖 ns).
        and flag in _COMMON_NOUN_TAGS
        and bool(segmenter().get_FREQ(word))  # a dictionary word, not one jieba guessed
        and word not in STOP_TERMS
        and word not in _GENERAL_HEADS
        and idf.get(word, median) >= _THING_IDF
        and not asks_for_detail(word)
        and (not any(ch in document for ch in word) or _absent_by_its_first(word, document))
        and term_support(word, document) == 0
    )


def _absent_by_its_first(word: str, document: str) -> bool:
    """A thing whose first character the document never uses, though another is there (宠物
    where 物 is only 物品's): only a word the thesaurus files among things (an abstract word,
    任期 or 心力, is too often said otherwise), not one jieba made of a verb and its object (拿药,
    搬东西) or of a function character (能用), nor one any synonym of which the document
    writes."""
    if word[0] in document or word[0] in STOP_TERMS or not thesaurus.is_a_thing(word):
        return False
    head, rest = word_class(word[0]), word_class(word[1:])
    if head.startswith("v") and rest[:1] in ("n", "m", "q"):
        return False  # a verb before a thing or a measure (拿药, 交点 of 少交点钱, 住户)
    return not any(s in document for s in thesaurus.synonyms(word))


_COMMON_NOUN_TAGS = frozenset(("n", "nz", "ng", "nl"))

# Nouns of one character a resident asks by that notices say with a verb instead: money 到账
# (reaches the account) where a notice says it is 打入 a card or 发放至 an account.
_SAID_BY_A_VERB = {"账": re.compile(r"打入|打到|转入|汇入|存入|划入|拨入|拨付|拨至|发放至|发放到")}

_YES_NO_END = re.compile(r"(?:吗|么|呢|不|没|没有|否)$")
# A noun in a phrase a question word opens is the kind its answer is (什么证件, 哪个号码,
# 哪一种经济型态): the answer names one of the kind, not the kind.
_KIND_ASKED = re.compile(r"什么|啥|何|哪|几|多少")
# Unless a count of it is asked (多少个频道, 几位老师): a count names what it counts (120个频道).
_COUNT_ASKED = re.compile(r"(?:几|多少)[个位家条项所座本只张台件名]$")
# The noun before one is the thing whose value is asked (号码是多少, 窗口在哪).
_VALUE_ASKED = re.compile(r"(?:是|在|有|为)?(?:多少|什么|哪|几|谁|何|啥)|是$")
# After the noun: a setting (手机上, 房里) or those who (坐轮椅的咋进站).
_NOT_THE_THING = re.compile(r"[上里中]|的(?:咋|怎么|怎样|如何|能|可以|要|得|该)")
_YES_NO_PARTICLE = re.compile(r"(?:吗|么|呢|不|没)$")
_ADVERB_BEFORE = re.compile(r"[还也都就]$")
_LISTED = re.compile(r"[、和与及]")
