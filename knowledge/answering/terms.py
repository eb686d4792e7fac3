"""The content terms of a question, and how well a piece of evidence covers them.

A question about a subject the sources never mention (a pension rule, a bus timetable) still
retrieves *something*; what shows the sources are silent is that none of the question's content
words is in the best evidence. Terms come from jieba's segmentation with function words and
interrogatives removed; a term counts as covered in part when a part of it occurs.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from knowledge.answering import thesaurus
from knowledge.text import fold

# Function words, interrogatives and words every question about a plan contains.
STOP_TERMS = frozenset(
    " ".join(
        [
            "的 了 吗 呢 吧 啊 呀 么 嘛 是 有 在 和 与 及 或 也 都 就 还",
            "又 再 要 会 能 可以 可能 应该 需要 把 被 给 对 向 从 到 让 使",
            "为 为了 于 以 由 这 那 这个 那个 这些 那些 这里 那里 哪 哪里 哪儿",
            "什么 啥 怎么 怎么样 怎样 如何 为什么 多少 几 哪些 哪个 哪几个 谁",
            "是否 是不是 有没有 会不会 能不能 可不可以 请问 请 问 一下 我 我们 你",
            "你们 他 她 它 他们 咱们 大家 想 想问 知道 告诉 说 讲 具体 一些",
            "一个 个 多 些 现在 目前 以后 将来 未来 呢 啦 哦 嗯 您 好 吗 嘛",
            "做 搞 弄 干 规划 大兴 大兴区 新区 北京 北京市 里 中 上 下 内 外",
            "方面 情况 问题 事 事情 东西 有人",
            # What to do, asked colloquially (咋整, 咋弄): an interrogative, as 怎么 is.
            "咋 咋整 咋弄 咋搞 咋办 咋样 咋回事 怎么办 啥样",
            # The asker's household (俺 is a northern 我): who asks, not what is asked about.
            "俺 俺们 咱 咱家 我家 俺家 我们家 咱们家",
            # A distributive (每个月, 每个孩子): what it distributes is the word after it.
            "每个",
        ]
    ).split()
)

_jieba: Any = None
_jieba_lock = threading.Lock()


def segmenter() -> Any:
    """jieba loads its dictionary on first use (about a second), so load it once, lazily."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def warm_up() -> None:
    segmenter()
    general_idf()
    thesaurus.warm_up()
    import jieba.posseg  # names.py tags what a yes/no question asks exists (its first use loads)

    jieba.posseg.lcut("预热")


@functools.lru_cache(maxsize=4096)
def ends_in_noun(phrase: str) -> bool:
    """Whether a phrase ends in a noun (德茂公园北门停车场), not in a locative or a verb (停用期
    间, 为保障安全): whether it can name a thing. Its last word's part of speech is jieba's
    dictionary tag, or its tagger's for a word the dictionary lacks."""
    words = segmenter().lcut(phrase)
    if not words:
        return False
    import jieba.posseg

    # The dictionary's tag for a word it knows (a lookup); the tagger only for one it does not.
    flag = jieba.posseg.dt.word_tag_tab.get(words[-1])
    if flag is None:
        tags = jieba.posseg.lcut(phrase)
        flag = tags[-1].flag if tags else ""
    return str(flag).startswith("n")


# "建不建", "会不会", "有没有", a final "…不": these forms only make a yes/no question.
A_NOT_A = re.compile(r"(.)[不没]\1|[不没][?？!！。啊呀呢吗]*$")


# A personal number as the service stores and forwards it, masked (138****5678, 1101**********12):
# it says nothing of the subject, and its digit groups would count as words the sources lack.
MASKED_NUMBER = re.compile(r"[0-9A-Za-z+\-]*\*{3,}[0-9A-Za-z\-]*")
# The asker's own age told as a state (俺娘85了, 我都58了, 孩子7岁了, 我闺女今年13, 孩子才10岁):
# a circumstance the sources state as a condition (年满80周岁), not a word they must repeat.
_TOLD_AGE = re.compile(
    r"(?<![\d.])\d{1,3}\s*(?:周?岁)?(?:多)?了"
    r"|(?<=今年)\d{1,3}\s*(?:周?岁)?(?![\d年月日号元块点时分个次期届级])"
    r"|(?<=[才刚都快])\d{1,3}\s*周?岁(?![以之及])"
)


