from __future__ import annotations

import pytest

from knowledge.answering.question import Detail, analyze, evidence_holds, evidence_names


@pytest.mark.parametrize(
    ("question", "detail"),
    [
        ("地铁票价多少钱", Detail.AMOUNT),
        ("这个项目投资多少亿", Detail.AMOUNT),
        ("入驻能拿多少补贴", Detail.AMOUNT),
        ("这条路什么时候开通", Detail.DATE),
        ("哪一年完工", Detail.DATE),
        ("一共有几座桥", Detail.COUNT),
        ("每户能分几套房", Detail.COUNT),
        ("车站设在哪几个镇", Detail.PLACE),
        ("怎么申请廉租房", Detail.PROCEDURE),
        ("去哪补办证件", Detail.PROCEDURE),
        ("怎么在网上预约", Detail.PROCEDURE),
        ("办事处电话是多少", Detail.CONTACT),
    ],
)
def test_asked_details_are_recognized(question: str, detail: Detail) -> None:
    assert detail in analyze(question).details


@pytest.mark.parametrize(
    "question",
    ["这条铁路会建吗", "工厂要怎么整治", "在哪些领域合作", "规划对机场的定位是什么"],
)
def test_plain_questions_ask_for_no_detail(question: str) -> None:
    assert analyze(question).details == frozenset()


@pytest.mark.parametrize(
    ("detail", "evidence", "holds"),
    [
        (Detail.AMOUNT, "每平方米补偿3000元。", True),
        (Detail.AMOUNT, "做好征地拆迁和人员安置。", False),
        (Detail.DATE, "2025年底前建成。", True),
        (Detail.DATE, "建设京霸铁路。", False),
        (Detail.COUNT, "建设三座新城。", True),
        (Detail.COUNT, "以治理PM2.5为重点，提级改建104国道。", False),
        (Detail.PLACE, "在礼贤镇设站。", True),
        (Detail.PROCEDURE, "到政务服务中心窗口办理。", True),
        (Detail.CONTACT, "咨询电话：010-12345678。", True),
        (Detail.CONTACT, "提级改建104国道。", False),
    ],
)
def test_evidence_is_checked_for_the_detail(detail: Detail, evidence: str, holds: bool) -> None:
    assert evidence_holds(detail, evidence) is holds


def test_list_questions_and_their_head() -> None:
    a = analyze("有哪些高速公路项目")
    assert a.is_list and a.list_head == "高速公路项目"
    b = analyze("共建园区有哪些？")
    assert b.is_list and b.list_head == "共建园区"
    assert not analyze("京霸铁路会建吗").is_list


def test_entitlement_and_follow_up_markers() -> None:
    assert analyze("拆迁补偿怎么算").entitlement
    assert not analyze("机场的定位是什么").entitlement
    assert analyze("那高速公路呢？").follow_up


def test_full_width_and_case_are_normalized() -> None:
    assert analyze("Ｓ６线票价多少钱").normalized == "s6线票价多少钱"


def test_any_questions_are_not_list_questions() -> None:
    assert not analyze("永定河有没有什么治理打算").is_list
    assert analyze("永定河有什么治理打算").is_list


@pytest.mark.parametrize(
    ("question", "identifiers"),
    [
        ("示范162号什么时候建成", ("162",)),
        ("S6线什么时候通车", ("S6",)),
        ("104国道改建吗", ("104",)),
        ("g4高速", ("G4",)),
        ("2035年的目标是什么", ()),
        ("30%的用地", ()),
        ("5G基站", ()),
    ],
)
def test_designators_are_found_and_amounts_are_not(
    question: str, identifiers: tuple[str, ...]
) -> None:
    assert analyze(question).identifiers == identifiers


def test_evidence_must_name_the_designator_itself() -> None:
    assert evidence_names("162", "示范项目162号计划于2030年建成")
    assert not evidence_names("16", "示范项目162号计划于2030年建成")
    assert evidence_names("S6", "推进市郊铁路S6线建设")
