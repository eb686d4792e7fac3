from __future__ import annotations

import pytest

from knowledge.answering.terms import (
    SYNONYM_SUPPORT,
    TermStats,
    _peeled,
    calendar_forms,
    content_terms,
    coverage,
    ends_in_noun,
    is_calendar_word,
    region_forms,
    term_support,
)


def test_function_words_and_interrogatives_are_dropped() -> None:
    terms = content_terms("请问大兴的燃煤会不会压减呢？")
    assert "燃煤" in terms and "压减" in terms
    assert not {"请问", "大兴", "会", "呢", "会不会"} & set(terms)


def test_a_distributive_is_no_term() -> None:
    # 每个 would match 每个个人或团队限报1个节目 as well as 每月25日前到账.
    assert "每个" not in content_terms("这笔钱每个月啥时候能到账？")
    assert "孩子" in content_terms("育儿补贴每个孩子每年发多少钱？")


def test_a_masked_personal_number_is_not_a_term() -> None:
    """Residents give their number in the same message; it arrives masked (records/privacy.py)."""
    assert content_terms("我的号码是138****5678，请问京霸铁路什么时候建？") == content_terms(
        "我的号码是，请问京霸铁路什么时候建？"
    )
    assert "138" not in content_terms("我的号码是138****5678")


def test_an_auxiliary_the_guesser_glued_to_a_word_is_peeled_off() -> None:
    """jieba's guesser joins the single characters its dictionary lacks (最多能, 我妈用)."""
    assert content_terms("一个人最多能报几门课？")[0] == "最多"
    assert "我妈" in content_terms("我领的券能送给我妈用不？")
    # A peel that would leave one character keeps the word whole: its parts still find the noun.
    assert "河要" in content_terms("哪几条跨界的河要一起治")
    # 我们 is no pronoun glued on (我们|村要 is cut apart already; 我们村 stays whole).
    assert _peeled("我们村") == "我们村"


def test_a_guessed_word_of_function_characters_alone_is_no_term() -> None:
    """jieba's guesser glues 会往, 还会, 我能 together; as unknown words they would weigh like
    the rarest words of the question, so the sentence naming the subject covered half of it."""
    assert content_terms("科研机构会往大兴搬吗") == ["科研机构"]
    assert "还会" not in content_terms("明年春季還會再舉辦消防疏散演練嗎？")
    assert "我能" not in content_terms("电动车换新补贴我能领好几次吗")


def test_a_shortened_word_is_found_written_out_in_full() -> None:
    """Residents shorten (个体户, 保教费, 禁停); notices write the word out (个体工商户, 保育教育费,
    禁止停车): found, as a synonym is."""
    assert term_support("个体户", "个体工商户可通过以下任一方式报送") == SYNONYM_SUPPORT
    assert term_support("保教费", "保育教育费按月收取") == SYNONYM_SUPPORT
    assert term_support("禁停", "瓜乡路双向禁止停车") == SYNONYM_SUPPORT
    # Not across punctuation, and not with whole words between the characters.
    assert term_support("个体户", "个体，工商户") < SYNONYM_SUPPORT
    assert term_support("保费", "保障居民基本医疗需求的费用") < SYNONYM_SUPPORT


def test_a_nouns_last_character_is_joined_again_where_the_sources_use_the_whole() -> None:
    """jieba cuts 预约|号; a notice that says 每个预约号限入园5人 is told apart by the whole."""
    question = "一个预约号能进去几个人啊？"
    assert "预约号" in content_terms(question, known=lambda word: word == "预约号")
    assert "预约" in content_terms(question, known=lambda word: False)
    assert "预约" in content_terms(question)
    # Asked twice, counted once.
    twice = content_terms("预约号怎么取，一个预约号几个人", known=lambda word: word == "预约号")
    assert twice.count("预约号") == 1 and "预约" not in twice
    # A period and a form are nouns of the word before them too (公示|期, 报名|表).
    assert "公示期" in content_terms("公示期是从哪天到哪天？", known=lambda word: word == "公示期")
    assert "报名表" in content_terms("报名表在哪领？", known=lambda word: word == "报名表")
    # Only a character that makes a noun: 所 in 国家所举行 is grammar.
    assert "国家" in content_terms("在哪一个国家所举行？", known=lambda word: True)


def test_a_not_a_questions_lose_the_yes_no_form() -> None:
    assert content_terms("S6线还建不建") == ["s6"]
    assert content_terms("能去河北开个分店不") == ["河北", "开个", "分店"]


