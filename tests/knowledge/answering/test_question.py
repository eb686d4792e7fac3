"""What a question asks for, and what evidence holds it (knowledge.answering.question).

The reader's precision and recall on 7,017 outside questions are measured by
benchmarks/question_kinds.py; these cases pin the readings the issue named as wrong before.
"""

from __future__ import annotations

import pytest

from knowledge.answering.question import (
    Detail,
    Hold,
    absent_compass_points,
    absent_next_round,
    absent_numbered,
    absent_ordinals,
    absent_seasons,
    analyze,
    asked_details,
    asks_for_detail,
    asks_whether,
    bounds_age,
    bounds_residence,
    details_beside_list,
    evidence_holds,
    evidence_names,
    gives_reason,
    hold_strength,
    labels_kind,
    marks_start,
    names_designator,
    names_destination,
    names_weekdays,
    ordinal_designators,
    puts_off_all,
    ranking_cues,
    states_consequence,
)


@pytest.mark.parametrize(
    ("question", "detail"),
    [
        ("地铁票价多少钱", Detail.AMOUNT),
        ("这个项目投资多少亿", Detail.AMOUNT),
        ("入驻能拿多少补贴", Detail.AMOUNT),
        # 多少 before a sum's name asks its amount, not a count.
        ("骑共享单车要交多少押金？", Detail.AMOUNT),
        ("停车要交多少停车费", Detail.AMOUNT),
        # ... and whether a named sum is charged at all.
        ("办理就餐卡需要交押金吗？", Detail.AMOUNT),
        ("托管班收不收托管费", Detail.AMOUNT),
        ("这条路什么时候开通", Detail.DATE),
        ("哪一年完工", Detail.DATE),
        ("耶稣会在哪一年的时候正式成立", Detail.DATE),
        ("中華民國政府撤退至臺灣於西元幾年", Detail.DATE),
        ("天宫院街道集中办养老卡是哪几天", Detail.DATE),
        ("扫雪铲冰工作期是哪段时间", Detail.DATE),
        ("规划草案的公示时间是什么？", Detail.DATE),
        ("免费体检的时间安排是怎样的？", Detail.DATE),
        # 免费 is no fee: 多少人 after it asks a count.
        ("免费体检一天能查多少人？", Detail.QUANTITY),
        ("每天几点开门", Detail.TIME),
        ("律师值班时间是怎样安排的", Detail.TIME),
        ("新锂电池每组的售价是多少？", Detail.AMOUNT),
        ("招聘会上的岗位工资一般是多少？", Detail.AMOUNT),
        # A company's or a service agency's name asked.
        ("这次灭鼠请的消杀公司叫什么名字？", Detail.ORGANISATION),
        ("助浴服务是由哪家养老服务机构提供的？", Detail.ORGANISATION),
        ("垃圾桶站改造是哪个施工队来干的？", Detail.ORGANISATION),
        # Time spent is a period, not a sum.
        ("平定叛乱只需要花多少时间？", Detail.DURATION),
        ("打完疫苗要等多久才能走", Detail.DURATION),
        ("一共有几座桥", Detail.QUANTITY),
        # An age in full years is a count, not a number of weeks (多少周).
        ("年龄可以放宽至多少周岁？", Detail.QUANTITY),
        ("多少周能办完", Detail.DURATION),
        ("人口有多少", Detail.QUANTITY),
        ("交房手续去哪儿办", Detail.PLACE),
        ("新址的地址是什么", Detail.PLACE),
        ("怎么申请廉租房", Detail.PROCEDURE),
        ("去哪补办证件", Detail.PLACE),
        ("收房要带啥东西", Detail.PROCEDURE),
        ("办事处电话是多少", Detail.CONTACT),
        # A number to ring, asked by which (哪个号码, 打啥号).
        ("平时咨询打哪个号码", Detail.CONTACT),
        ("报修打啥号", Detail.CONTACT),
        # What to show at the door is what to bring (得出示啥).
        ("进站得出示啥", Detail.PROCEDURE),
    ],
)
def test_asked_details_are_recognized(question: str, detail: Detail) -> None:
    assert detail in analyze(question).details


@pytest.mark.parametrize(
    ("question", "not_asked"),
    [
        # "What will happen to" is not a procedure.
        ("村里那些工业大院以后怎么办", Detail.PROCEDURE),
        ("一共获得多少金牌", Detail.AMOUNT),
        # "Which ones" is a list, not a count.
        ("由哪几个地方政府共同建设", Detail.QUANTITY),
        # "In which year" is a date, not a place.
        ("在哪一年建成", Detail.PLACE),
        # "Which country" asks for a name, which has no checkable form.
        ("哪一國與蘇聯為冬季戰爭的開端", Detail.PLACE),
        # An amount is asked; a bare quantity is not asked besides it.
        ("多少钱一平米", Detail.QUANTITY),
        # Pay named is no sum asked (which list an employer goes on; whether one may ask).
        ("拒不支付工资的企业会被列入什么名单？", Detail.AMOUNT),
        ("老板拖工资能去问不？", Detail.AMOUNT),
        ("平定叛乱只需要花多少时间？", Detail.AMOUNT),
    ],
)
def test_readings_the_regex_tables_got_wrong(question: str, not_asked: Detail) -> None:
    assert not_asked not in analyze(question).details


@pytest.mark.parametrize(
    "question",
    ["这条铁路会建吗", "工厂要怎么整治", "在哪些领域合作", "规划对机场的定位是什么"],
)
def test_plain_questions_ask_for_no_detail(question: str) -> None:
    assert analyze(question).details == frozenset()


def test_two_details_are_read_from_one_question() -> None:
    details = analyze("临空佳园二期啥时候交房？去哪办手续？").details
    assert Detail.DATE in details and Detail.PLACE in details


def test_which_ones_is_a_list_but_which_days_is_a_date() -> None:
    assert analyze("哪几个镇有站点").is_list
    which_days = analyze("是哪几天")
    assert not which_days.is_list and Detail.DATE in which_days.details


@pytest.mark.parametrize(
    ("detail", "evidence", "holds"),
    [
        (Detail.AMOUNT, "每平方米补偿3000元。", True),
        (Detail.AMOUNT, "做好征地拆迁和人员安置。", False),
        (Detail.DATE, "2025年底前建成。", True),
        (Detail.DATE, "办理时间为12月15日至次年1月20日。", True),
        (Detail.DATE, "建设京霸铁路。", False),
        # A year has three or four digits, or an era or a month beside it; 已执行8年 is a period.
        (Detail.DATE, "现行物业服务费标准已执行8年。", False),
        (Detail.DATE, "该寺建于960年。", True),
        (Detail.DATE, "民国8年成立。", True),
        # A house number is an address, not the day of a month.
        (Detail.DATE, "地址为大兴区瀛海镇瀛顺路66号。", False),
        (Detail.TIME, "每天上午9:00至下午4:00办理。", True),
        (Detail.TIME, "夜间22:00后施工。", True),
        (Detail.TIME, "每天上午九点开始。", True),
        (Detail.TIME, "2026年12月20日起分批交付。", False),
        (Detail.DURATION, "施工期约45天。", True),
        # A count of days within which something is done is a period; a day of the month is not.
        (Detail.DURATION, "验房中发现的质量问题，将在30日内完成维修。", True),
        (Detail.DURATION, "12月30日前完成维修。", False),
        # A count of days ahead is a period; a day of the month before which is not.
        (Detail.DURATION, "应当于飞行前1日12时前提出申请。", True),
        (Detail.DURATION, "请于12月3日前缴费。", False),
        (Detail.QUANTITY, "建设三座新城。", True),
        (Detail.QUANTITY, "全程18.6公里。", True),
        # Designators are names, not quantities.
        (Detail.QUANTITY, "以治理PM2.5为重点，提级改建104国道。", False),
        (Detail.PLACE, "在礼贤镇设站。", True),
        (Detail.PLACE, "地址为大兴区榆垡镇新航城路18号。", True),
        # An institution named by one character is a place (区医院), a clinic's kind is not.
        (Detail.PLACE, "申请大中型客货车驾驶证的驾驶人须到区医院体检。", True),
        (Detail.PLACE, "须到医院体检。", False),
        # A day counted from a course's start is a day (哪几天打).
        (Detail.DATE, "5针法于第0、3、7、14、28天各接种1剂；", True),
        (Detail.DATE, "每天接种1剂。", True),
        (Detail.PLACE, "现场审核时间为6月6日至6月8日。", False),
        # A route's end is a place.
        (Detail.PLACE, "兴68路由瀛海镇政府站发车，终点为地铁亦庄线荣昌东街站。", True),
        # Where a stop moves, told from where it was; not a direction of travel alone.
        (Detail.PLACE, "公交兴36路富康里站临时向东移动约80米。", True),
        (Detail.PLACE, "站台北移50米。", True),
        (Detail.PLACE, "车辆每天向东行驶。", False),
        # The end of a span of dates is no place (至6月…公园 is not 至 a park).
        (Detail.PLACE, "将于2027年4月至6月更新各公园的儿童游乐设施。", False),
        (Detail.PROCEDURE, "到政务服务中心窗口办理。", True),
        (Detail.CONTACT, "咨询电话：010-12345678。", True),
        # The word 电话 is no contact: the number is.
        (Detail.CONTACT, "请提前一天拨打物业电话预约。", False),
        (Detail.CONTACT, "提级改建104国道。", False),
        # A clause putting off what it names holds nothing of it; one putting off the whole of
        # what its sentence introduces leaves that sentence nothing (在部分镇 is not which).
        (Detail.PLACE, "今年还将在部分镇开展农业收入保险试点。", True),
        (Detail.PLACE, "今年还将在部分镇开展农业收入保险试点，具体方案另行通知。", False),
        (Detail.PROCEDURE, "生活困难的农民工可申请法律援助，具体办法请咨询相关部门。", False),
        (Detail.DATE, "计划于2027年1月上旬回迁，具体日期另行通知。", True),
        (Detail.DATE, "食堂每周一至周日均正常营业，春节期间营业安排另行通知。", True),
        (Detail.DATE, "春节期间营业安排另行通知。", False),
        # 以…为准 sends the reader elsewhere: the company it names is no contractor.
        (Detail.ORGANISATION, "由北京康泰养护工程有限公司负责施工。", True),
        (Detail.ORGANISATION, "公交线路临时绕行，具体以公交公司公告为准。", False),
    ],
)
def test_evidence_holds_the_detail(detail: Detail, evidence: str, holds: bool) -> None:
    assert evidence_holds(detail, evidence) is holds


