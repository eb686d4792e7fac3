"""Personal numbers are masked in every form people write them; ordinary numbers are not
(security review, issue 14, H2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from records.privacy import (
    contains_personal_number,
    mask_personal_numbers,
    mask_transcript,
    mask_values,
    question_key,
)

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+86 139 8765 4321", "+86 139 **** 4321"),
        ("139-8765-4321", "139-****-4321"),
        ("１３９８７６５４３２１", "１３９****４３２１"),
        ("0086 13987654321", "0086 139****4321"),
        ("+8613987654321", "+86139****4321"),
        ("手机 139.8765.4321。", "手机 139.****.4321。"),
        ("010-6924 1234", "010-**** 1234"),
        ("（０１０）６９２４１２３４", "（０１０）****１２３４"),
        ("+86 10 6924 1234", "+86 10 **** 1234"),
        ("0755-8600123", "0755-****123"),
        ("身份证11010519491231002X", "身份证110105********002X"),
        ("110105 19491231 002x", "110105 ******** 002x"),
        ("老身份证110105491231002", "老身份证110105******002"),
        ("护照E12345678", "护照E******78"),
        ("通行证ＥＡ１２３４５６７", "通行证ＥＡ*****６７"),
        # Chinese numerals, in runs as long as a phone number (security review, H2a)
        ("一三九八七六五四三二一", "一三九****四三二一"),
        ("一一零一零一一九九零零三零七五六七八", "一一零一零一********五六七八"),
        ("幺三九 八七六五 四三二幺", "幺三九 **** 四三二幺"),
        ("一三九两〇〇〇一一一一", "一三九****一一一一"),
        ("139八七六五4321", "139****4321"),
        ("零一零-六九二四一二三四", "零一零-****一二三四"),
        # the marks numbers are listed with, and runs of separators
        ("139/8765/4321", "139/****/4321"),
        ("139_8765_4321", "139_****_4321"),
        ("139，8765，4321", "139，****，4321"),
        ("139,8765,4321", "139,****,4321"),
        ("139·8765·4321", "139·****·4321"),
        ("139、8765、4321", "139、****、4321"),
        ("139|8765|4321", "139|****|4321"),
        ("139  -  8765  -  4321", "139  -  ****  -  4321"),
        ("110105，19491231，002X", "110105，********，002X"),
        # zero-width characters between digits
        ("139\u200b8765\u200c4321", "139\u200b****\u200c4321"),
        ("1\u200d3\u20609\ufeff87654321", "1\u200d3\u20609\ufeff****4321"),
        ("0\u200b10-69241234", "0\u200b10-****1234"),
        # a passport number right after Latin letters
        ("passportE12345678", "passportE******78"),
        # a number listed before an ordinary one: only the number goes
        ("电话13987654321，2035年建成吗", "电话139****4321，2035年建成吗"),
    ],
)
def test_each_written_form_is_masked(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2035年建成",
        "补助500元",
        "12月20日开工",
        "沿104国道",
        "9:00-17:00办理",
        "拨打12345热线",
        "2021-2035年规划",
        "2016—2035年",
        "S6线和G4501",
        "第1、2、3条",
        "共1,000,000元",
        "2020.01.01-2023.12.31",
        "京AB1234",
        "邮编102600",
        "十四五规划",
        "二〇三五年",
        "二〇二一—二〇三五年",
        "第一章",
        "三个新城",
        "一两天",
        "12345，12345，12345",
        "9:13，12345，1234元",
        "第1、2、3、4、5、6、7、8、9、10、11、12、13条",
        "2020/01/01-2023/12/31",
        "二〇二一、二〇二二、二〇二三年",
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert mask_personal_numbers(text) == text
    assert not contains_personal_number(text)


# --- every written form -----------------------------------------------------------------------

SEPARATORS = [" ", "-", ".", "—", "－", "　", "‐", "．", " - ", "\t"]
# Separators the first masking missed (security review, H2a): zero-width characters, runs of
# several separators, and the marks numbers are listed with, which the masking reads as part of
# a number between groups of three digits or more.
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
RUNS = ["  -  ", " - - ", "..", "\u200b \u200b", " \t "]
LISTING = ["/", "_", "，", ",", "·", "、", "|", "／", "＿", "｜", " / ", "  ，  ", "_-_"]
CHINESE = {
    "0": "〇零",
    "1": "一幺",
    "2": "二两",
    "3": "三",
    "4": "四",
    "5": "五",
    "6": "六",
    "7": "七",
    "8": "八",
    "9": "九",
}
CONTEXT = st.lists(
    st.sampled_from(["我的", "电话", "是", "请联系", "，", "。", "：", "号码", "谢谢", " "]),
    max_size=4,
).map("".join)


@dataclass(frozen=True)
class Number:
    """A number as its owner knows it (``core``: digits, or letters and digits) and as
    someone wrote it in a message (``written``)."""

    core: str
    written: str


def _full_width(char: str) -> str:
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@st.composite
def written(draw: st.DrawFn, core: str, chinese: bool = True, listing: bool = True) -> str:
    """``core`` as someone may write it: separators (spaces, dashes, dots, zero-width
    characters, runs of them) between any characters, listing marks between groups of three
    digits or more, some characters full width and, when ``chinese``, some digits as Chinese
    numerals (which the masking reads as digits in a run as long as a phone number: a caller
    passes ``chinese`` only for such numbers). Listing marks only when ``listing``: an ID
    number read across them must have a province and a birth date."""
    letters = len(core) - len(core.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    cuts, last = set(), letters
    for i in range(letters + 3, len(core) - 2):
        if listing and i - last >= 3 and draw(st.integers(0, 3)) == 0:
            cuts.add(i)
            last = i
    soft = st.sampled_from(SEPARATORS + ZERO_WIDTH + RUNS)
    out = []
    for i, char in enumerate(core):
        if i in cuts:
            out.append(draw(st.sampled_from(LISTING)))
        elif i and draw(st.booleans()):
            out.append(draw(soft))
        if chinese and char.isdigit() and draw(st.booleans()):
            out.append(draw(st.sampled_from(CHINESE[char])))
        else:
            out.append(_full_width(char) if draw(st.booleans()) else char)
    return "".join(out)


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=count, max_size=count)


mobile_cores = st.builds(lambda b, rest: f"1{b}{rest}", st.sampled_from("3456789"), digits(9))
id18_cores = st.builds(
    lambda a, rest, last: f"{a}{rest}{last}",
    st.sampled_from("12345678"),
    digits(16),
    st.sampled_from("0123456789Xx"),
)
id15_cores = st.builds(lambda a, rest: f"{a}{rest}", st.sampled_from("12345678"), digits(14))
provinces = st.sampled_from(["11", "12", "13", "31", "33", "37", "44", "50", "65", "71", "81"])
births = st.dates(date(1900, 1, 1), date(2029, 12, 31))
real_id18_cores = st.builds(
    lambda p, region, born, serial, last: f"{p}{region}{born:%Y%m%d}{serial}{last}",
    provinces,
    digits(4),
    births,
    digits(3),
    st.sampled_from("0123456789X"),
)
real_id15_cores = st.builds(
    lambda p, region, born, serial: f"{p}{region}{born:%y%m%d}{serial}",
    provinces,
    digits(4),
    births,
    digits(3),
)
passport_cores = st.one_of(
    st.builds(lambda a, rest: f"{a}{rest}", st.sampled_from("EGDSPCHKL"), digits(8)),
    st.builds(lambda a, rest: f"E{a}{rest}", st.sampled_from("ABCDEFG"), digits(7)),
)
area_codes = st.one_of(
    st.builds(
        lambda a: f"0{a}",
        st.sampled_from(["10", "21", "22", "23", "24", "25", "27", "28", "29", "20"]),
    ),
    st.builds(lambda a, b: f"0{a}{b}", st.sampled_from("3456789"), digits(2)),
)
subscribers = st.builds(
    lambda a, rest: f"{a}{rest}", st.sampled_from("23456789"), st.one_of(digits(6), digits(7))
)


@st.composite
def mobiles(draw: st.DrawFn) -> Number:
    core = draw(mobile_cores)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86", "+86-", "＋８６ "]))
    return Number(core, prefix + draw(written(core)))


@st.composite
def landlines(draw: st.DrawFn) -> Number:
    area, subscriber = draw(area_codes), draw(subscribers)
    style = draw(st.sampled_from(["plain", "brackets", "country"]))
    if style == "brackets":
        head = draw(st.sampled_from(["({})", "（{}）"])).format(area)
    elif style == "country":
        head = draw(st.sampled_from(["+86 ", "+86-", "0086 "])) + area[1:]
    else:
        head = area
    gap = draw(st.sampled_from(["", "-", " ", "－", " - ", "/", "，", "\u200b"]))
    # Chinese numerals in the subscriber number when the run is as long as a mobile number.
    chinese = len(area) - (style == "country") + len(subscriber) + 2 * (style == "country") >= 11
    return Number(subscriber, head + gap + draw(written(subscriber, chinese=chinese)))


@st.composite
def plain(draw: st.DrawFn, cores: st.SearchStrategy[str], listing: bool = True) -> Number:
    core = draw(cores)
    return Number(core, draw(written(core, listing=listing)))


@st.composite
def passports(draw: st.DrawFn) -> Number:
    """A passport number, also straight after a Latin word (passportE12345678)."""
    core = draw(passport_cores)
    word = draw(st.sampled_from(["", "", "passport", "Passport No", "ID", "no"]))
    return Number(core, word + draw(written(core, chinese=False)))


any_number = st.one_of(
    mobiles(),
    landlines(),
    plain(id18_cores, listing=False),
    plain(id15_cores, listing=False),
    plain(real_id18_cores),
    plain(real_id15_cores),
    passports(),
)


def readable(text: str) -> str:
    """What anyone reading ``text`` can still get out of it: its letters and digits (Chinese
    numerals read as digits), folded, with every separator removed (the masks stay: digits
    on both sides of one are not one number)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.translate({ord(c): d for d, cs in CHINESE.items() for c in cs})
    return re.sub(r"[^0-9A-Za-z*]", "", folded).upper()


