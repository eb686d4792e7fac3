"""Names of a known kind in a question, and those the sources never use."""

from __future__ import annotations

import pytest

from knowledge.answering.names import (
    absent_names,
    absent_past,
    asked_periods,
    asked_sums,
    local_names,
    names,
    names_a_person,
    names_sum,
    unknown_names,
    unknown_roles,
    unknown_things,
    unnamed_holders,
    unnamed_objects,
    unnamed_periods,
    unnamed_price_change,
    unnamed_refund,
    unnamed_repeat,
    unnamed_replacement,
    unnamed_sums,
)
from knowledge.answering.terms import TermStats


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("瀛海镇瀛悦家园安置房什么时候交房？", "瀛悦家园"),
        ("金华园小区扔垃圾是几点到几点", "金华园小区"),
        ("念坛公园今年冬天有冰雪嘉年华吗", "念坛公园"),
        ("安定镇东白塔村这次也停电吗", "白塔村"),
        ("京霸铁路哪年通车", "京霸铁路"),
        # jieba cuts a town it does not know off its kind, or into characters.
        ("西红门镇的租房补贴啥时候受理啊", "西红门镇"),
        ("榆垡镇国土空间规划什么时候征求意见", "榆垡镇"),
        # Local bodies are of a kind too: another town's police station is another one.
        ("旧宫派出所的户籍窗口也搬了不", "旧宫派出所"),
        # An estate's lane (东里, 北里) belongs to its name.
        ("枣园北里社区燃气入户安检什么时候来？", "枣园北里社区"),
        ("滨河西里社区什么时候安检", "滨河西里社区"),
    ],
)
def test_a_name_of_a_known_kind_is_read_whole(question: str, name: str) -> None:
    assert any(name in found for found, _ in names(question))


@pytest.mark.parametrize(
    "question",
    [
        "我家孩子上小学，流感疫苗去哪打",
        "去航城一小审核能把车开进学校里停吗",
        "有哪些高速公路项目",
        # Numerals and measure words are not names.
        "镇里规划要新盖几所学校",
        "家里小区停水吗",
        "规划新建多少所中小学",
        # A count of a kind is not one of it.
        "本次共招募多少名社区志愿者？",
        "这次涉及两个小区",
        # A common word and a verb before the kind (天天|跳|广场舞, 还得|跑|派出所).
        "楼下天天跳广场舞，考试那几天还让跳不？",
        "给孩子上户口还得跑派出所吗？",
    ],
)
def test_grammar_and_common_words_are_not_names(question: str) -> None:
    assert names(question) == []


def test_only_names_the_sources_never_use_count() -> None:
    stats = TermStats(
        ["瀛海镇瀛和家园定向安置房项目已通过竣工验收。", "清源社区卫生服务中心搬迁。"]
    )
    assert unknown_names("瀛悦家园什么时候交房", stats) == ["瀛悦家园"]
    assert unknown_names("瀛和家园什么时候交房", stats) == []
    # The sources use the modifier: a resident's own name for something they speak of.
    assert unknown_names("清源社区医院搬到哪了", stats) == []


def test_a_modifier_holding_a_kind_word_is_two_names() -> None:
    # 高米店街道|郁花园: the street office and an estate, not an estate named 街道郁.
    assert all("街道郁" not in found for found, _ in names("高米店街道郁花园那个服务站在哪"))


def test_a_verb_glued_to_a_known_name_does_not_make_it_unknown() -> None:
    stats = TermStats(["兴悦幼儿园2026年秋季招生简章。"])
    # jieba may read 报兴悦 as one word; the sources use 兴悦幼儿园 whole.
    assert unknown_names("租房住的，报兴悦幼儿园要交啥证明？", stats) == []
    assert unknown_names("兴华幼儿园啥时候报名", stats) == ["兴华幼儿园"]