def test_a_list_item_holds_what_its_heading_announces() -> None:
    assert not evidence_holds(Detail.PROCEDURE, "交房通知书；")
    assert evidence_holds(Detail.PROCEDURE, "交房通知书；", heading="三、需携带材料")


@pytest.mark.parametrize(
    ("question", "detail", "loose", "specific"),
    [
        # A season is a loose date; a calendar date a specific one.
        ("停电是什么时候", Detail.DATE, "为保障冬季供电安全，将停止供电。", "2026年12月16日停电。"),
        # A generic place word (中小学校) against an address.
        (
            "流感疫苗去哪里打",
            Detail.PLACE,
            "在本区中小学校就读的学生可免费接种。",
            "接种门诊地址为大兴区黄村镇芦城东路7号。",
        ),
        # A count in another unit (a year) against a count of what was asked.
        ("一共设了几个接种点", Detail.QUANTITY, "2026年秋冬季接种工作。", "全镇共设4个接种点。"),
        ("多少钱一针", Detail.AMOUNT, "可免费接种1剂次流感疫苗。", "自费价格为每剂次128元。"),
        # A year alone says when only to a question asking the year.
        ("能打到什么时候", Detail.DATE, "根据本市2026年秋冬季接种安排。", "接种至12月31日。"),
    ],
)
def test_a_specific_hold_outranks_a_loose_one(
    question: str, detail: Detail, loose: str, specific: str
) -> None:
    asked = analyze(question)
    assert hold_strength(detail, loose, asked=asked) in (Hold.WEAK, Hold.LOOSE)
    assert hold_strength(detail, specific, asked=asked) is Hold.SPECIFIC


def test_a_year_is_a_specific_date_when_the_year_is_asked() -> None:
    assert (
        hold_strength(Detail.DATE, "该校于1949年创办。", asked=analyze("哪一年创办的"))
        is Hold.SPECIFIC
    )


def test_free_answers_whether_it_costs_as_well_as_a_sum() -> None:
    assert (
        hold_strength(Detail.AMOUNT, "本次入户安检免费。", asked=analyze("安检要收钱吗"))
        is Hold.SPECIFIC
    )


def test_a_heading_that_names_the_kind_makes_the_hold_specific() -> None:
    asked = analyze("暖气费去哪交")
    sentence = "可在公司营业厅或建设银行网点缴纳。"
    assert hold_strength(Detail.PLACE, sentence, asked=asked) is Hold.LOOSE
    assert hold_strength(Detail.PLACE, sentence, heading="缴费地点", asked=asked) is Hold.SPECIFIC
    assert hold_strength(Detail.PLACE, "请按时缴费。", heading="缴费地点", asked=asked) is Hold.NONE


def test_a_day_under_a_heading_naming_another_kind_is_held_loosely() -> None:
    """二、服务地点 > （一）5月10日至14日：政务服务中心: the section is about places, and its days
    are said by the way; under 一、服务时间, or named in the sentence (开放时间为…), in full."""
    asked = analyze("激活服务从哪天开始？")
    by_place = "（一）5月10日至14日：高米店街道政务服务中心一层（金星路22号）；"
    assert hold_strength(Detail.DATE, by_place, heading="二、服务地点", asked=asked) is Hold.LOOSE
    assert hold_strength(Detail.DATE, by_place, heading="一、服务时间", asked=asked) is (
        Hold.SPECIFIC
    )
    labelled = "开放时间为2027年5月10日至5月21日。"
    assert hold_strength(Detail.DATE, labelled, heading="二、服务地点", asked=asked) is (
        Hold.SPECIFIC
    )
    # A period's section holds its dates (二、保险费用和保障期限); steps hold theirs (报名方式).
    insured = "保险期限为2027年4月1日零时至2028年3月31日24时。"
    assert hold_strength(Detail.DATE, insured, heading="二、保费和保障期限", asked=asked) is (
        Hold.SPECIFIC
    )
    sign_up = "2027年6月21日9:00起，由家长通过微信小程序报名。"
    assert hold_strength(Detail.DATE, sign_up, heading="二、报名方式", asked=asked) is (
        Hold.SPECIFIC
    )


def test_traditional_evidence_holds_like_simplified() -> None:
    assert evidence_holds(Detail.PLACE, "地址為大興區榆垡鎮新航城路18號。")


def test_identifiers_match_whole_designators() -> None:
    assert evidence_names("S6", "规划建设S6线。")
    assert not evidence_names("S6", "规划建设S66线。")
    assert analyze("兴71路多久一班").identifiers == ("71",)
    # A run of numbered buildings names each building in it; a run of floors or days does not.
    assert evidence_names("7", "交房按楼号分批办理：5号楼至8号楼为12月22日至12月24日。")
    assert not evidence_names("9", "5号楼至8号楼为12月22日至12月24日。")
    assert not evidence_names("4", "3至5层为商业。")
    # A time or a month is no designator: 12:00 does not name 兴12路.
    assert not evidence_names("12", "5:30至12:00，兴华大街禁止一切车辆通行。")


def test_a_year_asked_of_is_named_by_a_span_of_years_that_holds_it() -> None:
    """2015年登记结婚的 is spoken of where a notice says which office keeps 2013年及以后 records."""
    assert analyze("我是2015年在大兴登记结婚的，去档案馆能查到吗？").identifiers == ("2015",)
    assert evidence_names("2015", "2013年及以后办理的婚姻登记档案仍保存在区婚姻登记处。")
    assert evidence_names("2015", "婚姻登记档案（1950年至2016年由民政部门办理的登记档案）；")
    assert evidence_names("2015", "2016年以前建成的老旧小区均可申请。")
    assert not evidence_names("2015", "1950年至2012年由原大兴县民政部门办理的登记档案。")
    assert not evidence_names("2015", "2016年及以后办理的登记档案仍保存在区婚姻登记处。")
    assert not evidence_names("2015", "2014年以前建成的老旧小区均可申请。")


def test_a_sentence_is_about_the_designator_its_own_section_names() -> None:
    title = "关于兴58路、兴71路公交线路调整的公告"
    question = "兴71路新设了哪个站？"
    sentence = "调整后增设“宏福苑东门”站位。"
    # The title names both lines; the nearest heading naming a line says which one.
    assert not names_designator("71", question, sentence, (title, "一、兴58路"))
    assert names_designator("71", question, sentence, (title, "二、兴71路"))
    assert names_designator("71", question, sentence, (title,))
    # The sentence itself naming it is enough; a heading naming another kind does not count.
    assert names_designator("71", question, "兴71路增设一站。", (title, "一、兴58路"))
    assert names_designator("71", question, sentence, (title, "二、2号楼"))
    # A designator asked without its kind (a year) is named anywhere in the context.
    assert names_designator("2026", "2026年几月开始", sentence, ("2026年工作安排", "一、时间"))


def test_a_share_asked_is_held_only_by_a_share() -> None:
    asked = analyze("医保缴费以后，门诊报销比例是多少？")
    assert asked.ratio and Detail.QUANTITY in asked.details
    assert evidence_holds(Detail.QUANTITY, "门诊报销比例为55%。", asked=asked)
    assert evidence_holds(Detail.QUANTITY, "学生持卡享受2.5折优惠。", asked=asked)
    assert evidence_holds(Detail.QUANTITY, "可报销三成。", asked=asked)
    # Any other number is no share: a date, a count.
    assert not evidence_holds(Detail.QUANTITY, "自2027年1月1日起享受医保待遇。", asked=asked)
    assert not evidence_holds(Detail.QUANTITY, "共设3个缴费点。", asked=asked)


def test_the_next_round_is_not_answered_by_a_notice_of_this_one() -> None:
    notice = "献血活动时间：2026年12月12日上午8:30至下午15:30。"
    assert absent_next_round("金苑东里社区下一次无偿献血活动安排在什么时候？", notice) == ["下一次"]
    assert absent_next_round("颐兴园下回义诊啥时候啊", notice) == ["下回"]
    # A notice that speaks of the next round may answer; a resident's next visit is no round.
    assert absent_next_round("下一批摇号什么时候", "下一批房源将于明年公布。") == []
    assert absent_next_round("下次来要带啥材料", notice) == []
    assert absent_next_round("以下次序排队吗", notice) == []
    # Another round asked whether held (还会再办一场), unless the notice speaks of more rounds;
    # 下雨还办不 asks about this one.
    assert absent_next_round("11月份还会再办一场献血活动吗？", notice) == ["再办"]
    assert absent_next_round("还会再办一场吗", "此类活动每年定期举办。") == []
    assert absent_next_round("要是下雨还办不", notice) == []
    # Next year's round asked (明年还办不), not next year named for this one (孩子明年上学).
    assert absent_next_round("这种培训明年一季度还办不", notice) == ["明年"]
    assert absent_next_round("明年还能接着认领吗", notice) == ["明年"]
    assert absent_next_round("孩子明年上学能上这个学校不", notice) == []


