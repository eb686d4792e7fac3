"""Personal numbers are masked in every form people write them; ordinary numbers are not
(security review, issue 14, H2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert mask_personal_numbers(text) == text
    assert not contains_personal_number(text)


# --- every written form -----------------------------------------------------------------------

SEPARATORS = [" ", "-", ".", "—", "－", "　", "‐", "．", " - ", "\t"]
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
def written(draw: st.DrawFn, core: str) -> str:
    """``core`` with separators between any characters and some of them full width."""
    out = []
    for i, char in enumerate(core):
        if i and draw(st.booleans()):
            out.append(draw(st.sampled_from(SEPARATORS)))
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
    gap = draw(st.sampled_from(["", "-", " ", "－", " - "]))
    return Number(subscriber, head + gap + draw(written(subscriber)))


@st.composite
def plain(draw: st.DrawFn, cores: st.SearchStrategy[str]) -> Number:
    core = draw(cores)
    return Number(core, draw(written(core)))


any_number = st.one_of(
    mobiles(), landlines(), plain(id18_cores), plain(id15_cores), plain(passport_cores)
)


def readable(text: str) -> str:
    """What anyone reading ``text`` can still get out of it: its letters and digits, folded,
    with every separator removed."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[^0-9A-Za-z]", "", folded).upper()


@PROPERTY
@given(any_number, CONTEXT, CONTEXT)
@example(Number("13987654321", "+86 139 8765 4321"), "电话", "")
@example(Number("69241234", "010-6924 1234"), "座机", "。")
@example(Number("11010519491231002X", "110105 19491231 002x"), "身份证", "")
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
    for number in numbers:
        assert number.core.upper() not in readable(masked)


ordinary = st.one_of(
    st.integers(1900, 2100).map(lambda y: f"{y}年"),
    st.integers(0, 9_999_999).map(lambda n: f"{n}元"),
    st.tuples(st.integers(1, 12), st.integers(1, 31)).map(lambda md: f"{md[0]}月{md[1]}日"),
    st.integers(100, 999).map(lambda n: f"{n}国道"),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda hm: f"{hm[0]}:{hm[1]:02d}"),
    st.tuples(st.integers(2000, 2050), st.integers(2000, 2050)).map(lambda r: f"{r[0]}-{r[1]}年"),
    st.just("12345"),
    st.integers(1, 99).map(lambda n: f"第{n}条"),
)


@PROPERTY
@given(
    st.lists(
        st.tuples(ordinary, st.sampled_from(["，", "。", "的", "和", "在", "规划"])), max_size=6
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