@PROPERTY
@given(any_number, CONTEXT, CONTEXT)
@example(Number("13987654321", "+86 139 8765 4321"), "电话", "")
@example(Number("69241234", "010-6924 1234"), "座机", "。")
@example(Number("11010519491231002X", "110105 19491231 002x"), "身份证", "")
@example(Number("13987654321", "一三九八七六五四三二一"), "电话", "")
@example(Number("110101199003075678", "一一零一零一一九九零零三零七五六七八"), "", "")
@example(Number("13987654321", "139  -  8765  -  4321"), "", "")
@example(Number("13987654321", "139\u200b8765\u200b4321"), "", "")
@example(Number("E12345678", "passportE12345678"), "", "")
def test_no_written_form_survives_masking(number: Number, before: str, after: str) -> None:
    masked = mask_personal_numbers(f"{before}{number.written}{after}")
    assert number.core.upper() not in readable(masked)
    assert masked.count("*") >= 4
    assert mask_personal_numbers(masked) == masked  # nothing left to find


@PROPERTY
@given(st.lists(any_number, min_size=2, max_size=4), CONTEXT)
def test_several_numbers_in_one_message_are_all_masked(numbers: list[Number], joint: str) -> None:
    text = f"号码{joint}，".join(n.written for n in numbers)
    masked = mask_personal_numbers(text)
    for number in numbers:  # in no one number's place (the digits of two are not one number)
        assert all(number.core.upper() not in readable(part) for part in masked.split("号码"))


