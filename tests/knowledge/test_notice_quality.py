"""Answer quality on the notice set: the plan and 14 everyday notices in one index (integration).

The notices and their 248 questions (eval/notices/, eval/notice_questions.jsonl) were written by
a helper who never saw the engine; so were the third to twenty-first sets (eval/blind/,
eval/blind4/ … eval/blind22/). The floors here are regression floors a little under what was
measured; the issue's targets and the measured figures are in docs/BENCHMARKS.md (`make eval`).
"""

from __future__ import annotations

import json

import pytest

from benchmarks.notice_eval import (
    BLIND4_NOTICES,
    BLIND4_QUESTIONS,
    BLIND5_NOTICES,
    BLIND5_QUESTIONS,
    BLIND6_NOTICES,
    BLIND6_QUESTIONS,
    BLIND7_NOTICES,
    BLIND7_QUESTIONS,
    BLIND8_NOTICES,
    BLIND8_QUESTIONS,
    BLIND9_NOTICES,
    BLIND9_QUESTIONS,
    BLIND10_NOTICES,
    BLIND10_QUESTIONS,
    BLIND11_NOTICES,
    BLIND11_QUESTIONS,
    BLIND12_NOTICES,
    BLIND12_QUESTIONS,
    BLIND13_NOTICES,
    BLIND13_QUESTIONS,
    BLIND14_NOTICES,
    BLIND14_QUESTIONS,
    BLIND15_NOTICES,
    BLIND15_QUESTIONS,
    BLIND16_NOTICES,
    BLIND16_QUESTIONS,
    BLIND17_NOTICES,
    BLIND17_QUESTIONS,
    BLIND18_NOTICES,
    BLIND18_QUESTIONS,
    BLIND19_NOTICES,
    BLIND19_QUESTIONS,
    BLIND20_NOTICES,
    BLIND20_QUESTIONS,
    BLIND21_NOTICES,
    BLIND21_QUESTIONS,
    BLIND22_NOTICES,
    BLIND22_QUESTIONS,
    BLIND_NOTICES,
    BLIND_QUESTIONS,
    NOTICE_QUESTIONS,
    notice_documents,
)
from knowledge.documents import load_directory
from knowledge.evaluation import evaluate, load_items
from knowledge.service import build_documents, create_embedder, create_engine
from knowledge.settings import KnowledgeSettings

pytestmark = pytest.mark.integration


def _engine_over(documents, index_dir):  # type: ignore[no-untyped-def]
    """The real model's engine over these documents, indexed in ``index_dir``."""
    settings = KnowledgeSettings().model_copy(update={"index_dir": index_dir})
    embedder = create_embedder(settings)
    build_documents(settings, documents, embedder=embedder)
    engine = create_engine(settings, embedder)
    engine.warm_up()
    return engine


@pytest.fixture(scope="module")
def notice_engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    plan = load_directory(KnowledgeSettings().sources_dir).documents
    return _engine_over([*plan, *notice_documents()], tmp_path_factory.mktemp("notices"))


def test_the_notice_set_does_not_regress(notice_engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(notice_engine, load_items(NOTICE_QUESTIONS))
    correct, answerable = report.answer_accuracy()
    precision, recall, _, unanswerable = report.abstention()
    assert answerable == 176 and unanswerable == 72
    assert correct / answerable >= 0.8
    assert recall >= 0.5 and precision >= 0.3


def _report_beside_the_plan(notices, questions, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A notice set's questions asked of the plan and its notices in one index."""
    plan = load_directory(KnowledgeSettings().sources_dir).documents
    documents = [*plan, *notice_documents(notices)]
    engine = _engine_over(documents, tmp_path_factory.mktemp(notices.parent.name))
    return evaluate(engine, load_items(questions))


def _assert_floors(report, *, questions: tuple[int, int], right: float, declined: float) -> None:  # type: ignore[no-untyped-def]
    """The set's size (answerable, unanswerable) as written, and its regression floors: the
    share answered right and the share of unanswerable questions declined."""
    correct, answerable = report.answer_accuracy()
    _, recall, _, unanswerable = report.abstention()
    assert (answerable, unanswerable) == questions
    assert correct / answerable >= right
    assert recall >= declined


def test_the_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The third set, written blind (eval/blind/): 96/132 and 20/48 held out, 119/132 and
    32/48 after the changes made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND_NOTICES, BLIND_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(132, 48), right=0.76, declined=0.4)
    # No answer quotes one sentence twice (a sentence that leads and also joins as a companion).
    for result in report.results:
        anchors = [c.url for c in result.reply.citations]
        assert len(anchors) == len(set(anchors)), (result.item.q, anchors)


def test_the_fourth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The fourth set, written blind (eval/blind4/): 101/120 and 18/36 held out, 109/120 and
    26/36 after the changes made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND4_NOTICES, BLIND4_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.86, declined=0.65)


def test_the_fifth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The fifth set, written blind (eval/blind5/): 94/120 and 16/36 held out, 101/120 and 19/36
    after the changes made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND5_NOTICES, BLIND5_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.8, declined=0.5)


