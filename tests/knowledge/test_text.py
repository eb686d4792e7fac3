"""The folded form every comparison of words is made in."""

from __future__ import annotations

from knowledge.text import fold


def test_a_question_in_traditional_characters_folds_to_the_simplified_words() -> None:
    assert fold("京霸鐵路 什麼時候 通車？") == "京霸铁路什么时候通车?"
    # 甚麼 is Taiwan's spelling of 什麼: the question readings know one.
    assert fold("為甚麼不能是購樓款") == "为什么不能是购楼款"
    assert fold(fold("甚麼時候")) == fold("甚麼時候")
    assert fold("需要出示身分證嗎") == "需要出示身份证吗"