def test_a_local_name_the_answering_notice_never_uses_is_absent_from_it() -> None:
    notice = "清源街道2026年度市场租房补贴申请指南\n清源街道现开展租房补贴申请受理工作。"
    assert absent_names("西红门镇的租房补贴啥时候受理啊", notice) == ["西红门镇"]
    assert absent_names("清源街道的租房补贴啥时候受理", notice) == []
    window = "瀛海派出所户籍窗口临时搬迁至瀛海镇政务服务中心办公。"
    assert absent_names("旧宫派出所的户籍窗口也搬了不", window) == ["旧宫派出所"]
    # A university or a railway is named in passing: left to the corpus-wide check.
    assert absent_names("多伦多大学是知名研究型大学吗", "多伦多大学创立于1827年。") == []


def test_a_role_the_sources_never_use_has_no_holder_in_them() -> None:
    stats = TermStats(["名家讲座：京南运河文化漫谈。", "如有疑问请联系物业服务中心负责人。"])
    assert unknown_roles("运河文化讲座的主讲人是谁？", stats) == ["主讲人"]
    assert unknown_roles("幼儿园园长叫什么名字", stats) == ["园长"]
    # A role the sources use is left to the other checks; "who said this" names no role.
    assert unknown_roles("物业服务中心负责人是谁", stats) == []
    assert unknown_roles("民为贵，社稷次之，君为轻这句话是谁说的？", stats) == []


def test_a_thing_asked_to_exist_that_the_sources_never_name_is_unknown() -> None:
    stats = TermStats(["新院区设有内科、外科和口腔科，就诊患者停车前2小时免费。"])
    assert unknown_things("西红门分院新院区有皮肤科吗？", stats) == ["皮肤科"]
    assert "核磁共振" in unknown_things("新院区能做核磁共振检查吗", stats)
    assert "冰刀" in unknown_things("冰雪季能租冰刀吗，租金多少？", stats)
    # A thing the sources name, a wh-question, or an activity rather than a thing: not read.
    assert unknown_things("新院区有口腔科吗", stats) == []
    assert unknown_things("以旧换新补贴最多能补到新车价格的多少？", stats) == []
    assert unknown_things("领导层面跟周边有没有定期碰头开会的", stats) == []
    # A fee whose last character the tagger reads as a verb (开通|费) is a thing; looked for in
    # the answering notice (``known``), though another notice names 燃气.
    index = TermStats(["燃气入户安全检查。", "新院区设有内科、外科和口腔科。"])
    notice = "新院区设有内科、外科和口腔科。"
    found = unknown_things("新院区有没有燃气开通费？", index, known=lambda t: t in notice)
    assert "燃气" in found
    # So is a pile the tagger reads as a measure word (充电|桩).
    assert "充电" in unknown_things("新院区停车场有没有充电桩？", stats)


def test_a_thing_asked_to_exist_may_be_a_fairly_common_word() -> None:
    """中医 (IDF 7.6) and 保险 (6.2) are words the coverage check lets a resident use for what the
    sources say otherwise; asked to exist, and unnamed by the notice, they are missing. 变化 (a
    word of any question) is not read so."""
    stats = TermStats(["家庭医生团队由全科医生、护士和公共卫生医生组成，首末班车时间不变。"])
    assert "中医" in unknown_things("家庭医生团队里有没有中医大夫？", stats)
    assert "保险" in unknown_things("参加演练要是不小心受伤了，有保险吗？", stats)
    assert unknown_things("首末班车时间有变化吗？", stats) == []


def test_local_names_are_the_places_a_text_names() -> None:
    text = "燃气公司将对黄村镇康庄社区、兴政社区开展检查。"
    assert [n for n, _ in local_names(text)] == ["康庄社区", "兴政社区", "黄村镇"]
    assert local_names("检查时间为每日上午9:00至12:00。") == []


def test_the_sums_a_question_names_are_read_and_found_by_their_kind() -> None:
    assert asked_sums("義務兵家庭優待金每年具體能拿多少錢？") == ("优待金",)
    assert asked_sums("停车怎么收费") == ()  # money in general names no sum
    assert names_sum("暖气费", "居民供暖费按建筑面积计收")
    assert names_sum("停车费", "关于景悦路公共停车场收费标准调整的公告")
    assert not names_sum("优待金", "本专科生每人每年最高不超过16000元。")