@pytest.mark.parametrize(
    ("term", "evidence", "support"),
    [
        ("京霸", "建设京霸铁路", 1.0),
        ("高速公路", "建设京台高速", 0.5),
        ("印刷厂", "引导机械、印刷等一般性制造业", 2 / 3),
        ("公租房", "建设京台高速", 0.0),
    ],
)
def test_term_support_is_the_longest_part_found(term: str, evidence: str, support: float) -> None:
    assert term_support(term, evidence) == pytest.approx(support)


def test_coverage_normalizes_the_evidence() -> None:
    assert coverage(["s6"], "推进市郊铁路Ｓ６线建设") == [1.0]


def test_coverage_reads_evidence_given_in_pieces_as_one_text() -> None:
    # The engine passes a sentence, its paragraph and its headings apart (each folded once).
    terms = ["京霸", "铁路", "s6", "城际铁路"]
    pieces = ("建设京霸鐵路，", "推进市郊铁路Ｓ６线", "（二）交通")
    assert coverage(terms, *pieces) == coverage(terms, "".join(pieces)) == [1.0, 1.0, 1.0, 0.5]


def test_thesaurus_synonyms_count_as_found_but_not_loose_relatives() -> None:
    from knowledge.answering import thesaurus

    assert "就诊" in thesaurus.synonyms("看病")
    assert term_support("看病", "急需就诊的居民可前往医院") == 0.8
    # 养猪/养鸡 share a 词林 group of one kind (#), not of one meaning (=).
    assert "养鸡" not in thesaurus.synonyms("养猪")


def test_days_of_the_week_are_found_in_any_spelling() -> None:
    assert term_support("星期天", "每周一至周六开餐，周日及法定节假日暂停供餐。") == 1.0
    assert term_support("周末", "周六、周日照常开展。") == 1.0
    assert term_support("礼拜三", "每周三上午接种。") == 1.0
    # Only days: 周年 and 周岁 are no day of the week, nor 周一 in 每周一次 or 周天 in 本周天气.
    assert calendar_forms("周年") == () and calendar_forms("周岁") == ()
    assert term_support("星期一", "每周一次巡查。") < 1.0
    assert term_support("星期天", "本周天气晴好。") < 1.0


def test_a_locative_jieba_glued_to_a_one_character_thing_is_no_word() -> None:
    """自查那个表上哪儿去拿: 表上 is the form, not a rare word the sources lack; 线上 is a word."""
    assert content_terms("自查那个表上哪儿去拿？") == ["自查"]
    assert "线上" in content_terms("有没有线上直播？")
    # So is a pronoun glued to one character (我车): the character, too ambiguous to count.
    assert "我车" not in content_terms("我车平时停南边消防通道，啥时候前得挪走？")


def test_a_festival_is_found_by_its_everyday_or_calendar_name() -> None:
    assert term_support("大年三十", "2027年2月5日（除夕）冰场闭场一天。") == 1.0
    assert term_support("劳动节", "五一期间照常开放。") == 1.0
    assert term_support("除夕", "春节期间闭馆。") < 1.0


def test_a_province_is_found_by_its_short_name_in_compounds() -> None:
    assert term_support("河北", "沿机场周边、京冀交界处建设大尺度森林景观。") == 1.0
    assert term_support("天津", "推动京津冀协同发展。") == 1.0
    assert term_support("河北省", "津冀两地共建园区。") == 1.0
    # A short name alone is a common character: 津贴 is no 天津.
    assert term_support("天津", "发放高温津贴。") < 1.0
    assert region_forms("河南") == ()


def test_a_word_the_sources_write_another_way_is_known() -> None:
    stats = TermStats(["周六、周日照常开展。", "京冀交界处"])
    assert stats.known("周末") and stats.weight("周末") > 0
    assert stats.known("河北")


def test_a_phrase_names_a_thing_when_it_ends_in_a_noun() -> None:
    assert ends_in_noun("德茂公园北门停车场") and ends_in_noun("新型显示产业")
    # A clause that opens a sentence (停用期间，为保障安全，) names no thing.
    assert not ends_in_noun("停用期间") and not ends_in_noun("为保障安全")