def test_a_year_names_which_round_is_asked() -> None:
    assert analyze("兴悦幼儿园2027年春季插班什么时候报名？").identifiers == ("2027",)
    assert analyze("2027—2028年度流感疫苗什么时候接种").identifiers == ("2027", "2028")
    # Amounts that look like years are not.
    assert analyze("长城已有2000多年历史，还有哪一时期修筑过").identifiers == ()
    assert analyze("海拔1000∼1500米可以看到哪种植物").identifiers == ()
    # A year of birth is a condition asked of (U10组: 2017年1月1日以后出生), not a round.
    assert analyze("俺家小子2016年生的，能报U10组不？").identifiers == ("U10",)
    assert analyze("孩子是2025年12月出生的，能领这个补贴不？").identifiers == ()
    assert not evidence_names("2027", "兴悦幼儿园2026年秋季招生简章。")
    assert evidence_names("2027", "活动于2026年12月1日至2027年1月31日举办。")


def test_an_ordinal_or_a_phase_names_which_one_is_asked() -> None:
    assert ordinal_designators("榆垡镇第二小学一年级什么时候报名") == [("第二小", "第2小")]
    assert ordinal_designators("瀛和家园二期什么时候交房") == [("二期", "2期")]
    assert ordinal_designators("第十二届冰雪季") == [("第十二届", "第12届")]
    # Steps, occurrences and ranks order things; a period is no phase.
    for question in ["第一次申请要带啥", "第二大城市在哪", "排名第一是哪家", "停水期间", "同一期"]:
        assert ordinal_designators(question) == [], question
    # A document writing the designator in either script answers for it.
    assert absent_ordinals("瀛和家园二期什么时候交房", "瀛和家园2期交房通知") == []
    assert absent_ordinals("瀛和家园二期什么时候交房", "瀛和家园（一期）交房通知") == ["二期"]


def test_a_time_range_asked_needs_a_range() -> None:
    asked = analyze("桂香园扔垃圾是几点到几点")
    assert asked.time_range and analyze("欣荣嘉园停水从几点开始到几点").time_range
    assert evidence_holds(Detail.TIME, "投放时间为每天早上七点至九点。", asked=asked)
    assert evidence_holds(Detail.TIME, "停水时间为12月10日22:00至12月11日6:00。", asked=asked)
    assert evidence_holds(Detail.TIME, "每日开放时间调整为早6:30至晚20:00。", asked=asked)
    # A 24-hour drop point or a lone opening time says when, but not from when to when.
    assert not evidence_holds(Detail.TIME, "可投放至西门的24小时误时投放点。", asked=asked)
    assert evidence_holds(Detail.TIME, "可投放至西门的24小时误时投放点。")
    assert not analyze("末班车几点").time_range
    # Opening and closing asked together is a range too; a 24-hour hotline does not give one.
    hours = analyze("烟花爆竹零售网点每天几点开门、几点关门？")
    assert hours.time_range
    assert not evidence_holds(Detail.TIME, "可拨打24小时举报电话010-69241199。", asked=hours)
    assert not analyze("兴58路早上头班车几点，晚上末班车几点").time_range
    # The two ends told apart give the span too: arriving by one time, leaving at another.
    school_day = analyze("入学教育期间学生每天几点到校、几点离校？")
    assert school_day.time_range
    assert evidence_holds(
        Detail.TIME, "学生每天7:30前到校，16:30离校，中午在校用餐。", asked=school_day
    )
    assert not evidence_holds(Detail.TIME, "学生每天7:30前到校，中午在校用餐。", asked=school_day)


def test_a_schedules_place_after_its_time_is_held() -> None:
    asked = analyze("晚上那场在哪儿办？")
    for text in [
        "10月28日（周三）晚上7:00，博客雅苑社区党群服务站。",
        "10月17日上午9:30，金茂悦小区中心广场；",
    ]:
        assert evidence_holds(Detail.PLACE, text, asked=asked), text
    assert not evidence_holds(Detail.PLACE, "每场活动时长约1.5小时。", asked=asked)
    assert not evidence_holds(Detail.PLACE, "同时，加快建设新城。", asked=asked)


def test_a_named_account_or_app_is_a_contact() -> None:
    asked = analyze("在哪個微信公眾號可以預約祭掃？")
    assert asked.details == {Detail.CONTACT}
    for text in [
        "市民可通过“北京市殡葬服务”微信公众号提前7天预约。",
        "可通过“京通”小程序预约。",
        "关注微信公众号“大兴发布”查询。",
    ]:
        assert evidence_holds(Detail.CONTACT, text, asked=asked), text
    assert not evidence_holds(Detail.CONTACT, "可通过网上预约。", asked=asked)


def test_a_span_of_birth_is_dates_and_until_which_day_is_no_place() -> None:
    assert asked_details("招的是哪个时间段出生的孩子？") == {Detail.DATE}
    assert asked_details("哪个时间段停水") == {Detail.TIME}
    assert asked_details("临时搬迁办公到哪天结束？") == {Detail.DATE}
    assert asked_details("集中缴费期是从哪天到哪天？") == {Detail.DATE}
    assert asked_details("清源社区医院搬到哪了") == {Detail.PLACE}


def test_a_kind_subsumes_its_neighbour_only_in_its_own_clause() -> None:
    assert asked_details("几点开门") == {Detail.TIME}
    assert asked_details("哪天开始，每天几点到几点？") == {Detail.DATE, Detail.TIME}


def test_how_often_asks_a_recurrence_not_a_length_of_time() -> None:
    for question in ["租房补贴多久发一次", "兴71路多久来一趟啊", "興68路非高峰時段多久一班車？"]:
        assert asked_details(question) == {Detail.FREQUENCY}, question
    assert asked_details("打完疫苗要等多久才能走") == {Detail.DURATION}
    # In one go, the first time, all at once: how long, not how often.
    for question in ["多久能一次办完", "体检后多久第一次复查", "多少天可以一次性领完"]:
        assert asked_details(question) == {Detail.DURATION}, question
    # A date asked beside it stays asked.
    assert asked_details("补贴多久发一次，几号到账") == {Detail.FREQUENCY, Detail.DATE}
    assert not asked_details("可見光頻率的峰值可以用來測量什麼東西的顏色？")
    for evidence in ["按季度发放至社会保障卡。", "每月10日前发放。", "其余时段发车间隔15分钟。"]:
        assert evidence_holds(Detail.FREQUENCY, evidence), evidence
    # A sum per month is a rate, and a date range says when, not how often.
    assert not evidence_holds(Detail.FREQUENCY, "按每户每月2400元发放；")
    assert not evidence_holds(Detail.FREQUENCY, "每月补贴2400元。")
    assert not evidence_holds(Detail.FREQUENCY, "于2026年3月1日一次性发放。")
    assert not evidence_holds(Detail.FREQUENCY, "受理时间为2026年3月1日至3月31日。")


def test_why_asks_a_reason_and_a_purpose_or_cause_gives_one() -> None:
    assert analyze("安定镇这次为什么停电？").reason and analyze("市场为啥要搬走").reason
    # 为 as a verb (作为, 称为, 分为) asks what, not why; 为何时 asks when.
    assert not analyze("上村與塘岐村之間的村落作為什麼用途？").reason
    for question in ["垃圾分为什么几类", "被评为什么称号", "公示时间为何时"]:
        assert not analyze(question).reason, question
    assert gives_reason("为保障冬季供电安全，供电公司计划对10千伏安定线进行检修。")
    assert gives_reason("因原址实施抗震加固，市场将临时搬迁。")
    assert not gives_reason("临时市场营业时间为每天6:00至19:00。")


def test_a_day_of_the_week_asked_prefers_sentences_naming_days() -> None:
    assert analyze("兴政社区燃气安检周末来不来？").weekday
    assert analyze("枣园北里周三能扔装修垃圾不").weekday
    assert not analyze("燃气安检什么时候来").weekday
    # A count of times or days is no day of the week.
    assert not analyze("垃圾每周一次清运吗").weekday and not analyze("一周五天都开门吗").weekday
    assert not names_weekdays("每周一次巡查。")
    assert names_weekdays("周六、周日照常开展。") and names_weekdays("工作日上午9:00至12:00")
    assert not names_weekdays("检查时间为2026年10月12日至11月30日。")


def test_what_follows_is_asked_and_a_stated_consequence_gives_it() -> None:
    assert analyze("公租房摇号没在网上确认会咋样？").consequence
    assert analyze("共享单车老乱停会怎么样").consequence
    # What will be done about a breach (会咋处理), unlike what to do with a thing (该怎么处理).
    assert analyze("在禁区放风筝被发现了会咋处理？").consequence
    # How to get rid of something, or how to do it, is not what follows.
    for question in ["家里有个旧床垫，该怎么处理", "养老卡要如何办理", "要怎样申请公租房"]:
        assert not analyze(question).consequence, question
    assert states_consequence("逾期未确认的，视为自动放弃。")
    assert states_consequence("累计3次的，暂停其用车资格7天。")
    assert not states_consequence("本次配租房源位于黄村镇兴悦家园。")


def test_a_span_told_as_quite_a_few_asks_no_number() -> None:
    """好几年都没去 tells how long, it asks nothing; 好几次 may still ask how many times."""
    assert Detail.DURATION not in analyze("电动车好几年都没年检会咋样？").details
    assert Detail.QUANTITY not in analyze("在这儿住了好几天了，能登记不？").details
    assert Detail.DURATION in analyze("年检要好久？要几天？").details