def test_replacing_a_lost_card_is_told_only_where_losing_one_is() -> None:
    issuing = "申请人须提交以下材料：身份证、户口簿、残疾证。"
    assert unnamed_replacement("残疾证弄丢了咋补办？", issuing) == ["补办"]
    assert unnamed_replacement("養犬登記證丟了怎麼辦", issuing) == ["补办"]
    assert unnamed_replacement("养老卡能挂失吗", issuing) == ["挂失"]
    assert unnamed_replacement("残疾证丢了怎么补办", "证件遗失的，可到窗口补办。") == []
    assert unnamed_replacement("残疾证怎么办理", issuing) == []


def test_a_sum_the_notice_never_names_is_not_said() -> None:
    notice = "在电子围栏外违规停车的用户，骑行企业将加收调度费每次5元。"
    assert unnamed_sums("博兴街道共享单车的骑行起步价是多少钱？", notice) == ["起步价"]
    assert unnamed_sums("骑共享单车要交多少押金？", notice) == ["押金"]
    # Named, or named by a word of its kind sharing a character: 供暖费 for 暖气费, 物业服务费
    # for 物业费; and money in general (收费, 免费) is no sum's name.
    assert unnamed_sums("调度费是多少", notice) == []
    assert unnamed_sums("暖气费多少钱一平米", "居民供暖费按建筑面积计收，每平方米30元。") == []
    assert unnamed_sums("瀛和家园物业费怎么收？", "须预交一年物业服务费，每平方米2.1元。") == []
    assert unnamed_sums("停车怎么收费", notice) == []
    # A ticket is a sum too, also when jieba glues it to 价格.
    park = "园内停车场小型车每小时5元。"
    assert unnamed_sums("清泽湖公园的门票价格是多少", park) == ["门票"]
    assert unnamed_sums("门票多少钱", "公园免收门票。") == []
    # Compensation is not a subsidy: a notice of 补贴 does not say what 补偿 is paid.
    subsidy = "区财政按每部电梯24万元的标准给予补贴。"
    assert unnamed_sums("一楼业主不同意加装电梯的话，能拿到多少补偿？", subsidy) == ["补偿"]
    assert unnamed_sums("拆迁补偿标准是多少", "拆迁补偿按每平方米8000元执行。") == []
    # Wages are a sum: a fee disclosure that counts the guards does not say what they earn.
    staff = "物业服务中心现有保安、保洁、客服等工作人员共42人，人员费用148.2万元。"
    assert unnamed_sums("小区保安每个月工资是多少？", staff) == ["月工资"]
    assert unnamed_sums("拖欠的工资能补多少？", "督促用人单位足额支付拖欠工资。") == []


def test_a_role_asked_by_name_needs_someone_named() -> None:
    """A notice that has lawyers on duty does not say who they are."""
    duty = "工作站增加律师值班时段，每周二、周四由执业律师现场值班。"
    asked = "法律服务工作站的值班律师都叫什么名字？"
    assert unnamed_holders(asked, duty) == ["律师的姓名"]
    assert unnamed_holders(asked, duty + "联系人：王律师，电话010-69240375。") == []
    assert unnamed_holders("报名志愿者的联系人是谁？", "联系人刘晓东，电话010-69240375。") == []
    # Who may come (接种对象) is a condition, not a person's name.
    assert unnamed_holders("流感疫苗的接种对象是谁？", "接种对象为60周岁以上老人。") == []
    # A role the notice never uses is unknown_roles' to say.
    assert unnamed_holders("幼儿园园长叫什么名字", duty) == []


def test_a_person_is_named_by_a_title_or_a_full_name() -> None:
    assert names_a_person("请联系刘女士。") and names_a_person("咨询人：刘晓东。")
    # Places and words jieba's tagger reads as names are not people.
    assert not names_a_person("黄村镇政府东侧高峰时段禁止停车，张贴通知。")
    assert not names_a_person("请到马家堡社区服务站办理。")


