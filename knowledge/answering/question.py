"""What a question asks for, read from its wording alone (no knowledge of the sources).

Retrieval finds the passage on the right topic even when that passage lacks what was asked:
"京霸铁路哪年通车" retrieves the sentence that lists 京霸铁路, but that sentence has no year. So the
engine also needs the *kind* of detail asked for and a check that the evidence holds one.

Two tables, both about Chinese in general and about no particular source:

- ``_ASKS``: the interrogative phrases that ask for each kind of detail. Only kinds whose
  presence in a sentence can be *seen* are checked (a date, a time of day, a duration, an
  amount of money, a number, a contact, a place, a procedure). Who, which, why, what-is and
  yes/no questions have no checkable form: for them only the subject is checked.
- ``_HOLDS``: what counts as holding each kind: any number with a unit, times of day (9:00,
  22:00, 上午九点), date ranges, addresses (……路18号), and so on.

Measured, not guessed: ``python -m benchmarks.question_kinds`` reads every DRCD question (7,017,
written by outsiders about encyclopedic text) and reports, for each kind this module reads, how
often the gold answer is of that kind (precision), and for each kind of gold answer how often it
was read (recall). Its figures are in docs/BENCHMARKS.md. A rule is kept only when it raises
both on DRCD dev and does not lower the answer rate on the project's own question sets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from knowledge.answering.terms import is_han, segmenter
from knowledge.text import fold


class Detail(StrEnum):
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    # How often (多久发一次): a recurrence (按季度, 每月), not a length of time.
    FREQUENCY = "frequency"
    AMOUNT = "amount"
    QUANTITY = "quantity"
    PLACE = "place"
    # Which town, station, road … : a place of the kind the question names.
    SITE = "site"
    PROCEDURE = "procedure"
    CONTACT = "contact"
    # Which company (施工单位是哪家公司, 由哪家企业运营): its name.
    ORGANISATION = "organisation"


_NUM = r"(?:\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千万亿半几数]+)"

# The name of a sum (押金, 停车费, 违约金): not 消费 or 免费.
_SUM_NAME = r"(?:押金|保证金|违约金|滞纳金|定金|订金|罚金|租金|罚款|(?<![消免])费|税)"

# The question wordings that ask for each kind. Order does not matter; a question may ask
# several (啥时候交房？去哪办手续？ asks a date and a place).
# Which day of the week asked (礼拜几踢球, 周几开门): the days a notice names answer it.
_WEEKDAY_ASK = re.compile(r"(?:礼拜|星期|周)几")

# Who may (哪些女生可以免费接种, 什么样的老人能申请): the people a notice is for, which its
# conditions say (年满13周岁的在校女生). Only a word naming people before the verb: 哪些地方可以
# 停车 asks places, 哪些项目可以报销 a scope.
_WHO_MAY = (
    r"(?:哪些|哪类|什么样的?|啥样的?)[\u4e00-\u9fff]{0,3}?"
    r"(?:人|人员|女生|男生|学生|孩子|儿童|老人|老年人|居民|群众|市民|家庭|企业|单位|商户|对象|户)"
    r"(?:才|也)?(?:可以|能够|能|有资格)(?:免费)?"
    r"(?:申请|报名|参加|参与|领取|领|享受|接种|打|入住|入学|办理|办|使用|认养|签约)"
)

# May I (我爸82了一个人住，能申请不？; 孩子8岁能报名吗): whether one is eligible, which the
# conditions say; the question ends on it.
_MAY_I = (
    r"(?:能|可以|能不能|可不可以|够不够|够)(?:申请|报名|参加|参保|领取?|享受|入住|入学)"
    r"(?:吗|么|不|没|呢)?[?？!！。]*$"
)

_ASKS: dict[Detail, re.Pattern[str]] = {
    Detail.TIME: re.compile(
        # (A span someone was born in is a span of dates: 哪个时间段出生的孩子.)
        r"几点|几时几分|(?:什么|哪个)时间?段(?!内?出生)|上午还是下午|白天还是晚上|"
        r"(?:营业|开放|办公|办理|受理|服务|运营|施工|管制|停水|停电|供水|供电|值班|上班|坐诊|接诊|接待)"
        r"时间|首班|末班|早班|晚班"
    ),
    Detail.DATE: re.compile(
        r"什么时候|啥时候|啥时|什么时间|何时|哪几天|(?:公元|西元|民国)(?:前)?几年|几几年|(?:哪个|哪一个|什么|哪一)(?:年间|时期|时代|年代)|哪几号|哪几日|哪(?:一)?年|那一年|哪个月|几月|几号|几日|"
        r"哪(?:一)?天|哪(?:个)?日子|什么日子|日期|截止|截至|哪个朝代|什么朝代|哪一朝|何年|哪段时间|"
        r"什么年代|哪个年代|哪个世纪|哪一世纪|几世纪|多会儿|哪阵子|什么季节|哪个季节|"
        + _WEEKDAY_ASK.pattern
        + r"|"
        r"(?:开始|结束|起止|报名|开工|完工|竣工|通车|开通|开业|交付|发放)时间|时间?段内?出生|"
        # 公示时间是什么, 时间安排是怎样的: the time of something, asked as a thing.
        r"时间(?:是什么|是啥|是哪|为何时|是何时|安排|怎么安排|怎样安排|如何安排)"
    ),
    Detail.DURATION: re.compile(
        r"多久|多长时间|多少时间|多少年(?!前|后|代)|多少天|多少个月|多少小时|多少分钟|(?<![哪元国那这])几年(?!级)|(?<![哪那这])几天|"
        r"几个月|几个小时|几小时|几分钟|几周(?!岁)|多少周(?!岁)|期限|有效期(?![^，。？?！!]{0,4}(?:到|至|截|止|什么时候|啥时候|何时|哪天|几号))|持续多|要多长|"
        r"(?:几|多少)个?(?:晚|宿|夜)(?![上里间])"
    ),
    Detail.FREQUENCY: re.compile(
        r"(?:多久|多长时间|多少天|几天|几个月|多少个月|几周|多少周|几年|多少年)[^，。？?！!]{0,6}"
        r"(?<!第)(?:一次|一回|一趟|一轮|一班)(?:车)?(?=[呢吗啊呀？?，,、；;。！!]|$)|"
        r"(?:每隔|隔)(?:多久|多长时间|几天)|"
        r"频(?:次|率)(?:是|为)?(?:多少|多久|怎样|如何)"
    ),
    Detail.AMOUNT: re.compile(
        r"多少钱|几块钱|几毛|多少元|几元|多少块|价格|价钱|票价|房价|地价|租金|"
        r"费用|收费|花费|花了多少(?!时|天|年|个?月|小时|分钟|周)|花多少(?!时|天|年|个?月|小时|分钟|周)|"
        r"造价|成本|金额|奖金|税率|利率|"
        # Pay asked (工资多少, 月薪一般是多少), not pay named (拒不支付工资的企业, 拖工资).
        r"(?:工资|薪资|薪水|月薪|年薪|时薪)(?:一般|大概|大约|大致)?(?:是|有|为|能有|能拿)?"
        r"(?:多少|几|标准|待遇|怎么样|咋样|高不高)|"
        r"(?:补贴|补助|补偿|赔偿|奖励|资助|奖金|津贴|押金|保证金|学费|车费)(?:标准|多少|是多少|有多少|几)|"
        r"(?:补|赔|给|发|奖|领|退)多少|多少(?:补贴|补助|补偿|赔偿|奖励|资金|经费|投资|费)|"
        # 多少 before a sum's name (多少押金, 多少停车费, 多少违约金), and whether a named sum is
        # charged at all (要交押金吗, 收不收停车费): the notice must name it to say.
        rf"多少[\u4e00-\u9fff]{{0,4}}?{_SUM_NAME}|"
        rf"(?:要|需要|得|收|交|缴|付|缴纳|收取)[\u4e00-\u9fff]{{0,4}}?{_SUM_NAME}(?:吗|么|不|没)|"
        rf"(?:收不收|要不要|需不需要|用不用|交不交)[\u4e00-\u9fff]{{0,4}}?{_SUM_NAME}|"
        # Whether one is compensated (能不能得到补偿, 给不给赔偿); 有补偿吗 asks only whether
        # there is any, which a sentence naming it answers.
        r"(?:得到|拿到|领到|获得|给)(?:补偿|赔偿)|"
        r"(?:投资|投入|资金)(?:是|有|为)?多少|(?:费|金|款|钱)(?:是|有|为|要)?多少|"
        # A fee or price named before 多少 (物业服务费调整后的标准是多少).
        r"(?:(?<![消免])费|(?<![评物代])价(?:格|钱)?|租金|补贴|补助|罚款)[^，。？?,!！]{0,8}(?:是|有|为|要)?多少|"
        # Whether it costs anything is a question about an amount (免费, 每人120元).
        r"(?:要|收|花|交|付|掏|出)钱|收费吗|免费吗|收不收费|收费不|要不要钱|免不免费|花不花钱|"
        # ... named by what it pays for (掏建设的钱).
        r"(?:掏|花|交|付|出)[\u4e00-\u9fff]{1,4}的钱|"
        # How a fee is charged is its rate (物业费怎么收, 停车费咋算); how to pay it is a step.
        r"(?:(?<![消免])费|(?<!评)价|租金)[^，。？?！!]{0,4}(?:怎么|咋|如何|怎样)"
        r"(?:收(?![到集看听回藏])|算|计(?!划))"
    ),
    Detail.QUANTITY: re.compile(
        # 几 with a classifier (几个, 几所, 几条), but not 哪几个 ("which ones"), 几点/几月/几年
        # (times and dates) or 几乎/几何 (not numbers at all).
        # (这几个, 那几天: those, not how many.)
        # (Measure words of what is handed in or out count too: 几张照片, 几份材料, 几桶水.)
        r"(?<![哪那这])几(?!点|月|号|日|时|年|天|周|小时|分钟|乎|何|率|位数|岁)"
        r"[个座所条家户人处项栋间辆亩趟站次名位种类批期层级届场本部只头匹株棵门倍片块价档星"
        r"张份件盒瓶袋桶箱台套双把支根包粒杯碗斤针剂顿]|"
        r"多少(?!钱|元|块|年|天|个月|小时|分钟|时间|周(?!岁)|号)|几周岁|多大|多长(?!时间)|多宽|多高|多深|多远|多重|"
        r"多厚|多快|多老|几岁|多少岁|多大年纪|多大面积|面积(?:是|有)?多|人口(?:是|有)?多|"
        r"排名第几|第几|几成|百分之几|占比|比例是|比重是|几倍"
    ),
    # Where: a place or an address. "Which country / city / district" asks for a name, which
    # has no form to check (芬兰, 重庆), so it is left to the subject check.
    Detail.PLACE: re.compile(
        r"在哪(?!个|一|些|几|年|天|月|位|种|类|本|方面|段时)|在哪个(?:地方|位置|地点)|哪里|哪儿|哪块|什么地方|"
        r"啥地方|何处|何地|何方|什么位置|哪个位置|具体位置|地址|地点|位于哪|位于何|坐落|去哪|"
        r"到哪(?!些|一?天|年|个?月|日|号|会儿|个时候)|"
        r"往哪|搬哪|搬到哪|放哪|建在哪|设在哪|(?:在|去|到)(?:哪|哪里|哪儿)(?:办|申请|领|交|缴|报名|预约|登记)"
    ),
    # How: the steps, materials and conditions. "Where to apply" asks a place (above), and
    # 怎么办 alone ("what will happen to …") asks for nothing checkable.
    Detail.PROCEDURE: re.compile(
        r"(?:怎么|怎样|如何|咋)[^，。？?！!]{0,6}?"
        r"(?:申请|办理|办(?=[\u4e00-\u9fff])|报名|预约|挂号|缴纳|缴费|交费|补交|充值|领取|申领|登记|"
        r"认定|查询|投诉|举报|补办|参加|参与|提交|反馈|提意见|报|约|购买|租|退|换|开具|认证|注册)|"
        r"(?:要|需要|得|该)(?:自己|自行|另外|额外)?(?:带|出示|准备|提供|提交|交|拿)(?:什么|哪些|啥|些)|"
        r"(?:什么|哪些|啥)(?:材料|证件|资料|手续|条件)|材料|流程|步骤|"
        r"(?:申请|报名|参加|领取|享受|入学|入住)(?:条件|资格|要求)|条件是|有(?:什么|啥)要求|"
        r"(?:谁|哪些人|什么人|哪些(?:人|企业|单位|家庭|学生|居民))(?:可以|能|能够)(?:申请|报名|参加|领|享受)|"
        + _WHO_MAY
        + r"|"
        + _MAY_I
        + r"|"
        r"符合条件|够条件|有资格"
    ),
    Detail.CONTACT: re.compile(
        r"电话|联系方式|手机号|号码是|(?:哪个|什么|啥)号码|打(?:哪个|什么|啥)号|邮箱|热线|"
        r"怎么联系|如何联系|联系谁|找谁|打给谁|咨询谁|问谁|网址|网站|公众号|微信号"
    ),
}

_CN_DIGIT = "零〇一二两三四五六七八九十"
_TIME_OF_DAY = (
    r"(?<![\d.])\d{1,2}\s*[:：]\s*\d{2}(?![\d])|"
    rf"(?:凌晨|早上|早晨|上午|中午|午间|下午|傍晚|晚上|夜间|夜里|白天|早|晚)\s*(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*(?:点|时)|"
    rf"(?<![\d{_CN_DIGIT}])(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*(?:点|时)(?:半|整|\d{{1,2}}分|[{_CN_DIGIT}]+分)?\s*(?:至|到|-|—|~|前|后|以前|以后|之前|之后|起|开始)|"
    r"24\s*小时|全天候|昼夜"
)
# 2026-12-05, 2026/12, 2026.3: a year and a month (not 1234.5元 or 1200.5平方米).
_NUMERIC_DATE = (
    r"(?<![\d.])(?:1[5-9]|20)\d{2}\s*[-/.]\s*(?:0?[1-9]|1[0-2])(?![\d])(?!\.\d)"
    r"(?!\s*(?:万|亿|元|千|百|%|％|米|平方|公里|公顷|亩|吨))"
)
# A day of the month is a date; a house number (66号, 1号楼) is part of an address.
_DAY = (
    rf"(?<![路街道巷弄院楼段里村\d{_CN_DIGIT}])(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*[日号]"
    r"(?![楼院线门口地栋])"
)
# A day counted from a course's start (第0、3、7、14、28天各接种1剂, 第7天、第21天).
_COURSE_DAY = r"第\s*\d{1,3}(?:\s*[、，,和及]\s*\d{1,3})*\s*天"
_DATE = (
    # A year of three or four digits (960年, 2026年); one or two digits only with an era or a
    # month (民国8年, 98年5月): 已执行8年 is a duration.
    r"(?:公元前?|西元前?|民国|民國|前)\s*\d{1,4}\s*年(?!级)|(?<!\d)\d{3,4}\s*年(?!级)|"
    r"(?<!\d)\d{1,2}\s*年\s*\d{1,2}\s*月|(?<!\d)\d{1,2}\s*月(?!份?以内)|"
    + _DAY
    + r"|[〇零一二三四五六七八九]{4}年|"
    + rf"(?<![{_CN_DIGIT}])[一二三四五六七八九十]{{1,3}}月(?!份?以内)|"
    r"年底|年初|年末|年内|年中|上半年|下半年|季度|月底|月初|月中|[上中下]旬|今年|明年|次年|去年|"
    r"当年|翌年|同年|春节|元旦|国庆|寒假|暑假|开学|春季|夏季|秋季|冬季|采暖季|供暖季|"
    r"世纪|年代|时代|时期|年间|[秦汉晋隋唐宋元明清]朝|[秦汉晋隋唐宋元明清周商夏]代|"
    + _NUMERIC_DATE
    + "|"
    + _COURSE_DAY
    + r"|即日起"
)
# When something recurs (每天, 周六, 工作日): a date for 什么时候扔垃圾, none for 什么时候开始.
_RECURRENCE = r"每年|每月|每周|每天|每日|周[一二三四五六日末]|星期[一二三四五六日天]|工作日"
# When in general (什么时间施工): a day or the hours of the day.
_ANY_WHEN = re.compile(r"什么时间|啥时间")
# A question about when something starts or ends asks a point in time.
# A time range asked (几点到几点, 从几点): a lone clock time or 24小时 does not give one.
_RANGE_ASK = re.compile(r"几点(?:钟)?\s*(?:到|至|-|~)\s*几点|从几点|几点[^，。？?,；;]{0,6}几点")
_CLOCK = (
    rf"(?:\d{{1,2}}\s*[:：]\s*\d{{2}}|(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*(?:点|时)(?:半|整)?)"
)
_CLOCK_TIME = re.compile(r"(?<![\d.])\d{1,2}\s*[:：]\s*\d{2}(?!\d)")
_TIME_RANGE = re.compile(
    rf"{_CLOCK}\s*(?:至|到|-|—|–|~|～)\s*"
    r"(?:(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}[日号])?\s*"
    r"(?:次日|当日|凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜间|深夜|早|晚)?\s*"
    rf"{_CLOCK}"
)
_POINT_ASK = re.compile(
    r"(?:什么时候|啥时候|啥时|何时|哪天|哪一天|几号|几月几[号日]|哪个月)[^，。？?]{0,2}"
    r"(?:开始|起|截止|结束|停止|开通|开工|开业|开诊|实行|执行|施行|实施|恢复|通车|交付|试)|"
    r"(?:开始|截止|结束|起止|施行|实施)(?:时间|日期)|从(?:什么时候|啥时候|哪天|几号)|"
    # Until when (执行到哪一天, 封到什么时候): the day it ends.
    r"到(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[号日])"
)
# A span of days asked (从什么时候到什么时候, 哪段时间, 起止日期): a lone date does not give it.
_SPAN_ASK = re.compile(
    r"从(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[号日])[^，。？?]{0,6}"
    r"到(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[号日])|"
    r"哪段时间|哪个时间段|什么时间段|哪些日子|起止(?:时间|日期)"
)
# Two dates joined as a span (9月6日至9月30日, 2027年4月1日零时至2028年3月31日24时, 1月至3月).
DATE_SPAN = re.compile(
    r"(?:\d{1,2}\s*[月日号]|\d{4}\s*年)[^，。；;：:]{0,8}?(?:至|到|—|–|~|～|-)\s*"
    r"(?:次年|翌年)?\s*(?:(?:\d{4}\s*年)?\s*\d{1,2}\s*[月日号]|\d{3,4}\s*年)"
)
# How long a paper or a pass stays good (体检证明有效期为6个月): no wait for anything.
_VALIDITY = re.compile(
    r"有效期(?:限)?(?:为|是|均为)?\s*(?:\d+|[一二三四五六七八九十两半]+)\s*(?:个)?(?:自然)?"
    r"(?:年|月|日|天|周|星期|小时)"
)
# How long until something is done (多少天能到账, 多久才能拿到, 几个工作日可以办好).
_WAIT_ASK = re.compile(
    r"(?:多久|多长时间|多少天|几天|多少个?工作日|几个工作日|几个月)(?:以后|之后|后)?"
    r"(?:才|就)?(?:能|可以|可|会)"
)
# An address asked (门牌地址, 具体地址): a street number or 位于…, not a place described.
_ADDRESS_ASK = re.compile(r"地址|门牌号|(?:哪一?|什么)条街")
_SEEN_WHERE_ASK = re.compile(
    r"(?:哪里|哪儿|哪|什么地方)(?:能|可以|可|才能)?(?:看到|查到|查看|查询|查阅|找到|下载|关注|"
    # (看 or 查 alone only as the ask's last word, 上哪儿看去 too: 在哪看病, 哪里查体 ask where to
    # go.)
    r"(?:看|查)(?=去?(?:[吗呢啊呀？?，,。！!]|$)))"
)
_CHANNEL_HELD = re.compile(r"公众号|网站|官网|小程序|app|客户端|公告栏|宣传栏|公示栏|http|www\.")
# A street and number, or the words that give one: what an address asked needs, and (with a
# place's label) what holds a place in full (``_SPECIFIC``).
_ADDRESS = r"[路街道巷弄里段]\s*\d+\s*号|\d+\s*号院|地址|位于|坐落"
_ADDRESS_HELD = re.compile(_ADDRESS)
_TIME_UNIT = (
    r"(?:年|个月|天|周(?![岁年])|星期|小时|钟头|分钟|秒|工作日|个工作日|学期|世纪|季度|"
    r"(?<![日号])(?:晚|宿|夜)(?![上间里]))"
)
_DURATION = (
    rf"(?:(?<!\d)\d{{1,3}}(?:\.\d+)?|[{_CN_DIGIT}百千半几数]+)"
    + r"\s*(?:多|余)?\s*"
    + _TIME_UNIT
    + r"|(?:至|到|—|~|-)\s*(?:次年|明年)?\s*\d{1,2}\s*月|长期|永久|终身|半年|全年|全天|当天"
    # A count of days within which something is done (30日内) is a period, not a date.
    + rf"|(?:\d{{1,3}}|[{_CN_DIGIT}]{{1,3}})\s*日\s*(?:内|以内|之内)"
    # ... and a count of days ahead (飞行前1日12时前, 提前3日): how long before.
    + rf"|(?:提前|前)\s*(?:\d{{1,3}}|[{_CN_DIGIT}]{{1,3}})\s*日"
)
# (块 is money only as 块钱 or 3块5: 种植地块60块 counts plots.)
_MONEY_FIGURE = (
    _NUM + r"\s*(?:多|余)?\s*(?:元|块钱|块(?=\d)|角|分钱|万元|亿元|万|亿|美元|美金|欧元|英镑|日元|"
    r"日圆|港元|港币|台币|新台币|人民币|卢布|马克|法郎|镑|圆)"
)
_MONEY_NOT_SHARE = (
    _MONEY_FIGURE + r"|免费|无偿|不收费|不收取|全额|半价|减免|全免|免[征收缴交除]|"
    # Free said of whom it is not charged to, or who bears it (不向居民收取任何费用, 费用均由
    # 自来水公司承担).
    r"不(?:另行|额外|再)?[向对从][^，。；;]{1,8}收取?|费用?[^，。；;]{0,8}由[^，。；;]{1,12}(?:承担|负担|支付)|"
    r"(?:无需|无须|不需|不用|不需要|不必)(?:额外|另外|另行|再)?"
    r"(?:出资|付费|缴费|交费|花钱|掏钱|个人承担|承担(?:任何)?费用|支付(?:任何)?[\u4e00-\u9fff]{0,4}费用?)"
)
_SHARE = r"\d\s*[%％‰]|百分之|减半"
_MONEY = _MONEY_NOT_SHARE + "|" + _SHARE
# Money asked in so many words (能拿多少钱, 几块钱, 多少元): a share of something unnamed
# (在此基础上增发50%) does not say it.
_MONEY_ASK = re.compile(r"多少钱|几块钱|多少元|几元|多少块")
# A sum paid to the asker (每只补多少钱, 能赔多少, 退多少钱): only a figure says it; that
# something is free (疫苗免费提供) says what the asker does not pay, not what is paid to them.
_RECEIVED_ASK = re.compile(
    r"(?:补(?![办交缴录考])|赔|奖励?|发(?![票生车])|领|退(?!休)|报销|拿)[^，,。？?]{0,4}?(?:多少|几)"
)
# A grade asked (几价, 几级, 几档, 几星) is said only in its unit; so is an age (满多少岁, 几周岁:
# 年满65周岁), not in any number.
_GRADE_ASK = re.compile(r"(?<!哪)几(?P<unit>价|级|档|星)|(?:多少|几)周?岁")
# Which one in order (第几层, 第几阶段, 第几批) is said as that ordinal (第二阶段, 3层), not by any
# number (5号楼 does not say which floor).
_ORDINAL_ASK = re.compile(r"第几(?P<unit>层|楼层|阶段|期|批|届|轮|名|排|节|场|站)")
# A length or a distance asked (全长多少, 路段总共有多长, 离原址有多远) is said in metres or
# kilometres (全长约1.6公里), not in any number (公交站临时向北移设约80米 is one, though).
_LENGTH_ASK = re.compile(
    r"总长|全长|长度|多远|距离|(?:路段|段|路|线路|绿道|河道|管线)(?:总共|一共|大约|大概|约)?有?多长"
)
_LENGTH_UNITS = "(?:米|公里|千米|公尺|英里|英尺|海里|km|m)(?![a-z])"
# Names with digits in them (S6线, 兴58路, 104国道, PM2.5) are not quantities.
_DESIGNATOR = re.compile(
    r"[a-z]+\d+(?:\.\d+)?[a-z]*|\d+(?=号线|路(?!段)|国道|省道|号楼|号院|号门|号)"
)
_QUANTITY = (
    _NUM
    + r"\s*(?:多|余)?\s*[\u4e00-\u9fff%％米]|\d+(?:\.\d+)?|数[十百千万]|一半|半数|多数|大多数|少数|"
    r"[两三四五六七八九十]倍"
)
_PLACE_NAME = (
    # An institution named by one character (区医院, 镇卫生院).
    r"(?:[\u4e00-\u9fff](?:医院|卫生院|中学|小学|大学)|"
    # (Letters name a station's exits: 在A口、D口外指定区域.)
    r"[\u4e00-\u9fff\da-zA-Z、]{2,14}(?:路|街|大街|大道|巷|胡同|里|号院|号楼|大厦|广场|中心|大楼|馆|医院|"
    r"学校|小学|中学|大学|校区|院区|车站|站|公园|园区|小区|社区|村|镇|乡|街道|区|县|市|省|州|洲|"
    r"国|岛|山|河|江|湖|海|港|湾|峡|半岛|盆地|平原|高原|沙漠|大陆|流域|地区|城|宫|寺|庙|塔|桥|机场|"
    r"码头|基地|新城|厅|室|层|楼|窗口|网点|大院|营业厅|服务站|服务点|门))"
)
_PLACE = (
    r"[路街道巷弄里段]\s*\d+\s*号|\d+\s*号(?:院|楼|门)|地址|地点为|地点是|位于|坐落|设在|设于|"
    # A route's ends and stops (终点为荣昌东街站, 由瀛海镇政府站发车).
    r"(?:起点|终点|始发站|首站|末站)(?:站)?(?:为|是|设在|在)?\s*" + _PLACE_NAME + "|"
    # Where a bus or a group sets off (从黄村西大街地铁站B口发车, 由区政府东门集合出发).
    r"[从由]\s*"
    + _PLACE_NAME
    + r"(?:[A-Za-z\d一二三四五六七八九十东南西北]{1,2}[口门])?\s*(?:发车|出发|始发|上车|乘车|集合)|"
    # (Not the end of a span of dates: 4月至6月更新各公园的设施.)
    r"(?:在|于|至|到|往|向|前往|迁往|搬至|搬到|集中到|转移到|落户)\s*(?!\d{1,4}\s*[年月日号])"
    + _PLACE_NAME
    + "|"
    + _PLACE_NAME
    + r"(?:内|东侧|西侧|南侧|北侧|附近|一带|周边|对面|门口|境内)|"
    r"东部|西部|南部|北部|中部|东南|西南|东北|西北|沿[^，。；]{2,12}|线上|网上|当地|境内|境外|国内|国外|"
    # Where money goes (转入农户本人银行账户) and which side of a thing (安装在院门右侧).
    r"(?:转入|存入|打入|汇入|拨入|发放至|发放到|打到)[^，。；;]{0,12}(?:账户|专户|银行卡|卡)|"
    r"在[\u4e00-\u9fff]{1,6}(?:左侧|右侧|上方|下方|正面|背面|两侧)|"
    # Where something is put, named without a kind of place (在河北廊坊布局终端产品生产制造).
    r"在[\u4e00-\u9fff]{2,6}(?<![期间内前后时中])(?:布局|建设|设立|设置|开设|举办|举行)|"
    # Where a stop or a stall moves, told from where it was (向东移动约80米, 北移50米).
    r"[向往朝][东南西北]{1,2}(?:方向)?(?:移动|平移|迁移|挪动|挪|移)?(?:约|大约)?\d+\s*(?:米|公里)|"
    r"[东南西北]移(?:约)?\d+\s*(?:米|公里)|"
    # A schedule's place after its time (10月14日下午2:30，亦庄镇市民活动中心多功能厅。).
    r"(?:\d[:：]\d\d|\d\s*[点时](?:半|整|\d{1,2}分)?)\s*[，,]\s*" + _PLACE_NAME + r"\s*[。；;]?$"
)
# How often: 每月, 每隔两周, 按季度, 一年两次, 定期, 发车间隔15分钟 (not 每月2400元, a rate).
_FREQUENCY = (
    rf"每(?:隔)?\s*(?:\d+|[{_CN_DIGIT}半]+)?\s*(?:个)?(?:学年|学期|年|季度|季|月|周|星期|天|日|晚|小时)"
    rf"(?![^，。；;]{{0,4}}(?:\d|[{_CN_DIGIT}])[^，。；;]{{0,8}}元)|"
    r"按(?:学年|学期|年|季度|季|月|周|日|天)|定期|逐月|逐年|"
    rf"(?:\d+|[{_CN_DIGIT}]+)\s*(?:个)?(?:年|月|周|星期|天|日)\s*"
    r"(?:一次(?!性)|一回|(?:\d+|[两二三四五六七八九十]+)次)|"
    rf"间隔\s*(?:为|是|约)?\s*(?:\d+|[{_CN_DIGIT}]+)\s*(?:分钟|小时|天)|"
    rf"(?:\d+|[{_CN_DIGIT}]+)\s*(?:分钟|小时)\s*一班"
)
# Steps, materials, where and how to apply: words of procedure, not of policy (须, 通过 and
# 条件 are in every plan sentence).
_PROCEDURE = (
    r"申请|办理|申报|申领|手续|材料|证件|证明|复印件|原件|身份证|户口簿|户口本|携带|提交|填写|"
    r"流程|程序|步骤|窗口|登记|报名|预约|挂号|缴纳|缴费|审核|扫码|登录|小程序|app|凭[^，。]{1,10}(?:办理|领取|入场|乘车)"
)
# What to bring (带啥, 哪些材料): a procedure whose evidence must name a document or item, not
# just a step (现场审核时间为… names 审核, and no material).
_MATERIALS_ASK = re.compile(
    r"(?:带|出示|准备|提供|提交|交|拿|需要|要|需)(?:什么|哪些|啥|些|哪样)|"
    r"(?:带|出示|准备|提供|提交|交|拿|需要|要|需|所需)(?:的)?(?:材料|证件|资料|证明)|"
    r"(?:材料|证件|证明)[^，。？?]{0,4}(?:带|准备|提交)"
)
# What it takes (有什么要求, 年龄条件是什么, 满足什么条件): a condition stated is the answer (体重
# 不低于45公斤, 须使用长度不超过1.5米的牵引绳, 年满55周岁), besides the steps of a procedure.
_CONDITIONS_ASK = re.compile(
    r"(?:有|是)(?:什么|啥|哪些)(?:要求|条件|限制)|(?:要求|条件|资格|限制)(?:是|有)?(?:什么|啥|哪些)|"
    r"满足(?:什么|啥|哪些)|符合(?:什么|啥|哪些)|" + _WHO_MAY + "|" + _MAY_I
)
_CONDITION_HELD = re.compile(
    r"不低于|不高于|不少于|不多于|不超过|不得超过|不满|年满|(?<!不)满\s*\d|\d+\s*(?:周岁|岁)以[上下]|"
    r"以上|以下|以内|须为|应为|必须|应当|须使用|须具有|须持有|具有|持有|仅限|符合|"
    # An age range (22周岁至40周岁, 8至14周岁) bounds who may.
    r"\d+\s*(?:周岁|岁)?\s*(?:至|到|-|—|~)\s*\d+\s*(?:周岁|岁)"
)
_CONDITION_HEADING = re.compile(r"对象|条件|资格|范围|人群")
# A share asked (报销比例是多少, 占比, 打几折): a count in a share's form gives it (70%, 百分之六十,
# 三成, 2.5折), not any number (自2027年1月1日起).
_RATIO_ASK = re.compile(r"比例|占比|比重|百分比|百分之几|几成|几折|打折")
_RATIO_HELD = re.compile(
    r"\d\s*[%％]|百分之|[一二三四五六七八九十\d]\s*成(?![为立本都员果绩功熟长交])|分之|\d\s*折|[一二三四五六七八九]折"
)
_MATERIALS = (
    r"材料|证件|证明|证书|原件|复印件|影印件|身份证|户口|居住证|合同|照片|相片|凭证|发票|执照|"
    r"行驶证|驾驶证|社保卡|社会保障卡|银行卡|存折|申请表|登记表|委托书|授权书"
)
# Held when a material is named as something to bring or show (携带身份证, 须提供居住证), under a
# heading about materials, or as an item of a list (1. 户口簿): 持有居住证的老年人 names who
# qualifies, and 按合同约定 names no material at all.
ENUMERATION_MARK = r"(?:\d{1,2}\s*[.、．)）]|[（(]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩])"
# What a sentence says need not be brought (无需携带实体社保卡) is not what to bring.
_NOT_NEEDED = r"(?<!无需)(?<!无须)(?<!不需)(?<!不用)(?<!不必)(?<!免于)"
_MATERIALS_HELD = re.compile(
    rf"{_NOT_NEEDED}(?:携带|带上|带齐|带好|需带|要带|提供|提交|准备|出示|上传|备齐|凭(?!证)|持(?!有|续|证))"
    rf"[^。;；]{{0,24}}?(?:{_MATERIALS})|"
    # Whatever a sentence says to bring along is what to bring (携带本人手机, 自带水杯).
    rf"(?<!禁止)(?<!不得)(?<!严禁)(?<!可){_NOT_NEEDED}(?:携带|带上|带齐|自带|自备)[\u4e00-\u9fff]{{2,12}}|"
    rf"(?:{_MATERIALS})[^。;；,，]{{0,6}}?(?:自备|自带|提供|携带|带上|准备)|"
    rf"^[^:：]*(?:材料|证件)[^:：]*[:：]|^\s*{ENUMERATION_MARK}[^。;；]*?(?:{_MATERIALS})"
)
# Which company a question asks for (施工单位是哪家公司, 由哪家企业运营): answered only by a
# company's name (北京市政路桥有限公司; not 本公司, not 施工单位 itself). Only companies and the
# contractors a works notice names (哪家施工单位, 检测单位): other bodies (什么机构, 哪个单位)
# have names without a telling suffix (国家安全会议, 行军元帅府).
_ORGANISATION_ASK = re.compile(
    r"(?:哪家|哪个|哪一家|什么)"
    r"(?P<kind>[\u4e00-\u9fff]{0,4}?(?:公司|企业|银行|药企|厂家|厂商)|(?:施工|检测|承建|设计|监理|运营)单位|施工队|施工方)"
    # (A bare 单位 only after 哪家: 向哪个单位申请 asks an office, 什么单位 may ask a unit of
    # measure.)
    r"|(?:哪家|哪一家)(?P<unit>单位)"
    # A company's or an agency's name asked (消杀公司叫什么名字, 由哪家养老服务机构提供).
    r"|(?P<named>公司|企业)(?:的名字|名字|名称)?(?:叫|是)(?:什么|啥|哪家)"
    r"|(?:哪家|哪一家)[\u4e00-\u9fff]{0,6}?(?P<agency>机构)"
)
_ORGANISATION_NAMES = {
    "公司": r"(?:有限公司|公司|集团)",
    "企业": r"(?:有限公司|公司|集团|企业|厂)",
    "银行": r"银行",
    # A contractor (施工单位, 检测单位) is a company or an institute, not the office that
    # commissions it (区交通局 will test the bridge: by whom is not said).
    "单位": r"(?:有限公司|公司|集团|研究院|设计院|检测中心|事务所)",
    # A service agency: a company, a centre, a home (not 机构, the word for any such body).
    "机构": r"(?:有限公司|公司|集团|中心|院|服务社)",
}
# A maker (药企, 厂家) is named as an enterprise is: a company or a works.
_MAKERS = ("药企", "厂家", "厂商")


def organisation_kind(question: str) -> str | None:
    """The kind of company a question asks the name of (公司, 企业, 银行), or None."""
    match = _ORGANISATION_ASK.search(fold(question))
    if match is None:
        return None
    kind = (
        match.group("kind") or match.group("unit") or match.group("named") or match.group("agency")
    )
    if kind.endswith(_MAKERS):
        return "企业"
    if kind in ("施工队", "施工方"):
        return "单位"
    return next(k for k in _ORGANISATION_NAMES if kind.endswith(k))


def _names_organisation(text: str, kind: str) -> bool:
    name = rf"(?<![本该此我贵])[\u4e00-\u9fff]{{2,14}}{_ORGANISATION_NAMES[kind]}"
    return bool(re.search(name, text))


# The kinds of place a "which …" question can name and a sentence can be checked for.
_SITE_KINDS = "镇|乡|村|街道|社区|小区|站|地铁站|路|大街|街|号线|区|县"
_SITE_ASK = re.compile(rf"(?:哪个|哪一个|哪些|哪几个|哪一|哪)(?P<kind>{_SITE_KINDS})")
# A contact is the number or address itself, not the word 电话 (请拨打物业电话预约 gives none).
_CONTACT = (
    r"\d{3,4}\s*[-—]\s*\d{7,8}|(?<!\d)\d{5}(?!\d|年|元|万|人|个|平方|米)|\d{7,}|1\d{10}|@|"
    r"http|www\.|[a-z0-9.-]+\.(?:cn|com|gov|org|net)|公众号[“\"「]|微信号|app[“\"「]|[“\"「][^”\"」]{2,12}[”\"」](?:微信)?(?:app|小程序|公众号)"
)

_PHONE_ASK = re.compile(r"电话|手机号|热线|(?:哪个|什么|啥)号码|号码是|打(?:哪个|什么|啥)号")
_PHONE_HELD = re.compile(
    r"\d{3,4}\s*[-—]\s*\d{7,8}|(?<!\d)\d{5}(?!\d|年|元|万|人|个|平方|米)|\d{7,}|1\d{10}"
)

# What counts as holding each kind, in folded (NFKC, lower-case, Simplified) text.
_DATE_POINT = re.compile(_DATE)
# Which day asked (定在哪天, 几号开): a recurrence over a whole period (每年, 每天) names no day.
_DAY_ASK = re.compile(r"哪天|哪一天|几号|几月几[号日]|哪个日子|什么日子")
# (The days of the week a sentence names are read by ``_WEEKDAYS``.)
_DAY_HELD = re.compile(
    _DAY + "|" + _NUMERIC_DATE + r"|春节|元旦|国庆|即日起|月底|月初|月中|[上中下]旬|" + _COURSE_DAY
)
_HOLDS: dict[Detail, re.Pattern[str]] = {
    Detail.DATE: re.compile(f"{_DATE}|{_RECURRENCE}"),
    Detail.TIME: re.compile(_TIME_OF_DAY),
    Detail.DURATION: re.compile(_DURATION),
    Detail.FREQUENCY: re.compile(_FREQUENCY),
    Detail.AMOUNT: re.compile(_MONEY),
    Detail.QUANTITY: re.compile(_QUANTITY),
    Detail.PLACE: re.compile(_PLACE),
    Detail.SITE: re.compile(_SITE_KINDS),
    Detail.PROCEDURE: re.compile(_PROCEDURE),
    Detail.CONTACT: re.compile(_CONTACT),
    Detail.ORGANISATION: re.compile(_ORGANISATION_NAMES["公司"]),
}

# A more specific kind asked makes its general neighbour redundant: "多少钱" is an amount,
# not a bare quantity; "几点" a time of day, not a date.
_SUBSUMES: dict[Detail, frozenset[Detail]] = {
    Detail.AMOUNT: frozenset({Detail.QUANTITY}),
    Detail.DURATION: frozenset({Detail.QUANTITY}),
    Detail.TIME: frozenset({Detail.DATE}),
    # 多久发一次 asks how often, not how long (多久, 几个月).
    Detail.FREQUENCY: frozenset({Detail.DURATION, Detail.QUANTITY}),
    # 预约电话是多少 asks the number to call, not how many of something.
    Detail.CONTACT: frozenset({Detail.QUANTITY}),
}

# Personal entitlements: the engine may say what the sources say, never what a person will get.
_ENTITLEMENT = re.compile(
    r"补偿|赔偿|补贴|补助|安置费|拆迁款|分房|能分|能拿|能领|能得|资格|符合条件|"
    r"够不够|算不算|我家|我们家|我的房|我能"
)

_LIST = re.compile(
    r"有哪些|哪些|哪几(?!天|号|日|月|年|点|时)|(?<!没)有什么(?!用|区别|不同|意义|影响|作用|关系|好处|变化)|都有啥|"
    r"(?<!没)有啥(?!用|区别)|包括什么|包括哪些|列举|清单|列表|都有(?!没有)"
)
_LIST_HEAD = re.compile(
    r"(?:有哪些|哪些|哪几个?|有什么|都有啥|有啥|包括什么|包括哪些)(?P<head>[^？?。，,！!]*)"
)
_LIST_BEFORE = re.compile(
    r"(?P<head>[^？?。，,！!]{2,12})(?:有哪些|都有哪些|包括哪些|有什么)[？?]?$"
)
# 为什么 / 为啥 asked (not 作为什么 or 称为什么, where 为 is a verb).
_REASON_ASK = re.compile(
    r"(?<![作成称视改定列选誉命认分评划设名])为(?:什么|啥|何(?!时|地|处))|干(?:嘛|吗)要|"
    r"(?:什么|啥)原因|原因是|缘故|"
    r"怎么会"
)
# A purpose or a cause given: 为保障冬季供电安全, 由于, 因此.
_REASON_HELD = re.compile(
    r"(?:^|[，,；;：:])\s*因(?!素|此|而)|因为|由于|为了|鉴于|原因|以便|旨在|目的是|所以|因此|因而|导致|"
    r"造成|致使|"
    r"为(?:保障|确保|方便|改善|提高|加强|降低|满足|进一步|落实|配合|推进|做好|保证|维护|减少|"
    r"防止|避免|适应|解决|缓解|促进|优化|完善|扩大|加快|保护|纪念)"
)


# (Not 每周一次, 一周五天, 本周天气: a count of times or days, or a week.)
_WEEKDAYS = re.compile(
    r"(?:周[一二三四五六日末]|(?:星期|礼拜)[一二三四五六日天])(?![次天个])|工作日|节假日|双休日|"
    r"休息日|公休日"
)


_CONSEQUENCE_ASK = re.compile(
    r"(?:会|将)(?:咋样|怎样|怎么样|如何)(?:[呢吗啊呀？?！!。]|$)|(?:什么|啥)后果|后果是|"
    r"会被(?:怎么|咋)|"
    r"(?:怎么|咋|如何)(?:罚|处罚)|"
    # (What will be done about a breach: 被抓到会咋处理; not 坏了该怎么处理, what to do.)
    r"会(?:怎么|咋|如何)处理"
)
# Where something moves to: 搬到哪儿, 搬去哪了, 迁往何处, 挪到哪.
_DESTINATION_ASK = re.compile(
    r"(?:搬|迁|挪)(?:迁)?(?:到|去|往|至)?(?:了)?(?:哪|何处|什么地方|啥地方)|"
    r"新(?:址|地址|院址|院区|地方|的地方|场地|地点)(?:在|是|位于)?(?:哪|何处|什么地方|啥地方)"
)
_DESTINATION_HELD = re.compile(
    r"新址|新院区|新地址|(?:搬|迁)(?:迁)?(?:至|往|到|入)|(?:临时|新)(?:办公|营业|经营)?(?:地址|地点|场所)|"
    r"新[\u4e00-\u9fff]{1,4}(?:位于|设在|地址为)"
)
# When something starts (从哪天开始, 哪天起, 开始时间): a day a span opens with or a start is
# marked on (1月29日至2月28日, 自4月28日起) says it; a lone day (除夕（2月5日）闭园一天) does not.
_START_ASK = re.compile(
    r"(?:从|自)(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[号日])|"
    r"(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[号日])(?:开始|起)|(?:开始|起始)(?:时间|日期)"
)
_START_HELD = re.compile(
    # (Not a day something must be done before: 请于11月30日前到营业厅缴费.)
    rf"(?:\d|[{_CN_DIGIT}])[日号](?:\s*[（(][^）)]{{0,8}}[）)])?[^，。；;前]{{0,12}}?"
    r"(?:起|开始|至|到|—|–|~|～|-)"
)
# An age told (我41了还能报名不, 我都67了, 我爸82了一个人住): a sentence bounding the age
# (年满16周岁至65周岁, 22周岁至40周岁之间) says whether it qualifies.
_AGE_TOLD = re.compile(
    rf"(?:我|俺|本人|我[爸妈]|老人|孩子|娃|他|她)[^，,。？?\d]{{0,2}}?(?:今年|都|已经|才)?"
    rf"(?:\d{{1,3}}|[{_CN_DIGIT}]{{1,3}})(?:(?:周岁|岁)多?了?|多?了)"
)
_AGE_BOUND = re.compile(rf"(?:\d{{1,3}}|[{_CN_DIGIT}]{{1,3}})\s*周?岁|年满")
# Where one is registered or lives, told (我不是黄村户口, 户口不在这儿, 我在富强西里租房住, 没有北京
# 户口): a sentence stating who by registration or residence qualifies (具有本市户籍, 持有本市居住
# 证的, 户籍不限, 租住户还需出示租赁合同) says whether one does.
_RESIDENCE_TOLD = re.compile(
    r"(?:不是|没有|没|非)[\u4e00-\u9fff]{0,4}?(?:户口|户籍)|(?:户口|户籍)不在|外地(?:户口|户籍|人|的)|"
    r"外地来的|(?:我|俺|我们|我家)[\u4e00-\u9fff]{0,6}?租(?:房|的房)"
)
_RESIDENCE_BOUND = re.compile(r"户籍|户口|居住证|常住|居住满|租住|租赁|京籍|外埠")
# Whether one may (还能报名不, 可以参加吗): told with an age or a residence, it asks the
# conditions.
_MAY = re.compile(r"能|可以|行不行|让不让|准不准|允许")
# What an activity covers: a checking, advising or teaching verb asked with 啥 / 什么 / 哪些
# (安检都查啥, 体检查些什么项目, 可以咨询哪些方面的问题), not when or where (体检啥时候).
_SCOPE_ASK = re.compile(
    r"(?:查|检查|体检|检测|筛查|咨询|培训|讲|教)(?:些|的)?"
    r"(?:啥|什么|哪些)(?!时|地|候|人|用)(?:项目|内容|方面(?:的)?(?:问题|事项)?|问题|事项)?"
    r"(?:[?？呢啊呀，,]|$)"
)
# A sentence saying what it covers (检查内容包括, 筛查项目为, 咨询范围涵盖).
_SCOPE_HELD = re.compile(r"内容|项目|范围|包括|包含|涵盖")
# What to do asked (没人咋办, 下雨怎么办, 坏了怎么处理).
_REMEDY_ASK = re.compile(r"咋办|怎么办|咋整|怎么弄|(?:如何|怎么|咋)处理")
# A condition and what is done under it: 如检查时家中无人，请…; 遇大风天气，活动顺延; 当场未通过
# 的，可在一周后重新预约.
_REMEDY_HELD = re.compile(
    r"(?:^|[，。；:：])\s*(?:如|若|如果|如遇|遇有|遇到|遇|发现|一旦|凡)[^，。；]{1,30}[，,]|"
    r"[^，。；]{2,30}的[，,]\s*(?:可|请|须|应|需|将|由|按|视为|不再|一律)"
)
_CONSEQUENCE_HELD = re.compile(
    r"视为|视作|取消|不得|不再|暂停|处罚|罚款|记入|纳入|失去|丧失|后果|自行承担|由其承担|"
    r"依法处理|依法追究|追究|收回|放弃|无效|作废|停用|限制"
)


def states_consequence(evidence: str) -> bool:
    """Whether a sentence states what follows (视为自动放弃, 一年内不得再次参加摇号)."""
    return bool(_CONSEQUENCE_HELD.search(fold(evidence)))


def ranking_cues(
    analysis: QuestionAnalysis, evidence: str, *, with_start: bool = True
) -> list[bool]:
    """For each ranking-only reading the question has (why, a day of the week, what follows),
    whether the evidence gives it: these add to a sentence's rank, they never decide.

    ``with_start=False`` leaves out when something starts: most dates of a notice open a span
    or mark a start, so giving one does not single a sentence out (engine: refocusing)."""
    readings = (
        (analysis.reason, gives_reason),
        (analysis.weekday, names_weekdays),
        (analysis.consequence, states_consequence),
        (analysis.destination, names_destination),
        (analysis.start and with_start, marks_start),
        (analysis.age_told, bounds_age),
        (analysis.residence_told, bounds_residence),
        (analysis.scope, states_scope),
        (analysis.remedy, states_remedy),
    )
    return [gives(evidence) for asked, gives in readings if asked]


def states_remedy(evidence: str) -> bool:
    """Whether a sentence says what is done under a condition (如家中无人，请拨打…)."""
    return bool(_REMEDY_HELD.search(fold(evidence)))


def states_scope(evidence: str) -> bool:
    """Whether a sentence says what something covers (检查内容包括：…, 筛查项目为…)."""
    return bool(_SCOPE_HELD.search(fold(evidence)))


def bounds_residence(evidence: str) -> bool:
    """Whether a sentence states a condition of registration or residence (具有本市户籍)."""
    return bool(_RESIDENCE_BOUND.search(fold(evidence)))


def bounds_age(evidence: str) -> bool:
    """Whether a sentence states an age (年满16周岁, 22周岁至40周岁之间, 60岁以上)."""
    return bool(_AGE_BOUND.search(fold(evidence)))


def marks_start(evidence: str) -> bool:
    """Whether a sentence gives a day something starts on (1月29日至2月28日, 4月28日起)."""
    return bool(_START_HELD.search(fold(evidence)))


def names_destination(evidence: str) -> bool:
    """Whether a sentence names where something moves to (新址位于康庄路89号, 迁至欣宁街)."""
    return bool(_DESTINATION_HELD.search(fold(evidence)))


def names_weekdays(evidence: str) -> bool:
    """Whether a sentence says which days of the week (周六、周日照常开展, 工作日)."""
    return bool(_WEEKDAYS.search(fold(evidence)))


def gives_reason(evidence: str) -> bool:
    """Whether a sentence gives a purpose or a cause (为保障供电安全，…进行检修)."""
    return bool(_REASON_HELD.search(fold(evidence)))


_FOLLOW_UP = re.compile(r"^(?:那|那么|还有|另外|然后|再问一下)")
# The kinds a number designates one of (兴71路, S6线, 3号楼, 二期 written 2期).
_DESIGNATED_KINDS = "号线|号|线|路|国道|省道|期|地块|标段|街区|楼|栋|单元"
# Designators that name one thing among many of its kind: S6线, 104国道, 3号地块, G4.
# Amounts, counts and dates (2035年, 30%, 5万) are details, not names, and are checked apart.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])("
    rf"[A-Za-z]*\d+[A-Za-z]*(?={_DESIGNATED_KINDS})"
    r"|[A-Za-z]+\d+[A-Za-z0-9]*"
    # A year names which round of a thing (2027年春季插班 is not the 2026 intake).
    # (2000多年, 1500米 are amounts, not years.)
    # (A year of birth, 2016年生的, 2025年12月出生, is a condition asked of, not a round.)
    r"|(?<![\d.~∼～-])(?:1[5-9]|20)\d\d"
    r"(?=\s*年(?!多|余|来|以上|之久|(?:\d{1,2}\s*月份?)?(?:出生|生的|生人|生))"
    r"|\s*[—–-]\s*(?:1[5-9]|20)\d\d)"
    r")"
)

# Ordinal and phase designators: 第二小学 is not 第一小学, 二期 not 一期, 第三届 not 第二届.
# Read with the kind's first character, and matched in either numeral script (二期 / 2期). Not a
# step or an occurrence (第一次, 第二条, 第三天), nor a rank (第二大城市, 排名第一是, 第一家):
# those order things, they do not name one.
_ORDINAL = re.compile(
    r"第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,3})(?P<kind>[\u4e00-\u9fff]{1,2})"
    r"|(?<![一二三四五六七八九十\d同这那上下本每首])(?P<phase>[一二三四五六七八九十]|\d{1,2})期(?!间|限|待|望|末|中|刊|内|满|后|前)"
)
_NOT_A_DESIGNATOR_KIND = frozenset("次个天年月日名步条项章节款种位轮遍回周是家为")
# 第二大 is a rank; 第二小学, 第一中学 name schools.
_RANK = frozenset("大小高长多少快早")
_SCHOOLS = ("小学", "中学", "大学")
_CN_NUMBER = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _arabic(numeral: str) -> str:
    """一 → 1, 十二 → 12, 二十 → 20 (the designators' range); digits unchanged."""
    if numeral.isdigit():
        return numeral
    if "十" not in numeral:
        return "".join(str(_CN_NUMBER[c]) for c in numeral)
    tens, _, ones = numeral.partition("十")
    return str((_CN_NUMBER[tens] if tens else 1) * 10 + (_CN_NUMBER[ones] if ones else 0))


def ordinal_designators(question: str) -> list[tuple[str, ...]]:
    """Each ordinal or phase designator of the question, in the forms a source may write it
    (第二小 / 第2小, 二期 / 2期): a document that uses none of them is about another one."""
    out: list[tuple[str, ...]] = []
    for match in _ORDINAL.finditer(fold(question)):
        if match.group("n"):
            n, kind = match.group("n"), match.group("kind")
            if kind[0] in _NOT_A_DESIGNATOR_KIND or (kind[0] in _RANK and kind not in _SCHOOLS):
                continue
            kind = kind[0]
            forms = (f"第{n}{kind}", f"第{_arabic(n)}{kind}")
        else:
            n = match.group("phase")
            forms = (f"{n}期", f"{_arabic(n)}期")
        out.append(tuple(dict.fromkeys(forms)))
    return out


# A number on its own after a word (科目|三): a member of a numbered series.
_SERIES_NUMBER = re.compile(r"^[一二三四五六七八九十]$")
# What makes a number a count or a place (三|号楼, 二|层): not a member's number.
_UNIT_AFTER = re.compile(r"^[号楼层栋单室户期年月日天个次名位人岁周元块届级类批间]")
# Words after which a number is no member's: days of the week, counts, order.
_NOT_A_SERIES = re.compile(r"(?:周|星期|礼拜|每|第|年|月|日|号|前|后|近|共|约|至|到)$")


def absent_numbered(question: str, document: str) -> list[str]:
    """Members of a numbered series the question names (科目三) that a document names
    another member of (科目二) but never this one: it is about another member."""
    words = segmenter().lcut(fold(question))
    padded = [*words, "", ""]  # a question of one word has no number after it
    out = []
    for i, head in enumerate(words):
        n, after = padded[i + 1], padded[i + 2]
        if not _SERIES_NUMBER.match(n) or len(head) < 2 or _NOT_A_SERIES.search(head):
            continue
        if _UNIT_AFTER.match(after):
            continue
        if not all(is_han(ch) for ch in head):
            continue
        if any(head + form in document for form in {n, _arabic(n)}):
            continue
        if re.search(re.escape(head) + r"[一二三四五六七八九十]", document):
            out.append(head + n)
    return out


# A gate, an exit or a side named by its compass point (西门, 东北口, 南侧).
_COMPASS_POINT = re.compile(r"(?<![东南西北])([东南西北]{1,2})(门|口|侧)")


def absent_compass_points(question: str, document: str) -> list[str]:
    """Gates, exits or sides the question names by a compass point (西门) that a document
    never names while it names another of the same kind (北门, 东门): it is about the others."""
    out = []
    for match in _COMPASS_POINT.finditer(fold(question)):
        named, kind = match.group(0), match.group(2)
        if named in document:
            continue
        if any(
            m.group(0) != named for m in _COMPASS_POINT.finditer(document) if m.group(2) == kind
        ):
            out.append(named)
    return out


_SEASONS = re.compile(r"([春夏秋冬]{1,3})季")


def _seasons(text: str) -> set[str]:
    """Each season a text names by 季, a joint one counting for each (秋冬季: 秋 and 冬)."""
    return {season for run in _SEASONS.findall(text) for season in run}


def absent_seasons(question: str, document: str) -> list[str]:
    """The seasons the question names (2026年秋季招聘会) that a document (folded) never names
    while it names another (春季招聘会): the document is about another season's round."""
    named = _seasons(document)
    asked = sorted(_seasons(fold(question)), key="春夏秋冬".index)
    return [f"{season}季" for season in asked if named and season not in named]


# The next round of something (下一次停电, 下回义诊, 下一批摇号): another occurrence than the one a
# notice announces. Not the resident's own next visit (下次来要带啥) nor 以下.
_NEXT_ROUND = re.compile(r"(?<!以)下一?(?:次|回|期|批|届|轮)(?!来|去|再|办|要|得|还|的时候)")


# Another round asked whether held (还会再办一场, 明年还会再举办吗, 明年还能接着认领吗): not 还办
# 不 alone (下雨还办不 asks about this one), nor next year named without 还 (孩子明年上学).
_ANOTHER_ROUND = re.compile(
    r"再次?(?:举办|举行|开展|组织|办|搞|开)|(?:明年|来年|下一年)(?=[^，,。？?]{0,6}?(?:还|继续|接着))"
)
# A document that speaks of rounds beyond its own (再次, 每年, 定期, 另行通知).
_ROUNDS_TOLD = re.compile(r"再次|每年|每月|每季度|定期|常态化|另行通知|继续")


def absent_next_round(question: str, document: str) -> list[str]:
    """The next round the question asks about (下一次献血活动, 还会再办一场) when a document
    (folded) never speaks of one: a notice of this round's date does not say when the next is,
    nor whether there will be one."""
    folded = fold(question)
    match = _NEXT_ROUND.search(folded)
    if match is not None and not _NEXT_ROUND.search(document):
        return [match.group(0)]
    again = _ANOTHER_ROUND.search(folded)
    if again is not None and not (_NEXT_ROUND.search(document) or _ROUNDS_TOLD.search(document)):
        return [again.group(0)]
    return []


def absent_ordinals(question: str, document: str) -> list[str]:
    """The question's ordinal and phase designators that a document (folded) writes in neither
    numeral script: a 一期 notice does not answer for 二期."""
    return [
        forms[0]
        for forms in ordinal_designators(question)
        if not any(form in document for form in forms)
    ]


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    normalized: str
    details: frozenset[Detail] = field(default_factory=frozenset)
    is_list: bool = False
    list_head: str = ""
    entitlement: bool = False
    follow_up: bool = False
    # The kinds of place asked for by "which …" (哪个镇 → 镇).
    site_kinds: tuple[str, ...] = ()
    # Named designators the evidence must contain (asking about 示范162号 is not answered by
    # a passage on 示范166号, however close its wording).
    identifiers: tuple[str, ...] = ()
    # The procedure asked is what to bring: its evidence must name a material.
    materials: bool = False
    # The procedure asked is what it takes (有什么要求, 条件是什么): a stated condition gives it.
    conditions: bool = False
    # The count asked is a share (比例, 几折): its evidence must give one.
    ratio: bool = False
    # Money asked in so many words (能拿多少钱): a share alone does not say it.
    money: bool = False
    # A sum paid to the asker (每只补多少钱): only a figure says it, not 免费.
    received: bool = False
    # The unit a number must be in to give what is asked: a grade (几价 → 价, 几级 → 级), an
    # age (多少岁 → 周?岁) or a length (全长多少 → 米, 公里, …); a pattern, empty when any does.
    grade_unit: str = ""
    # The kind of company whose name is asked (公司, 企业, 银行).
    organisation: str = ""
    # The date asked is when something starts or ends: 每天 does not say it.
    date_point: bool = False
    # The time asked is a range (几点到几点): a lone clock time does not give it.
    time_range: bool = False
    # The date asked is a span of days (哪段时间): a lone date does not give it.
    date_span: bool = False
    # How long until something is done (多少天能到账, 多久能拿到): a length of time says it, not
    # the dates of a window (申报时间为3月1日至3月20日).
    wait: bool = False
    # The place asked is an address (门牌地址, 具体地址): 西瓜博物馆北侧空地 is a place, not one.
    address: bool = False
    # Where something can be seen or looked up (在哪能看到片单, 哪里查结果): an official account,
    # a website or a notice board says it as well as a street does.
    seen_where: bool = False
    # Why something is done (为什么停电): a sentence giving a reason ranks first, though one
    # without a marker may still answer (encyclopedic text often gives reasons unmarked).
    reason: bool = False
    # A day of the week asked about (周末来不来, 星期天开不开门): a sentence naming days of the
    # week (每周一至周六开餐，周日暂停) ranks first; not a gate either (每天 answers it too).
    weekday: bool = False
    # What follows if something is (not) done (没确认会咋样, 乱停会怎样): a sentence stating a
    # consequence (视为自动放弃, 暂停其用车资格7天) ranks first; not a gate.
    consequence: bool = False
    # What an activity covers asked (体检都查些啥, 可以咨询哪些方面的问题): ranking only.
    scope: bool = False
    # What to do in a situation asked (家里没人咋办, 下雨怎么办): a sentence stating what is done
    # under a condition (如家中无人，请…; 当场未通过的，可…) ranks first; ranking only.
    remedy: bool = False
    # Where something moves to (搬到哪儿去了, 迁往哪里): a sentence naming the new place (新址位于…,
    # 整体搬迁至…) ranks before one naming the old (原址…停止服务); not a gate.
    destination: bool = False
    # When something starts (从哪天开始): a day a span opens with, or marked as a start, ranks
    # before a lone day; not a gate.
    start: bool = False
    # An age told (我41了还能报名不): a sentence bounding the age ranks first; not a gate.
    age_told: bool = False
    # Where one is registered or lives, told (我不是黄村户口): a sentence stating a condition of
    # registration or residence ranks first; not a gate.
    residence_told: bool = False
    # Whether something is so (能不能带宠物, 要买票不, 是否还会发放): a notice's opening, which says
    # what the notice is about, settles it only if it names what is asked (engine.py).
    whether: bool = False


def clauses(text: str) -> list[str]:
    """The text folded and cut at its punctuation, empty pieces dropped: a question's asks
    and a sentence's statements are read clause by clause."""
    return [c for c in _CLAUSE_BREAK.split(fold(text)) if c]


_CLAUSE_BREAK = re.compile(r"[，,；;？?。！!]")


def details_beside_list(question: str) -> frozenset[Detail]:
    """The kinds of detail asked in the clauses that do not ask the list (哪些家庭会收到通知，
    多少天内要签合同 asks a duration beside the list; 设在哪几个镇 asks only the list)."""
    others = [c for c in clauses(question) if not _LIST.search(c)]
    return frozenset().union(*(asked_details(c) for c in others)) if others else frozenset()


# 好几 of a span (好几年, 好几天) says "quite a few"; it asks no number. (好几次吗 may ask how
# many times one may.)
_SEVERAL = re.compile(r"好几(?=年|天|个?月|周|个?星期|个?小时)|几(?=个月大|岁大)")
# A clause before the ask that tells what has happened (…不去吃了, 散养了几只鸡): no question
# particle, and a completed action.
_TOLD_CLAUSE = re.compile(r"了$|[\u4e00-\u9fff]了几[个只头条张辆亩间套]")
# (Unless the clause asks what happened: 搬去哪了, 来了多少人了; 哪天不去吃了 is any day.)
_ASKING_WORD = re.compile(r"(?:哪|哪儿|哪里|什么|啥|谁|多少|几个?)了$|[吗呢]")


def asked_details(question: str) -> frozenset[Detail]:
    """The checkable kinds of detail a question asks for (empty for who/which/why/yes-no).
    A kind subsumes its general neighbour within its own clause only: 哪天开始，每天几点到几点
    asks a date and a time."""
    asked: set[Detail] = set()
    parts = clauses(question)
    for at, clause in enumerate(parts):
        if _REASON_ASK.search(clause):
            continue  # 投资金额为什么不能是购楼款: the amount is what the reason is asked about
        if at < len(parts) - 1 and _TOLD_CLAUSE.search(clause) and not _ASKING_WORD.search(clause):
            continue  # 孩子哪天不去吃了，交的钱咋算: what happened is told, the ask comes after
        clause = _SEVERAL.sub("多", clause)  # 好几年都没去: many years told, no number asked
        here = {d for d, pattern in _ASKS.items() if pattern.search(clause)}
        for detail in list(here):
            here -= _SUBSUMES.get(detail, frozenset())
        asked |= here
    return frozenset(asked)


def _number_unit(norm: str) -> str:
    """The unit a number must be in to give what a question asks (see ``grade_unit``)."""
    ordinal = _ORDINAL_ASK.search(norm)
    if ordinal:
        return ordinal.group("unit")
    grade = _GRADE_ASK.search(norm)
    if grade:
        return grade.group("unit") or "周?岁"
    return _LENGTH_UNITS if _LENGTH_ASK.search(norm) else ""


def analyze(question: str) -> QuestionAnalysis:
    norm = fold(question)
    site_kinds = tuple(dict.fromkeys(m.group("kind") for m in _SITE_ASK.finditer(norm)))
    organisation = organisation_kind(norm) or ""
    span = bool(_SPAN_ASK.search(norm))
    aged = bool(_AGE_TOLD.search(norm))
    resident = bool(_RESIDENCE_TOLD.search(norm))
    whether = asks_whether(question)
    # An age or a residence told with whether one may (我60了还能报电工班不, 我不是黄村户口，能参加
    # 不): the conditions are asked.
    may_as_told = (aged or resident) and whether and bool(_MAY.search(norm))
    head = ""
    is_list = bool(_LIST.search(norm))
    if is_list:
        match = _LIST_HEAD.search(norm)
        if match and len(match.group("head")) >= 2:
            head = match.group("head")
        else:
            before = _LIST_BEFORE.search(norm)
            head = before.group("head") if before else ""
    return QuestionAnalysis(
        text=question,
        normalized=norm,
        details=asked_details(question)
        | ({Detail.SITE} if site_kinds else set())
        # A span asked (什么时间段) is of days, whatever hours it may also ask.
        | ({Detail.DATE} if span else set())
        | ({Detail.ORGANISATION} if organisation else set())
        | ({Detail.PROCEDURE} if may_as_told else set()),
        site_kinds=site_kinds,
        is_list=is_list,
        list_head=head,
        entitlement=bool(_ENTITLEMENT.search(norm)),
        follow_up=bool(_FOLLOW_UP.search(norm)),
        identifiers=tuple(dict.fromkeys(m.group(1).upper() for m in _IDENTIFIER.finditer(norm))),
        materials=bool(_MATERIALS_ASK.search(norm)),
        conditions=bool(_CONDITIONS_ASK.search(norm)) or may_as_told,
        ratio=bool(_RATIO_ASK.search(norm)),
        money=bool(_MONEY_ASK.search(norm)),
        received=bool(_RECEIVED_ASK.search(norm)),
        grade_unit=_number_unit(norm),
        organisation=organisation,
        date_point=bool(_POINT_ASK.search(norm)),
        time_range=bool(_RANGE_ASK.search(norm)),
        date_span=span,
        wait=bool(_WAIT_ASK.search(norm)),
        address=bool(_ADDRESS_ASK.search(norm)),
        seen_where=bool(_SEEN_WHERE_ASK.search(norm)),
        reason=bool(_REASON_ASK.search(norm)),
        weekday=bool(_WEEKDAYS.search(norm) or _WEEKDAY_ASK.search(norm)),
        consequence=bool(_CONSEQUENCE_ASK.search(norm)),
        scope=bool(_SCOPE_ASK.search(norm)),
        remedy=bool(_REMEDY_ASK.search(norm)),
        destination=bool(_DESTINATION_ASK.search(norm)),
        start=bool(_START_ASK.search(norm)),
        age_told=aged,
        residence_told=resident,
        whether=whether,
    )


# A clause asking whether (能不能, 有没有, 可不可以, 是否, …吗, and the spoken …不 / …没有 at
# its end: 能办停车证不, 交了没有).
_WHETHER = re.compile(
    r"([\u4e00-\u9fff])[不没]\1|是否|能否|可否|有无|[吗嘛]$|(?<![要都也并绝还])[不没]$|没有$"
)


def asks_whether(question: str) -> bool:
    """Whether some clause of the question asks if something is so."""
    return any(_WHETHER.search(clause) for clause in clauses(question))


# A clause putting off what the notice does not yet say (恢复时间另行公告, 春节期间营业安排另行
# 通知): what it names is not given, so the clause holds nothing. One that puts off the whole of
# what its sentence has just introduced (…试点工作，具体安排另行通知; 有关情况另行公布; 具体办法
# 请咨询相关部门) leaves that sentence no detail at all.
DEFERRING = (
    r"另行(?:通知|公布|公告|告知|发布|确定|安排)|待定|另定|请(?:咨询|关注)(?:相关|有关)部门|"
    r"具体以[^，,。；;]{1,16}为准"
)
_DEFERRED = re.compile(rf"[^，,。；;：:]*(?:{DEFERRING})[^，,。；;]*")
_WHOLE_MATTER = r"(?:具体|有关|相关|详细)的?(?:安排|方案|办法|情况|事宜|事项)"
_DEFERRED_WHOLE = re.compile(_WHOLE_MATTER)
# ... or sent elsewhere as a whole (有关情况可向街道咨询), which a contact line is not.
_REFERRED_WHOLE = re.compile(rf"(?:^|[，,。；;])\s*{_WHOLE_MATTER}(?:可|请)?(?:向|到|咨询)")
_SAYS_ANYTHING = re.compile(r"[\u4e00-\u9fff\d]")
# What is asked beyond whether it is so (都开些啥课, 具体都干啥, 安排在哪些道路上).
_WHAT_ASKED = re.compile(r"什么|啥|哪些|哪几|怎么|咋|如何|怎样")


def _undeferred(text: str) -> str | None:
    """The text without its deferring clauses; None when a whole matter is put off."""
    if _REFERRED_WHOLE.search(text):
        return None
    for clause in _DEFERRED.finditer(text):
        if _DEFERRED_WHOLE.match(clause.group()):
            return None
    return _DEFERRED.sub("", text)


# The title of a document, a form or a book (《2027年度公园年票手册》).
_BOOK_TITLE = re.compile(r"《[^《》]{0,80}》")
_DIGITS = re.compile(rf"\d+|[{_CN_DIGIT}百千万]+(?=年|号|条|版)")


def _unnumbered_titles(text: str) -> str:
    """The text with the numbers of the titles it cites taken out: a year or a number in a
    title names the document (《2027年度公园年票手册》), it is no date or count of the
    sentence's own."""
    return _BOOK_TITLE.sub(lambda m: _DIGITS.sub("", m.group()), text)


def puts_off_all(sentence: str) -> bool:
    """Whether a sentence tells nothing of its matter but that it will be told later or
    elsewhere (分校的招生工作另行通知; 将同步开展冬季关爱活动，有关情况可向街道咨询)."""
    rest = _undeferred(fold(sentence))
    return rest is None or not _SAYS_ANYTHING.search(rest)


def asks_what(question: str) -> bool:
    """Whether the question asks what, which or how, not only whether something is so."""
    return bool(_WHAT_ASKED.search(fold(question)))


def evidence_holds(
    detail: Detail, evidence: str, *, heading: str = "", asked: QuestionAnalysis | None = None
) -> bool:
    """Whether a piece of evidence contains something of the kind the question asks for.

    ``heading``: the evidence's own section heading, which says what a list item is
    (三、需携带材料 > 身份证原件 holds a procedure's materials); never a document title.
    ``asked``: the question's reading, when the kind is narrowed by it (哪个镇 asks a 镇; 带啥
    asks a material; 什么时候开始 a point in time).
    """
    undeferred = _undeferred(_unnumbered_titles(fold(evidence)))
    if undeferred is None:
        return False
    text = fold(heading + "：") + undeferred if heading else undeferred
    site_kinds = asked.site_kinds if asked else ()
    if detail is Detail.PROCEDURE and asked and asked.materials:
        # (The sentence alone too: its label opens it, 报名材料：…, not the heading before.)
        return bool(_MATERIALS_HELD.search(text) or _MATERIALS_HELD.search(undeferred))
    conditions_asked = detail is Detail.PROCEDURE and asked and asked.conditions
    stated = conditions_asked and _CONDITION_HELD.search(text)
    if stated or (conditions_asked and heading_labels(detail, heading, asked)):
        return True
    if detail is Detail.CONTACT and asked and _PHONE_ASK.search(asked.normalized):
        # A number to call asked (预约电话是多少): a WeChat account or a website is not one.
        return bool(_PHONE_HELD.search(text))
    if detail is Detail.DATE and asked and asked.date_span:
        return bool(DATE_SPAN.search(text))
    if detail is Detail.DATE and asked and asked.date_point:
        return bool(_DATE_POINT.search(text))
    if detail is Detail.DATE and asked and _DAY_ASK.search(asked.normalized):
        # Which day (定在哪天, 几号): a day of the month or of the week, not a year or a season
        # (当年, 秋季) nor a recurrence over a whole period (每年, 每天).
        return bool(_DAY_HELD.search(text) or _WEEKDAYS.search(text))
    if detail is Detail.DATE and asked and _ANY_WHEN.search(asked.normalized):
        # 什么时间施工 asks when in general: the hours it is done at say it too.
        return bool(_HOLDS[Detail.DATE].search(text) or _TIME_RANGE.search(text))
    if detail is Detail.PLACE and asked and asked.destination:
        # Where something moved to is told after the move (迁至…, 新址…): 大兴考试场（京开路榆垡段
        # 168号）进行场地改造，…临时迁至魏善庄考试点 gives where it was, not where it went.
        moved = _DESTINATION_HELD.search(text)
        text = text[moved.start() :] if moved else text
    if detail is Detail.DURATION and asked and asked.wait:
        text = _VALIDITY.sub("", DATE_SPAN.sub("", text))
    if detail is Detail.PLACE and asked and asked.seen_where and _CHANNEL_HELD.search(text):
        return True
    if detail is Detail.PLACE and asked and asked.address:
        # An address asked (地址在哪): a street and number, or a label that gives one — not a
        # place's label alone (报到地点为学校体育馆一层 says where in it, not where it is).
        return bool(_ADDRESS_HELD.search(text))
    if detail is Detail.TIME and asked and asked.time_range:
        # From when to when (几点开门几点关门): a span, or its two ends told apart (7:30前到校，
        # 16:30离校).
        return bool(_TIME_RANGE.search(text)) or len(set(_CLOCK_TIME.findall(text))) >= 2
    if detail is Detail.ORGANISATION:
        return _names_organisation(text, (asked and asked.organisation) or "公司")
    if detail is Detail.SITE:
        # 哪些地铁站 is answered by 荣昌东街站: a compound kind is written by its last character.
        tails = tuple(k[-1] for k in site_kinds if len(k) > 1 and k[-1] in "站街")
        kinds = "|".join(sorted({*site_kinds, *tails}, key=len, reverse=True)) or _SITE_KINDS
        return bool(re.search(rf"[\u4e00-\u9fff\d]{{2,8}}(?:{kinds})", text))
    if detail is Detail.AMOUNT and asked and asked.received:
        return bool(re.search(_MONEY_FIGURE if asked.money else _MONEY_FIGURE + "|" + _SHARE, text))
    if detail is Detail.AMOUNT and asked and asked.money:
        return bool(re.search(_MONEY_NOT_SHARE, text))
    if detail is Detail.QUANTITY and asked and asked.ratio:
        return bool(_RATIO_HELD.search(text))
    if detail is Detail.QUANTITY and asked and asked.grade_unit:
        # A grade (几价疫苗, 几级预警) is said only in its own unit: 每剂次128元 is no valence.
        # (分几个阶段，…在第几阶段: 三个阶段 says the one, 第二阶段 the other.)
        return bool(re.search(rf"(?:\d+|[{_CN_DIGIT}]+)\s*个?{asked.grade_unit}", text))
    if detail in _NUMBERS_NOT_DIALLED:
        text = _DIALLED.sub("", text)  # 咨询电话：010-61291754 counts nothing and lasts no time
    if detail is Detail.QUANTITY:
        text = _DESIGNATOR.sub("", text)
    return bool(_HOLDS[detail].search(text))


# Numbers to dial (a phone number, a hotline's digits) and a round-the-clock line or service
# (24小时救助热线): no count, sum or length of time.
_DIALLED = re.compile(
    r"\d{3,4}\s*[-—]\s*\d{7,8}|(?<!\d)(?:\d{8}|1\d{10})(?!\d)|"
    r"(?:热线|电话|拨打)[^，。；;\d]{0,6}\d{5}(?!\d)|"
    r"24\s*小时(?=[^，。；;]{0,4}(?:热线|电话|服务|营业|值守|值班|在线|开放))"
)
_NUMBERS_NOT_DIALLED = frozenset((Detail.QUANTITY, Detail.DURATION, Detail.AMOUNT))


class Hold(IntEnum):
    """How specifically a sentence holds a kind. Among the sentences of the answering document,
    the one that gives the asked kind in its full form (a calendar date, not 冬季; an address,
    not a bare place name; a sum in 元, not 免费), or under its own heading or label that names
    the kind (接种地点, 交房时间为…), is the likelier answer; a loose hold still counts as held.
    What each level weighs in the ranking is the policy's (``AnswerPolicy.hold_weight``)."""

    NONE = 0
    # A count whose only number is a year or a designator (2026年秋冬季 for 几个接种点).
    WEAK = 1
    LOOSE = 2
    SPECIFIC = 3


_SPECIFIC: dict[Detail, re.Pattern[str]] = {
    Detail.DATE: re.compile(
        rf"(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*月\s*(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*[日号]"
        r"|(?<!\d)\d{3,4}\s*年|" + _NUMERIC_DATE
    ),
    Detail.TIME: re.compile(_CLOCK),
    Detail.PLACE: re.compile(_ADDRESS + r"|地点[为是在]"),
    Detail.AMOUNT: re.compile(
        _NUM
        + r"\s*(?:多|余)?\s*(?:元|块|角|分钱|万元|亿元|美元|欧元|英镑|日元|港元|新台币)|\d\s*[%％]"
    ),
    Detail.CONTACT: re.compile(r"\d{3,4}\s*[-—]\s*\d{7,8}|\d{7,}|@"),
    Detail.PROCEDURE: _MATERIALS_HELD,
}
# Words of a label or heading that name the kind given under it (一、交房地点; 咨询电话：).
_LABELS: dict[Detail, re.Pattern[str]] = {
    Detail.DATE: re.compile(r"时间|日期|期间"),
    Detail.TIME: re.compile(r"时间|时段"),
    Detail.DURATION: re.compile(r"时间|期限|周期|时长"),
    Detail.PLACE: re.compile(r"地点|地址|位置|网点|场所"),
    Detail.AMOUNT: re.compile(r"费|价|标准|金额"),
    Detail.CONTACT: re.compile(r"电话|联系|咨询"),
    Detail.PROCEDURE: re.compile(r"材料|流程|(?<!联系)方式|步骤|程序|办理(?:流程|程序|方式|手续)"),
}
_LABEL_HEAD = re.compile(rf"^\s*(?:{ENUMERATION_MARK})?\s*(?P<label>[^:：，。；;]{{1,8}})[:：]")


def labels_kind(paragraph: str, details: frozenset[Detail]) -> bool:
    """Whether a paragraph opens with a label naming one of these kinds (4. 所需材料：…,
    办理时间：…): what follows the label, to the paragraph's end, is what the label names."""
    match = _LABEL_HEAD.match(fold(paragraph))
    if match is None:
        return False
    return any(_LABELS[d].search(match.group("label")) for d in details if d in _LABELS)


# The measure words a count is given in (17座, 200张, 3趟).
_MEASURE = r"[个座所条家户人处项栋间辆趟站次名位种类批层级届场本部只头株棵门片块台张]"
# The unit a count asks for (几个接种点 → 个, 多少公里 → 公里): a number in that unit gives it.
_COUNT_UNIT = re.compile(rf"(?:几|多少)(?P<unit>公里|千米|平方米|平方公里|公顷|亩|米|{_MEASURE})")
_YEAR = re.compile(r"(?<!\d)\d{3,4}\s*年(?!\s*\d{1,2}\s*月)")
# 几个站, 多少个名额: the thing counted after the general measure word.
_COUNTED_THING = re.compile(r"(?:几|多少)个(?P<thing>[\u4e00-\u9fff]{1,2})")


def _counts_the_unit(unit: str, asked: QuestionAnalysis, text: str) -> bool:
    """Whether a number in the text counts in the asked unit. For the general 个 with the thing
    named after it (几个站), the number must count that thing: 17个站, or the thing then its
    count in any measure word (共设站17座, 床位200张), or with a word between (42个居民小区), not
    5个客流较大的站点 (those of a kind: some of them)."""
    thing = _COUNTED_THING.search(asked.normalized) if unit == "个" else None
    if thing is None:
        return bool(re.search(rf"{_NUM}\s*(?:多|余)?\s*{unit}", text))
    word = thing.group("thing")  # (its second character may be the next word's: 几个人参加)
    noun = word[0] + (f"(?:{word[1]})?" if len(word) > 1 else "")
    return bool(
        re.search(rf"{_NUM}\s*(?:多|余)?\s*{_MEASURE}[^，。；;的]{{0,4}}?{noun}", text)
        or re.search(rf"{noun}(?:共计|共|计|为|有|达)?{_NUM}\s*(?:多|余)?\s*{_MEASURE}", text)
    )


_YEAR_ASK = re.compile(r"哪(?:一|个)?年|几几年|何年|年份|那一年|几年(?!级)|多少年|年代|世纪")
_WHETHER_IT_COSTS = re.compile(
    r"(?:要|收|花|交|付|掏)(?:钱|费)(?:吗|么|不|没)|免费(?:吗|么|不)|收不收|要不要钱|免不免费|花不花钱|"
    r"(?:要不要|用不用|需不需要|得不得)(?:掏|花|交|付|出)[\u4e00-\u9fff]{1,4}的钱|"
    r"(?:要不要|用不用|需不需要|得不得)[\u4e00-\u9fff]{0,3}(?:掏|花|交|付|出)钱"
)


def heading_labels(detail: Detail, heading: str, asked: QuestionAnalysis | None = None) -> bool:
    """Whether a heading names the kind of what is under it (一、搬迁时间, 三、办理地点). Of
    conditions asked (哪些女生可以接种), a heading naming them (一、接种对象), not the steps."""
    if detail is Detail.PROCEDURE and asked and asked.conditions:
        return bool(heading and _CONDITION_HEADING.search(fold(heading)))
    label = _LABELS.get(detail)
    return bool(label and heading and label.search(fold(heading)))


def hold_strength(
    detail: Detail, evidence: str, *, heading: str = "", asked: QuestionAnalysis | None = None
) -> Hold:
    """SPECIFIC when the evidence holds the asked kind in its full form (see ``_SPECIFIC``), or
    under a heading or label naming the kind; LOOSE when it holds it otherwise (WEAK for a count
    whose only number is a year or a designator); NONE when it does not hold it."""
    if not evidence_holds(detail, evidence, heading=heading, asked=asked):
        return Hold.NONE
    text = _unnumbered_titles(fold(evidence))
    label = _LABELS.get(detail)
    if heading_labels(detail, heading, asked):
        return Hold.SPECIFIC
    strength = _held_unlabelled(detail, text, asked, label)
    # Under a heading naming another kind (二、服务地点 > （一）5月10日至14日：政务服务中心…), a
    # date or a sum is said by the way, of what that section is about, unless the sentence
    # names the kind itself (开放时间为…).
    if (
        strength is Hold.SPECIFIC
        and _labels_another_kind(detail, heading)
        and not (label and label.search(text))
    ):
        return Hold.LOOSE
    return strength


# The kinds of a time (a heading naming one holds its dates) and the others a heading may name.
_TIME_KINDS = (Detail.DATE, Detail.TIME, Detail.DURATION)
_OTHER_KINDS = (Detail.PLACE, Detail.AMOUNT, Detail.CONTACT)


def _labels_another_kind(detail: Detail, heading: str) -> bool:
    """Whether a heading names a place, a sum or a contact and no time at all, a day or an hour
    being asked (not steps: 报名方式 holds its own dates)."""
    if not heading or detail not in _SHARED_LABEL:
        return False
    folded = fold(heading)
    if any(_LABELS[kind].search(folded) for kind in _TIME_KINDS):
        return False  # 二、保险费用和保障期限: a period's section holds its dates
    return any(_LABELS[kind].search(folded) for kind in _OTHER_KINDS)


def _held_unlabelled(
    detail: Detail, text: str, asked: QuestionAnalysis | None, label: re.Pattern[str] | None
) -> Hold:
    """:func:`hold_strength` of a sentence whose own heading does not name the kind."""
    if detail is Detail.PROCEDURE and asked and asked.conditions:
        # Conditions asked (哪些女生可以接种): the conditions themselves (年满13周岁的在校女生),
        # not the steps (四、办理流程 > 携带身份证).
        return Hold.SPECIFIC if _CONDITION_HELD.search(text) else Hold.LOOSE
    # 时间 labels a date, a time of day and a length alike: 登记时间为工作日8:30至11:30 gives
    # the hours, not the days (哪几天), so under such a label a date or a time is held in full.
    labelled = label and re.search(rf"(?:{label.pattern})[^，。；;]{{0,2}}[为是:：]", text)
    if labelled and (detail not in _SHARED_LABEL or _held_in_full(detail, text, asked)):
        return Hold.SPECIFIC
    if detail is Detail.QUANTITY:
        unit = _COUNT_UNIT.search(asked.normalized) if asked else None
        counted = _DESIGNATOR.sub("", _YEAR.sub("", text))
        if unit and asked and _counts_the_unit(unit.group("unit"), asked, counted):
            return Hold.SPECIFIC
        return Hold.LOOSE if _HOLDS[detail].search(counted) else Hold.WEAK
    if detail is Detail.AMOUNT and asked and _WHETHER_IT_COSTS.search(asked.normalized):
        return Hold.SPECIFIC  # 要钱吗 is answered by 免费 as well as by a sum
    text = _without_year(detail, text, asked)
    specific = _SPECIFIC.get(detail)
    if specific is None:
        return Hold.SPECIFIC
    return Hold.SPECIFIC if specific.search(text) else Hold.LOOSE


# The kinds a 时间 label may name another of.
_SHARED_LABEL = frozenset((Detail.DATE, Detail.TIME))


def _held_in_full(detail: Detail, text: str, asked: QuestionAnalysis | None) -> bool:
    """A date or a time of day in its full form; for a date, also days that recur (每月第二个
    周三) unless which days is asked of no recurrence (哪几天: 工作日 is not which days)."""
    if _SPECIFIC[detail].search(_without_year(detail, text, asked)):
        return True
    if detail is not Detail.DATE or not re.search(_RECURRENCE, text):
        return False
    question = asked.normalized if asked else ""
    return not _WHICH_DAYS_ASK.search(question) or bool(_RECURRENCE_ASK.search(question))


# Which days asked (哪几天, 几号), not when something recurs (每周哪天, 周几).
_WHICH_DAYS_ASK = re.compile(r"哪[一几些]?天|几号|几月几[号日]|哪些日子|哪几日")
_RECURRENCE_ASK = re.compile(r"每(?:年|月|周|星期|礼拜)|(?:周|星期|礼拜)几")


def _without_year(detail: Detail, text: str, asked: QuestionAnalysis | None) -> str:
    """For a date, the text without its years: a year alone (2026年秋冬季) says when only to a
    question asking the year."""
    if detail is Detail.DATE and not (asked and _YEAR_ASK.search(asked.normalized)):
        return _YEAR.sub("", text)
    return text


_ANY_ASK = re.compile("|".join(f"(?:{p.pattern})" for p in _ASKS.values()))


def asks_for_detail(word: str) -> bool:
    """Whether a word of the question is itself an interrogative of a checked kind (几点,
    什么时候, 地址) or asks what to do (咋办): it names what is asked, never something a
    sentence should contain."""
    folded = fold(word)
    return bool(_ANY_ASK.search(folded) or _REMEDY_ASK.fullmatch(folded))


# A run of numbered buildings (5号楼至8号楼, 3-6栋) names each building in it.
_NUMBERED_RUN = re.compile(
    r"(?<![\d.])(\d{1,3})\s*(?:号楼|号院|栋|幢|单元|号)?\s*(?:至|到|—|-|~)\s*(\d{1,3})\s*"
    r"(?:号楼|号院|栋|幢|单元)"
)


def evidence_names(identifier: str, evidence: str) -> bool:
    """Whether the evidence names this designator itself (not one with more digits), or, for
    a building's number, a run of buildings that holds it (7号楼 in 5号楼至8号楼)."""
    text = fold(evidence).upper()
    # Not a number of something else: 12:00 or 12月 does not name 兴12路.
    pattern = (
        rf"(?<![A-Za-z0-9]){re.escape(identifier)}"
        r"(?![0-9]|\s*[:：.]\s*\d|\s*(?:月|日|点|时|分钟|小时|个|人|元|岁|%|公里|米))"
    )
    if re.search(pattern, text):
        return True
    if not identifier.isdigit():
        return False
    number = int(identifier)
    if len(identifier) == 4 and _within_a_span_of_years(number, text):
        return True
    return any(int(m.group(1)) <= number <= int(m.group(2)) for m in _NUMBERED_RUN.finditer(text))


# Spans of years a sentence gives (1950年至2012年, 2013年及以后, 2012年以前): a year asked of
# (2015年登记结婚的) is spoken of by the span that holds it.
_SPAN_OF_YEARS = re.compile(r"(?<!\d)(\d{4})\s*年?\s*(?:至|到|—|–|-|~)\s*(\d{4})\s*年")
_YEARS_FROM = re.compile(r"(?<!\d)(\d{4})\s*年\s*(?:及|以)?(?:以后|之后|以来|起)")
_YEARS_UNTIL = re.compile(r"(?<!\d)(\d{4})\s*年\s*(?:及|以)?(?:以前|之前|前)")


def _within_a_span_of_years(year: int, text: str) -> bool:
    """Whether the text gives a span of years, closed or open at one end, that holds the year."""
    if any(int(m.group(1)) <= year <= int(m.group(2)) for m in _SPAN_OF_YEARS.finditer(text)):
        return True
    if any(int(m.group(1)) <= year for m in _YEARS_FROM.finditer(text)):
        return True
    return any(year <= int(m.group(1)) for m in _YEARS_UNTIL.finditer(text))


# A designator with the kind it numbers (兴71路 → 71, 路; S6线 → S6, 线).
_KINDED_DESIGNATOR = re.compile(rf"(?<![A-Za-z0-9])([A-Za-z]*\d+[A-Za-z]*)({_DESIGNATED_KINDS})")


def designator_kinds(text: str) -> dict[str, str]:
    """The designators a text names with their kind: ``{"71": "路"}`` for 兴71路."""
    return {m.group(1).upper(): m.group(2) for m in _KINDED_DESIGNATOR.finditer(fold(text).upper())}


def names_designator(identifier: str, question: str, text: str, headings: Sequence[str]) -> bool:
    """Whether a sentence (``text``: it and its paragraph) under ``headings`` (outermost first)
    is about a designator the question names: the sentence names it, or the nearest of its
    headings that names any designator of the same kind names this one.

    A notice on two bus lines (关于兴58路、兴71路…的公告) names both in its title; a sentence
    under 一、兴58路 is about 兴58路, whatever the title names. A designator without a kind (a
    year, S6 alone) is named anywhere in the sentence's context."""
    if evidence_names(identifier, text):
        return True
    kind = designator_kinds(question).get(identifier)
    if kind is None:
        return evidence_names(identifier, "".join(headings))
    for heading in reversed(headings):
        found = {d for d, k in designator_kinds(heading).items() if k == kind}
        if found:
            return identifier in found
    return False