def test_an_age_told_is_answered_by_a_sentence_bounding_ages() -> None:
    told = [
        "我41了还能报名不？",
        "我都67了还能报不？",
        "我爸82了一个人住，能申请不？",
        "孩子8岁能报名吗",
    ]
    for question in told:
        assert analyze(question).age_told, question
    for question in ["我家3口人能领几个", "我等了30分钟了", "我买了2个"]:
        assert not analyze(question).age_told, question
    assert bounds_age("年龄在22周岁至40周岁之间，学历不限。")
    assert bounds_age("年满16周岁、身体健康的人员均可报名。")
    assert not bounds_age("报名人数超过名额的，按资格审核通过的先后顺序确定。")
    asked = analyze("我41了还能报名不？")
    assert ranking_cues(asked, "献血条件：年龄18至55周岁；") == [True]
    # Told with whether one may, it asks the conditions (年龄在18至55周岁之间…均可报名).
    for question in ["我60了还能报兴丰街道的电工班不", "孩子十三了，能骑电动车出门不？"]:
        asked = analyze(question)
        assert asked.conditions and Detail.PROCEDURE in asked.details, question
    # Told with what it costs, it does not.
    assert not analyze("我都七十了，去打乒乓球要钱不？").conditions


def test_a_residence_told_asks_the_conditions_of_registration() -> None:
    for question in [
        "我不是黄村户口，在这边租房住，能参加换电池不？",
        "俺户口不在康馨园社区，可在这儿住了好几年了，能做选民登记不？",
        "我在富强西里租房住，能办停车证不？",
        "外地来的老人能在天宫院办养老卡吗",
    ]:
        asked = analyze(question)
        assert asked.residence_told and asked.conditions, question
    # A rent subsidy asked, or a move of one's registration, tells no residence.
    for question in ["清源街道租房补贴一个月能补多少钱？", "去派出所办户口迁移能办不"]:
        assert not analyze(question).residence_told, question
    assert bounds_residence("具有本市户籍、年满60周岁的老年人均可自愿参保。")
    assert bounds_residence("租住户还需出示租赁合同。")
    assert not bounds_residence("报名人数超过名额的，按报名先后顺序确定。")


def test_when_something_starts_is_asked_and_a_day_opening_a_span_gives_it() -> None:
    starts = ["灯光节从哪天开始？", "寒假从哪一天开始", "啥时候开始报名", "新标准哪天起执行"]
    for question in starts:
        assert analyze(question).start, question
    for question in ["几号截止", "报名到哪天结束", "周六开不开"]:
        assert not analyze(question).start, question
    assert marks_start("2027年1月29日至2月28日，每日17:30至21:30。")
    assert marks_start("定于2027年4月28日起正式向公众开放。")
    assert marks_start("自2026年12月12日（首车）起对以下线路进行调整。")
    # A lone day, or one by which something must be done, starts nothing.
    assert not marks_start("除夕（2月5日）闭园一天。")
    assert not marks_start("请于11月30日前缴费。")
    assert not marks_start("请于11月30日前到营业厅缴费。")


def test_where_something_moves_to_is_asked_and_a_new_place_gives_it() -> None:
    for question in [
        "清源卫生服务中心搬到哪儿去了",
        "门诊搬迁到哪里？",
        "市场搬哪了",
        "兴旺农贸市场的新址在哪里？",
    ]:
        assert analyze(question).destination, question
    for question in ["哪天搬", "搬家的时候去哪办手续", "交房手续去哪儿办"]:
        assert not analyze(question).destination, question
    assert names_destination("新址位于大兴区康庄路89号。")
    assert names_destination("门诊将整体搬迁至欣宁街56号。")
    # The engine reads a sentence with its own heading (二、临时办公地址 > 瀛海镇政务服务中心…).
    assert names_destination("二、临时办公地址瀛海镇政务服务中心二楼C区（瀛海镇兴海路2号）。")
    assert not names_destination("原址（大兴区清源路52号）于12月25日起停止诊疗服务。")
    # The new one named as what it is (新市场位于…), not as 新址.
    assert names_destination("新市场位于西红门镇金星西路6号，距原址约1.2公里。")
    assert not names_destination("原兴旺农贸市场（西红门镇宏业路32号）将于8月15日停止营业。")


def test_whether_it_costs_anything_asks_an_amount() -> None:
    for question in [
        "康庄社区燃气安检要收钱吗",
        "活动要钱不？",
        "停车收不收费",
        "坐车免费吗",
        # A fee named before 多少 asks its amount, not a bare count.
        "物业服务费调整后的标准是多少？",
        # How a fee is charged is its rate.
        "瀛和家园的物业费怎么收？",
        "临时停车费咋算",
    ]:
        assert Detail.AMOUNT in asked_details(question), question
    # "No one pays" answers whether it costs anything.
    assert hold_strength(
        Detail.AMOUNT, "改造费用由政府承担，居民无需出资。", asked=analyze("改造要自己掏钱不")
    )
    assert hold_strength(
        Detail.AMOUNT,
        "签约服务费由医保基金和签约居民共同分担，居民个人不需要额外支付费用。",
        asked=analyze("签约家庭医生要自己交钱吗？"),
    )
    # How to pay it is a step, not an amount; nor is receiving a bill or collecting reviews.
    for question in ["物业费怎么交", "电费账单怎么收到", "评价怎么收集", "经费怎么计划使用"]:
        assert Detail.AMOUNT not in asked_details(question), question


def test_what_to_bring_asks_for_materials_not_any_step() -> None:
    analysis = analyze("收房得带啥？")
    assert Detail.PROCEDURE in analysis.details and analysis.materials
    assert not analyze("怎么申请补贴").materials

    def holds(evidence: str, heading: str = "") -> bool:
        return evidence_holds(Detail.PROCEDURE, evidence, heading=heading, asked=analysis)

    # A step that names no material, or a material named as a condition, is no answer.
    assert not holds("现场审核时间为5月23日至5月24日，地点为本园一楼多功能厅。")
    assert not holds("逾期未办理交付手续的，视为开发商已按合同约定交付房屋。")
    assert not holds("持有居住证的60周岁以上老年人可以报名。")
    # Something to bring, an item under a heading about materials, or a numbered item.
    assert holds("外埠老年人还须提供本市居住证。")
    assert holds("购房款结清凭证。", heading="三、需携带的材料")
    assert holds("1. 申请人及家庭成员身份证、户口簿原件及复印件；")
    assert holds("非遗剪纸体验每场限30人，材料免费提供；")


def test_what_it_takes_is_said_by_a_stated_condition() -> None:
    asked = analyze("携犬前往免疫点时对牵引绳有什么要求？")
    assert Detail.PROCEDURE in asked.details and asked.conditions
    assert not analyze("怎么申请补贴").conditions

    def holds(evidence: str) -> bool:
        return evidence_holds(Detail.PROCEDURE, evidence, asked=asked)

    assert holds("携犬前往免疫点时，须使用长度不超过1.5米的牵引绳牵领犬只。")
    assert holds("报名者须年满55周岁，身体健康。")
    assert not holds("免疫点于每天上午9:00开放。")
    # Without a condition asked, a condition is no procedure.
    assert not evidence_holds(
        Detail.PROCEDURE, "须使用长度不超过1.5米的牵引绳。", asked=analyze("怎么申请补贴")
    )


def test_who_may_asks_the_conditions_not_the_steps() -> None:
    """哪些女生可以免费接种 asks whom the notice is for: its conditions (年满13周岁的在校女生, or
    what sits under 一、接种对象) say it specifically; a step (四、办理流程 > 携带身份证) only
    loosely. 哪些地方可以停车 asks places, not people."""
    asked = analyze("哪些女生可以免费接种HPV疫苗？")
    assert Detail.PROCEDURE in asked.details and asked.conditions
    assert analyze("什么样的老人能申请助浴服务？").conditions
    assert not analyze("哪些地方可以停车？").conditions
    # May I, after telling one's circumstances: whether one is eligible.
    may_i = analyze("我爸82了一个人住，不是低保户，能申请不？")
    assert Detail.PROCEDURE in may_i.details and may_i.conditions
    assert not analyze("能申请的人多吗？").conditions

    def strength(evidence: str, heading: str = "") -> Hold:
        return hold_strength(Detail.PROCEDURE, evidence, heading=heading, asked=asked)

    assert strength("具有大兴区学籍、年满13周岁且未满14周岁的在校女生。") is Hold.SPECIFIC
    assert strength("辖区低保家庭的适龄女生。", heading="一、接种对象") is Hold.SPECIFIC
    assert strength("（三）接种当天携带学生身份证到接种点。", heading="四、办理流程") is Hold.LOOSE


def test_which_day_is_said_by_a_day_not_a_year_or_a_recurrence_over_it() -> None:
    """定在哪天 / 几号发 ask a day: 2026年8月15日 or 每周六 gives one; 每年3000元, 当年, 每个月
    按时发放 and a season (为保障冬季供电安全) do not."""
    asked = analyze("梨花节开幕式定在哪天？")

    def holds(evidence: str) -> bool:
        return evidence_holds(Detail.DATE, evidence, asked=asked)

    assert holds("开幕式定于2027年4月10日上午举行。")
    assert holds("活动每周六上午举行。")
    assert not holds("古梨树每棵每年3000元，还可参加梨花节开幕式。")
    assert not holds("认养人可获得当年该树所产鲜梨不少于50公斤。")
    assert not holds("为保障冬季供电安全，将停止供电。")
    assert not evidence_holds(
        Detail.DATE, "养老金每月按时发放到社保卡。", asked=analyze("养老金几号发到卡上？")
    )