def test_a_place_asked_to_exist_is_read_by_what_it_is_for() -> None:
    """有没有避寒的地儿: the sources must name 避寒, not 地儿 (a resident's word for a place)."""
    stats = TermStats(["全区共设3处避寒救助点。", "德茂公园北门停车场：快充桩8个。"])
    assert unknown_things("采育那边有没有避寒的地儿？", stats) == []
    assert unknown_things("充电站有没有洗车的地方？", stats) == ["洗车"]
    # 那几个 points at the stations the notice lists; it asks nothing.
    assert unknown_things("旧宫那几个充电站有洗车的地方不？", stats) == ["洗车"]
    assert unknown_things("旧宫有几个充电站有洗车的地方？", stats) == []


def test_a_comparison_with_last_year_needs_last_year_spoken_of() -> None:
    notice = "基础补贴每亩120元。当年实际种植小麦的，每亩再增加补贴50元。"
    assert absent_past("今年地力补贴比去年涨了多少啊？", notice) == ["比去年"]
    assert absent_past("今年地力补贴比去年涨了多少啊？", notice + "较去年提高10元。") == []
    assert absent_past("地力补贴每亩多少钱？", notice) == []


def test_a_sum_jieba_cuts_in_two_is_still_asked() -> None:
    """拖车|费|要付: the fee's last character alone, or glued to the word after it."""
    assert asked_sums("违停被拖车，拖车费要付多少？") == ("拖车费",)
    assert asked_sums("押金要交多少") == ("押金",)
    assert asked_sums("一个人交多少钱") == ()
    # 免费 names no fee: a car park free to use does not name a towing fee.
    assert not names_sum("拖车费", "两处临时停车场，免费停放。")
    assert names_sum("暖气费", "供暖费每平方米30元。")


def test_a_thing_asked_to_be_shown_or_taken_must_be_named() -> None:
    """需要出示身份证吗, 能刷医保卡不, 是否免费提供厕纸: a notice that never names the thing does
    not say it is needed, taken or given."""
    stats = TermStats(["救助点免费提供热饭、热水和棉被。", "药房实行24小时营业。"])
    assert unknown_things("進避寒救助點需要出示身分證嗎？", stats) == ["身份证"]
    assert unknown_things("兴丰那个24小时药房能刷医保卡不？", stats) == ["医保卡"]
    assert unknown_things("改造后的公厕是否免费提供厕纸？", stats) == ["厕纸"]
    # What the sources do name is left to the other checks.
    assert unknown_things("救助点免费提供棉被吗？", stats) == []


def test_only_the_clauses_asking_an_amount_name_the_sums_asked() -> None:
    """包不包含水费 asks whether a fee covers water, not what water costs; 多少钱 alone asks
    the price of the sum the clause before names."""
    assert asked_sums("活动室租金多少钱，包不包含水费？") == ("租金",)
    assert asked_sums("停车费多少钱，能用什么方式缴费？") == ("停车费",)
    assert asked_sums("游泳要押金吗？多少钱？") == ("押金",)


def test_a_thing_asked_to_be_handed_out_that_the_sources_never_name_is_unknown() -> None:
    stats = TermStats(["义诊现场免费测量血压，暑期托管班每人收费800元。", "消费券限本人使用。"])
    assert "眼药水" in unknown_things("义诊现场能免费发眼药水吗？", stats)
    assert "化验单" in unknown_things("义诊完了能给个化验单不？", stats)
    assert "午饭" in unknown_things("义诊那天管午饭不？", stats)
    assert "病假条" in unknown_things("义诊能开病假条吗？", stats)
    # Given to someone, or 管 inside a word (托管班): no thing asked to exist.
    assert unknown_things("消费券能送给我爸用不？", stats) == []
    assert unknown_things("暑期托管班要交钱吗？", stats) == []


