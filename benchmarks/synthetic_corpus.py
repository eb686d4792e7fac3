"""A synthetic corpus of plan-like Chinese documents for measurements (never knowledge).

The documents are generated from a fixed seed, so runs compare like with like; each has the
shape of a real notice (a chapter heading, numbered sections, a dozen or so sentences), and
a unique fact per document so a question can find exactly one of them.
"""

from __future__ import annotations

import random

PLACES = [
    "黄村镇",
    "西红门镇",
    "旧宫镇",
    "亦庄镇",
    "瀛海镇",
    "魏善庄镇",
    "庞各庄镇",
    "北臧村镇",
    "采育镇",
    "安定镇",
    "礼贤镇",
    "榆垡镇",
    "长子营镇",
    "青云店镇",
    "清源街道",
    "天宫院街道",
]
TOPICS = [
    "社区养老服务驿站",
    "口袋公园",
    "停车设施",
    "雨污分流管网",
    "农贸市场",
    "垃圾分类驿站",
    "公共充电桩",
    "老旧小区综合整治",
    "街巷环境提升",
    "社区卫生服务站",
    "体育健身场地",
    "便民服务中心",
    "背街小巷整治",
    "慢行系统",
    "绿化隔离带",
    "中小学校舍改造",
]
ACTIONS = ["统筹推进", "加快建设", "有序实施", "全面提升", "持续完善", "稳步推进", "重点保障"]
GOALS = [
    "方便居民就近办事",
    "改善群众居住环境",
    "提升公共服务水平",
    "增强区域综合承载能力",
    "促进职住平衡",
    "推动城乡融合发展",
    "保障群众出行安全",
    "提高精细化管理水平",
]
SECTIONS = ["一、总体要求", "二、主要任务", "三、实施安排", "四、保障措施"]


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(ACTIONS)}{rng.choice(PLACES)}{rng.choice(TOPICS)}建设，{rng.choice(GOALS)}。"
    )


def synthetic_document(n: int, seed: int = 20261126) -> tuple[str, str, str]:
    """``(doc_id, title, Markdown body)`` of document ``n``; its unique fact names
    ``示范项目{n}号``."""
    rng = random.Random(seed * 100_003 + n)
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    title = f"{place}{topic}实施方案（第{n}号）"
    lines = [f"# {title}", ""]
    for i, section in enumerate(SECTIONS):
        lines += [f"## {section}", ""]
        for _ in range(rng.randint(2, 4)):
            lines += ["".join(_sentence(rng) for _ in range(rng.randint(1, 3))), ""]
        if i == 2:
            lines += [
                f"示范项目{n}号计划于{2027 + n % 4}年{1 + n % 12}月建成，总投资{10 + n % 90}亿元。",
                "",
            ]
    return f"synthetic-{n:04d}", title, "\n".join(lines).strip()


def synthetic_corpus(count: int, seed: int = 20261126) -> list[tuple[str, str, str]]:
    return [synthetic_document(n, seed) for n in range(1, count + 1)]