def test_a_maker_or_a_bare_unit_asked_is_an_organisation() -> None:
    """哪家药企生产的 asks a company's name, which 国产二价疫苗 does not give; 哪家单位施工 asks
    the contractor; 什么单位 may ask a unit of measure, and 向哪个单位申请 an office."""
    asked = analyze("这个国产二价疫苗是哪家药企生产的？")
    assert Detail.ORGANISATION in asked.details
    assert not evidence_holds(
        Detail.ORGANISATION, "免费接种国产二价人乳头瘤病毒（HPV）疫苗。", asked=asked
    )
    assert evidence_holds(Detail.ORGANISATION, "疫苗由北京某某生物制品有限公司生产。", asked=asked)
    assert Detail.ORGANISATION in analyze("桶站改造是哪家单位施工？").details
    assert Detail.ORGANISATION not in analyze("计量用的是什么单位？").details


def test_which_company_is_said_only_by_a_companys_name() -> None:
    asked = analyze("三合南里小区综合整治的施工单位是哪家公司？")
    assert Detail.ORGANISATION in asked.details

    def holds(evidence: str) -> bool:
        return evidence_holds(Detail.ORGANISATION, evidence, asked=asked)

    assert holds("本次整治由北京城建道桥建设集团有限公司施工。")
    assert holds("大兴区自来水公司将对富康路供水管网进行改造。")
    assert not holds("施工单位将提前3天张贴入户通知。")
    assert not holds("本公司供热范围包括黄村镇。")
    # Other bodies are named without a telling suffix: only companies are asked this way.
    assert Detail.ORGANISATION not in analyze("是由哪个机构发射的？").details


def test_a_number_to_call_asked_is_given_only_by_a_number() -> None:
    """预约电话是多少 asks the number to call: not how many of something (多少), and not given by
    a WeChat account; an account asked for is."""
    phone = analyze("高米店社区卫生服务中心接种门诊的预约电话是多少？")
    assert phone.details == frozenset({Detail.CONTACT})
    by_account = (
        "居民可通过“健康大兴”微信公众号“疫苗预约”栏目预约，也可拨打社区卫生服务中心电话预约。"
    )
    assert not evidence_holds(Detail.CONTACT, by_account, asked=phone)
    assert evidence_holds(Detail.CONTACT, "咨询电话：010-67856203。", asked=phone)
    assert evidence_holds(Detail.CONTACT, "可拨打燃气服务热线96777核实。", asked=phone)
    account = analyze("在哪个公众号预约？")
    assert evidence_holds(Detail.CONTACT, by_account, asked=account)
    # Two clauses, two asks.
    both = analyze("咨询电话是多少，名额有多少个？")
    assert both.details == frozenset({Detail.CONTACT, Detail.QUANTITY})


def test_a_grade_asked_is_said_only_in_its_unit() -> None:
    valence = analyze("黄村镇免费的流感疫苗是几价的？")
    assert Detail.QUANTITY in valence.details
    assert evidence_holds(Detail.QUANTITY, "免费接种四价流感疫苗1剂次。", asked=valence)
    assert not evidence_holds(Detail.QUANTITY, "自费价格为每剂次128元。", asked=valence)
    assert not evidence_holds(Detail.QUANTITY, "共设4个接种点。", asked=analyze("几级预警"))
    # Any other count is still said by a number.
    assert evidence_holds(Detail.QUANTITY, "共设4个接种点。", asked=analyze("有几个接种点"))


def test_which_one_in_order_is_said_only_as_that_ordinal() -> None:
    floor = analyze("这次演练模拟起火的是5号楼的第几层？")
    assert Detail.QUANTITY in floor.details
    assert not evidence_holds(Detail.QUANTITY, "本次演练以5号楼为模拟起火楼栋。", asked=floor)
    assert evidence_holds(Detail.QUANTITY, "模拟起火点设在5号楼3层。", asked=floor)
    phase = analyze("5号楼周边在第几阶段施工？")
    assert evidence_holds(Detail.QUANTITY, "第二阶段：5号楼至8号楼周边。", asked=phase)
    assert not evidence_holds(Detail.QUANTITY, "共分3批施工。", asked=phase)


def test_money_asked_is_not_said_by_a_share_alone() -> None:
    money = analyze("义务兵家庭优待金每年能拿多少钱？")
    raised = "大学毕业生入伍的在此基础上增发50%。"
    assert not evidence_holds(Detail.AMOUNT, raised, asked=money)
    assert evidence_holds(Detail.AMOUNT, "每人每年发放优待金12000元。", asked=money)
    cost = analyze("打狂犬疫苗要花多少钱？")
    assert evidence_holds(Detail.AMOUNT, "狂犬病疫苗及注射费用全部免费。", asked=cost)
    # A subsidy asked without naming money may be a share.
    assert evidence_holds(Detail.AMOUNT, raised, asked=analyze("补贴标准是多少"))


def test_materials_labelled_at_the_sentences_start_are_held_under_any_heading() -> None:
    asked = analyze("报名时要带什么材料？")
    labelled = "报名材料：户口簿或居住登记凭证、认领人身份证。"
    assert evidence_holds(Detail.PROCEDURE, labelled, heading="三、报名和抽签", asked=asked)


def test_kuai_is_money_only_beside_qian_or_its_jiao() -> None:
    """块 counts plots as often as it counts yuan: 种植地块60块 gives no fee."""
    fee = analyze("每块菜地的认领费是多少？")
    assert not evidence_holds(Detail.AMOUNT, "共划分种植地块60块，每块约6平方米。", asked=fee)
    assert evidence_holds(Detail.AMOUNT, "每斤3块钱。", asked=fee)
    assert evidence_holds(Detail.AMOUNT, "一张3块5。", asked=fee)


def test_a_sum_paid_to_the_asker_is_said_only_by_a_figure() -> None:
    """每只补多少钱 asks what is paid to the asker: 疫苗由政府免费提供 says what the asker does
    not pay; 羊每只400元 says it."""
    paid = analyze("羊因为打疫苗死了，每只补多少钱？")
    assert paid.received and not analyze("打疫苗要交多少钱？").received
    assert not evidence_holds(Detail.AMOUNT, "强制免疫所用疫苗由政府免费提供。", asked=paid)
    assert evidence_holds(Detail.AMOUNT, "按猪每头800元、羊每只400元给予补偿。", asked=paid)
    # Paying something again (补办, 补交) is a cost, not a sum received.
    assert not analyze("养老助残卡补办要多少钱？").received
    assert not analyze("补交材料需要多少天？").received


def test_when_something_starts_is_not_said_by_when_it_recurs() -> None:
    start = analyze("兴源热力什么时候开始试供暖？")
    assert start.date_point and not analyze("桂香园什么时候扔垃圾").date_point
    every_day = "营业厅营业时间为每天上午8:30至下午5:00。"
    assert not evidence_holds(Detail.DATE, every_day, asked=start)
    assert evidence_holds(Detail.DATE, every_day)
    assert evidence_holds(Detail.DATE, "11月10日起试供暖。", asked=start)
    # Until when (执行到哪一天) asks the end, a point in time too.
    assert analyze("这次调整执行到哪一天？").date_point
    assert analyze("兴丰大街封到什么时候").date_point


def test_when_in_general_is_said_by_the_hours_too() -> None:
    """什么时间施工 asks when in general: 施工安排在22:00至次日6:00进行 says it."""
    night = "北门、东门为车行出入口，施工安排在22:00至次日6:00进行。"
    assert evidence_holds(Detail.DATE, night, asked=analyze("北门的门禁什么时间施工？"))
    # A day asked (哪天) is not said by the hours.
    assert not evidence_holds(Detail.DATE, night, asked=analyze("北门的门禁哪天施工？"))


def test_a_numbered_member_the_document_does_not_name_is_absent() -> None:
    """科目三 asked of a notice on 科目二 only: another member of the series."""
    notice = "原在该考试场进行的小型汽车科目二考试临时迁至魏善庄考试点进行。"
    assert absent_numbered("大兴考试场的科目三考试迁到哪里考？", notice) == ["科目三"]
    assert absent_numbered("大兴考试场的科目二考试迁到哪里考？", notice) == []
    # A count, a day of the week or a building is no member (一共, 周三, 三号楼).
    assert absent_numbered("考试点一共有几辆车？", notice) == []
    assert absent_numbered("科目二每周三考不考？", "科目二每周二至周六考试") == []
    assert absent_numbered("翠林苑三号楼能上哪个小学", "翠林苑二号楼至十号楼") == []
    # A message of one word (a greeting, a bare 医保) is read without error.
    assert absent_numbered("你好", notice) == []
    assert absent_numbered("", notice) == []


def test_a_street_number_is_no_day_of_the_month() -> None:
    for address in ("兴丰大街三段19号", "枣园北里12号", "西红门村8号"):
        assert not evidence_holds(Detail.DATE, f"南院区发热门诊：{address}。"), address
    assert evidence_holds(Detail.DATE, "本月19号起开诊。")


def test_an_age_in_full_years_is_no_duration() -> None:
    assert not evidence_holds(Detail.DURATION, "具有本市户籍的60周岁及以上老年人可免费接种。")
    assert not evidence_holds(Detail.DURATION, "庆祝建校30周年。")
    assert evidence_holds(Detail.DURATION, "接种后须在接种点留观30分钟。")
    assert evidence_holds(Detail.DURATION, "工期约为3周。")


def test_a_label_opening_a_paragraph_names_the_kind_under_it() -> None:
    asked = frozenset({Detail.PROCEDURE})
    assert labels_kind(
        "4. 所需材料：本人身份证原件、近期一寸照片1张；外埠老年人还须提供居住证。", asked
    )
    assert not labels_kind("由家属代办的，需携带代办人身份证和老年人户口簿。", asked)
    assert not labels_kind("5. 制卡周期：约为30个工作日。", asked)
    assert labels_kind("办理时间：2026年12月14日至12月18日。", frozenset({Detail.DATE}))
    # A contact line or a time label is no procedure (联系方式, 办理时间).
    assert not labels_kind("联系方式：电话010-69251482。", asked)
    assert not labels_kind("办理时间：2026年12月14日至12月18日。", asked)