def test_a_fine_asked_without_its_name_is_a_penalty_sum() -> None:
    """会被罚多少钱 asks a fine's amount: a notice that only forbids names none; a late fee
    (滞纳金) is a penalty of another name."""
    assert asked_sums("楼道里堆杂物会被罚多少钱？") == ("罚款",)
    assert unnamed_sums("楼道里堆杂物会被罚多少钱？", "禁止在楼道内堆放杂物。") == ["罚款"]
    assert unnamed_sums("借书还晚了罚多少钱？", "逾期归还的，每册每天收取滞纳金0.1元。") == []


def test_a_card_to_pay_with_a_thing_to_get_done_and_a_long_thing_asked_to_exist() -> None:
    stats = TermStats(["政务服务中心可办理居住证签注、社保卡补换。", "午餐每份15元。"])
    assert "助残" in unknown_things("午餐能不能用养老助残卡支付？", stats)
    assert "护照" in unknown_things("政务服务中心能办护照吗？", stats)
    assert "绿色通道" in unknown_things("政务服务中心有没有帮办代办或者老年人绿色通道？", stats)
    # 能办理 asks a procedure, not whether a thing exists.
    assert unknown_things("能办理居住证签注吗？", stats) == []


def test_a_change_of_price_asked_of_a_notice_that_gives_only_today_s_is_missing() -> None:
    """物业费会不会涨价 of a fee disclosure: it gives today's fee, not a rise; a notice that
    speaks of an adjustment (调整, 上调) does say."""
    today = "现行物业服务收费标准为：多层住宅每月每平方米1.20元。"
    assert unnamed_price_change("2027年物业费会不会涨价？", today) == ["价格调整"]
    assert unnamed_price_change("水费单价会不会涨啊？", today) == ["价格调整"]
    assert unnamed_price_change("物业费会不会涨价？", "物业费自2027年起上调至1.5元。") == []
    # Not a price asked: 降温 is the weather.
    assert unnamed_price_change("明天会降温吗？", today) == []


def test_a_refund_asked_of_a_notice_that_never_speaks_of_refunds_is_missing() -> None:
    fees = "游泳票每张30元，请在入口处购票。"
    assert unnamed_refund("游泳票买了去不了，能退票吗？", fees) == ["退票"]
    assert unnamed_refund("报名费交了能退不？", fees) == ["退款"]
    assert unnamed_refund("报名费交了能退不？", "因故未参加的，报名费全额退还。") == []
    # 退役, 退休: no refund asked.
    assert unnamed_refund("退役军人能参加吗？", fees) == []


def test_doing_it_again_asked_of_a_notice_that_never_speaks_of_it_is_missing() -> None:
    """前年做过一次，今年还能再申请吗: a notice of this year's applications does not say whether
    earlier applicants may apply again; one that says 已享受过的不再重复申请 does."""
    notice = "申请时间为2027年4月1日至9月30日，名额有限，额满即止。"
    question = "前年已经做过一次适老化改造，今年还能再申请吗？"
    assert unnamed_repeat(question, notice) == ["还能再申请"]
    assert unnamed_repeat(question, "已享受过改造补贴的家庭不再重复申请。") == []
    assert unnamed_repeat("今年还能申请吗？", notice) == []


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("金星苑新装的智能水表坏了，保修期是几年？", ("保修期",)),
        ("退役军人优待证的有效期是几年？", ("有效期",)),
        ("大兴区冬季临时避寒点的开放期是从什么时候到什么时候？", ("开放期",)),
        # Calendar words are not periods a notice names (5月1日至5日放假).
        ("五一假期有几天", ()),
        ("2026年秋季学期的开学日期是哪天?", ()),
        # Not asked how long: 有效期 named beside another question.
        ("有效期内能退票吗", ()),
        # How long asked of a specific word, ending the clause: the word names the period.
        ("新换的智能燃气表保修几年？", ("保修",)),
        ("新电池保固多久", ("保固",)),
        # ... not of a step (交上去多久能审完: until 审完), nor of a common word (毛病多久).
        ("租房补贴交上去多久能审完", ()),
        ("验房查出毛病多久给修好", ()),
    ],
)
def test_the_named_periods_asked_are_read(question: str, periods: tuple[str, ...]) -> None:
    assert asked_periods(question) == periods