def test_a_place_name_jieba_cut_one_character_early_is_regrouped_as_the_sources_write_it() -> None:
    """魏善|庄考 (jieba's guess) is 魏善庄|考 when the sources name 魏善庄."""
    stats = TermStats(["考生请到魏善庄考试点参加科目二考试。"])
    assert content_terms("去魏善庄考科目二在哪坐车", known=stats.known)[0] == "魏善庄"
    # Without the sources' words, jieba's guess stands.
    assert content_terms("去魏善庄考科目二在哪坐车")[:2] == ["魏善", "庄考"]


def test_a_dictionary_word_that_cuts_a_name_the_sources_use_is_regrouped() -> None:
    """在大|兴办 (兴办, to found, a word of the dictionary) is 在大兴|办 when the sources say
    大兴 and never 兴办; 停|水能 is 停水|能."""
    stats = TermStats(["大兴区退役军人事务局办理优待证。", "小区停水期间请储水。"])
    assert "兴办" not in content_terms("在大兴办退役军人优待证得带啥？", known=stats.known)
    assert "兴办" in content_terms("在大兴办退役军人优待证得带啥？")
    assert content_terms("这次停水能减免水费吗？", known=stats.known)[:2] == ["这次", "停水"]
    # A word the sources use stands (兴办 in them).
    used = TermStats(["大兴区兴办企业需提交材料。"])
    assert "兴办" in content_terms("在大兴办企业要什么材料", known=used.known)


def test_a_noun_s_last_character_glued_to_the_next_word_is_given_back() -> None:
    """应急|包有 (jieba's guess glues 包 to 有) is 应急包|有 when the sources write 应急包 and
    never 包有; 公示|期是 is 公示期|是."""
    stats = TermStats(["每户可领取家庭应急包1个。", "公示期为7天。"])
    assert "应急包" in content_terms("应急包有多重？", known=stats.known)
    assert "公示期" in content_terms("分配方案的公示期是哪几天？", known=stats.known)
    assert "包有" in content_terms("应急包有多重？")
    # A guessed word the sources use stands.
    used = TermStats(["家庭应急包有16种物品。"])
    assert "包有" in content_terms("应急包有多重？", known=used.known)


def test_a_guessed_word_a_character_short_takes_it_back_from_the_dictionary_word() -> None:
    """防走|失手|环 (jieba guesses 防走, then finds the dictionary word 失手) is 防走失|手环
    when the sources write 防走失 and 手环 and never 失手."""
    stats = TermStats(["为老年人免费发放防走失定位手环。", "手环具备实时定位功能。"])
    terms = content_terms("防走失手环什么时候可以申请？", known=stats.known)
    assert terms[:2] == ["防走失", "手环"]
    assert "失手" in content_terms("防走失手环什么时候可以申请？")
    # A word the sources use stands.
    used = TermStats(["防走失手环失手摔坏的，补办需自付成本费。"])
    assert "失手" in content_terms("防走失手环什么时候可以申请？", known=used.known)


def test_single_characters_the_sources_write_as_one_word_are_joined() -> None:
    """回|看 (two characters jieba leaves apart, each too ambiguous to count alone) is the word
    回看 when the sources write it; function characters are never joined (能|回)."""
    stats = TermStats(["高清机顶盒可回看7天内播出的节目。"])
    assert "回看" not in content_terms("新机顶盒能回看几天的节目？")
    joined = content_terms("新机顶盒能回看几天的节目？", known=stats.known)
    assert "回看" in joined and not any("能" in t for t in joined)


def test_a_number_is_found_only_as_a_whole_number() -> None:
    """7 (of 7号楼, which jieba cuts 7|号楼) is not in 2027年, nor in 17号楼."""
    assert term_support("7", "2027年4月对小区进行更换") == 0.0
    assert term_support("7", "17号楼暂停") == 0.0
    assert term_support("7", "5号楼至7号楼：4月12日") == 1.0


def test_the_askers_own_age_told_as_a_state_is_no_word_to_find() -> None:
    """我家老爷子85了 tells a circumstance the sources state as a condition (80周岁以上且行动不便
    的老人); a number naming a thing (7号楼) stays."""
    assert "85" not in content_terms("康乐社区测血压，我家老爷子85了腿脚不好，能上门给测不？")
    assert "58" not in content_terms("我都58了，还能去献血不？")
    assert "7" in content_terms("7号楼什么时候停水")