def test_a_decimal_number_is_no_date() -> None:
    asked = analyze("哪天开始")
    for sentence in ("单价1234.5元。", "面积1200.5平方米。", "总投资1500.8万元。"):
        assert hold_strength(Detail.DATE, sentence, asked=asked) is Hold.NONE, sentence
    assert hold_strength(Detail.DATE, "自2026-12-05起实施。", asked=asked) is Hold.SPECIFIC


def test_a_season_the_document_never_names_while_it_names_another_is_absent() -> None:
    spring = "旧宫镇2026年春季就业援助专场招聘会"
    assert absent_seasons("旧宫镇2026年秋季招聘会什么时候举行", spring) == ["秋季"]
    assert absent_seasons("旧宫镇春季招聘会什么时候举行", spring) == []
    # A document naming no season says nothing of which one: the question stays answerable.
    assert absent_seasons("冬季供暖什么时候开始", "本采暖季正式供暖时间为11月15日") == []
    # A joint season names each of its seasons (秋冬季 is autumn and winter).
    assert absent_seasons("今年秋季流感疫苗在哪打", "2026年秋冬季流感疫苗免费接种通知") == []
    assert absent_seasons("春季流感疫苗在哪打", "2026年秋冬季流感疫苗免费接种通知") == ["春季"]


def test_a_detail_asked_beside_a_list_is_read_apart_from_it() -> None:
    two = details_beside_list("哪些家庭会收到选房短信通知，选定房屋后多少天内要签合同？")
    assert two == frozenset({Detail.DURATION})
    assert details_beside_list("廊涿城际的站点设在哪几个镇？") == frozenset()


def test_an_address_asked_needs_an_address() -> None:
    asked = analyze("德茂公园北门停车场的门牌地址是多少号？")
    assert asked.address and Detail.PLACE in asked.details
    # 多少号 is a number on a door or a line, not a count of anything.
    assert Detail.QUANTITY not in asked.details
    assert not analyze("停车场在哪").address
    # Which street asks where on it: the street and its number (兴政街29号).
    assert analyze("档案馆具体在哪条街？").address
    assert not analyze("开车走哪条路能绕过去？").address
    # Where a place lies is a place, but not its address.
    place = "西瓜博物馆北侧空地临时停车场，车位520个；"
    assert evidence_holds(Detail.PLACE, place)
    assert not evidence_holds(Detail.PLACE, place, asked=asked)
    assert evidence_holds(Detail.PLACE, "庑殿路公共停车场（庑殿路36号）：快充桩6个。", asked=asked)
    # A place's label gives where within it, not the address of the place itself.
    school = analyze("学校具体地址在哪？")
    inside = "报到地点为学校体育馆一层，由学校东门（兴丰大街一侧）进入。"
    assert evidence_holds(Detail.PLACE, inside)
    assert not evidence_holds(Detail.PLACE, inside, asked=school)
    assert evidence_holds(Detail.PLACE, "学校地址：大兴区兴丰大街一段166号。", asked=school)


def test_where_something_is_put_is_a_place_without_a_kind_of_place() -> None:
    """A region named bare (河北廊坊) before the verb that puts something there."""
    assert evidence_holds(Detail.PLACE, "新型显示产业，在河北廊坊布局终端产品生产制造环节。")
    # A period is no place: 在此期间设立, 在规划期内建设.
    assert not evidence_holds(Detail.PLACE, "在规划期内建设完成。")
    assert not evidence_holds(Detail.PLACE, "在活动期间设置引导标识。")


def test_in_which_respect_asks_no_place() -> None:
    assert Detail.PLACE not in analyze("希望此任务能够在哪方面获得进展？").details
    assert Detail.PLACE in analyze("医保在哪办").details


def test_a_reason_asked_asks_no_detail_of_its_clause() -> None:
    """投资金额为什么不能是购楼款 asks why; the amount is its subject, not what it asks."""
    assert analyze("投資移民的投資金額為甚麼不能是購樓款?").details == frozenset()
    assert analyze("投資移民的投資金額為甚麼不能是購樓款?").reason
    # Another clause may still ask one.
    assert analyze("为什么停电，停到几点？").details == {Detail.TIME}


def test_a_sum_waived_is_an_amount() -> None:
    asked = analyze("育兒補貼需要繳個人所得稅嗎？")
    assert Detail.AMOUNT in asked.details
    assert evidence_holds(Detail.AMOUNT, "育儿补贴免征个人所得税。", asked=asked)
    assert evidence_holds(Detail.AMOUNT, "低保、特困家庭凭相关证明免收清运费用。", asked=asked)


def test_nights_asked_are_a_length_of_stay() -> None:
    asked = analyze("最多可以连续住几晚？")
    assert asked.details == {Detail.DURATION}
    assert analyze("晚上几点关门").details == {Detail.TIME}
    assert evidence_holds(Detail.DURATION, "每人最多连续入住7晚。", asked=asked)
    # An evening on a date is no length of stay.
    assert not evidence_holds(Detail.DURATION, "12月1日晚开放。", asked=asked)


def test_a_contractor_asked_is_a_company_or_an_institute() -> None:
    asked = analyze("公厕提升改造由哪家施工单位负责？")
    assert Detail.ORGANISATION in asked.details and asked.organisation == "单位"
    assert not evidence_holds(Detail.ORGANISATION, "清源街道将对三座公厕实施改造。", asked=asked)
    assert evidence_holds(Detail.ORGANISATION, "由北京城建集团负责施工。", asked=asked)
    # Which office (哪个单位) is not read as a contractor.
    assert analyze("向哪个单位申请？").organisation == ""


def test_a_school_term_is_a_frequency_and_a_departure_point_a_place() -> None:
    """每学期公示一次 says how often; 从…地铁站B口发车 says where the bus is boarded."""
    fees = "伙食费按实际出勤天数结算，每学期公示一次收支情况。"
    assert evidence_holds(Detail.FREQUENCY, fees, asked=analyze("收支情况多久公示一次？"))
    bus = "每日6:40有一班免费接驳车从黄村西大街地铁站B口发车，单程约40分钟。"
    assert evidence_holds(Detail.PLACE, bus, asked=analyze("免费接驳车在哪儿坐？"))
    # A start in time is no place.
    assert not evidence_holds(Detail.PLACE, "从2027年3月起发车", asked=analyze("在哪坐车？"))


def test_a_gate_named_by_a_compass_point_the_notice_does_not_name_is_absent() -> None:
    """西门 asked of a notice on 北门 and 东门: another gate. One it names, or a place whose
    name holds a compass point (西红门), is no other gate."""
    notice = "北门、东门为车行出入口，施工安排在22:00至次日6:00进行。"
    assert absent_compass_points("金华园小区西门的门禁哪天施工？", notice) == ["西门"]
    assert absent_compass_points("金华园北门的门禁什么时间施工？", notice) == []
    assert absent_compass_points("西红门镇的门禁哪天施工？", notice) == []
    # A side is not a gate: 南侧 is another kind than the notice's 门.
    assert absent_compass_points("小区南侧停车场在哪？", notice) == []


def test_those_days_are_not_how_many_days() -> None:
    """那几天 / 这几个 point at days and things already named; 几天 alone asks how many."""
    assert Detail.DURATION not in analyze("运动会那几天小区门口还能停车吗？").details
    assert Detail.QUANTITY not in analyze("这几个网点周末开门吗？").details
    assert Detail.DURATION in analyze("审核要几天？").details
    assert Detail.QUANTITY in analyze("设了几个网点？").details


def test_a_street_number_after_a_road_section_is_an_address() -> None:
    asked = analyze("社保所的地址在哪里？")
    assert evidence_holds(Detail.PLACE, "区社保所（兴丰大街三段12号）将调整服务时间。", asked=asked)


def test_a_fee_nobody_is_charged_answers_whether_it_costs() -> None:
    asked = analyze("换燃气表要我们自己掏钱不？")
    assert Detail.AMOUNT in asked.details
    for text in (
        "本次更换的材料费用均由燃气公司承担。",
        "施工单位不向住户收取任何费用。",
    ):
        assert evidence_holds(Detail.AMOUNT, text, asked=asked), text
    assert not evidence_holds(Detail.AMOUNT, "更换时请家中留人。", asked=asked)


def test_where_something_moved_is_read_after_the_move() -> None:
    asked = analyze("驾校报名点迁到哪里了？")
    moved_from = "因报名大厅（京开路黄村段66号）装修，报名点临时迁至别的考点。"
    assert not evidence_holds(Detail.PLACE, moved_from, asked=asked)
    assert evidence_holds(Detail.PLACE, "报名点临时迁至金星路9号培训中心。", asked=asked)
    # Asked where it is, the same sentence gives the hall's address.
    assert evidence_holds(Detail.PLACE, moved_from, asked=analyze("报名大厅地址在哪？"))


def test_what_an_activity_covers_is_a_ranking_cue() -> None:
    assert analyze("社区义诊都查些啥？").scope
    assert analyze("普法讲座可以咨询哪些方面的问题？").scope
    assert not analyze("社区义诊啥时候开始？").scope
    assert ranking_cues(analyze("社区义诊都查些啥？"), "义诊项目包括血压、血糖。") == [True]
    assert ranking_cues(analyze("社区义诊都查些啥？"), "义诊于3月5日举行。") == [False]


def test_what_to_do_in_a_situation_is_a_ranking_cue() -> None:
    asked = analyze("抄表那天家里没人怎么办？")
    assert asked.remedy and not analyze("抄表是哪天？").remedy
    assert ranking_cues(asked, "如抄表时家中无人，请拨打电话另约时间。") == [True]
    assert ranking_cues(asked, "逾期未报的，视为放弃。") == [True]
    assert ranking_cues(asked, "自来水公司将于5月对小区水表进行抄读。") == [False]