def test_a_period_the_document_never_names_is_unnamed() -> None:
    document = "因小区现有机械水表使用年限已超过6年，自来水公司将免费更换智能水表。"
    assert unnamed_periods("智能水表的保修期是几年？", document) == ["保修期"]
    assert unnamed_periods("停车证的有效期是多长时间？", "停车证有效期为一年。") == []
    # A period of the same kind sharing a character before its 期 names it (试运行期).
    assert unnamed_periods("夜间门诊运行期有多长？", "夜间门诊试运行期为三个月。") == []
    # A time limit asked when is a window of days, given under the document's own name.
    window = "申请时间为2027年4月12日至6月30日。"
    assert unnamed_periods("助听器补贴的受理期限是哪段时间？", window) == []
    assert unnamed_periods("智能水表的保修期是几年？", window) == ["保修期"]


def test_and_what_of_it_is_no_question_of_whether_a_thing_exists() -> None:
    """街道城管办的电话呢 asks for the office's number (城管 is no 管饭不); 有皮肤科吗 still asks
    whether there is one."""
    notice = "施工现场负责人：010-69257716；兴丰街道城市管理办公室：010-69240382。"
    stats = TermStats([notice, "另一份通知：咨询电话010-69240000。"])

    def in_notice(word: str) -> bool:
        return word in notice

    asked = "施工现场负责人的电话是多少？街道城管办的电话呢？"
    assert unknown_things(asked, stats, known=in_notice) == []
    assert unknown_things("社区医院有皮肤科吗？", stats, known=in_notice) == ["皮肤科"]


def test_is_there_asked_as_shi_bu_shi_you_asks_a_thing_to_exist() -> None:
    """是不是有…的专业裁判 asks whether there are such referees, as 有没有 does."""
    stats = TermStats(["比赛地点为旧宫镇全民健身中心足球场。", "裁判 专业 国家 证书 等级"])

    def in_notice(word: str) -> bool:
        return word in "比赛地点为旧宫镇全民健身中心足球场。"

    asked = "足球联赛的裁判是不是有国家等级证书的专业裁判？"
    assert "裁判" in unknown_things(asked, stats, known=in_notice)


def test_what_follows_an_explicit_opener_is_asked_to_exist_whatever_its_last_word() -> None:
    """有没有课后托管 / 提供不提供延时托管: a service named by its verb (托管) is asked to exist as
    much as 皮肤科 is; …开会的 stays an activity."""
    stats = TermStats(["2027年9月1日至9月30日每个上学日，学校周边道路实施交通管制。"])
    assert "课后" in unknown_things("第一小学开学后有没有课后托管，每天几点放学？", stats)
    assert "延时" in unknown_things("幼儿园提供不提供延时托管，下午几点接孩子？", stats)
    assert unknown_things("领导层面跟周边有没有定期碰头开会的", stats) == []
    # Without the opener a verb asks about an activity, not a thing (能延时托管吗 is left to
    # the other checks).
    assert unknown_things("学校能延时托管吗", stats) == []


def test_a_thing_asked_about_that_the_notice_never_speaks_of_is_missing() -> None:
    """能用洗衣机吗 of a notice that lists drinking water and hot meals: no character of 洗衣机 is
    in it, so it does not say; a notice that names the machine does."""
    station = "驿站提供饮用水和热饭服务，开放时间为9:00至21:00。"
    assert unnamed_objects("驿站能用洗衣机吗？", station) == ["洗衣机"]
    assert unnamed_objects("驿站能用洗衣机吗？", "驿站提供饮用水、洗衣机和热饭服务。") == []
    assert unnamed_objects("换了新机顶盒以后能看多少个频道？", "新机顶盒可回看7天内的节目。") == [
        "频道"
    ]
    both = unnamed_objects("新牌匾对颜色和字体有要求吗？", "新设置牌匾须提前备案。")
    assert both == ["颜色", "字体"]


