"""The engine's decisions on a small corpus with a fake embedder (no model needed).

The fake embedder's cosines are not on e5's scale, so the dense thresholds are relaxed here and
the test of words by meaning (meaning.py, which reads small cosine differences) is off; both are
checked with the real model in the integration tests.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.answering import terms as term_tools
from knowledge.answering.engine import AnswerEngine, ConversationContext, _boilerplate
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.question import Detail, analyze
from knowledge.answering.why import Gate
from knowledge.index.store import build_index, load_index
from knowledge.retrieval import Retriever

RELAXED = AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0)


@pytest.fixture
def engine(documents, fake_embedder, tmp_path: Path) -> AnswerEngine:
    build_index(documents, fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    eng = AnswerEngine(retriever, hotline="12345", contact="市民热线", policy=RELAXED)
    eng.warm_up()
    return eng


def _all_sentences(documents) -> set[str]:
    from knowledge.chunking import chunk_document

    return {p.text for d in documents for p in chunk_document(d)}


def test_answer_quotes_the_source_verbatim_with_citations(engine, documents) -> None:
    reply = engine.answer("京霸铁路会建吗")
    assert reply.kind == "answer"
    assert reply.citations
    first = reply.citations[0]
    assert "京霸铁路" in first.quote
    assert first.quote in _all_sentences(documents)
    assert first.section == "第一章 交通 > 一、铁路"
    assert first.url.startswith("/sources/transport#p-")
    for c in reply.citations:
        assert f"{c.quote}[{c.n}]" in reply.text


def test_missing_detail_is_declined_with_related_passages(engine) -> None:
    reply = engine.answer("京霸铁路哪年通车")
    assert reply.kind == "no_answer"
    assert "具体时间" in reply.text and "12345" in reply.text
    assert reply.citations == []
    assert reply.related and "京霸铁路" in reply.related[0].quote
    assert any(b.payload == "/human_handoff" for b in reply.buttons)


def test_question_with_no_term_in_the_sources_is_declined(engine) -> None:
    reply = engine.answer("怎么给交通卡充值呢")
    assert reply.kind == "no_answer"
    reply = engine.answer("推荐一家好吃的火锅店")
    assert reply.kind == "no_answer"
    assert reply.related == []


def test_entitlement_questions_are_routed_to_the_official_channel(engine) -> None:
    reply = engine.answer("拆迁的群众怎么安置，我家能分到吗")
    assert reply.kind == "answer"
    assert "人员安置" in reply.citations[0].quote
    # The routing is guidance, kept apart from the quoted answer.
    assert "以主管部门正式公布的政策为准" in reply.notice and "12345" in reply.notice
    assert "主管部门" not in reply.text
    assert engine.answer("京霸铁路会建吗").notice == ""
    declined = engine.answer("拆迁补偿标准是多少钱")
    assert declined.kind == "no_answer"
    # Compensation asked to exist, which the plan never names: what it does say (人员安置), and
    # that it does not say that.
    partial = engine.answer("拆迁以后群众怎么安置，有补偿吗")
    assert partial.kind == "no_answer" and "补偿" in partial.text
    assert "人员安置" in partial.related[0].quote


def test_list_questions_gather_every_matching_passage(engine) -> None:
    reply = engine.answer("有哪些高速公路")
    assert reply.kind == "answer"
    quotes = [c.quote for c in reply.citations]
    assert len(quotes) == 2  # the road section and the green belt along the motorways
    assert all("高速" in q for q in quotes)
    assert quotes[0].startswith("建设京台高速")  # the passage about roads comes first
    assert engine.answer("京台高速会建吗").citations[0].quote.startswith("建设京台高速")
    assert len(engine.answer("京台高速会建吗").citations) == 1


def test_follow_up_carries_the_list_over(engine) -> None:
    alone = engine.answer("那高速呢？")
    after_list = engine.answer("那高速呢？", ConversationContext(last_question="有哪些铁路项目"))
    assert len(alone.citations) == 1
    assert after_list.kind == "answer" and len(after_list.citations) == 2


def test_follow_up_carries_the_detail_asked_for_over(engine) -> None:
    assert engine.answer("那京台高速呢？").kind == "answer"
    reply = engine.answer("那京台高速呢？", ConversationContext(last_question="京霸铁路哪年通车"))
    assert reply.kind == "no_answer" and "具体时间" in reply.text


def test_weak_evidence_is_declined_with_the_nearest_passages(engine) -> None:
    question = "京霸铁路的火锅店怎么样"
    decision = engine.decide(question)
    best = decision.ranked[0]
    top = decision.ranked[: engine.policy.concentration_depth]
    concentration = sum(c.passage.doc_id == best.passage.doc_id for c in top) / len(top)
    support = engine.policy.support(best.hit.dense, best.coverage, concentration)
    engine.policy = dataclasses.replace(RELAXED, support_needed=support + 0.001)
    reply = engine.answer(question)
    assert reply.kind == "no_answer"
    assert reply.related and "京霸铁路" in reply.related[0].quote
    engine.policy = dataclasses.replace(RELAXED, support_needed=support - 0.001)
    # Past the gate, the thing asked about is one the sources never speak of (names.py,
    # unnamed_objects): what they say of 京霸铁路 is quoted and 火锅店 named as not written.
    decision = engine.decide(question)
    assert decision.why is not None and decision.why.gate is not Gate.LOW_SUPPORT
    assert decision.missing_words == ("火锅店",)


def test_empty_question_is_an_error_reply(engine) -> None:
    reply = engine.answer("  \x00 ")
    assert reply.kind == "error" and reply.text


def test_strict_thresholds_decline_off_topic_questions(documents, fake_embedder, tmp_path) -> None:
    build_index(documents, fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    strict = AnswerEngine(retriever, policy=AnswerPolicy(dense_floor=0.99))
    assert strict.answer("京霸铁路会建吗").kind == "no_answer"


def test_coverage_counts_for_less_when_the_questions_words_weigh_little(
    documents, fake_embedder, tmp_path
) -> None:
    """The gate scales a sentence's coverage by the question's total word weight up to
    ``question_weight_floor``: a question of weightless words (这周末大兴下雨吗: 下雨 no word of
    the sources, 周末 a common one) is not covered by a sentence that holds them all. Here the
    floor is set above, then below, the weight of 京霸铁路's words."""
    build_index(documents, fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)

    def support(floor: float) -> float:
        policy = AnswerPolicy(dense_floor=-1.0, meaning_terms=0, question_weight_floor=floor)
        decision = AnswerEngine(retriever, policy=policy).decide("京霸铁路会建吗")
        assert decision.why.coverage > 0
        return decision.why.support

    unscaled = support(0.01)
    assert support(1000.0) < unscaled - 0.9 * AnswerPolicy().coverage_bonus * 0.5


def test_questions_without_chinese_are_asked_to_be_in_chinese(engine) -> None:
    reply = engine.answer("Will the Jingba railway be built?")
    assert reply.kind == "no_answer"
    assert "中文" in reply.text and "12345" in reply.text


def test_a_named_line_the_sources_do_not_name_is_not_answered_by_a_neighbour(engine) -> None:
    """S6线 is in the sources; S9线 is not: the S6 sentence must not answer for it."""
    assert engine.answer("市郊铁路S6线建设吗").kind == "answer"
    reply = engine.answer("市郊铁路S9线建设吗")
    assert reply.kind == "no_answer" and reply.citations == []


HANDOVER = """---
title: 临空佳园二期交房通知
---
# 临空佳园二期交房通知

## 一、交房时间

临空佳园二期定于2026年12月20日起分批交付，每天上午9:00至下午4:00办理交房手续。

## 二、交房地点

交房手续在榆垡镇社区服务中心办理，地址为大兴区榆垡镇新航城路18号。

## 三、需携带材料

1. 购房合同原件；
2. 业主身份证原件及复印件；
3. 交房通知书。

临空佳园二期项目部2026年12月1日
"""

SUBSIDY = """---
title: 清源街道租房补贴申请指南
---
# 清源街道租房补贴申请指南

清源街道现开展2026年度租房补贴申请受理工作。

受理时间为2026年3月1日至3月31日，受理地点为清源街道政务服务中心。

申请时请携带以下材料：

1. 申请人身份证、户口簿原件及复印件；
2. 近6个月收入证明；
3. 已备案的房屋租赁合同；
4. 申请人本人社会保障卡。

逾期未申请的，视为放弃，补贴按合同约定的租期计算。

办理车辆登记须携带：1. 房屋产权证明；2. 机动车行驶证；3. 业主本人身份证。登记地点为物业服务中心。
"""

OUTAGE = """---
title: 安定镇部分村庄计划停电公告
---
# 安定镇部分村庄计划停电公告

为保障冬季供电安全，安定镇部分村庄计划停电，现将有关事项公告如下：

## 停电时间

2026年12月16日上午7:30至下午5:30。

## 温馨提示

停电期间，安定镇在高店村村委会设置临时取暖点。
"""

ELDERLY_CARD = """---
title: 天宫院街道养老助残卡集中办理通知
---
# 天宫院街道养老助残卡集中办理通知

天宫院街道将集中为辖区老年人办理养老助残卡，有关事项通知如下：

4. 所需材料：本人身份证原件、近期一寸白底彩色免冠照片1张；外埠老年人还须提供本市居住证。\
由家属代办的，需携带代办人身份证和老年人户口簿。

5. 制卡周期：养老卡制作周期约为30个工作日。
"""

NIGHT_CLINIC = """---
title: 海子角社区卫生服务站开设夜间门诊的通知
---
# 海子角社区卫生服务站开设夜间门诊的通知

为方便居民就医，海子角社区卫生服务站自2026年9月1日起开设夜间门诊，现将有关事项通知如下：

1. 夜间门诊时间为每周一至周五18:00至21:00。

2. 服务站地址为海子角西路15号。

3. 白天门诊时间为周一至周五上午8:00至下午5:00；周六、周日上午8:00至12:00仅提供取药服务。
"""

SNOW = """---
title: 高米店街道冬季扫雪铲冰工作通知
---
# 高米店街道冬季扫雪铲冰工作通知

## 二、道路临时措施

降雪量达到中雪及以上时，采取以下临时措施：

（1）金星路立交桥下辅路临时封闭，行人请绕行康庄路；

（2）兴华大街非机动车道允许临时堆放积雪，但不得堆放在盲道；

（3）小区内禁止使用融雪剂。
"""

MARKET = """---
title: 鹿海园农贸市场临时搬迁公告
---
# 鹿海园农贸市场临时搬迁公告

鹿海园农贸市场搬迁后的临时市场位于鹿海园路与成寿寺南路交叉口东北角。

因原址实施房屋抗震加固，将于2026年7月1日起临时搬迁。

鹿海园农贸市场搬迁期间的营业时间为每天6:00至19:00。

原址在册商户按原摊位号顺序优先安排新摊位。
"""

LOTTERY = """---
title: 兴悦家园公租房摇号公告
---
# 兴悦家园公租房摇号公告

兴悦家园公租房摇号定于2026年6月10日在区住房保障中心举行。

参加摇号的家庭须在网上确认参加摇号。

逾期未在网上确认的，视为自动放弃。

网上确认参加摇号的时间为周一至周五9:00至17:00。
"""