# Single characters that make a noun of the word before them (预约|号, 养老|卡, 公示|期). Fewer
# than the nominal suffixes names.py reads a thing by: 所, 处, 单 are grammar too often to be
# joined to the word before (在哪一个国家所举行).
_NOUN_TAILS = frozenset("号证卡券费站点桩馆室库厅期表")


def content_terms(question: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """Content words of the question (folded: Simplified, NFKC), in order, without repeats.

    ``known``: whether the sources use a word. A noun's last character that jieba cut off
    (预约|号) is joined to it again when the sources use the two together: 预约号 tells the
    notice that has one from another that only speaks of 预约.
    """
    norm = A_NOT_A.sub("", _TOLD_AGE.sub(" ", MASKED_NUMBER.sub(" ", fold(question))))
    seen: list[str] = []
    previous = ""  # the term just before, when nothing stood between
    tokens = segmenter().lcut(norm)
    if known:
        tokens = _regrouped(tokens, known)
    for raw in tokens:
        word = _peeled(raw.strip())
        if not word or _is_grammar(word) or not any(ch.isalnum() for ch in word):
            previous = ""
            continue
        if len(word) == 1 and not word.isascii():
            if known and previous and word in _NOUN_TAILS and known(previous + word):
                at = seen.index(previous)
                if previous + word in seen:
                    del seen[at]  # asked twice (预约号…预约号): once
                else:
                    seen[at] = previous + word
            previous = ""
            continue  # single characters are too ambiguous to anchor a topic
        if word not in seen:
            seen.append(word)
        previous = word
    return seen


def _regrouped(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    """Two guessed words whose boundary jieba's guesser put one character late (魏善|庄考 for
    魏善庄|考): the first with the next character is in the sources, and what is left of the
    second is one character or a word jieba knows. The place's name then weighs once, as the
    sources write it."""
    freq = segmenter().dt.FREQ
    out = list(tokens)
    for at in range(len(out) - 1):
        first, second = out[at], out[at + 1]
        if (
            len(first) >= 2
            and len(second) >= 2
            and not freq.get(first)
            and not freq.get(second)
            and all(is_han(ch) for ch in first + second)
            and (len(second) == 2 or bool(freq.get(second[1:])))
            and known(first + second[0])
        ):
            out[at], out[at + 1] = first + second[0], second[1:]
        elif (
            len(first) == 1
            and len(second) == 2
            and all(is_han(ch) for ch in first + second)
            and freq.get(first + second[0])
            and known(first + second[0])
            and not known(second)
        ):
            # A place's name cut in two by a dictionary word it shares a character with (在大|
            # 兴办 for 在大兴|办): the sources use the name and never the word.
            out[at], out[at + 1] = first + second[0], second[1:]
        elif (
            len(second) == 2
            and all(is_han(ch) for ch in first + second)
            and known(first + second[0])
            and not known(second)
            and (
                # A noun's last character glued by the guesser to the verb after it (应急|包有
                # for 应急包|有): the sources write the noun whole.
                (second[1] in _GRAMMAR_CHARS and not freq.get(second))
                # A guessed word a character short, the dictionary word after it taking that
                # character (防走|失手|环 for 防走失|手环): the sources write the first whole and
                # never the second; what is left joins the next character as they write it.
                or (len(first) >= 2 and not freq.get(first))
            )
        ):
            out[at], out[at + 1] = first + second[0], second[1:]
    return _joined_characters(out, known)


def _joined_characters(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    """Two single characters jieba left apart that the sources write as one word (回|看 for
    回看, as a notice writes 可回看7天内播出的节目): alone each is too ambiguous to count, so
    the question's word would otherwise be lost."""
    out: list[str] = []
    for token in tokens:
        previous = out[-1] if out else ""
        if (
            len(token) == 1
            and len(previous) == 1
            and is_han(token)
            and is_han(previous)
            and token not in _GRAMMAR_CHARS
            and previous not in _GRAMMAR_CHARS
            and known(previous + token)
        ):
            out[-1] = previous + token
        else:
            out.append(token)
    return out


# Characters jieba's guesser (its HMM, for words not in its dictionary) glues to a neighbour
# in residents' questions: 最多能, 我妈用, 券能 (a pronoun only when it is not 我们, 你们).
_LEADING_GLUE = frozenset("我你他她咱俺")
_TRAILING_GLUE = frozenset("能会要用来去须得都也还就才在给把被让")


# Locatives jieba's guesser glues to a one-character noun before them (表上, 箱里).
_LOCATIVES = frozenset("上里中内外")

# Prepositions a resident puts before a place (会往大兴搬, 要往外转) beside the function words.
_GRAMMAR_CHARS = (
    frozenset(w for w in STOP_TERMS if len(w) == 1)
    | _TRAILING_GLUE
    | _LEADING_GLUE
    | set("往朝跟同")
)


def _is_grammar(word: str) -> bool:
    """A function word, or a word jieba's guesser made of function characters alone (会往,
    我能, 还会, 几上): it names nothing, yet as an unknown word it would weigh like a rare one."""
    if word in STOP_TERMS:
        return True
    return not segmenter().dt.FREQ.get(word) and all(ch in _GRAMMAR_CHARS for ch in word)


def _peeled(word: str) -> str:
    """A guessed word without the auxiliary after it or the pronoun before it, when two
    characters or more are left (a single one is too ambiguous to anchor a topic; 河要 keeps
    its noun in its parts). A guessed word of two characters loses a locative after its thing
    (表上) or a pronoun before it (我车): what is left, one character, then counts as none."""
    freq = segmenter().dt.FREQ
    if len(word) == 2 and word not in freq:
        # A place in a thing jieba did not know (表上, 箱里): the thing; a pronoun glued to
        # one character (我车): that character.
        if word[1] in _LOCATIVES:
            return word[0]
        if word[0] in _LEADING_GLUE:
            return word[1]
    while len(word) > 2 and not freq.get(word):
        if word[-1] in _TRAILING_GLUE:
            word = word[:-1]
        elif word[0] in _LEADING_GLUE and word[1] != "们":
            word = word[1:]
        else:
            break
    return word


def term_support(term: str, evidence: str) -> float:
    """How much of the term the evidence holds: 1 when whole, ``SYNONYM_SUPPORT`` when a
    synonym of it is there or it is written out in full (个体户 as 个体工商户), else the longest
    part (two characters or more) found, as a share.

    Compounds are often shortened or extended in the sources: 城际铁路 is found as 铁路 in
    市郊铁路 (0.5), 印刷厂 as 印刷 (0.67); and residents say 看病 where a notice says 就诊.
    """
    if term in evidence and (
        # A number is found as a number: 7 (of 7号楼) is not in 2027年.
        not term.isdigit() or re.search(rf"(?<!\d){term}(?!\d)", evidence)
    ):
        return 1.0
    # (Plain loops, not any() over generators: this runs some 600 times a question.)
    forms = _forms_of(term)
    if forms.calendar and _calendar_found(term, evidence):
        return 1.0
    for form in forms.region:
        if form in evidence:
            return 1.0
    for form in (*forms.synonyms, *thesaurus.staff_synonyms(term)):
        # (Staff's own words, 老年卡/养老助残卡, pass no IDF filter.)
        if form in evidence:
            return SYNONYM_SUPPORT
    if _all_characters_in(term, evidence) and _written_longer(term, evidence):
        return SYNONYM_SUPPORT  # a shortened word (个体户) written out (个体工商户)
    for share, parts in forms.parts:
        for part in parts:
            if part in evidence:
                return share
    return 0.0


def is_calendar_word(term: str) -> bool:
    """A day, a week's day or a time of year (周末, 周六, 春节): said in the sources in other
    calendar words (周六、周日, 节假日) as often as in these."""
    return _forms_of(term).calendar or word_class(term) == "t"


def _all_characters_in(term: str, evidence: str) -> bool:
    for ch in term:  # noqa: SIM110 (a loop: all() over a generator costs twice as much here)
        if ch not in evidence:
            return False
    return True


@dataclass(frozen=True)
class _Forms:
    """What :func:`term_support` looks for besides the term itself, worked out once per term
    (the engine scores some five hundred term-and-passage pairs per question)."""

    calendar: bool
    region: tuple[str, ...]
    synonyms: tuple[str, ...]
    # (share of the term, its parts of that length), longest first.
    parts: tuple[tuple[float, tuple[str, ...]], ...]


@functools.lru_cache(maxsize=20_000)
def _forms_of(term: str) -> _Forms:
    parts = tuple(
        (size / len(term), tuple(term[i : i + size] for i in range(len(term) - size + 1)))
        for size in range(len(term) - 1, 1, -1)
    )
    # (The everyday words as notices write them count as synonyms: 恶劣天气 says more than
    # 下雨, 公众号 less than 手机.)
    synonyms = everyday_forms(term) + _usable_synonyms(term)
    return _Forms(bool(calendar_forms(term)), region_forms(term), synonyms, parts)


def _written_longer(term: str, evidence: str) -> bool:
    """Whether the evidence writes the term out in full around its characters, in order, at
    most two Chinese characters between each and twice its length in all: 个体户 in 个体工商户,
    保教费 in 保育教育费, 禁停 in 禁止停车 (a shortened word keeps a character or two of each
    part, not whole words between them)."""
    if len(term) < 2 or not all(is_han(ch) for ch in term):
        return False
    start = evidence.find(term[0])
    while start != -1:
        at = start
        for ch in term[1:]:
            nxt = evidence.find(ch, at + 1, at + 4)
            if nxt == -1 or not all(is_han(c) for c in evidence[at + 1 : nxt]):
                break
            at = nxt
        else:
            if len(term) < at - start + 1 <= 2 * len(term):
                return True
        start = evidence.find(term[0], start + 1)
    return False


def is_han(ch: str) -> bool:
    """Whether a character is a common Chinese character (the CJK Unified Ideographs block)."""
    return "\u4e00" <= ch <= "\u9fff"


# Days of the week have three spellings (星期天, 礼拜天, 周日; 日 and 天 alike for Sunday); the
# weekend is its two days and the working week its five: a calendar, not a thesaurus.
_WEEKDAY = re.compile(r"^(?:星期|礼拜|周)([一二三四五六日天])$")
_WEEKEND_DAYS = ("周六", "周日", "星期六", "星期日", "星期天", "礼拜六", "礼拜天", "双休日")
_CALENDAR: dict[str, tuple[str, ...]] = {
    "周末": _WEEKEND_DAYS,
    "双休日": ("周末", *_WEEKEND_DAYS[:-1]),
    "工作日": ("周一至周五", "星期一至星期五"),
}
# The festivals' everyday names and their calendar names: a notice writes 2月5日（除夕）, a
# resident asks 大年三十.
_FESTIVAL_NAMES = (
    ("除夕", "大年三十", "年三十"),
    ("正月初一", "大年初一"),
    ("元宵节", "正月十五"),
    ("中秋节", "八月十五"),
    ("端午节", "五月初五"),
    ("劳动节", "五一"),
    ("儿童节", "六一"),
)
_CALENDAR.update(
    {name: tuple(n for n in names if n != name) for names in _FESTIVAL_NAMES for name in names}
)


@functools.lru_cache(maxsize=64)
def calendar_forms(term: str) -> tuple[str, ...]:
    """Other ways the sources may write a day of the week, the weekend or a festival (周日 for
    星期天, 周六 for 周末, 除夕 for 大年三十); none for any other word."""
    if term in _CALENDAR:
        return _CALENDAR[term]
    match = _WEEKDAY.match(term)
    if not match:
        return ()
    days = ("日", "天") if match.group(1) in "日天" else (match.group(1),)
    forms = {prefix + day for prefix in ("星期", "礼拜", "周") for day in days} - {"周天"}
    return tuple(sorted(forms - {term}))


# Weather and going online as residents ask of them (下雨, 下雪, 能在手机上办不) and as
# notices write them (如遇雨雪天气顺延, 遇雨天暂停, 大风、降雨等恶劣天气; 线上, 网上, 小程序):
# one table, both directions within a kind.
_RAIN = ("下雨", "下大雨", "大雨", "暴雨", "雨天", "降雨", "阴雨", "雨雪", "恶劣天气")
_SNOW = ("下雪", "大雪", "雪天", "降雪", "雨雪", "恶劣天气")
_WIND = ("刮风", "刮大风", "大风", "恶劣天气")
_ONLINE = ("手机", "网上", "线上", "在线", "app", "小程序", "公众号")
_EVERYDAY: dict[str, tuple[str, ...]] = {
    word: tuple(w for w in kind if w != word)
    for kind in (_RAIN, _SNOW, _WIND, _ONLINE)
    for word in kind
    if word not in ("雨雪", "恶劣天气")  # (the broad words asked stay themselves)
}


def everyday_forms(term: str) -> tuple[str, ...]:
    """Other ways the sources may write the weather or the online channel asked (雨天, 降雨 or
    雨雪天气 for 下雨; 线上, 小程序 for 手机); none for any other word."""
    return _EVERYDAY.get(term, ())


def _calendar_found(term: str, evidence: str) -> bool:
    """Whether another spelling of a day stands in the evidence as a day (周一 in 每周一上午,
    not in 每周一次)."""
    return any(
        re.search(re.escape(form) + r"(?![次天个])", evidence) for form in calendar_forms(term)
    )


# A province or municipality is written by its one-character short name in the compounds that
# pair it with a neighbour (京津冀协同发展, 京冀交界处, 津冀): what residents call 河北 the sources
# write 冀. Only those compounds: a short name alone is also a common character (津贴, 京剧).
_SHORT_NAMES = {"北京": "京", "天津": "津", "河北": "冀"}
_REGION_COMPOUNDS = ("京津冀", "京津", "京冀", "津冀")


def region_forms(term: str) -> tuple[str, ...]:
    """The compounds of short names that stand for this province or municipality (冀 in 京冀
    for 河北); none for any other word."""
    short = _SHORT_NAMES.get(term.removesuffix("省").removesuffix("市"))
    return tuple(c for c in _REGION_COMPOUNDS if short and short in c)


def written_forms(term: str) -> tuple[str, ...]:
    """Other ways the sources write this word: a day of the week's spellings, a province's
    short name in its compounds, the weather and the online channel (see
    :func:`calendar_forms`, :func:`region_forms`, :func:`everyday_forms`)."""
    return calendar_forms(term) + region_forms(term) + everyday_forms(term)


# jieba IDF below which a word is common Chinese (孩子 5.2, 城里 6.9), not a name.
COMMON_WORD_IDF = 8.0

# A synonym found counts a little less than the word itself.
SYNONYM_SUPPORT = 0.8


@functools.lru_cache(maxsize=20_000)
def _usable_synonyms(term: str) -> tuple[str, ...]:
    """The thesaurus's synonyms that are specific enough to stand for the term: common words
    (上下, 地方) belong to so many senses that finding one says nothing."""
    idf, median = general_idf()
    return tuple(
        s
        for s in thesaurus.synonyms(term)
        if s not in STOP_TERMS and idf.get(s, median) >= COMMON_WORD_IDF
    )


def coverage(terms: Iterable[str], *evidence: str) -> list[float]:
    """:func:`term_support` of each term in the evidence, given as one text or in pieces (a
    sentence, its paragraph, its headings): each piece is folded once and cached, so a heading
    shared by many sentences is not folded again with each of them."""
    text = "".join(fold(piece) for piece in evidence)
    return [term_support(t, text) for t in terms]


@functools.cache
def general_idf() -> tuple[dict[str, float], float]:
    """jieba's table of inverse document frequencies of Chinese words in general text."""
    segmenter()  # the table needs jieba's dictionary loaded first
    import jieba.analyse

    table = jieba.analyse.default_tfidf
    return table.idf_freq, float(table.median_idf)


def known_and_specific(word: str) -> bool:
    """Whether jieba's IDF table knows the word and finds it rarer in general Chinese than
    ``COMMON_WORD_IDF`` (保修, 老二; not 开始, nor a word the segmenter only guessed: 交上去)."""
    idf, _ = general_idf()
    return idf.get(word, 0.0) >= COMMON_WORD_IDF


@functools.lru_cache(maxsize=20_000)
def word_class(term: str) -> str:
    """jieba's part-of-speech tag of a word read alone (n, v, ad, f, …; "" when jieba cuts it
    into more than one word)."""
    segmenter()
    import jieba.posseg

    tokens = jieba.posseg.lcut(term)
    return tokens[0].flag if len(tokens) == 1 else ""


# Word classes that say how, where about or how much rather than what (直接, 一起, 期间, 那儿,
# 路边, 房前).
MANNER_CLASSES = frozenset(("d", "ad", "m", "mq", "f", "s", "r", "c", "p", "u", "y", "e", "q"))


KNOWN_CACHE_SIZE = 50_000

# The asker's kin (我家老爷子, 俺闺女, 外孙): residents name whom they ask for; the sources say
# 家庭成员, 直系亲属, 代办人 or nothing, so a relative the sources never name is the asker's
# circumstance, not a subject they lack. (A relative they do name still counts in full.)
_KIN = re.compile(
    r"(?:我|俺|咱|我家|俺家|咱家)?"
    r"(?:老伴儿?|老爷子|老太太|老头子?|老婆|老公|爱人|媳妇儿?|闺女|女儿|儿子|儿媳妇?|女婿|"
    r"孙子|孙女|外孙女?|爷爷|奶奶|姥姥|姥爷|外公|外婆|爸爸?|妈妈?|娘|爹|父亲|母亲|公公|婆婆|"
    r"岳父|岳母|丈母娘|老丈人|哥哥?|姐姐?|弟弟?|妹妹?|孩子|小孩儿?|娃|亲戚|家人|家里人|老人家)"
)


class TermStats:
    """How much each question word says about the subject, given the sources indexed now.

    The weight of a word is its inverse frequency in Chinese at large (jieba's IDF table, a
    maintained resource shipped with the segmenter): 梵语 or 京霸 say more about what a question
    is about than 地区 or 铁路. A word the sources never use counts only for the part of its
    IDF above ``absent_floor``: a rare word the sources lack is a subject they do not cover
    (another railway, another housing estate), while a common word they lack is most often a
    resident's own way of saying what the sources say in other words (城里, 放在, 开门).
    The split was measured on DRCD dev and the team's plan questions (docs/BENCHMARKS.md).
    Built once per index build: occurrences are counted in one folded copy of the passages.
    """

    def __init__(self, texts: Iterable[str], *, absent_floor: float = 8.0) -> None:
        self._corpus = "\x00".join(fold(t) for t in texts)
        self._idf, self._median = general_idf()
        self._absent_floor = absent_floor
        # A substring search of the whole corpus per word (68 µs at 5,000 passages), asked
        # several times per question: remembered for this build (a dict assignment is atomic,
        # so concurrent questions may at worst compute a word twice).
        self._known: dict[str, bool] = {}
        self._written: dict[str, bool] = {}

    def known(self, term: str) -> bool:
        """Whether the indexed sources use this word anywhere."""
        found = self._known.get(term)
        if found is None:
            if len(self._known) >= KNOWN_CACHE_SIZE:
                self._known.clear()  # bounded: questions can bring any number of new words
            found = self._known[term] = bool(term) and any(
                form in self._corpus for form in (term, *written_forms(term))
            )
        return found

    def writes(self, term: str) -> bool:
        """Whether the indexed sources use this very spelling of a word (not another);
        remembered for this build as :meth:`known` is."""
        found = self._written.get(term)
        if found is None:
            if len(self._written) >= KNOWN_CACHE_SIZE:
                self._written.clear()
            found = self._written[term] = bool(term) and term in self._corpus
        return found

    def as_written(self, terms: Iterable[str]) -> list[str]:
        """How the sources spell the words they never write as asked (礼拜天 as 周日, 大年三十 as
        除夕, 河北 in 京津冀: :func:`written_forms`), for retrieval to look for beside the
        question, as :func:`term_support` already credits them. (Thesaurus synonyms were
        measured too: 招收 then pulls 招生 and 证件 证书, +2 −2.)"""
        spelt = [(term, written_forms(term)) for term in terms]
        # (Most words have no other spelling: the sources are searched only for those that do.)
        found = [
            other
            for term, others in spelt
            if others and not self.writes(term)
            for other in others
            if self.writes(other)
        ]
        return list(dict.fromkeys(found))

    def weight(self, term: str) -> float:
        idf = self._idf.get(term, self._median)
        if self.known(term):
            return idf
        if _KIN.fullmatch(term):
            return 0.0  # 老伴儿 in 帮老伴儿办: whom the asker asks for, where the sources say 代办
        return max(idf - self._absent_floor, 0.0)

    def weights(self, terms: Iterable[str]) -> list[float]:
        return [self.weight(t) for t in terms]
