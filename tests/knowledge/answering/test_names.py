"""Names of a known kind in a question, and those the sources never use."""

from __future__ import annotations

import pytest

from knowledge.answering.names import names, unknown_names
from knowledge.answering.terms import TermStats


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("瀛海镇瀛悦家园安置房什么时候交房？", "瀛悦家园"),
        ("金华园小区扔垃圾是几点到几点", "金华园小区"),
        ("念坛公园今年冬天有冰雪嘉年华吗", "念坛公园"),
        ("安定镇东白塔村这次也停电吗", "白塔村"),
        ("京霸铁路哪年通车", "京霸铁路"),
    ],
)
def test_a_name_of_a_known_kind_is_read_whole(question: str, name: str) -> None:
    assert any(name in found for found, _ in names(question))


@pytest.mark.parametrize(
    "question",
    ["我家孩子上小学，流感疫苗去哪打", "去航城一小审核能把车开进学校里停吗", "有哪些高速公路项目"],
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