def test_an_age_told_with_this_year_is_no_word_to_find() -> None:
    """我闺女今年13 tells her age (the notice says 年满13周岁); 今年5月 and 今年8个名额 do not."""
    assert "13" not in content_terms("我闺女今年13，打疫苗那天家长得带啥证件去？")
    assert "65" not in content_terms("我今年65岁能领吗？")
    assert "8" in content_terms("今年8个名额都报满了吗？")
    assert "5" in content_terms("今年5月几号开始报名？")


def test_an_age_told_with_an_adverb_is_no_word_to_find() -> None:
    """孩子才10岁 tells his age (the notice says 未满14周岁的须由家长陪同); 10岁以下 asks of a
    bound the sources may state."""
    assert "10" not in content_terms("俺家孩子才10岁，能让他自个儿去看星星不？")
    assert "12" not in content_terms("我家孩子刚12周岁，能自己报名吗？")
    assert "10" in content_terms("10岁以下儿童免票吗？")
    assert "3" in content_terms("孩子才3个月大能打疫苗吗？")


def test_someone_is_grammar_not_a_subject() -> None:
    """有人帮不 asks whether help is given; 有人 is no word the evidence must repeat (志愿者一对一
    协助撤离)."""
    assert "有人" not in content_terms("我妈腿脚不好，撤离的时候有人帮不？")


def test_a_word_is_looked_for_as_the_sources_spell_it() -> None:
    """礼拜天 and 大年三十 as a notice writes them (周日, 除夕); a word the notice writes as
    asked, or one with no other spelling, is looked for as it is."""
    stats = TermStats(["周日不供餐，除夕当天照常供餐。", "长者食堂位于社区服务中心一层。"])
    assert stats.as_written(["礼拜天", "食堂"]) == ["周日"]
    assert stats.as_written(["大年三十"]) == ["除夕"]
    assert stats.as_written(["周日", "开门"]) == []


def test_the_askers_household_and_kin_are_who_asks_not_what_is_asked() -> None:
    """俺家, 俺们 are the asker (俺 a northern 我); a relative the sources never name weighs
    nothing, one they name counts in full."""
    assert content_terms("俺家院里打了两口井，能都测测不？")[:1] == ["院里"]
    assert "车" not in "".join(content_terms("俺车平时停永华路边上"))
    stats = TermStats(["每人最多可代办3张年票。", "委托人的子女、孙子女可代为申请。"])
    assert stats.weight("老伴儿") == 0.0
    assert stats.weight("外孙") == 0.0
    assert stats.weight("子女") > 0.0
    assert stats.weight("电饭煲") > 0.0  # not kin: a thing the sources lack still weighs


def test_what_to_do_asked_colloquially_is_an_interrogative() -> None:
    """咋整 and 咋弄 ask what to do, as 怎么办 does: no word the notice must hold."""
    assert content_terms("打压那天家里没人咋整？") == ["打压", "那天", "家里", "没人"]
    assert "咋弄" not in content_terms("孩子证件丢了咋弄")


def test_calendar_words_are_told_apart() -> None:
    """周末 and 周六 are said in other calendar words as often as in these (周六、周日); 医保 is
    no calendar word."""
    assert is_calendar_word("周末") and is_calendar_word("周六")
    assert not is_calendar_word("医保") and not is_calendar_word("报销")


def test_the_weather_asked_is_found_as_notices_write_it() -> None:
    """下雨 is found in 如遇阴雨 and 雨雪天气顺延 (as a synonym: 恶劣天气 says more), and a
    notice that says nothing of the weather does not hold it; the sources that write 雨天
    know the word."""
    assert term_support("下雨", "如遇阴雨或云量较大，将发布取消通知。") == SYNONYM_SUPPORT
    assert term_support("下雪", "遇雨雪天气顺延。") == SYNONYM_SUPPORT
    assert term_support("下雨", "流星雨专场不设讲座。") == 0.0
    assert TermStats(["遇雨天暂停办理。"]).known("下雨")
    assert not TermStats(["每天9:00开放。"]).known("下雨")


def test_going_online_asked_is_found_as_notices_name_the_channel() -> None:
    """能在手机上申请不 of a notice that takes applications 线上 or by 小程序: the channel is
    the phone; a notice that names no channel does not hold it."""
    assert term_support("手机", "也可通过线上方式申请。") == SYNONYM_SUPPORT
    assert term_support("网上", "通过“大兴体育”微信小程序报名。") == SYNONYM_SUPPORT
    assert term_support("手机", "到社区居委会现场办理。") == 0.0