def test_the_sixth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The sixth set, written blind (eval/blind6/): 93/120 and 18/36 held out, 100/120 and 20/36
    after the changes made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND6_NOTICES, BLIND6_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.78, declined=0.5)


def test_the_seventh_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The seventh set, written blind (eval/blind7/): 96/120 and 10/36 held out, 99/120 and
    23/36 after the changes made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND7_NOTICES, BLIND7_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.8, declined=0.6)


def test_the_eighth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The eighth set, written blind (eval/blind8/): 105/120 and 11/36 held out, 112/120 and
    12/36 after the 16th session's changes made with its failures in view, 113/120 and 15/36
    after the 17th session's (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND8_NOTICES, BLIND8_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.9, declined=0.35)


def test_the_ninth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The ninth set, written blind (eval/blind9/): 96/120 and 12/36 held out, 98/120 and 12/36
    after the 18th session's two readings made with its failures in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND9_NOTICES, BLIND9_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.75, declined=0.25)


def test_the_tenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The tenth set, written blind (eval/blind10/): 106/120 and 10/36 held out on the 19th
    session's engine, 109/120 and 17/36 after the changes made with its failures in view
    (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND10_NOTICES, BLIND10_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.83, declined=0.2)


def test_the_eleventh_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The eleventh set, written blind (eval/blind11/; notices with sections, with a salutation
    line, and with no headings): 86/120 and 13/36 held out on the 20th session's engine once its
    questions named their subjects, 90/120 and 13/36 after the changes made with its failures
    in view (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND11_NOTICES, BLIND11_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.7, declined=0.3)


def test_the_twelfth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The twelfth set, written blind (eval/blind12/): 92/120 and 16/36 held out on the 21st
    session's engine, 98/120 and 17/36 after the changes made with its failures in view
    (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND12_NOTICES, BLIND12_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.78, declined=0.4)


def test_the_thirteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The thirteenth set, written blind (eval/blind13/; many colloquial questions name no
    subject): 72/120 and 20/36 held out on the 22nd session's start, 77/120 and 26/36 after the
    changes made with its odd-numbered notices' failures in view; its even-numbered notices,
    unread, stayed at 37/60 and 12/18 (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND13_NOTICES, BLIND13_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.6, declined=0.65)


def test_the_fourteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The fourteenth set, written blind (eval/blind14/): 92/120 and 14/36 held out on the 23rd
    session's start, 95/120 and 16/36 after the changes made with its odd-numbered notices'
    failures in view; its even-numbered notices, unread, 46/60 6/18 → 46/60 8/18
    (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND14_NOTICES, BLIND14_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.74, declined=0.4)


def test_the_fifteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The fifteenth set, written blind (eval/blind15/): 94/120 and 18/36 held out on the 24th
    session's start, 97/120 and 23/36 after the changes made with its odd-numbered notices'
    failures in view; its even-numbered notices, unread, stayed at 50/60 and 9/18
    (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND15_NOTICES, BLIND15_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.78, declined=0.58)


def test_the_sixteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The sixteenth set, written blind (eval/blind16/): 83/120 and 16/36 held out on the 25th
    session's start, 89/120 and 21/36 after the changes made with its odd-numbered notices'
    failures in view (its even-numbered notices, then unread, 39/60 7/18 → 41/60 8/18); 93/120
    and 21/36 after the 26th session, which read them all (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND16_NOTICES, BLIND16_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.75, declined=0.55)


def test_the_seventeenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The seventeenth set, written blind (eval/blind17/): 87/120 and 19/36 held out on the 26th
    session's start, 95/120 and 19/36 after the changes made with its odd-numbered notices'
    failures in view; its even-numbered notices, unread, stayed at 48/60 and 10/18
    (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND17_NOTICES, BLIND17_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.75, declined=0.50)


def test_the_eighteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The eighteenth set, written blind (eval/blind18/): 86/120 and 19/36 held out on the 27th
    session's start (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND18_NOTICES, BLIND18_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.68, declined=0.47)


def test_the_nineteenth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The nineteenth set, written blind (eval/blind19/): 84/120 and 17/36 held out on the 28th
    session's start (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND19_NOTICES, BLIND19_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.66, declined=0.44)


def test_the_twentieth_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The twentieth set, written blind (eval/blind20/): 78/120 and 20/36 held out on the 29th
    session's start (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND20_NOTICES, BLIND20_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.62, declined=0.50)


def test_the_twenty_first_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The twenty-first set, written blind (eval/blind21/): 101/120 and 21/36 held out on the
    30th session's start (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND21_NOTICES, BLIND21_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.80, declined=0.52)