GAS = """---
title: 燃气入户安全检查通知
---
# 燃气入户安全检查通知

燃气公司将于2026年10月12日至11月30日对康庄社区、兴政社区、滨河西里社区居民用户开展燃气入户安全检查。

检查时间为每日上午9:00至12:00，周六、周日照常开展。

安检人员均佩戴工作证。
"""

HANDOVER_TRADITIONAL = """---
title: 臨空佳園三期交房通知
---
# 臨空佳園三期交房通知

臨空佳園三期定於2027年3月1日起交付，地址為大興區榆垡鎮新航城路20號。
"""


@pytest.fixture
def notice_engine(documents, fake_embedder, tmp_path: Path) -> AnswerEngine:
    from knowledge.documents import parse_document

    notices = [
        parse_document(HANDOVER, "handover"),
        parse_document(HANDOVER_TRADITIONAL, "handover-3"),
        parse_document(SUBSIDY, "subsidy"),
        parse_document(OUTAGE, "outage"),
        parse_document(ELDERLY_CARD, "elderly-card"),
        parse_document(NIGHT_CLINIC, "night-clinic"),
        parse_document(SNOW, "snow"),
        parse_document(MARKET, "market"),
        parse_document(LOTTERY, "lottery"),
        parse_document(GAS, "gas"),
    ]
    build_index([*documents, *notices], fake_embedder, tmp_path)
    retriever = Retriever(load_index(tmp_path), fake_embedder)
    eng = AnswerEngine(retriever, hotline="12345", contact="市民热线", policy=RELAXED)
    eng.warm_up()
    return eng


def test_a_two_detail_question_is_answered_from_two_sentences(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期啥时候交房？去哪办手续？")
    assert reply.kind == "answer"
    assert "2026年12月20日" in reply.text and "新航城路18号" in reply.text
    assert {c.section.split(" > ")[-1] for c in reply.citations} >= {"一、交房时间", "二、交房地点"}


def test_the_title_does_not_make_the_first_sentence_the_answer(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期交房地址在哪里")
    assert reply.kind == "answer"
    assert "新航城路18号" in reply.citations[0].quote


def test_a_paragraph_under_a_label_naming_the_kind_asked_is_answered_whole(notice_engine) -> None:
    reply = notice_engine.answer("天宫院街道办养老助残卡家属代办要带啥材料")
    assert reply.kind == "answer"
    # Every sentence under 所需材料：, not only those that share the question's words.
    assert all(item in reply.text for item in ("身份证原件", "居住证", "户口簿")), reply.text
    assert "制作周期" not in reply.text  # the next labelled paragraph is another matter


def test_a_sentence_that_only_opens_a_list_is_answered_with_its_items(notice_engine) -> None:
    for question in (
        "高米店街道降雪量达到中雪时采取哪些临时措施？",
        "高米店街道降雪量达到中雪时采取什么临时措施？",
    ):
        reply = notice_engine.answer(question)
        assert reply.kind == "answer", question
        assert "采取以下临时措施" in reply.citations[0].quote
        # The opener alone says nothing; every item says what the measures are.
        assert "金星路立交桥下辅路" in reply.text and "融雪剂" in reply.text, question


def test_why_is_answered_by_the_sentence_that_gives_a_reason(notice_engine) -> None:
    decision = notice_engine.decide("鹿海园农贸市场为啥要搬走？")
    # Every sentence names the move; the one that says why it moves ranks first.
    assert "抗震加固" in decision.ranked[0].passage.text
    reply = notice_engine.answer("鹿海园农贸市场为啥要搬走？")
    assert reply.kind == "answer"
    assert "抗震加固" in reply.citations[0].quote


def test_a_statement_split_at_its_semicolon_is_quoted_whole(notice_engine) -> None:
    reply = notice_engine.answer("海子角社区卫生服务站白天门诊周末上班吗")
    assert reply.kind == "answer"
    assert "周一至周五上午8:00至下午5:00" in reply.text
    assert "周六、周日上午8:00至12:00" in reply.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # What follows: the sentence stating a consequence.
        ("兴悦家园公租房摇号没在网上确认会咋样？", "视为自动放弃"),
        # A day of the week: the sentence naming days.
        ("兴悦家园公租房摇号周末能网上确认吗？", "周一至周五"),
    ],
)
def test_what_is_asked_of_a_notice_picks_its_sentence(
    notice_engine, question: str, expected: str
) -> None:
    decision = notice_engine.decide(question)
    assert expected in decision.ranked[0].passage.text
    assert expected in notice_engine.answer(question).text


def test_each_clause_of_a_question_is_answered_from_the_document(notice_engine) -> None:
    # The second clause asks no kind of detail; its own words find its sentence.
    reply = notice_engine.answer("鹿海园农贸市场搬迁期间营业时间是几点到几点，原址在册商户咋办？")
    assert reply.kind == "answer"
    assert "6:00至19:00" in reply.text
    assert "按原摊位号顺序优先安排" in reply.text


ROADS = """---
title: 大兴区道路养护分工
---
# 大兴区道路养护分工

## 养护分工

""" + "".join(f"第{n}条路养护作业由第{n}养护队负责；\n\n" for n in range(1, 10))


def _engine_over_one(text: str, doc_id: str, fake_embedder, tmp_path: Path) -> AnswerEngine:  # type: ignore[no-untyped-def]
    """An engine (the fake model, relaxed policy) over one document written in ``text``."""
    from knowledge.documents import parse_document

    build_index([parse_document(text, doc_id)], fake_embedder, tmp_path)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=RELAXED)
    eng.warm_up()
    return eng


def test_an_item_far_down_a_long_list_is_answered(fake_embedder, tmp_path: Path) -> None:
    eng = _engine_over_one(ROADS, "roads", fake_embedder, tmp_path)
    # The run of a list ending in semicolons stops before its eighth item: no run, no error.
    reply = eng.answer("第8条路养护作业由哪个养护队负责")
    assert reply.kind == "answer"
    assert "第8养护队" in reply.text


CHILDCARE = """---
title: 关于育儿补贴申领的通知
---
# 关于育儿补贴申领的通知

## 三、申领方式和材料

申领人可在网上申请，也可到街道便民服务中心现场申请。现场申请需携带以下材料：

1. 申领人身份证原件。
2. 孩子的出生医学证明。
3. 本人名下的社会保障卡。

## 四、发放时间

审核通过后次月发放至申领人社会保障卡。
"""


def test_a_list_opened_beside_the_best_sentence_comes_with_its_items(
    fake_embedder, tmp_path: Path
) -> None:
    """需携带以下材料： joins the answer beside the sentence on where to apply; a Markdown
    list's items (one sentence each, ending in 。) follow it, or it would say nothing."""
    eng = _engine_over_one(CHILDCARE, "childcare", fake_embedder, tmp_path)
    reply = eng.answer("到街道现场申请要带啥材料？")
    assert reply.kind == "answer"
    for item in ["身份证原件", "出生医学证明", "社会保障卡。"]:
        assert item in reply.text, reply.text


LONGEVITY_ALLOWANCE = """---
title: 关于高龄津贴申领的通知
---
# 关于高龄津贴申领的通知

## 一、发放对象

年满80周岁的本区户籍老年人可以申领高龄津贴。

有下列情形之一的，不予发放：

1. 户籍已迁出本区的；
2. 被判处刑罚正在服刑的；
3. 已经死亡的。

## 二、发放时间

津贴每月25日前发放至本人账户，老人去世的，家属应在30日内告知社区。
"""


def test_an_item_of_a_list_is_quoted_after_the_sentence_opening_it(
    fake_embedder, tmp_path: Path
) -> None:
    """被判处刑罚正在服刑的； alone does not tell whether such a person is paid; the sentence
    opening its list (有下列情形之一的，不予发放：) does, so it is quoted just before it."""
    eng = _engine_over_one(LONGEVITY_ALLOWANCE, "allowance", fake_embedder, tmp_path)
    reply = eng.answer("老人去世了多长时间内要告诉社区？正在服刑的老人能领津贴吗？")
    assert reply.kind == "answer"
    assert "正在服刑" in reply.text, reply.text
    opener, item = reply.text.find("不予发放："), reply.text.find("被判处刑罚")
    assert 0 <= opener < item, reply.text


CHECKUP = """---
title: 关于老年人免费健康体检的通知
---
# 关于老年人免费健康体检的通知

根据国家基本公共卫生服务项目要求，社区卫生服务中心将为辖区老年人开展免费健康体检，现将有关事项通知如下：

体检对象为1961年12月31日以前出生、在本镇居住满半年的老年人，户籍不限。

体检时间为4月13日至5月29日，每周一至周五上午7:30至10:30、下午13:30至16:30。

体检结果将在体检后15个工作日内由家庭医生通知本人。
"""


def test_a_notice_s_lead_in_and_a_line_of_hours_open_no_list(fake_embedder, tmp_path: Path) -> None:
    """现将有关事项通知如下： leads into the notice, not into a list of its sentences, and a line of
    hours (7:30至10:30、) ends in no colon: neither is quoted as a list's opener."""
    eng = _engine_over_one(CHECKUP, "checkup", fake_embedder, tmp_path)
    for question in ("体检对象是哪些老年人？", "体检结果多久通知本人？"):
        reply = eng.answer(question)
        assert reply.kind == "answer", reply.text
        assert "通知如下" not in reply.text and "7:30至10:30" not in reply.text, reply.text


FUND = """---
title: 关于租房提取住房公积金有关事项的通知
---
# 关于租房提取住房公积金有关事项的通知

各缴存单位、缴存职工：

为减轻缴存职工租房负担，现将租房提取住房公积金有关事项通知如下。

## 一、提取材料

租住公共租赁住房的，按实际月租金提取，须提供租金缴纳证明。
"""


def test_the_line_a_notice_is_addressed_to_opens_no_list(fake_embedder, tmp_path: Path) -> None:
    """各缴存单位、缴存职工： ends in a colon, but what follows it is the notice, not its items:
    it is never quoted as the start of a list."""
    eng = _engine_over_one(FUND, "fund", fake_embedder, tmp_path)
    reply = eng.answer("减轻缴存职工租房负担要带啥材料")
    assert "各缴存单位" not in reply.text, reply.text


PARKING = """---
title: 景明路公共停车场收费标准调整公告
---
# 景明路公共停车场收费标准调整公告

经报区发展改革委备案，景明路公共停车场（景明路8号，共有车位180个）自2027年1月1日起调整收费标准，现公告如下：

## 一、收费标准

白天每小时收费3元，夜间单次收费不超过10元。
"""