ordinary = st.one_of(
    st.integers(1900, 2100).map(lambda y: f"{y}年"),
    st.integers(0, 9_999_999).map(lambda n: f"{n}元"),
    st.tuples(st.integers(1, 12), st.integers(1, 31)).map(lambda md: f"{md[0]}月{md[1]}日"),
    st.integers(100, 999).map(lambda n: f"{n}国道"),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda hm: f"{hm[0]}:{hm[1]:02d}"),
    st.tuples(st.integers(2000, 2050), st.integers(2000, 2050)).map(lambda r: f"{r[0]}-{r[1]}年"),
    st.just("12345"),
    st.integers(1, 99).map(lambda n: f"第{n}条"),
    # listed with the marks the masking also reads between digits
    st.integers(1000, 99_999_999).map(lambda n: f"{n:,}元"),
    st.tuples(st.integers(1990, 2050), st.integers(1, 12), st.integers(1, 31)).map(
        lambda d: f"{d[0]}/{d[1]}/{d[2]}"
    ),
    st.lists(st.integers(1, 30).map(str), min_size=2, max_size=12).map(
        lambda ns: f"第{'、'.join(ns)}条"
    ),
    # Chinese numerals in ordinary text, and runs of them shorter than a phone number
    st.sampled_from(["十四五规划", "二〇三五年", "第一章", "三个新城", "一两天", "三十二条"]),
    st.integers(1900, 2100).map(lambda y: "".join(CHINESE[d][0] for d in str(y)) + "年"),
    st.tuples(
        st.sampled_from(["", "第", "共", "约"]),
        st.text(alphabet="".join(CHINESE.values()), min_size=1, max_size=10),
        st.sampled_from(["年", "章", "个", "条", "号", "次"]),
    ).map("".join),
)


@PROPERTY
@given(
    st.lists(
        st.tuples(ordinary, st.sampled_from(["，", "。", "的", "和", "在", "规划", "、", "/"])),
        max_size=6,
    )
)
def test_ordinary_numbers_are_never_masked(parts: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in parts)
    assert mask_personal_numbers(text) == text


# --- helpers for stored JSON ------------------------------------------------------------------


def test_transcripts_mask_the_text_and_keep_timestamps() -> None:
    turns = [{"who": "user", "text": "电话 139 8765 4321", "time": "1733340000.12345"}]
    assert mask_transcript(turns) == [
        {"who": "user", "text": "电话 139 **** 4321", "time": "1733340000.12345"}
    ]


def test_nested_values_are_masked() -> None:
    value = {"industry": "医药，联系人13987654321", "n": 3, "list": ["E12345678"]}
    assert mask_values(value) == {
        "industry": "医药，联系人139****4321",
        "n": 3,
        "list": ["E******78"],
    }


def test_a_question_counts_once_whatever_number_it_carried() -> None:
    assert question_key("我的电话13987654321怎么办") == question_key(
        "我的电话１３９ ８７６５ ４３２１怎么办"
    )


@pytest.mark.parametrize("typed", ["138～1234～5678", "138ー1234ー5678", "138〜1234〜5678"])
def test_tildes_and_long_marks_between_groups_are_separators(typed: str) -> None:
    """Input methods type these between digit groups (found by the second review)."""
    assert "1234" not in mask_personal_numbers(typed)
