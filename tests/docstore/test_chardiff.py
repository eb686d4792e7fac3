"""The character-level diff: a one-digit change marks that digit, not the paragraph."""

from __future__ import annotations

import time

from docstore.chardiff import Segment, char_segments, diff_lines, similarity


def _changed(segments: tuple[Segment, ...]) -> list[str]:
    return [s.text for s in segments if s.changed]


def test_one_digit_marks_that_digit() -> None:
    old, new = char_segments("每户补助费为3000元，签约后发放。", "每户补助费为4000元，签约后发放。")
    assert _changed(old) == ["3"] and _changed(new) == ["4"]
    assert "".join(s.text for s in old) == "每户补助费为3000元，签约后发放。"


def test_a_long_chinese_paragraph_is_not_lost_to_autojunk() -> None:
    """difflib's autojunk would call 的、和 junk in a 200+ character line and mark far more."""
    paragraph = "推进黄村地区老旧小区的综合整治和社区服务设施的建设，" * 12
    old, new = char_segments(paragraph + "完成15个小区。", paragraph + "完成18个小区。")
    assert _changed(old) == ["5"] and _changed(new) == ["8"]


def test_a_lone_matching_character_between_changes_joins_them() -> None:
    old, new = char_segments("甲的乙", "丙的丁")
    assert _changed(old) == ["甲的乙"] and _changed(new) == ["丙的丁"]
    old, new = char_segments("第3条第5款", "第4条第6款")
    assert _changed(old) == ["3", "5"] and _changed(new) == ["4", "6"]


def test_lines_are_paired_only_when_similar() -> None:
    hunks = diff_lines(
        ["# 标题", "", "补助为3000元。", "", "旧的一段完全不同的话。"],
        ["# 标题", "", "补助为3500元。", "", "新写的内容与之无关"],
    )
    rows = [(r.op, _changed(r.segments)) for h in hunks for r in h.rows if r.op != "equal"]
    assert ("delete", ["0"]) in rows and ("insert", ["5"]) in rows
    assert ("delete", ["旧的一段完全不同的话。"]) in rows
    assert ("insert", ["新写的内容与之无关"]) in rows


def test_hunks_have_context_and_line_numbers() -> None:
    old = [f"第{n}段。" for n in range(1, 21)]
    new = [*old[:10], "第11段（改）。", *old[11:]]
    (hunk,) = diff_lines(old, new)
    assert hunk.old_start == 8 and hunk.new_start == 8
    assert [r.op for r in hunk.rows] == ["equal"] * 3 + ["delete", "insert"] + ["equal"] * 3
    deleted = hunk.rows[3]
    assert deleted.old_line == 11 and deleted.new_line is None and deleted.text == "第11段。"
    assert diff_lines(old, old) == []


def test_repetitive_long_lines_stay_fast() -> None:
    """Cost is bounded: common ends are cut off first, and a huge middle is marked whole."""
    line = "规划" * 5000
    start = time.perf_counter()
    _, new = char_segments(line, line[:4000] + "改" + line[4001:])
    assert _changed(new) == ["改"]
    old, new = char_segments("甲" + line, line + "乙")
    assert _changed(old) == ["甲" + line] and _changed(new) == [line + "乙"]
    assert similarity(line + "x", "y" + line) > 0.9
    diff_lines([line + "x"] * 30, ["y" + line] * 30)
    assert time.perf_counter() - start < 5