def test_a_one_character_thing_the_notice_never_speaks_of_is_missing() -> None:
    """能带猫进去吗 of a notice on a dogs' area: 猫 is not in it; a notice writing 犬 speaks of
    狗 (the thesaurus's synonym), and a character jieba cut from a word (相比|邻) or from a
    compound whose first part the notice names (门诊|楼) is no thing."""
    dogs = "宠物友好区设小型犬和中型犬活动区，携带犬只的游客须全程牵绳。"
    assert unnamed_objects("宠物友好区能带猫进去吗？", dogs) == ["猫"]
    assert unnamed_objects("宠物友好区能带狗进去吗？", dogs) == []
    assert unnamed_objects("上莱茵省的南侧与哪一个国家相比邻？", "南侧与瑞士接壤。") == []
    assert unnamed_objects("跑门诊楼挂号吗？", "挂号、缴费均在发热门诊内完成。") == []


def test_money_reaching_the_account_is_said_where_a_notice_says_it_is_paid_in() -> None:
    """到账 asked: a notice that pays the money into a card speaks of it; one that only says
    the refund is applied for does not."""
    asked = "补贴什么时候到账？"
    paid_in = "每季度发放一次，于每季度首月20日前打入申请人银行卡。"
    assert unnamed_objects(asked, paid_in) == []
    assert unnamed_objects(asked, "津贴统一发放至老年人本人的养老助残卡中。") == []
    assert unnamed_objects(asked, "申请退税需携带本人名下的境内银行卡。") == ["账"]


def test_a_thing_whose_first_character_the_notice_never_uses_is_missing() -> None:
    """宠物 of a notice on warming points: 物 is there only in 物品, 宠 nowhere; a thing the
    thesaurus files among things is then not said. Not an abstract word (任期), nor a verb
    and its object (拿药 where the notice says 取药)."""
    warming = "取暖点免费提供热水、姜汤和常用感冒药品，请勿携带贵重物品。"
    assert unnamed_objects("临时取暖点可以带宠物进去吗？", warming) == ["宠物"]
    assert unnamed_objects("看完病拿药还得跑门诊楼不？", "缴费、取药均在发热门诊内完成。") == []
    reign = "路易九世在位期间，法国经济繁荣。"
    assert unnamed_objects("路易九世在其任期的哪一个阶段经济繁荣？", reign) == []


def test_a_noun_that_is_not_the_thing_asked_is_not_missing() -> None:
    # The kind a question word opens: its answer names one of the kind (a number, not 号码).
    assert unnamed_objects("咨询打哪个号码？", "咨询电话：010-69256830") == []
    # A setting (手机上: the notice says 小程序), those who (坐轮椅的), a predicate (还算数吗).
    online = "残疾人补贴可通过京通小程序在线申请。"
    assert unnamed_objects("残疾人补贴能在手机上申请不？", online) == []
    assert unnamed_objects("坐轮椅的咋进站？", "需使用无障碍电梯的乘客可由D口进出站。") == []
    assert unnamed_objects("签约的家庭医生搬家后还算数吗？", "家庭医生签约关系保持不变。") == []
    # The asker's situation, told before the clause that asks.
    assert unnamed_objects("我妈瘫在床上出不了门，理发能上门不？", "可预约上门理发。") == []
    # One of examples of which the notice names another (水产、粮油 for 鱼虾、粮油).
    market = "蔬菜、水产、粮油等经营品类保持不变。"
    assert unnamed_objects("市场还卖鱼虾、粮油这些吗？", market) == []
    assert unnamed_objects("市场还卖鱼虾吗？", market) == ["鱼虾"]


def test_a_word_jieba_guessed_across_two_is_not_a_missing_thing() -> None:
    """激光|笔照|飞机: jieba, not knowing 激光笔, guesses 笔照; the sources say 激光笔, so nothing
    unnamed is asked. A thing the sources never name is still missing (无人机)."""
    stats = TermStats(["禁止使用激光笔等强光照射航空器。"])
    assert unknown_things("区域内能用激光笔照飞机吗？", stats) == []
    assert unknown_things("区域内能用无人机吗？", stats) == ["无人机"]