def test_the_twenty_second_blind_notice_set_does_not_regress(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The twenty-second set, written blind (eval/blind22/): 102/120 and 21/36 held out on the
    31st session's start (docs/BENCHMARKS.md)."""
    report = _report_beside_the_plan(BLIND22_NOTICES, BLIND22_QUESTIONS, tmp_path_factory)
    _assert_floors(report, questions=(120, 36), right=0.81, declined=0.52)


def _share_right(engine, style: str) -> float:  # type: ignore[no-untyped-def]
    lines = NOTICE_QUESTIONS.read_text(encoding="utf-8").splitlines()
    styles = {raw["id"]: raw.get("style", "") for raw in map(json.loads, lines)}
    items = [i for i in load_items(NOTICE_QUESTIONS) if styles.get(i.id) == style]
    report = evaluate(engine, items)
    return sum(r.correct for r in report.results) / len(items)


def test_two_detail_questions_get_both_details(notice_engine) -> None:  # type: ignore[no-untyped-def]
    """啥时候…、去哪… : both details, from the sentences that hold them (31 questions)."""
    assert _share_right(notice_engine, "two_detail") >= 0.75


def test_questions_in_traditional_characters_are_answered(notice_engine) -> None:  # type: ignore[no-untyped-def]
    assert _share_right(notice_engine, "traditional") >= 0.6


def test_every_notice_quote_is_verbatim(notice_engine) -> None:  # type: ignore[no-untyped-def]
    texts = {d.doc_id: " ".join(p.text for p in d.paragraphs) for d in notice_documents()}
    for question in ["兴58路首末班车几点", "暖气费截止日期是哪天", "办老年卡要带啥"]:
        reply = notice_engine.answer(question)
        for c in reply.citations + reply.related:
            if c.doc_id in texts:
                assert c.quote in texts[c.doc_id]


HEATING = """---
title: 关于本年度采暖季供暖安排的通知
---
# 关于本年度采暖季供暖安排的通知

各位用户：

## 一、供暖时间

本采暖季正式供暖时间为2026年11月15日至2027年3月15日。

## 二、收费标准

居民供暖费标准为每平方米每采暖季30元，请于11月30日前缴纳。
"""

HANDOVER = """---
title: 青云家园交房通知
---
# 青云家园交房通知

各位业主：

## 一、交房时间

青云家园定于2027年1月8日起分批交付，每天上午9:00至下午4:00办理交房手续。

## 二、需携带材料

请携带购房合同原件和业主身份证原件。
"""

HEARING = """---
title: 关于召开榆垡镇居民生活用水价格调整听证会的公告
---
# 关于召开榆垡镇居民生活用水价格调整听证会的公告

榆垡镇人民政府定于2027年6月8日（星期二）上午九点，在镇政府三层会议室召开榆垡镇居民生活用水价格调整听证会，现将有关事项公告如下。

## 一、听证事项

榆垡镇居民生活用水价格调整方案，拟将居民用水价格由每立方米5元调整为每立方米5.5元。

## 二、报名条件与方式

凡户籍或常住地在榆垡镇的居民，均可报名参加消费者代表遴选。

报名时间为2027年5月10日至5月20日，每天9:00至11:30。

报名者可到镇政府一层服务大厅现场报名。
"""


@pytest.fixture(scope="module")
def small_engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from knowledge.documents import parse_document

    documents = [
        parse_document(HEATING, "heating"),
        parse_document(HANDOVER, "handover"),
        parse_document(HEARING, "hearing"),
    ]
    return _engine_over(documents, tmp_path_factory.mktemp("small"))


def test_an_asked_date_is_filled_by_the_sentence_on_what_was_asked(small_engine) -> None:  # type: ignore[no-untyped-def]
    """报名时间 asked: of the notice's sentences giving a date, the one on 报名 fills it, not the
    opening, which gives the hearing's date and repeats the title's words (policy
    detail_pick_focus)."""
    reply = small_engine.answer("榆垡镇用水价格听证会消费者代表的报名时间是什么时候？")
    assert reply.kind == "answer"
    assert "5月10日至5月20日" in reply.text and "6月8日" not in reply.text


def test_a_residents_word_is_met_by_its_meaning(small_engine) -> None:  # type: ignore[no-untyped-def]
    """暖气费 is never written (the notice says 供暖费): its meaning is found in the sentence,
    so the question is answered instead of declined for want of a shared word."""
    decision, reply = small_engine.decide_and_reply("暖气费一平米多少钱")
    assert reply.kind == "answer"
    assert "每平方米每采暖季30元" in reply.text
    assert any("暖气费" in words for words in decision.retrieval.lent.values())


def test_a_word_meant_nowhere_is_not_lent(small_engine) -> None:  # type: ignore[no-untyped-def]
    decision, _ = small_engine.decide_and_reply("青云家园的核磁共振检查多少钱")
    assert not any("核磁共振" in words for words in decision.retrieval.lent.values())


def test_a_thing_the_notice_never_speaks_of_is_named_as_missing(small_engine) -> None:  # type: ignore[no-untyped-def]
    """门禁卡 asked of a handover notice that names no card: its handover sentence is quoted and
    the card named as not written, rather than that sentence given as the answer."""
    decision, reply = small_engine.decide_and_reply("青云家园交房时能领几张门禁卡？")
    assert reply.kind == "no_answer"
    assert decision.missing_words == ("门禁卡",)
    assert "门禁卡" in reply.text and "青云家园定于2027年1月8日" in reply.text