def test_money_asked_by_what_it_pays_for_and_a_fee_waived_in_full() -> None:
    asked = analyze("小区装门禁，住户要不要掏安装的钱？")
    assert Detail.AMOUNT in asked.details
    assert evidence_holds(Detail.AMOUNT, "门禁由物业出资安装，不向住户收取费用。", asked=asked)
    fee = analyze("送餐需要另外付送餐费吗？")
    assert evidence_holds(Detail.AMOUNT, "每餐15元，送餐费全免。", asked=fee)


def test_whether_a_named_sum_is_charged_or_one_is_compensated_asks_an_amount() -> None:
    assert Detail.AMOUNT in analyze("充电车位要不要收占位费？").details
    assert Detail.AMOUNT in analyze("施工扰民，居民能不能得到补偿？").details
    assert Detail.AMOUNT in analyze("家里的下水管要不要自己出钱改？").details
    assert Detail.AMOUNT not in analyze("施工期间要不要绕行？").details


@pytest.mark.parametrize(
    ("question", "whether"),
    [
        ("临时避寒点可以带宠物狗一起入住吗？", True),
        ("私家车能不能在这段路边临时停车？", True),
        ("我在富强西里租房住，能办停车证不？", True),
        ("2027年下半年是否还会继续发放消费券？", True),
        ("荣京里夜市下雨天还开不开啊？", True),
        ("医保卡交了没有？", True),
        ("临时避寒点在什么地方？", False),
        ("兴58路为什么要改线", False),
        ("停水期间能洗澡不", True),
        ("这个月都不", False),
    ],
)
def test_a_clause_asking_whether_something_is_so_is_read(question: str, whether: bool) -> None:
    assert asks_whether(question) is whether
    assert analyze(question).whether is whether


@pytest.mark.parametrize(("word", "asks"), [("几点", True), ("咋办", True), ("怎么办", True)])
def test_an_interrogative_word_names_what_is_asked(word: str, asks: bool) -> None:
    """咋办 asks what to do: no sentence holds the word, so it neither makes a sentence under
    五、报名方式 the answer nor is lent to one by meaning."""
    assert asks_for_detail(word) is asks


@pytest.mark.parametrize("word", ["办理", "游泳", "测试"])
def test_a_content_word_is_not_an_interrogative(word: str) -> None:
    assert not asks_for_detail(word)


def test_which_ones_up_to_is_not_a_place_asked() -> None:
    """讲到哪些常见的骗局 asks a list, not where (到哪 of 到哪里)."""
    assert Detail.PLACE not in analyze("防诈骗讲座会讲到哪些常见的骗局？").details
    assert Detail.PLACE in analyze("避寒点搬到哪里去了？").details


def test_a_place_named_by_a_stations_lettered_exits_is_held() -> None:
    assert evidence_holds(Detail.PLACE, "封闭期间，请在A口、D口外指定区域停放共享单车。")


@pytest.mark.parametrize("question", ["征兵体检需要带几张照片？", "每户限领几桶水", "要交几份材料"])
def test_a_count_in_a_measure_word_of_things_handed_in_or_out_is_asked(question: str) -> None:
    assert Detail.QUANTITY in analyze(question).details


def test_whatever_a_sentence_says_to_bring_along_is_what_to_bring() -> None:
    """得带啥 is answered by 携带本人手机 though a phone is no document; what one may bring (可
    携带食物) or must not (禁止携带宠物) is not what to bring."""
    asked = analyze("去听防诈骗讲座要带啥不？")
    assert evidence_holds(Detail.PROCEDURE, "请参加的居民携带本人手机，提前到场签到。", asked=asked)
    optional = "建议不要吃早饭，可携带食物在检后食用。"
    assert not evidence_holds(Detail.PROCEDURE, optional, asked=asked)
    assert not evidence_holds(Detail.PROCEDURE, "园内禁止携带宠物。", asked=asked)


def test_what_need_not_be_brought_is_not_what_to_bring() -> None:
    """无需携带实体社保卡 says what to leave at home; 电子凭证 is a voucher's name, not 凭 (on
    the strength of) a document. 需要自己带什么 asks what to bring like 需要带什么."""
    asked = analyze("激活医保电子凭证得带啥？")
    opening = "医保电子凭证是参保人办理医保业务的电子身份凭证，激活后无需携带实体社保卡。"
    assert not evidence_holds(Detail.PROCEDURE, opening, asked=asked)
    assert evidence_holds(Detail.PROCEDURE, "家属需携带老人身份证原件及本人手机。", asked=asked)
    assert Detail.PROCEDURE in analyze("参加夏令营需要自己带什么东西？").details


def test_what_one_holds_when_coming_is_what_to_bring() -> None:
    """持以下材料 says what to bring as 携带 does; 持有居住证的老年人 names who qualifies."""
    asked = analyze("煤改电补贴去村里领得带啥？")
    opener = "由户主本人持以下材料到所在村委会登记："
    assert evidence_holds(Detail.PROCEDURE, opener, heading="三、申领时间及方式", asked=asked)
    assert not evidence_holds(Detail.PROCEDURE, "持有居住证的老年人可以申请。", asked=asked)


@pytest.mark.parametrize(
    "question", ["燃气表集中更换安排在哪段时间？", "意外险的保障期从什么时候到什么时候？"]
)
def test_a_span_of_days_asked_is_given_only_by_two_dates(question: str) -> None:
    """哪段时间 asks a span: 9月6日至9月30日 gives it, a lone deadline (10月8日前) does not; 在哪段
    时间 asks no place."""
    asked = analyze(question)
    assert asked.details == {Detail.DATE}
    assert evidence_holds(Detail.DATE, "2027年9月6日至9月30日，每天9:00至17:00。", asked=asked)
    insured = "保险期限为2027年4月1日零时至2028年3月31日24时。"
    assert evidence_holds(Detail.DATE, insured, asked=asked)
    assert not evidence_holds(Detail.DATE, "可在2027年10月8日前联系居委会预约补换。", asked=asked)


def test_a_span_asked_as_a_time_slot_asks_its_days_too() -> None:
    """什么时间段进行 may ask the hours (检查时间为每日上午9:00至12:00) but asks the days the
    work runs too (2026年10月12日至11月30日)."""
    assert Detail.DATE in analyze("燃气入户安全检查在什么时间段进行？").details


def test_a_day_of_the_week_asked_is_a_date_the_named_days_give() -> None:
    """礼拜几踢球 asks which days of the week: 每周六、周日进行 gives them."""
    asked = analyze("少儿足球赛是礼拜几踢啊？")
    assert asked.details == {Detail.DATE} and asked.weekday
    days = "比赛时间为7月10日至8月15日，每周六、周日进行。"
    assert evidence_holds(Detail.DATE, days, asked=asked)


def test_an_age_asked_is_given_in_years_of_age() -> None:
    """满多少岁 is answered by 年满65周岁, not by any number (15个工作日内)."""
    asked = analyze("申请助听器补贴，年龄要满多少岁？")
    age = "（二）年满65周岁（1962年12月31日前出生）；"
    assert evidence_holds(Detail.QUANTITY, age, asked=asked)
    assert not evidence_holds(Detail.QUANTITY, "复核结果在15个工作日内告知本人。", asked=asked)


def test_a_length_asked_is_given_in_units_of_length() -> None:
    """路段总共有多长 is answered by 全长约280米, not by any count (共设40个摊位)."""
    asked = analyze("兴悦家园南门积水点这次施工的路段总共有多长？")
    assert evidence_holds(
        Detail.QUANTITY, "施工范围：兴悦家园南门外至瀛海路路口，全长约280米。", asked=asked
    )
    assert not evidence_holds(Detail.QUANTITY, "共设40个摊位，每户限报1个。", asked=asked)
    # 工期是多长 asks no length.
    assert analyze("积水点改造的工期是多长？").grade_unit == ""


@pytest.mark.parametrize(
    ("sentence", "all_put_off"),
    [
        ("庞各庄镇、采育镇分校的招生工作另行通知。", True),
        ("街道还将同步开展冬季关爱活动，有关情况可向街道咨询。", True),
        ("区里还将开展试点工作，具体安排另行通知。", True),
        # A date given before the rest is put off; a contact line is no deferral.
        ("计划于2027年1月上旬回迁，具体日期另行通知。", False),
        ("如有疑问可向社区居委会咨询，电话010-69241234。", False),
    ],
)
def test_a_sentence_that_only_puts_its_matter_off(sentence: str, all_put_off: bool) -> None:
    assert puts_off_all(sentence) is all_put_off


def test_a_wait_asked_is_a_length_of_time_not_a_window_of_dates() -> None:
    """多少天能到账 asks how long until the refund arrives: 15个工作日内 says it; the dates one may
    file in (3月1日至3月20日) do not, though they hold a period for 汇算办理多长时间."""
    wait = analyze("申请退税以后，一般多少天能到账？")
    assert wait.wait and Detail.DURATION in wait.details
    window = "3月1日至3月20日期间，需按APP提示预约后办理汇算。"
    assert not evidence_holds(Detail.DURATION, window, asked=wait)
    assert evidence_holds(Detail.DURATION, "银行自受理之日起15个工作日内放款。", asked=wait)
    assert evidence_holds(Detail.DURATION, window, asked=analyze("汇算办理持续多长时间？"))


def test_which_days_are_said_by_the_days_of_a_course() -> None:
    """哪几天打 of a vaccine given on 第0、3、7、14、28天: those are the days."""
    asked = analyze("5针法分别在哪几天打？")
    assert evidence_holds(Detail.DATE, "5针法于第0、3、7、14、28天各接种1剂；", asked=asked)
    assert evidence_holds(Detail.DATE, "4针法于第0天接种2剂，第7天、第21天各接种1剂。", asked=asked)
    assert not evidence_holds(Detail.DATE, "全程共接种5剂。", asked=asked)