def test_an_opening_giving_the_detail_asked_before_its_lead_in_may_answer(
    fake_embedder, tmp_path: Path
) -> None:
    """…（景明路8号，共有车位180个）…，现公告如下： is a lead-in, which never leads an answer,
    unless it gives the kind asked in full: it is then the notice's only sentence that does."""
    eng = _engine_over_one(PARKING, "parking", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("景明路公共停车场一共有多少个车位？")
    assert reply.kind == "answer" and "共有车位180个" in reply.text, reply.text
    # It is the best sentence, which the answerability gate weighs.
    assert "共有车位180个" in decision.ranked[0].passage.text
    # Asked what it does not give (a fee), it still does not lead.
    decision, _ = eng.decide_and_reply("景明路停车场白天每小时收多少钱？")
    assert all("现公告如下" not in c.passage.text for c in decision.ranked)


CLINIC = """---
title: 林校路社区卫生服务站搬迁公告
---
# 林校路社区卫生服务站搬迁公告

1. 原址（林校路12号）于2027年3月1日下午5:00起停止看病服务。
2. 新址位于兴华路30号，搬迁后看病请到新址。
3. 新址门诊时间为周一至周五上午8:00至下午5:00；
4. 周六上午8:00至12:00仅提供取药服务。
"""


def test_each_clause_fills_its_detail_by_its_own_reading(fake_embedder, tmp_path: Path) -> None:
    """搬去哪了？工作日几点看病？: the place is the new one (新址位于…), though the days asked in
    the other clause are named by neither address."""
    eng = _engine_over_one(CLINIC, "clinic", fake_embedder, tmp_path)
    reply = eng.answer("林校路社区卫生服务站搬去哪了？工作日几点看病？")
    assert reply.kind == "answer"
    assert "兴华路30号" in reply.text and "上午8:00至下午5:00" in reply.text, reply.text


FOOTBALL = """---
title: 旧宫镇青少年足球联赛报名通知
---
# 旧宫镇青少年足球联赛报名通知

## 一、报名方式

请各队领队登录“旧宫体育”微信公众号下载报名表，填写后连同队员身份证复印件交到文体中心。

## 二、保障

组委会为每名队员统一购买比赛期间的意外伤害保险。
"""


def test_a_clause_is_filled_though_the_first_answer_names_one_of_its_words(
    fake_embedder, tmp_path: Path
) -> None:
    """报名表从哪儿下载？队员有没有保险？: the first answer names 队员 (连同队员身份证复印件),
    which says nothing of insurance; the sentence holding more of the clause's words joins."""
    eng = _engine_over_one(FOOTBALL, "football", fake_embedder, tmp_path)
    reply = eng.answer("旧宫镇足球赛报名表从哪儿下载？队员有没有保险？")
    assert reply.kind == "answer"
    assert "旧宫体育" in reply.text and "意外伤害保险" in reply.text, reply.text


GRAVES = """---
title: 榆垡镇道路工程用地范围内坟墓迁移的通告
---
# 榆垡镇道路工程用地范围内坟墓迁移的通告

为保障道路工程顺利实施，现就用地范围内坟墓迁移事项通告如下。

## 一、登记办法

坟主须携带本人身份证、户口簿及关系证明到村委会登记。

登记后，村委会工作人员会同坟主现场核实、编号并拍照。

## 二、补助标准

每座坟墓给予迁移补助3000元。

自行选择经营性公墓安置的，每座另给予2000元安置补助。

## 三、政策咨询

迁移期间，镇民政科在各村委会设立咨询点，提供政策解答和文明迁坟指导。

政策咨询由镇民政科负责，周一至周五8:30至17:00受理。
"""


def test_a_clause_s_words_its_section_heading_names_still_find_its_sentence(
    fake_embedder, tmp_path: Path
) -> None:
    """去村委会登记要带哪些证件？: 登记 is named by the heading 一、登记办法, which tells that
    section from the others; only the title's words are the notice's subject, so the clause's
    words (村委会, 登记) find 坟主须携带…到村委会登记 beside the other clause's answer."""
    eng = _engine_over_one(GRAVES, "graves", fake_embedder, tmp_path)
    reply = eng.answer("去村委会登记要带哪些证件？政策咨询几点能办？")
    assert reply.kind == "answer"
    assert "身份证、户口簿" in reply.text and "镇民政科" in reply.text, reply.text


WINTER_BREAK = """---
title: 黄村第三小学寒假放假安排的通知
---
# 黄村第三小学寒假放假安排的通知

现将寒假放假有关事项通知如下。

## 一、放假时间

1月22日上午为散学典礼，11:30放学，当天不提供午餐。

## 二、假期要求

一、二年级不布置书面作业，以阅读和运动为主。

三至六年级的作业返校报到时交班主任检查。

## 三、安全提醒

不满16周岁不得驾驶电动自行车。
"""


def test_of_sentences_holding_a_clause_s_words_alike_the_nearest_in_meaning_fills_it(
    fake_embedder, tmp_path: Path
) -> None:
    """假期作业交给谁: both sentences of the section name 作业 and neither 交给; the one nearer
    the clause (the fake model's shared character pairs) answers it, not the first in
    reading order."""
    eng = _engine_over_one(WINTER_BREAK, "winter-break", fake_embedder, tmp_path)
    reply = eng.answer("散学典礼那天几点放学？假期作业交给谁？")
    assert reply.kind == "answer"
    assert "11:30放学" in reply.text and "交班主任" in reply.text, reply.text
    assert "不布置书面作业" not in reply.text


SEA_BURIAL = """---
title: 大兴区民政局关于组织骨灰海撒活动的通知
---
# 大兴区民政局关于组织骨灰海撒活动的通知

## 一、排查和登记

### （一）入户排查（2027年4月1日至5月31日）

工作人员逐户上门，对寄存情况进行登记。

## 二、报名办理

报名地点设在区殡仪服务中心业务大厅，工作日9:00至16:00受理。报名须提交死亡证明和申办人身份证。

## 三、纪念

海撒逝者姓名将免费镌刻在生态安葬纪念墙上。报名人须为逝者的近亲属。

过渡安置补助每户每月1500元，最长6个月。
"""


def test_a_clause_no_sentence_speaks_to_is_filled_under_the_heading_naming_it(
    fake_embedder, tmp_path: Path
) -> None:
    """入户排查 is named only by the heading （一）入户排查（…）: its sentence fills the clause."""
    eng = _engine_over_one(SEA_BURIAL, "sea", fake_embedder, tmp_path)
    reply = eng.answer("过渡安置补助最长能领几个月？入户排查安排在什么时间？")
    assert reply.kind == "answer"
    assert any("入户排查" in c.section for c in reply.citations), reply.citations
    # The heading gives the dates, so the reply shows it before the sentence it dates.
    assert "（一）入户排查（2027年4月1日至5月31日）：工作人员逐户上门" in reply.text, reply.text


GARDEN = """---
title: 齐心庄社区共享菜园地块认领公告
---
# 齐心庄社区共享菜园地块认领公告

## 一、菜园基本情况

菜园共划分种植地块60块，另设工具房和浇水点。

认领人须为本社区居民，认领费每块120元。

本次认领期限为2027年4月1日至11月30日。

## 二、报名

报名时间：2027年3月15日至3月22日，每天9:00至17:00。

报名材料：户口簿或居住登记凭证、认领人身份证。
"""


def test_a_clause_word_jieba_cut_short_is_read_as_the_sources_write_it(
    fake_embedder, tmp_path: Path
) -> None:
    """菜园认领期到哪天结束: jieba cuts 认领|期, and the title names 认领 and 菜园; read as the
    notice writes it, 认领期 is the clause's own word and finds the period, not 报名时间."""
    eng = _engine_over_one(GARDEN, "garden", fake_embedder, tmp_path)
    reply = eng.answer("报名时要带什么材料？菜园认领期到哪天结束？")
    assert reply.kind == "answer"
    assert "11月30日" in reply.text and "户口簿" in reply.text, reply.text


STAGES = """---
title: 关于集中清理废旧自行车的通告
---
# 关于集中清理废旧自行车的通告

## 一、工作安排

### （一）标记公示阶段（2027年4月6日至4月20日）

社区对疑似废旧车辆粘贴标识，并在公告栏公示。

### （二）集中清理阶段（2027年4月21日至5月10日）

逾期未处置的车辆统一运走。

### （三）巩固提升阶段（2027年5月11日至5月31日）

各社区集中开展复查，从严处理。

## 二、车辆认领

认领电动自行车的，还须提供购车发票或行驶证。
"""


def test_of_headings_naming_a_clause_alike_the_one_naming_the_title_s_words_too_fills_it(
    fake_embedder, tmp_path: Path
) -> None:
    """集中清理阶段从哪天开始: every stage's heading names 阶段 (the title names 集中清理);
    the stage named in full answers, with its dates."""
    eng = _engine_over_one(STAGES, "stages", fake_embedder, tmp_path)
    reply = eng.answer("认领电动自行车要提供什么证明？集中清理阶段从哪天开始？")
    assert reply.kind == "answer"
    assert "（二）集中清理阶段（2027年4月21日至5月10日）" in reply.text, reply.text


FEES = """---
title: 康泰园小区2026年度物业服务费及公共收益收支情况公示
---
# 康泰园小区2026年度物业服务费及公共收益收支情况公示

现将本小区2026年度物业服务费及公共收益收支情况公示如下。

## 一、物业服务费收入

2026年度应收物业服务费276.8万元，实收241.5万元。

## 二、物业服务费支出

2026年度物业服务费支出合计253.6万元，具体如下：

（一）人员费用148.2万元；

（二）公共区域水电费31.6万元。

## 三、查阅方式

业主可在公示期内每周二14:00至17:00到物业服务中心（小区6号楼南侧平房）查阅明细账目。

## 四、意见反馈

业主委员会意见箱设在小区东门岗亭旁。

公共收益用于小区东门道闸更换，支出11.7万元。
"""


def test_a_clause_word_the_title_names_only_in_part_is_still_the_clause_s_own(
    fake_embedder, tmp_path: Path
) -> None:
    """物业服务中心在哪儿 of a notice titled …物业服务费…收支情况公示: the title names the fee,
    not the office (a part of the word is not the word), so 物业服务中心 finds the sentence
    saying where it is."""
    eng = _engine_over_one(FEES, "fees", fake_embedder, tmp_path)
    reply = eng.answer("去年物业费一共支出了多少？物业服务中心在哪儿？")
    assert reply.kind == "answer"
    assert "小区6号楼南侧平房" in reply.text, reply.text


TWO_LINES = """---
title: 关于兴58路、兴71路公交线路调整的公告
---
# 关于兴58路、兴71路公交线路调整的公告

## 一、兴58路

调整后新设宏福苑东门站位。

首末车时间调整为早5:30、晚22:30。

## 二、兴71路

调整后新设兴丰大街北口站位，取消林校北路东口、林校北路西口两个站位。

首末车时间不变。
"""


def test_a_line_is_answered_from_its_own_section_of_a_notice_on_two(
    fake_embedder, tmp_path: Path
) -> None:
    eng = _engine_over_one(TWO_LINES, "two-lines", fake_embedder, tmp_path)
    reply = eng.answer("兴71路新设了哪个站？")
    assert reply.kind == "answer"
    assert "兴丰大街北口" in reply.citations[0].quote
    assert "宏福苑东门" not in reply.text


OLD_AND_NEW_ADDRESS = """---
title: 关于门诊调整的公告
---
# 关于门诊调整的公告

清源卫生服务中心将于12月28日整体搬到新址。

清源卫生服务中心原址为大兴区清源路52号，12月25日起停诊。

新址为清源卫生服务中心新楼，地址为大兴区康庄路89号。
"""


def test_where_a_clinic_moved_is_answered_with_its_new_address(
    fake_embedder, tmp_path: Path
) -> None:
    eng = _engine_over_one(OLD_AND_NEW_ADDRESS, "clinic-move", fake_embedder, tmp_path)
    reply = eng.answer("清源卫生服务中心搬到哪儿去了")
    assert reply.kind == "answer"
    assert "康庄路89号" in reply.text and "清源路52号" not in reply.text


REASON_IN_OPENING = """---
title: 鹿海园农贸市场临时搬迁公告
---
# 鹿海园农贸市场临时搬迁公告

因原址实施房屋抗震加固和消防改造，鹿海园农贸市场将临时搬迁，现将有关事项公告如下：

## 一、临时市场

鹿海园农贸市场临时市场位于鹿海园路31号，营业时间为每天6:00至19:00。

## 二、回迁

鹿海园农贸市场原址改造工期预计6个月，计划于2027年1月上旬回迁。
"""


def test_why_a_notice_was_issued_is_answered_from_its_opening(
    fake_embedder, tmp_path: Path
) -> None:
    eng = _engine_over_one(REASON_IN_OPENING, "market", fake_embedder, tmp_path)
    reply = eng.answer("鹿海园农贸市场为啥要搬走？")
    assert reply.kind == "answer"
    assert "抗震加固" in reply.citations[0].quote
    # The opening still never leads an answer to anything else.
    assert "抗震加固" not in eng.answer("鹿海园农贸市场几点开门？").text


BUS_TIMES = """---
title: 关于开通兴68路公交线路的公告
---
# 关于开通兴68路公交线路的公告

## 一、线路走向

兴68路由瀛海镇政府站发车，终点为荣昌东街站。

## 二、首末车时间

瀛海镇政府站首班6:00、末班21:30；荣昌东街站首车6:40，兴68路末车22:10。
"""


def test_a_statement_is_quoted_whole_when_its_second_half_answers(
    fake_embedder, tmp_path: Path
) -> None:
    eng = _engine_over_one(BUS_TIMES, "bus", fake_embedder, tmp_path)
    reply = eng.answer("兴68路末车几点")
    assert reply.kind == "answer"
    assert "21:30" in reply.text and "22:10" in reply.text


def test_a_build_landing_while_a_question_is_read_costs_no_answer(
    documents, fake_embedder, tmp_path: Path
) -> None:
    """The engine reads its index anew for each step; a question retrieved on one build and
    weighed when another has landed must still get a reply (the list and clause steps skip)."""
    from knowledge.documents import parse_document

    notices = [parse_document(SNOW, "snow"), parse_document(MARKET, "market")]
    build_index([*documents, *notices], fake_embedder, tmp_path / "a")
    build_index(notices[:1], fake_embedder, tmp_path / "b")
    eng = AnswerEngine(Retriever(load_index(tmp_path / "a"), fake_embedder), policy=RELAXED)
    older = Retriever(load_index(tmp_path / "b"), fake_embedder)
    eng._retriever.retrieve = older.retrieve  # type: ignore[method-assign]
    for question in (
        "高米店街道降雪量达到中雪时采取哪些临时措施？",
        "鹿海园农贸市场搬迁期间营业时间是几点到几点，原址在册商户咋办？",
    ):
        assert eng.answer(question).kind in ("answer", "no_answer"), question


def test_the_places_a_notice_opens_with_name_the_notice_not_the_answer(notice_engine) -> None:
    # The opening lists the three communities; the sentence about weekends answers.
    reply = notice_engine.answer("兴政社区燃气安检周末来不来？")
    assert reply.kind == "answer"
    assert "周六、周日照常开展" in reply.citations[0].quote
    # And a date asked beside a time in another clause is still asked.
    reply = notice_engine.answer("康庄社区燃气安检哪天开始，每天上午几点到几点？")
    assert "2026年10月12日" in reply.text and "9:00至12:00" in reply.text


def test_a_list_is_answered_with_all_its_items(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期交房要带啥材料")
    assert reply.kind == "answer"
    quotes = [c.quote for c in reply.citations]
    assert any("购房合同原件" in q for q in quotes) and any("交房通知书" in q for q in quotes)


@pytest.mark.parametrize("question", ["清源街道申请租房补贴得带啥材料", "清源街道办车辆登记得带啥"])
def test_what_to_bring_is_answered_with_the_whole_list(notice_engine, question: str) -> None:
    reply = notice_engine.answer(question)
    assert reply.kind == "answer"
    wanted = (
        ["收入证明", "租赁合同", "社会保障卡"]
        if "补贴" in question
        else ["房屋产权证明", "机动车行驶证", "业主本人身份证"]
    )
    assert all(item in reply.text for item in wanted), reply.text
    # 按合同约定 names no material: that sentence is not part of the answer.
    assert "视为放弃" not in reply.text


def test_a_notice_for_one_town_does_not_answer_for_another(notice_engine) -> None:
    # The sources name 榆垡镇 (the handover notice); the subsidy notice does not.
    reply = notice_engine.answer("榆垡镇的租房补贴啥时候受理啊")
    assert reply.kind == "no_answer" and reply.citations == []
    assert notice_engine.answer("清源街道的租房补贴啥时候受理啊").kind == "answer"


def test_when_the_title_names_everything_the_sentence_with_the_detail_answers(
    notice_engine,
) -> None:
    # Every word of the question is in the title; only the time sentence holds 几点.
    reply = notice_engine.answer("安定镇计划停电从几点停到几点？")
    assert reply.kind == "answer"
    assert "上午7:30至下午5:30" in reply.text


def test_a_sign_off_line_is_never_the_evidence(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期哪天交付")
    assert reply.kind == "answer"
    assert all("项目部" not in c.quote for c in reply.citations)


def test_partial_answer_says_what_is_there_and_what_is_not(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期交房要交多少钱物业费")
    assert reply.kind == "no_answer"
    assert reply.related, "the sentence the sources do hold is cited"
    first = reply.related[0]
    assert f"“{first.quote}”[1]" in reply.text
    # What is not written is named: the sum asked, which the notice never names.
    assert "没有写到您问的“物业费”" in reply.text and "12345" in reply.text
    # A sum the notice does name, without its amount, is said as the missing amount.
    reply = notice_engine.answer("临空佳园二期交房当天要交多少钱")
    assert reply.kind == "no_answer" and "具体金额" in reply.text


def test_an_estate_the_sources_never_name_is_not_answered_by_its_neighbour(
    notice_engine,
) -> None:
    reply = notice_engine.answer("瀛悦家园什么时候交房")
    assert reply.kind == "no_answer" and reply.citations == []


def test_traditional_sources_answer_simplified_questions_and_quote_as_written(
    notice_engine,
) -> None:
    reply = notice_engine.answer("临空佳园三期什么时候交付")
    assert reply.kind == "answer"
    assert reply.citations[0].quote.startswith("臨空佳園三期定於2027年3月1日")


def test_every_decline_names_its_check(documents, fake_embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """/metrics counts declines by this gate, and the staff console words it in Chinese."""
    build_index(documents, fake_embedder, tmp_path)
    engine = AnswerEngine(
        Retriever(load_index(tmp_path), fake_embedder),
        policy=AnswerPolicy(dense_floor=-1.0, support_needed=-1.0, meaning_terms=0),
    )
    english = engine.decide("When will the railway open?")
    assert english.kind == "no_answer" and english.why and english.why.gate == Gate.NOT_CHINESE
    partial = engine.decide("京霸铁路什么时候通车")
    assert partial.kind == "no_answer" and partial.why
    assert partial.why.gate == Gate.MISSING_DETAIL


def test_a_thing_the_notice_never_names_is_not_said_to_exist(notice_engine) -> None:
    reply = notice_engine.answer("临空佳园二期交房现场有免费班车吗")
    assert reply.kind == "no_answer" and reply.citations == []
    # A partial answer: what the notice says, quoted inline, and that 班车 is not written.
    first = reply.related[0]
    assert f"“{first.quote}”[1]" in reply.text and "临空佳园" in first.quote
    assert "没有写到您问的" in reply.text and "“班车”" in reply.text and "12345" in reply.text


def test_a_thing_another_notice_names_is_not_said_to_exist_in_this_one(notice_engine) -> None:
    # 物业 is in the subsidy notice; the handover notice, which answers, never names it.
    reply = notice_engine.answer("临空佳园二期交房现场有没有物业服务中心")
    assert reply.kind == "no_answer" and reply.citations == []
    assert "“物业”" in reply.text


def test_a_word_near_in_meaning_does_not_say_a_thing_exists(notice_engine, monkeypatch) -> None:
    """The meaning test may lend 班车 to a sentence on the handover (its words are near in
    meaning); that is no evidence that a shuttle bus is there. Only staff aliases vouch."""
    question = "临空佳园二期交房现场有免费班车吗"
    best = notice_engine.decide(question).ranked[0].passage.passage_id
    monkeypatch.setattr(notice_engine, "_lent_by_meaning", lambda *args: {best: "班车 免费"})
    assert notice_engine.answer(question).kind == "no_answer"


def test_a_phase_the_sources_never_name_is_not_answered_by_another_phase(notice_engine) -> None:
    # The sources have 临空佳园二期 and 三期, not 一期.
    reply = notice_engine.answer("临空佳园一期什么时候交付")
    assert reply.kind == "no_answer" and reply.citations == []
    assert notice_engine.answer("临空佳园二期什么时候交付").kind == "answer"


CLINIC_MOVE = """---
title: 清源街道社区卫生服务中心搬迁公告
---
# 清源街道社区卫生服务中心搬迁公告

为改善就医环境，清源街道社区卫生服务中心将整体搬迁至新址。现将有关事项公告如下：

1. 新址位于大兴区康庄路89号，自2026年12月28日起正式开诊。
2. 新址门诊时间为周一至周五上午8:00至下午5:00。
3. 新址设有地面停车位60个，就诊人员可免费停车2小时。

由此给您带来的不便，敬请谅解。

咨询电话：010-69248130。
"""


def test_a_notices_one_sentence_holding_the_asked_kind_answers_for_all_it_says(
    documents, fake_embedder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from knowledge.documents import parse_document

    build_index([*documents, parse_document(CLINIC_MOVE, "clinic")], fake_embedder, tmp_path)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=RELAXED)
    eng.warm_up()
    reply = eng.answer("清源社区卫生服务中心新址的联系电话是多少？")
    assert reply.kind == "answer"
    assert "010-69248130" in reply.text


VACCINE = """---
title: 黄村镇流感疫苗免费接种通知
---
# 黄村镇流感疫苗免费接种通知

尊敬的黄村镇居民朋友：

本市户籍60周岁及以上老年人可免费接种1剂次。
"""

HEATING = """---
title: 供暖工作安排的通知
---
# 供暖工作安排的通知

本公司供热范围包括黄村镇、林校路街道辖区内的42个居民小区。
"""


def test_the_document_whose_title_names_the_subject_answers(
    documents, fake_embedder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A sentence naming 黄村镇 in another notice does not outrank the notice about 黄村镇's
    vaccine, whose sentences leave the place to the title; nor does its salutation answer."""
    from knowledge.documents import parse_document

    notices = [parse_document(VACCINE, "vaccine"), parse_document(HEATING, "heating")]
    build_index([*documents, *notices], fake_embedder, tmp_path)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=RELAXED)
    eng.warm_up()
    decision = eng.decide("黄村镇流感疫苗哪些人能免费接种？")
    assert decision.ranked[0].passage.doc_id == "vaccine"
    reply = eng.answer("黄村镇流感疫苗哪些人能免费接种？")
    assert reply.kind == "answer"
    assert "60周岁" in reply.text and "居民朋友" not in reply.text


def test_the_answering_notice_is_read_beyond_the_retrieved_top(
    documents, fake_embedder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from knowledge.documents import parse_document

    build_index([*documents, parse_document(CLINIC_MOVE, "clinic")], fake_embedder, tmp_path)
    # Only the first retrieved sentence is re-ranked: the parking sentence must be found in the
    # document itself.
    narrow = dataclasses.replace(RELAXED, rerank_depth=1)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=narrow)
    eng.warm_up()
    reply = eng.answer("清源社区卫生服务中心新址能停车吗？")
    assert reply.kind == "answer"
    assert "免费停车2小时" in reply.text
    # Without reading beyond the top, that sentence is not found.
    eng.policy = dataclasses.replace(narrow, document_sentences=0)
    assert "免费停车2小时" not in eng.answer("清源社区卫生服务中心新址能停车吗？").text


def test_a_prefetched_question_is_decided_once(engine, monkeypatch) -> None:
    """The web app decides a message while Rasa reads it; the action then gets that decision."""
    decided: list[str] = []
    decide = engine.decide
    monkeypatch.setattr(engine, "decide", lambda q, c=None: decided.append(q) or decide(q, c))
    engine.prefetch("京霸铁路什么时候通车？")
    reply = engine.decide_and_reply("京霸铁路什么时候通车？")[1]
    assert decided == ["京霸铁路什么时候通车？"]
    # Each caller gets its own reply to adjust; the remembered one stays as it was.
    reply.text = "changed"
    assert engine.decide_and_reply("京霸铁路什么时候通车？")[1].text != "changed"
    # A question read with the previous one is decided each time.
    engine.decide_and_reply("那高速呢？", ConversationContext("京霸铁路什么时候通车？"))
    engine.decide_and_reply("那高速呢？", ConversationContext("京霸铁路什么时候通车？"))
    assert decided.count("那高速呢？") == 2


def test_a_prefetch_that_fails_is_silent(engine, monkeypatch) -> None:
    def broken(q, c=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(engine, "decide", broken)
    engine.prefetch("京霸铁路什么时候通车？")  # no exception: the action reports it
    with pytest.raises(RuntimeError):
        engine.decide_and_reply("京霸铁路什么时候通车？")


def _stub_meaning(engine: AnswerEngine, monkeypatch, *, nearest: str, subject: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Make the sentence holding ``nearest`` the one nearest in meaning to any question text
    embedded without ``subject`` (the fake embedder has no meaning); return those texts."""
    index = engine.index
    target = next(i for i, p in enumerate(index.passages) if nearest in p.text)
    embed = engine._retriever.embed_queries
    asked: list[str] = []

    def nearest_is_the_target(texts):  # type: ignore[no-untyped-def]
        if len(texts) == 1 and subject not in texts[0]:
            asked.append(texts[0])
            return index.embeddings[[target]]
        return embed(texts)

    monkeypatch.setattr(engine._retriever, "embed_queries", nearest_is_the_target)
    return asked


def test_the_sentence_nearest_to_what_is_asked_of_the_notice_leads(notice_engine, monkeypatch):
    """The notice's subject (安定镇, 停电: its title) left out, the rest of the question is
    compared with the notice's sentences by meaning; the nearest leads the answer. The fake
    embedder has no meaning, so the comparison is stubbed to favour one sentence."""
    asked = _stub_meaning(notice_engine, monkeypatch, nearest="临时取暖点", subject="安定镇")
    reply = notice_engine.answer("安定镇停电那天家里太冷了咋整")
    assert asked and "安定镇" not in asked[0] and "停电" not in asked[0]
    assert reply.kind == "answer" and "临时取暖点" in reply.text
    quotes = [c.quote for c in reply.citations]
    assert len(quotes) == len(set(quotes))  # the lead is not quoted again as a companion


def test_an_opening_that_ends_in_its_lead_in_still_gives_the_date_it_says(notice_engine):
    """…自2026年9月1日起开设夜间门诊，现将有关事项通知如下： is no answer to rank first (it
    names every subject of the notice), but it is the notice's one sentence with that date."""
    reply = notice_engine.answer("海子角社区卫生服务站的夜间门诊从什么时候开始开设？")
    assert reply.kind == "answer" and "2026年9月1日" in reply.text


DRILL = """---
title: 嘉和园小区消防演练通知
---
# 嘉和园小区消防演练通知

嘉和园物业服务中心定于2026年11月18日上午9:30在嘉和园小区开展消防演练。

本次演练以5号楼为模拟起火楼栋，居民请沿楼梯有序撤离。

行动不便的住户请于11月16日前告知物业。
"""


def test_a_question_left_with_only_its_interrogative_is_not_compared_by_meaning(
    fake_embedder, tmp_path: Path, monkeypatch
) -> None:
    """嘉和园小区的消防演练定在哪一天 without its subject (the title's words) asks only 哪一天:
    nothing is left to be near in meaning, so the best-ranked date leads and no sentence is
    refocused to (the stub would make the other date, 11月16日前告知物业, the nearest)."""
    eng = _engine_over_one(DRILL, "drill", fake_embedder, tmp_path)
    asked = _stub_meaning(eng, monkeypatch, nearest="告知物业", subject="嘉和园")
    reply = eng.answer("嘉和园小区的消防演练定在哪一天？")
    assert not asked
    assert reply.kind == "answer" and "11月18日" in reply.citations[0].quote


CAMP = """---
title: 亦庄镇青少年暑期科技夏令营报名通知
---
# 亦庄镇青少年暑期科技夏令营报名通知

## 一、活动时间

共两期，每期5天：第一期7月12日至7月16日，第二期7月19日至7月23日。

## 二、报名方式

2027年6月21日9:00起，由家长通过微信小程序填写报名表，报满即止。
"""


def test_a_sentence_under_the_heading_asked_of_is_not_refocused_away_for_common_words(
    fake_embedder, tmp_path: Path, monkeypatch
) -> None:
    """什么时候开始报名 is answered under 二、报名方式, whose heading names 报名: what is left of
    the question without its subject (什么时候开始) is common words, so a date of a section
    whose heading names no word of the question (一、活动时间) does not take its place, however
    near in meaning (stubbed)."""
    eng = _engine_over_one(CAMP, "camp", fake_embedder, tmp_path)
    _stub_meaning(eng, monkeypatch, nearest="第一期", subject="夏令营")
    reply = eng.answer("夏令营什么时候开始报名？")
    assert reply.kind == "answer" and "6月21日" in reply.citations[0].quote
    # A word of its own left (插班): the nearest sentence by meaning still leads.
    reply = eng.answer("夏令营插班生什么时候开始报名？")
    assert reply.citations and "第一期" in reply.citations[0].quote


INSURANCE = """---
title: 长子营镇老年人意外伤害保险集中参保的通知
---
# 长子营镇老年人意外伤害保险集中参保的通知

## 一、保险期限

保险期限为2027年4月1日零时至2028年3月31日24时。

## 二、咨询电话

长子营镇社会保障事务所：010-61209348。

长子营镇人民政府2027年1月4日
"""


def test_the_sign_off_closing_the_last_section_is_not_one_of_its_items(
    fake_embedder, tmp_path: Path
) -> None:
    """The sign-off under the last heading is no item of that section: asked the phone, the
    reply quotes the phone line and not the notice's date (quoted before as a list item)."""
    eng = _engine_over_one(INSURANCE, "insurance", fake_embedder, tmp_path)
    reply = eng.answer("长子营镇社会保障事务所的电话是多少？")
    assert reply.kind == "answer" and "010-61209348" in reply.citations[0].quote
    assert not any("2027年1月4日" in c.quote for c in reply.citations)


ALLOWANCE = """---
title: 关于做好2026年下半年征兵报名工作的通告
---
# 关于做好2026年下半年征兵报名工作的通告

## 四、优待政策

义务兵服役期间，由区财政按规定标准发放家庭优待金。入伍的高校学生可申请学费补偿，本专科生每人每年最高不超过16000元。退役大学生士兵报考硕士研究生，初试总分加10分。
"""


def test_an_amount_is_given_for_the_sum_asked_only_where_that_sum_is_named(
    fake_embedder, tmp_path: Path
) -> None:
    """The notice names the family allowance but gives no amount for it; its one sum is the
    tuition refund's. Asked the allowance, the refund's 16000元 is no answer: the reply says
    the amount is not written."""
    eng = _engine_over_one(ALLOWANCE, "allowance", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("家庭优待金每年能拿多少钱？")
    assert decision.kind == "no_answer" and Detail.AMOUNT in decision.missing
    assert "没有写到" in reply.text
    # The sum that is named is given.
    assert "16000元" in eng.answer("学费补偿每年最多多少钱？").text


CARD_ISSUING = """---
title: 天宫院街道养老助残卡集中办理通知
---
# 天宫院街道养老助残卡集中办理通知

## 一、所需材料

办理养老助残卡须携带本人身份证原件和近期一寸免冠照片1张。

## 二、办理地点

办理地点为天宫院街道办事处一层社区服务大厅。
"""


def test_a_lost_card_is_not_answered_by_how_one_is_issued(fake_embedder, tmp_path: Path) -> None:
    eng = _engine_over_one(CARD_ISSUING, "card", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("养老助残卡丢了怎么补办？")
    assert decision.kind == "no_answer" and "补办" in decision.missing_words
    assert "没有写到" in reply.text
    assert eng.answer("养老助残卡办理要带什么材料？").kind == "answer"


CHARGING = """---
title: 关于旧宫镇新建公共充电桩投入使用的公告
---
# 关于旧宫镇新建公共充电桩投入使用的公告

## 一、充电站点

旧宫镇政府东侧停车场（旧宫东路5号）：快充桩10个、慢充桩12个；

德茂公园北门停车场：快充桩8个、慢充桩10个；

庑殿路公共停车场（庑殿路36号）：快充桩6个、慢充桩14个。
"""


def test_an_entry_does_not_answer_for_another_thing_of_its_kind(
    fake_embedder, tmp_path: Path
) -> None:
    """A list of car parks: one car park's address is not another's."""
    eng = _engine_over_one(CHARGING, "charging", fake_embedder, tmp_path)
    assert eng.answer("德茂公园北门停车场的门牌地址是多少号？").kind == "no_answer"
    assert eng.answer("德茂公园北门停车场在什么地方？").kind == "no_answer"
    reply = eng.answer("庑殿路公共停车场在什么地方？")
    assert reply.kind == "answer" and "庑殿路36号" in reply.text
    # What the entry itself gives is answered.
    reply = eng.answer("德茂公园北门停车场有几个快充桩？")
    assert reply.kind == "answer" and "快充桩8个" in reply.text


COURTS = """---
title: 关于全民健身中心场馆启用线上预约系统的通知
---
# 关于全民健身中心场馆启用线上预约系统的通知

## 二、开放场地及收费标准

羽毛球：场地12片，工作日40元/小时，周末60元/小时；

篮球：场地4块，半场80元/小时，全场150元/小时；

乒乓球：球台20张，15元/小时。

## 三、其他收费

物业服务费：每平方米每月3.2元；

供暖费：每平方米30元。
"""


def test_a_list_does_not_answer_for_a_thing_of_its_kind_it_does_not_list(
    fake_embedder, tmp_path: Path
) -> None:
    """A fee list of 羽毛球, 篮球 and 乒乓球 courts gives no fee of a 网球场."""
    eng = _engine_over_one(COURTS, "courts", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("健身中心的网球场每小时收费多少？")
    assert decision.kind == "no_answer" and "网球场" in decision.missing_words
    assert "没有写到" in reply.text
    # A listed thing is answered, also asked for its place (篮球场).
    reply = eng.answer("健身中心篮球场半场每小时收费多少？")
    assert reply.kind == "answer" and "80元" in reply.text
    reply = eng.answer("健身中心乒乓球每小时收费多少？")
    assert reply.kind == "answer" and "15元" in reply.text
    # A resident's shorter or other word for a listed thing is that thing.
    reply = eng.answer("健身中心物业费每平米多少钱？")
    assert reply.kind == "answer" and "3.2元" in reply.text
    reply = eng.answer("健身中心暖气费每平米多少钱？")
    assert reply.kind == "answer" and "30元" in reply.text


PLANTING = """---
title: 关于组织开展春季全民义务植树活动的通知
---
# 关于组织开展春季全民义务植树活动的通知

## 二、栽植任务

本次计划栽植油松、银杏、海棠等苗木共1200株，参与人员每人栽植不少于3株。

## 三、活动地点

活动地点为念坛公园东侧绿地。
"""


def test_a_total_over_several_things_is_no_figure_of_one_of_them(
    fake_embedder, tmp_path: Path
) -> None:
    """油松、银杏、海棠等苗木共1200株 gives how many trees in all, not how many 银杏."""
    eng = _engine_over_one(PLANTING, "planting", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("本次植树活动银杏栽植多少株？")
    assert decision.kind == "no_answer"
    assert "没有写到" in reply.text
    # The total itself, and a figure the sentence gives for the one asked, are answered.
    for question in ("本次植树活动一共栽植多少株苗木？", "植树活动每人栽植多少株？"):
        reply = eng.answer(question)
        assert reply.kind == "answer" and "株" in reply.text, question


FEVER_CLINIC = """---
title: 人民医院关于流感高发期调整发热门诊服务安排的公告
---
# 人民医院关于流感高发期调整发热门诊服务安排的公告

为应对冬春季流感高发，自2027年1月11日起至3月31日，我院对发热门诊服务安排作如下调整。

## 一、诊疗地点和时间

南院区发热门诊：兴丰大街三段19号，每日8:00至22:00开诊；

院本部发热门诊：黄村西大街26号院内，24小时开诊。

## 二、注意事项

患者及陪同人员须全程佩戴口罩，每名患者的陪同人员不超过1人，65岁以上老人可优先就诊。

人民医院

2027年1月8日
"""


def test_until_when_is_answered_by_the_end_not_by_an_address_or_the_signing_date(
    fake_embedder, tmp_path: Path
) -> None:
    """执行到哪一天 asks the day it ends: not 三段19号 (a street number), not 每日, and not the
    date the notice was signed under its issuer's name."""
    eng = _engine_over_one(FEVER_CLINIC, "fever", fake_embedder, tmp_path)
    for question in (
        "人民医院这次发热门诊调整安排执行到哪一天？",
        "南院区发热门诊开诊执行到哪一天？",
    ):
        reply = eng.answer(question)
        assert reply.kind == "answer" and "3月31日" in reply.text, question
        assert all(c.quote != "2027年1月8日" for c in reply.citations), question
    # The signing date on a line of its own is a sign-off, as with its issuer before it.
    assert _boilerplate("2027年1月8日") and _boilerplate("大兴区人民医院 2027年1月8日")
    assert not _boilerplate("2027年1月8日起开诊。")


@pytest.mark.parametrize(
    "line",
    [
        "各有关单位、广大驾驶人：",
        "各镇政府、街道办事处，各社区卫生服务中心：",
        "各街道办事处、各镇人民政府，区内各相关单位及广大居民：",
        "广大健身爱好者：",
        "尊敬的居民朋友：",
    ],
)
def test_a_salutation_listing_offices_and_people_is_boilerplate(line: str) -> None:
    """Whom a notice addresses, often a list of offices and people, never answers."""
    assert _boilerplate(line)


@pytest.mark.parametrize("line", ["各站点地址：", "各小区停水时间：", "广大居民可通过以下方式咨询"])
def test_a_line_opening_a_list_of_places_is_no_salutation(line: str) -> None:
    assert not _boilerplate(line)


BATTERIES = """---
title: 关于开展电动自行车蓄电池以旧换新活动的通知
---
# 关于开展电动自行车蓄电池以旧换新活动的通知

## 三、补贴标准

交回旧电池并更换新电池的，锂电池每组补贴300元，补贴直接从新电池售价中抵扣，差价由居民自付。

## 四、押金

领取临时电池须缴纳押金，金额为200元。
"""


def test_an_amount_is_a_sums_only_where_the_sentence_gives_it_for_that_sum(
    fake_embedder, tmp_path: Path
) -> None:
    """A subsidy deducted from the price does not say what the price is."""
    eng = _engine_over_one(BATTERIES, "batteries", fake_embedder, tmp_path)
    assert eng.answer("以旧换新的新锂电池每组售价是多少？").kind == "no_answer"
    reply = eng.answer("以旧换新锂电池每组补贴多少钱？")
    assert reply.kind == "answer" and "300元" in reply.text
    # The sum named in the clause before the amount names it too.
    reply = eng.answer("领取临时电池的押金是多少？")
    assert reply.kind == "answer" and "200元" in reply.text


CARE_FEES = """---
title: 关于开展免陪照护服务试点的公告
---
# 关于开展免陪照护服务试点的公告

## 三、收费标准

照护服务费按日计算，根据患者自理能力分为三档：

（一）重度依赖患者每人每日160元；

（二）中度依赖患者每人每日120元；

（三）轻度依赖患者每人每日80元。

## 四、其他

服务由医院统一安排，不另收取押金。
"""


def test_a_list_items_amount_is_the_sum_its_opener_names(fake_embedder, tmp_path: Path) -> None:
    """Items under 照护服务费按日计算，分为三档： give that fee, though no item names it."""
    eng = _engine_over_one(CARE_FEES, "care", fake_embedder, tmp_path)
    reply = eng.answer("中度依赖患者的照护服务费每天多少钱？")
    assert reply.kind == "answer" and "120元" in reply.text


WINDOW_MOVE = """---
title: 瀛海派出所户籍窗口临时搬迁及业务调整公告
---
# 瀛海派出所户籍窗口临时搬迁及业务调整公告

因办公楼内部装修改造，瀛海派出所户籍窗口将临时搬迁办公，现将有关事项公告如下：

## 一、搬迁时间

2026年12月7日至2027年3月5日。搬迁期间，原址户籍窗口暂停对外办公。

## 二、业务调整

12月7日至12月9日为搬迁过渡期，仅办理身份证领取业务；

居住证相关业务转至各社区居住登记服务站办理。
"""


def test_a_detail_is_filled_from_the_section_given_to_it(fake_embedder, tmp_path: Path) -> None:
    """一、搬迁时间 gives when the move ends, though its sentence is a bare date range."""
    eng = _engine_over_one(WINDOW_MOVE, "window", fake_embedder, tmp_path)
    reply = eng.answer("瀛海派出所户籍窗口临时搬迁办公到哪天结束？")
    assert reply.kind == "answer" and "2027年3月5日" in reply.text


def test_a_message_of_one_word_is_decided(notice_engine) -> None:
    """A bare word (供暖, 交房) passes every gate of a relaxed engine and reaches the checks that
    read the words after each word: one of them once failed on a message of one word, and the
    resident was told the service was unavailable."""
    for word in ("供暖", "交房", "补贴"):
        decision = notice_engine.decide(word)
        assert decision.kind in ("answer", "no_answer")


TEST_SITE_MOVE = """---
title: 关于考试场科目二考试临时迁址的公告
---
# 关于考试场科目二考试临时迁址的公告

因考试场进行场地改造，自2027年6月7日起，科目二考试临时迁至魏善庄考试点进行，恢复时间另行通知。

## 一、改造工期

场地改造工程预计于2027年10月底完工，具体日期另行通知。
"""


def test_a_time_the_notice_will_announce_later_is_not_given(fake_embedder, tmp_path: Path) -> None:
    """恢复时间另行通知: asked when the tests come back, the notice says it is not set, and
    the move's date (6月7日) is no answer; the works' end it does give (10月底)."""
    eng = _engine_over_one(TEST_SITE_MOVE, "test-site", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("考试场改造完后哪天恢复科目二考试？")
    assert decision.kind == "no_answer" and Detail.DATE in decision.missing
    assert "恢复时间另行通知" in reply.text and "没有写到" in reply.text
    reply = eng.answer("考试场场地改造预计什么时候完工？")
    assert reply.kind == "answer" and "10月底" in reply.text


PLAYGROUND_WORKS = """---
title: 关于2027年儿童游乐设施更新的通知
---
# 关于2027年儿童游乐设施更新的通知

区园林绿化局将于2027年4月至6月更新各公园的儿童游乐设施，施工期间相关场地暂停使用。

## 一、其他事项

区园林绿化局还将在部分社区试点建设共享书屋，具体方案另行通知。

拆除的旧设施由施工单位统一回收，居民如有意见，可在工作日9:00至17:00拨打010-69240000反映。
"""


def test_a_matter_the_notice_puts_off_as_a_whole_gives_no_detail(
    fake_embedder, tmp_path: Path
) -> None:
    """具体方案另行通知 after the sentence introducing a pilot: 在部分社区 is not which ones, so
    the sentence is quoted and the place named as not written; the works it does date answer."""
    eng = _engine_over_one(PLAYGROUND_WORKS, "playground", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("共享书屋试点建在哪个社区？")
    assert decision.kind == "no_answer" and decision.missing
    assert "具体方案另行通知" in reply.text and "没有写到" in reply.text
    reply = eng.answer("儿童游乐设施什么时候更新？")
    assert reply.kind == "answer" and "4月至6月" in reply.text


CARE_HOME = """---
title: 养老照料中心公开受理入住申请的公告
---
# 养老照料中心公开受理入住申请的公告

## 一、收费标准

床位费：双人间2200元/月，单人间3000元/月。

伙食费：900元/月。
"""


def test_a_sentence_pricing_things_of_a_kind_gives_no_price_of_another(
    fake_embedder, tmp_path: Path
) -> None:
    """双人间2200元/月，单人间3000元/月 prices two rooms: 三人间 is named as not written, the
    rooms it lists are answered."""
    eng = _engine_over_one(CARE_HOME, "care-home", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("养老照料中心三人间的床位费是多少？")
    assert decision.kind == "no_answer" and decision.missing_words == ("三人间",)
    assert "双人间2200元" in reply.text
    reply = eng.answer("养老照料中心单人间的床位费是多少？")
    assert reply.kind == "answer" and "3000元" in reply.text


PERMIT = """---
title: 关于富康里小区居民停车证办理的通知
---
# 关于富康里小区居民停车证办理的通知

为规范停车秩序，富康里小区自6月1日起实行停车证管理。

## 一、所需材料

（一）申请人身份证原件；

（二）房屋产权证明或租赁合同；

（三）机动车行驶证原件；

（四）车辆登记在子女名下的，另需提供户口簿。

## 二、办理地点

小区物业服务中心。
"""


def test_a_list_asked_for_is_its_whole_section_when_one_item_ranks_first(
    fake_embedder, tmp_path: Path
) -> None:
    """需要哪些材料: the item that ranks first (另需提供户口簿) is one of a list under a heading of
    its own; the answer is every item of it."""
    eng = _engine_over_one(PERMIT, "permit", fake_embedder, tmp_path)
    reply = eng.answer("富康里小区办理停车证需要提供哪些材料？")
    assert reply.kind == "answer"
    for item in ("申请人身份证原件", "租赁合同", "机动车行驶证原件", "另需提供户口簿"):
        assert item in reply.text


LIFT_CHECK = """---
title: 关于阳光小区电梯年度检验的通知
---
# 关于阳光小区电梯年度检验的通知

区特种设备检验所将于2027年3月2日至3月6日对阳光小区全部电梯开展年度检验，检验期间电梯分批停用。

## 一、检验安排

每部电梯停用约2小时，停用前一天在单元门张贴告示。

## 二、检验内容

检验内容包括：曳引机及制动器是否正常；

轿厢门和层门的防夹装置是否灵敏；

紧急报警装置能否接通值班室。
"""


def test_what_a_check_covers_is_answered_by_the_sentence_saying_so(
    fake_embedder, tmp_path: Path
) -> None:
    """都查啥 is answered by 检验内容包括…, not by the opening that names the check."""
    eng = _engine_over_one(LIFT_CHECK, "lift-check", fake_embedder, tmp_path)
    reply = eng.answer("阳光小区电梯年检都查啥")
    assert reply.kind == "answer"
    assert "曳引机" in reply.text


WATER_CUT = """---
title: 枣林小区计划停水公告
---
# 枣林小区计划停水公告

为保障春季供水安全，自来水公司计划对枣林小区供水管网进行检修，届时枣林小区将停水。

## 一、停水时间

2027年4月8日上午9:00至下午5:00。如遇降雨，停水顺延至4月9日同一时段。

## 二、停水范围

枣林小区1号楼至6号楼。
"""


def test_a_date_under_its_heading_comes_with_its_exception(fake_embedder, tmp_path: Path) -> None:
    """春季 says 哪天 only loosely: the date under 停水时间 is given, and the paragraph's
    statement before the postponement that follows it."""
    eng = _engine_over_one(WATER_CUT, "water-cut", fake_embedder, tmp_path)
    reply = eng.answer("枣林小区停水是哪天啊")
    assert reply.kind == "answer"
    assert "2027年4月8日" in reply.text


NEW_STATION = """---
title: 关于地铁兴安站开通的公告
---
# 关于地铁兴安站开通的公告

兴安站将于2027年5月1日开通。

## 一、公交换乘

A口外"兴安路口"公交站可换乘兴12路、兴15路。C口外"兴安桥南"公交站可换乘兴30路、936路。

## 二、其他事项

周边公交线路将结合客流另行优化调整。
"""


def test_the_kind_listed_is_keyed_as_the_best_item_names_it(fake_embedder, tmp_path: Path) -> None:
    """公交线路 asked, the items say 公交站: a sentence elsewhere naming 公交线路 in full does not
    make the key one the items lack."""
    eng = _engine_over_one(NEW_STATION, "new-station", fake_embedder, tmp_path)
    reply = eng.answer("兴安站A口外可以换乘哪些公交线路？C口外呢？")
    assert reply.kind == "answer"
    assert "兴12路" in reply.text and "兴30路" in reply.text


BLOOD_DRIVE = """---
title: 关于开展社区无偿献血活动的通知
---
# 关于开展社区无偿献血活动的通知

兴华社区将于2027年6月14日开展无偿献血活动。

## 一、献血条件

年龄18至55周岁，身体健康，近一周内未服用抗生素。男性体重不低于50公斤，女性体重不低于45公斤。

## 二、其他事项

对女性献血者体重的其他要求，请咨询社区居委会。
"""


def test_a_list_whose_best_item_names_the_kind_in_its_own_words_is_not_keyed(
    fake_embedder, tmp_path: Path
) -> None:
    """有什么要求 asked, the best sentence says 不低于45公斤 without the word 要求: another
    sentence naming 要求 does not displace it."""
    eng = _engine_over_one(BLOOD_DRIVE, "blood-drive", fake_embedder, tmp_path)
    reply = eng.answer("兴华社区献血对女性体重有什么要求？")
    assert reply.kind == "answer"
    assert "45公斤" in reply.text


SHELTER = """---
title: 关于冬季临时避寒救助的通告
---
# 关于冬季临时避寒救助的通告

为保障寒潮期间临时遇困群众的基本生活，区救助管理站在黄村镇设立临时避寒点，现将有关事项通告如下。

## 一、开放时间

2027年12月1日至2028年2月28日，每周一至周日18:00至次日8:00开放。

## 二、服务内容

避寒点免费提供床铺、被褥和热水，并安排医护人员巡诊。
"""


def test_a_notices_opening_does_not_settle_whether_what_it_never_names_is_allowed(
    fake_embedder, tmp_path: Path
) -> None:
    """The opening names the shelter, so it covers the question's subject; whether a pet dog
    may come along it does not say: the reply quotes it and names what is not written."""
    eng = _engine_over_one(SHELTER, "shelter", fake_embedder, tmp_path)
    reply = eng.answer("黄村镇临时避寒点可以带宠物狗一起入住吗？")
    assert reply.kind == "no_answer"
    assert "宠物狗" in reply.text
    assert reply.related and "设立临时避寒点" in reply.related[0].quote
    # A whether-question whose words the opening names is answered from it; the words of a
    # clause that only sets the scene (我腿脚不好) are not what is asked.
    assert eng.answer("黄村镇设立临时避寒点了吗？").kind == "answer"
    assert eng.answer("我腿脚不好，黄村镇设立临时避寒点了吗？").kind == "answer"
    # A day of the week asked is read as the schedule's detail (its ranking cue leads to the
    # sentence naming weekdays), not as a thing the opening must name: this rule leaves it.
    assert eng.answer("黄村镇临时避寒点周六开放吗？").kind == "answer"


ADDRESSED = """---
title: 瀛和家园定向安置房交房通知
---
# 瀛和家园定向安置房交房通知

各位回迁安置户：

瀛和家园定向安置房定于2027年3月1日起分批交房。

## 一、交房地点

交房手续在瀛和家园社区服务站办理。
"""


def test_the_line_a_notice_is_addressed_to_settles_no_whether_question(
    fake_embedder, tmp_path: Path
) -> None:
    """各位回迁安置户： names the asker, not whether a pet dog may be kept; the
    reply quotes what the notice says, not whom it addresses."""
    eng = _engine_over_one(ADDRESSED, "handover", fake_embedder, tmp_path)
    reply = eng.answer("回迁安置户搬进去以后能养宠物狗吗？")
    assert reply.kind == "no_answer"
    assert "各位回迁安置户" not in reply.text and "分批交房" in reply.text


def test_each_clause_of_a_question_may_be_covered_by_its_own_sentence() -> None:
    """梨园在哪几个村？现场报名在什么地方？: 梨园 is in one sentence of the notice, 现场报名 in
    another, and the question is covered. A clause's words must meet in one sentence: 电工班 from
    one sentence and 考核合格 from another do not cover 电工班考核不合格."""
    from types import SimpleNamespace
    from typing import Any, cast

    from knowledge.answering.engine import _clauses_coverage
    from knowledge.answering.question import analyze

    def candidate(supports: tuple[float, ...], coverage: float) -> Any:
        return SimpleNamespace(
            passage=SimpleNamespace(doc_id="notice"), supports=supports, coverage=coverage
        )

    policy = AnswerPolicy()
    terms, weights = ["梨园", "现场", "报名"], [9.9, 6.3, 7.7]
    places = [candidate((0.0, 1.0, 1.0), 0.59), candidate((1.0, 0.0, 0.0), 0.41)]
    asked = analyze("梨园在哪几个村？现场报名在什么地方？")
    assert _clauses_coverage(cast(Any, places), asked, terms, weights, policy) == 1.0
    # One clause alone: the best sentence's own coverage.
    alone = analyze("梨园现场报名在什么地方？")
    assert _clauses_coverage(cast(Any, places), alone, terms, weights, policy) == 0.59
    terms, weights = ["电工", "考核", "合格", "补考"], [8.6, 7.7, 7.2, 4.0]
    course = [candidate((0.0, 1.0, 1.0, 0.0), 0.54), candidate((1.0, 0.0, 0.0, 0.0), 0.31)]
    asked = analyze("电工班考核不合格，可以补考吗？")
    covered = _clauses_coverage(cast(Any, course), asked, terms, weights, policy)
    assert covered == pytest.approx((7.7 + 7.2) / (8.6 + 7.7 + 7.2 + 4.0))


def test_a_word_naming_what_is_asked_is_given_by_a_sentence_holding_it() -> None:
    """信函邮寄到什么地址: 地址 names what is asked; 邮寄至兴政街15号 gives it, so the gate counts
    it found there, and not where the sentence holds no address. A sum's words are left as they
    are: 费用 in 维护费用由谁承担 names what is paid for."""
    from types import SimpleNamespace
    from typing import Any, cast

    from knowledge.answering.engine import _coverage_with_asked_given
    from knowledge.answering.question import analyze

    terms, weights = ["信函", "邮寄", "地址"], [9.9, 9.7, 7.7]
    asked = analyze("通过信函提交意见应邮寄到什么地址？")

    def best(holds: frozenset[Detail]) -> Any:
        return SimpleNamespace(supports=(1.0, 1.0, 0.0), coverage=0.71, holds=holds)

    given = _coverage_with_asked_given(cast(Any, best(asked.details)), asked, terms, weights)
    assert given == pytest.approx(1.0)
    assert _coverage_with_asked_given(cast(Any, best(frozenset())), asked, terms, weights) == 0.71
    fee = analyze("加装电梯以后每年的维护保养费用由谁来承担？")
    terms, weights = ["维护", "保养", "费用"], [6.0, 6.0, 5.0]
    paid = SimpleNamespace(supports=(0.0, 0.0, 0.0), coverage=0.0, holds=fee.details)
    assert Detail.AMOUNT in fee.details
    assert _coverage_with_asked_given(cast(Any, paid), fee, terms, weights) == 0.0


SELF_BUILT_HOUSES = """---
title: 关于做好2027年农村村民自建房申报工作的通知
---
# 关于做好2027年农村村民自建房申报工作的通知

## 一、申报备案

村民自建房应在开工前30日到村委会申报备案，填写《农村村民自建房申报表》。

## 二、工匠培训

2027年农村建筑工匠培训于3月、9月分两期举办，培训免费。
"""


def test_the_one_free_thing_of_a_notice_is_no_answer_for_another(
    fake_embedder, tmp_path: Path
) -> None:
    """培训免费 is said of the training: asked whether the filing costs anything, the notice's
    one sentence holding a sum or 免费 does not fill the detail, as its one contact line would."""
    eng = _engine_over_one(SELF_BUILT_HOUSES, "self-built", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("自建房申报备案需要交费吗？")
    assert decision.kind == "no_answer" and Detail.AMOUNT in decision.missing
    assert "培训免费" not in reply.text
    reply = eng.answer("建筑工匠培训收费吗？")
    assert reply.kind == "answer" and "培训免费" in reply.text


STUDY_TOUR_BASES = """---
title: 关于2027年中小学研学实践基地名单征求意见的公告
---
# 关于2027年中小学研学实践基地名单征求意见的公告

区教委会同区文化和旅游局，对全区18处场馆拟定了研学实践基地名单，现向社会公开征求意见。

## 一、征求意见时间

2027年5月6日至2027年6月4日。每所学校每学年可安排两个批次，由学校与有关部门商定。

## 二、其他说明

基地名单及简介在区政府网站“通知公告”栏目同步公布。

征求意见结束后，区教委将汇总意见，形成名单报区政府批准后正式公布。
"""


def test_a_bare_count_in_a_clause_is_part_of_its_question_word(
    fake_embedder, tmp_path: Path
) -> None:
    """哪两个部门拟定的: 两个 belongs to the question word, so the clause's words are 部门 and
    拟定, and the opening that says who drew the list up answers it beside the approval, not
    the sentence that happens to say 两个批次 and 有关部门."""
    eng = _engine_over_one(STUDY_TOUR_BASES, "study-tour", fake_embedder, tmp_path)
    reply = eng.answer("这份名单是哪两个部门拟定的？征求意见结束后最后由谁批准？")
    assert reply.kind == "answer"
    assert "区文化和旅游局" in reply.text and "报区政府批准" in reply.text


WINTER_CARE = """---
title: 关于开展2027年冬季送温暖活动的通知
---
# 关于开展2027年冬季送温暖活动的通知

## 一、慰问对象

辖区内低保家庭、特困供养人员和重度残疾人家庭。

## 二、其他事项

街道社区服务中心还将同步开展冬季关爱活动，有关情况可向所在社区咨询。

第二批慰问的时间另行通知。
"""


def test_what_is_asked_of_a_matter_the_notice_puts_off_is_not_answered(
    fake_embedder, tmp_path: Path
) -> None:
    """有关情况可向所在社区咨询: the notice says the activity will be held and nothing of what
    it is, so what it involves is named as not written, the sentence quoted; whether it is held
    the sentence does answer."""
    eng = _engine_over_one(WINTER_CARE, "winter-care", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("冬季关爱活动具体都干啥？")
    assert decision.kind == "no_answer" and decision.missing_words == ("具体安排",)
    assert "有关情况可向所在社区咨询" in reply.text and "没有写到" in reply.text
    assert eng.answer("街道也会开展冬季关爱活动吗？").kind == "answer"


LIFT_SUBSIDY = """---
title: 关于开展2027年度加装电梯补贴申报工作的通知
---
# 关于开展2027年度加装电梯补贴申报工作的通知

## 一、申报时间

2027年3月1日至3月31日。

## 二、补贴拨付

补贴资金在项目审核通过后一次性拨付至实施主体的对公账户。
"""


def test_how_long_is_not_answered_by_the_notices_one_date_span(
    fake_embedder, tmp_path: Path
) -> None:
    """多久能到账: the application window (3月1日至3月31日) is the notice's one period, and it
    is not how long the payment takes; the payment's sentence is quoted and the period named as
    not written. When one may apply it does answer."""
    eng = _engine_over_one(LIFT_SUBSIDY, "lift-subsidy", fake_embedder, tmp_path)
    decision, reply = eng.decide_and_reply("补贴审核通过后多久能到账？")
    assert decision.kind == "no_answer" and Detail.DURATION in decision.missing
    assert "3月31日" not in reply.text
    reply = eng.answer("加装电梯补贴什么时候申报？")
    assert reply.kind == "answer" and "3月31日" in reply.text


def test_a_kind_is_found_under_the_one_heading_its_document_gives_it() -> None:
    """灯光节从哪天开始, of a notice whose opening only names the festival's year: the one
    section the notice gives dates (一、活动时间) holds them, though its heading names no word
    of the question. With two such sections (报名时间, 活动时间) the heading alone tells
    nothing."""
    from types import SimpleNamespace
    from typing import Any, cast

    from knowledge.answering.engine import _under_the_kinds_one_heading
    from knowledge.answering.question import analyze

    title = "关于举办2027年兴湖公园新春灯光节的公告"

    def sentence(heading: str, text: str) -> Any:
        return SimpleNamespace(passage=SimpleNamespace(section_path=(title, heading), text=text))

    span = sentence("一、活动时间", "2027年1月29日至2月28日，每日17:30至21:30。")
    eve = sentence("一、活动时间", "除夕（2月5日）闭园一天。")
    tickets = sentence("三、购票方式", "门票自1月20日起在线预约。")
    asked = analyze("兴湖公园新春灯光节从哪天开始？")
    found = _under_the_kinds_one_heading(cast(Any, [span, eve, tickets]), Detail.DATE, asked)
    assert found == [span, eve]
    sign_up = sentence("二、报名时间", "报名于1月10日开始。")
    both = cast(Any, [span, eve, sign_up])
    assert _under_the_kinds_one_heading(both, Detail.DATE, asked) == []


def test_a_question_s_word_is_retrieved_as_the_sources_spell_it(
    fake_embedder, tmp_path: Path
) -> None:
    """礼拜天 is never written; the sentence saying 周日 scores higher in the lexical half than
    for the question's own words alone."""
    canteen = """---
title: 关于社区长者食堂开餐的通知
---
# 关于社区长者食堂开餐的通知

## 一、供餐时间

午餐供应时间为11:00至13:00，晚餐供应时间为17:00至18:30。

周日不供餐，法定节假日另行通知。
"""
    eng = _engine_over_one(canteen, "canteen", fake_embedder, tmp_path)
    question = "礼拜天食堂开不开？"
    retrieval = eng.retrieve(question)
    sunday = next(i for i, p in enumerate(retrieval.passages) if "周日" in p.text)
    assert retrieval.sparse[sunday] > eng._retriever.retrieve(question).sparse[sunday]
    assert int(retrieval.sparse.argmax()) == sunday


NURSERY = """---
title: 托育服务中心秋季招收婴幼儿的通知
---
# 托育服务中心秋季招收婴幼儿的通知

## 四、报名时间和方式

报名时间为2027年6月10日至6月20日。家长须携带材料到中心现场报名，不接受电话报名。

报名须提供以下材料原件及复印件：

1. 婴幼儿出生医学证明；
2. 户口簿；
3. 婴幼儿预防接种证。

## 五、录取办法

符合条件者全部录取。
"""


def test_a_list_asked_comes_with_the_items_of_the_sentence_that_opens_it(
    fake_embedder, tmp_path: Path
) -> None:
    """哪些材料 gathers the sentences naming 材料; the one that opens the list (报名须提供以下
    材料原件及复印件：) brings its items, or the answer names no material at all."""
    eng = _engine_over_one(NURSERY, "nursery", fake_embedder, tmp_path)
    reply = eng.answer("托育中心报名需要带哪些材料？")
    assert reply.kind == "answer"
    assert "以下材料" in reply.text, reply.text
    for item in ["出生医学证明", "户口簿", "预防接种证"]:
        assert item in reply.text, reply.text


MATCH = """---
title: 关于举办社区三人篮球赛的通知
---
# 关于举办社区三人篮球赛的通知

## 一、比赛时间

预赛于7月10日至7月18日举行，决赛于7月25日举行。

## 二、报名方式

报名免费，比赛期间组委会为每名队员购买人身意外伤害保险。

## 三、联系方式

区体育局群体科：010-69241752，联系人：刘老师。
"""

MATCH_UNHEADED = """---
title: 社区三人篮球赛回顾
---
# 社区三人篮球赛回顾

比赛期间组委会为每名队员购买人身意外伤害保险。赛后有队员拨打010-69241752反映场地问题。
"""


def test_a_notice_gives_an_asked_kind_its_own_place(fake_embedder, tmp_path: Path) -> None:
    """比赛的联络电话是多少: the notice's one contact line, under 三、联系方式, serves all it
    says though the best sentence (on the match's insurance) holds no number; a number said in
    passing in an unheaded text gives the kind no place of its own."""
    question = "比赛的联络电话是多少？"
    for text, doc_id, given in ((MATCH, "match", True), (MATCH_UNHEADED, "recap", False)):
        eng = _engine_over_one(text, doc_id, fake_embedder, tmp_path / doc_id)
        decision = eng.decide(question)
        best = next(c for c in decision.ranked if "保险" in c.passage.text)
        held = eng._kinds_held_in_document(best, decision.analysis, decision.retrieval.passages)
        assert (Detail.CONTACT in held) is given, doc_id


RABIES = """---
title: 关于调整狂犬病暴露预防处置门诊的公告
---
# 关于调整狂犬病暴露预防处置门诊的公告

## 一、疫苗接种程序和费用

国产冻干人用狂犬病疫苗每剂98元。5针法于第0、3、7、14、28天各接种1剂。
"""

SCREENING = """---
title: 关于开展重点人群结核病免费筛查的通知
---
# 关于开展重点人群结核病免费筛查的通知

## 一、治疗保障

筛查后确诊的肺结核患者，住院费用按医保规定报销。
"""


def test_a_whether_question_s_words_other_notices_use_and_this_one_never(
    fake_embedder, tmp_path: Path
) -> None:
    """医保能报销吗 of the rabies notice: other notices speak of 医保 and 报销, this one never,
    so it does not settle whether insurance pays. The vaccine's words it uses are no gap, nor
    words asking a kind (费用), the whether-word (能否) or words no notice uses (掏钱)."""
    from knowledge.documents import parse_document

    docs = [parse_document(RABIES, "rabies"), parse_document(SCREENING, "screening")]
    build_index(docs, fake_embedder, tmp_path)
    eng = AnswerEngine(Retriever(load_index(tmp_path), fake_embedder), policy=RELAXED)
    eng.warm_up()
    document = eng._view().doc_text["rabies"]

    def gaps(question: str) -> list[str]:
        terms = term_tools.content_terms(question, known=eng._term_stats().known)
        return eng._whether_words_elsewhere(analyze(question), terms, document)

    assert gaps("狂犬病疫苗的费用医保能报销吗？") == ["医保", "报销"]
    assert gaps("狂犬病疫苗能否用医保报销？") == ["医保", "报销"]
    assert gaps("打狂犬病疫苗要自己掏钱吗？") == []
    # Not a whether-question: the detail checks judge it.
    assert gaps("狂犬病疫苗的费用怎么报销？") == []
    # A day of the week asked is left to the schedule's ranking cue.
    assert gaps("周末能去打狂犬病疫苗吗，医保能报销吗？") == []
