"""Fragments read against the previous question, on questions about several documents (the
plan, and notices on heating, buses, water, vaccines): the rule is general, not per question."""

from __future__ import annotations

import pytest

from knowledge.answering.followup import Strength, combine, readings, strength, subject_of


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("规划里有哪些铁路要修", "铁路"),
        ("京霸铁路什么时候通车", "京霸铁路"),
        ("生物医药在新区放在哪里", "生物医药"),
        ("粮油市场以后会升级改造吗", "粮油市场"),
        ("供暖什么时候开始", "供暖"),
        ("3路公交车改线了吗", "3路"),
        ("停水影响哪些小区", "停水"),
    ],
)
def test_the_subject_is_the_first_run_of_nouns(question: str, subject: str) -> None:
    assert subject_of(question) == subject


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("那高速呢", Strength.STRONG),
        ("地铁呢？", Strength.STRONG),
        ("还有呢", Strength.STRONG),
        ("生产环节放哪", Strength.WEAK),
        ("京霸铁路会建吗", Strength.NONE),
        ("机场建设涉及的拆迁群众怎么安置", Strength.NONE),
    ],
)
def test_how_surely_a_message_leans_on_the_previous_turn(message: str, expected: Strength) -> None:
    assert strength(message) is expected


@pytest.mark.parametrize(
    ("previous", "fragment", "combined"),
    [
        # the plan: a list keeps its wording, the subject is replaced
        ("规划里有哪些铁路要修", "那高速公路呢？", "规划里有哪些高速公路要修"),
        # after a declined date question the date is not asked again: the topic stays
        ("京霸铁路什么时候通车", "那高速呢", "高速通车"),
        # an aspect with its own question wording keeps the previous subject
        ("生物医药在新区放在哪里", "生产环节放哪", "生物医药生产环节放哪"),
        # a bus notice
        ("3路公交车改线了吗", "那5路呢", "5路公交车改线了"),
        # a water outage notice: an aspect asked with its own wording
        ("停水影响哪些小区", "那什么时候恢复", "停水什么时候恢复"),
        # a vaccine notice
        ("流感疫苗在哪里打", "新冠疫苗呢", "新冠疫苗在哪里打"),
        # nothing but a lead: the previous question again
        ("京霸铁路会建吗", "还有呢", "京霸铁路会建吗"),
    ],
)
def test_a_fragment_is_combined_with_the_previous_question(
    previous: str, fragment: str, combined: str
) -> None:
    assert combine(previous, fragment) == combined


def test_a_bare_subject_may_also_be_an_aspect_of_the_previous_one() -> None:
    # 那收费呢 after a heating question: 供暖's charges first (收费 names a kind of detail)
    assert readings("供暖什么时候开始", "那收费呢") == ["供暖收费", "收费开始"]


def test_a_designator_is_replaced_whole() -> None:
    assert combine("兴58路调整后终点在哪", "那兴71路呢") == "兴71路调整后终点在哪"


def test_a_fragment_without_content_words_still_asks_its_own_question() -> None:
    assert combine("流感疫苗谁能免费打", "那在哪打呢") == "流感疫苗在哪打"


def test_without_a_previous_question_the_fragment_stands_alone() -> None:
    assert readings("", "那高速呢") == ["那高速呢"]