def test_a_wait_asked_is_not_how_long_a_paper_stays_good() -> None:
    """多久能寄到 asks how long until the licence arrives: 体检证明有效期为6个月 says how long the
    certificate is valid, no wait; it still says 证明有效期多长."""
    wait = analyze("体检合格后，新驾驶证多久能寄到家？")
    validity = "体检证明有效期为6个月。"
    assert wait.wait
    assert not evidence_holds(Detail.DURATION, validity, asked=wait)
    assert evidence_holds(Detail.DURATION, "证件将在10个工作日内寄出，有效期为6个月。", asked=wait)
    assert evidence_holds(Detail.DURATION, validity, asked=analyze("体检证明有效期多长？"))


def test_a_time_label_holds_a_date_only_with_the_days_themselves() -> None:
    """登记时间为工作日8:30至11:30 gives the hours: it holds the days asked (哪几天) only
    loosely, while 登记时间：2027年3月1日至3月20日 gives them; days that recur (每月第二个周三)
    answer when something recurs."""
    days = analyze("坟墓迁移的登记时间是哪几天？")
    hours = "坟主须到村委会登记，登记时间为工作日8:30至11:30、14:00至17:00。"
    assert hold_strength(Detail.DATE, hours, asked=days) is Hold.LOOSE
    dates = "（一）登记时间：2027年3月1日至3月20日；"
    assert hold_strength(Detail.DATE, dates, asked=days) is Hold.SPECIFIC
    monthly = analyze("爱心理发每月什么时候服务？")
    recurring = "服务时间：每月第二个周三上午8:30至11:30。"
    assert hold_strength(Detail.DATE, recurring, asked=monthly) is Hold.SPECIFIC
    # The hours themselves are a time of day held in full.
    assert hold_strength(Detail.TIME, hours, asked=analyze("登记几点能办？")) is Hold.SPECIFIC


def test_which_stations_is_answered_by_stations_named_without_the_compound() -> None:
    """哪些地铁站 of a notice naming 荣昌东街站、同济南路站: the compound kind is written by its
    last character; a sentence naming no station does not give one."""
    asked = analyze("哪些地铁站周边实行电子围栏管理？")
    assert Detail.SITE in asked.details
    stations = "地铁亦庄线荣昌东街站、同济南路站周边100米范围内实行“电子围栏”管理。"
    assert evidence_holds(Detail.SITE, stations, asked=asked)
    assert not evidence_holds(
        Detail.SITE, "共享单车须停放在施划白色停车框的电子围栏内。", asked=asked
    )


def test_where_to_see_something_is_answered_by_where_it_is_published() -> None:
    """在哪能看到片单 is answered by the official account that publishes it; asked where an
    office is, an account is no place."""
    asked = analyze("哪里可以看到完整的片单？")
    published = "完整片单每周一在“天宫院街道”微信公众号发布。"
    assert evidence_holds(Detail.PLACE, published, asked=asked)
    assert not evidence_holds(Detail.PLACE, published, asked=analyze("放映点在哪里？"))
    # Where to go to be seen by a doctor is a place, not a channel.
    assert analyze("分班名单在哪儿看？").seen_where and analyze("有没有图？上哪儿看去？").seen_where
    assert not analyze("晚上在哪看病？").seen_where


def test_what_has_happened_told_before_the_ask_asks_nothing() -> None:
    """A clause ending in a completed action before the ask tells the asker's situation (哪天不去
    吃了: any day; 散养了几只鸡: a few), unless it asks what happened (搬去哪了)."""
    assert Detail.DATE not in analyze("孩子哪天不去吃了，交的钱咋算？").details
    assert Detail.QUANTITY not in analyze("家里散养了几只鸡，得自己抱去兽医站打针不？").details
    assert Detail.DURATION not in analyze("我家有个几个月大的娃，喷药那会儿要注意啥？").details
    moved = analyze("卫生服务中心搬去哪了？工作日几点看病？").details
    assert {Detail.PLACE, Detail.TIME} <= moved
    assert Detail.DATE in analyze("哪天开始报名？").details


def test_not_being_charged_says_whether_it_costs_and_half_says_how_it_is_charged() -> None:
    """要不要掏钱 is answered by 无需承担费用 and 不另行向住户收取; 减半收取 says how a fee is
    charged (咋算), not how much it is (多少钱)."""
    for question, sentence in (
        ("换新的健身器材，社区要不要掏钱？", "新器材统一采购安装，各社区无需承担费用。"),
        ("公共管道疏通需要住户另外缴费吗？", "清掏费用从物业费中列支，不另行向住户收取。"),
        ("拆下来的砖头得自己花钱拉走不？", "建筑垃圾统一清运，当事人无需另行支付清运费。"),
    ):
        assert evidence_holds(Detail.AMOUNT, sentence, asked=analyze(question)), question
    half = "入驻商户首三个月摊位费减半收取。"
    assert evidence_holds(Detail.AMOUNT, half, asked=analyze("搬到新市场摊位费咋算？"))
    assert not evidence_holds(Detail.AMOUNT, half, asked=analyze("原来的摊位费每月多少钱？"))


def test_an_age_range_is_a_condition_of_who_may() -> None:
    asked = analyze("我41了还能报名不？")
    ages = "在大兴区内工作的未婚青年职工，年龄在22周岁至40周岁之间，学历不限。"
    assert evidence_holds(Detail.PROCEDURE, ages, asked=asked)
    assert evidence_holds(Detail.PROCEDURE, "夜观特别场面向8至14周岁的青少年；", asked=asked)
    assert not evidence_holds(Detail.PROCEDURE, "活动时间为10月17日下午。", asked=asked)


def test_where_money_goes_and_which_side_of_a_thing_are_places() -> None:
    """赔的钱打到哪儿: the account it is paid into; 安装在什么位置: which side of the gate. A
    house-number plate asked about is not an address asked."""
    paid = analyze("地里遭了灾，赔的钱打到哪儿？")
    assert evidence_holds(Detail.PLACE, "赔款直接转入农户本人银行账户，不得截留。", asked=paid)
    plate = analyze("新门牌安装在院门的什么位置？")
    assert not plate.address and analyze("门牌号是多少？").address
    fixed = "新门牌统一安装在院门右侧距地面约1.8米处。"
    assert evidence_holds(Detail.PLACE, fixed, asked=plate)
    assert not evidence_holds(Detail.PLACE, "新门牌为蓝底白字铝合金反光牌。", asked=plate)


def test_a_number_to_dial_is_no_count_sum_or_length_of_time() -> None:
    """要求是多少 is not answered by 联系电话：010-61291754, nor 最多住几晚 by a 24小时救助热线."""
    asked = analyze("征兵体检对视力的要求是多少？")
    assert not evidence_holds(Detail.QUANTITY, "人民武装部联系电话：010-61291754。", asked=asked)
    assert evidence_holds(Detail.QUANTITY, "裸眼视力不低于4.5。", asked=asked)
    nights = analyze("避寒救助点每位受助人员最多可以连续住几晚？")
    hotline = "市民发现街头露宿人员，可拨打24小时救助热线010-69283350。"
    assert not evidence_holds(Detail.DURATION, hotline, asked=nights)
    assert evidence_holds(Detail.DURATION, "每人连续入住不超过7晚。", asked=nights)


def test_pay_asked_about_roughly_is_an_amount() -> None:
    assert Detail.AMOUNT in analyze("物流岗位的月薪大概是多少？").details


def test_a_validity_asked_to_end_on_a_day_asks_a_date_not_a_length() -> None:
    """有效期到哪天为止 asks the day it ends; 有效期多久 how long it lasts."""
    assert analyze("公园年票的有效期到哪天为止？").details == {Detail.DATE}
    assert Detail.DURATION in analyze("公园年票的有效期是多久？").details


def test_the_numbers_of_a_cited_title_are_no_date_or_count_of_the_sentence() -> None:
    """《2027年度公园年票手册》 names a booklet: the sentence gives no date."""
    asked = analyze("公园年票的有效期到哪天为止？")
    booklet = "具体名单以随卡发放的《2027年度公园年票手册》为准。"
    assert not evidence_holds(Detail.DATE, booklet, asked=asked)
    assert evidence_holds(Detail.DATE, "有效期自2027年1月1日起至2027年12月31日止。", asked=asked)
    assert hold_strength(Detail.DATE, booklet, asked=asked) is Hold.NONE


def test_how_many_of_a_thing_is_counted_in_that_thing() -> None:
    """几个站 is counted by 共设站17座 or 42个居民小区 (a word between), not by 5个客流较大的站点
    (some stations of a kind): that holds the count loosely."""
    asked = analyze("兴42路一共设了几个站？")
    assert hold_strength(Detail.QUANTITY, "全长9.6公里，共设站17座。", asked=asked) is Hold.SPECIFIC
    some = "将在高米店南地铁站等5个客流较大的站点安排志愿者。"
    assert hold_strength(Detail.QUANTITY, some, asked=asked) is Hold.LOOSE
    estates = analyze("兴源热力管着多少个小区的暖气")
    held = "供热范围包括黄村镇辖区内的42个居民小区。"
    assert hold_strength(Detail.QUANTITY, held, asked=estates) is Hold.SPECIFIC
    spaces = analyze("景悦路公共停车场一共有多少个车位？")
    lot = "景悦路公共停车场（景悦路12号，共有车位260个）自2027年1月1日起调整收费标准。"
    assert hold_strength(Detail.QUANTITY, lot, asked=spaces) is Hold.SPECIFIC
