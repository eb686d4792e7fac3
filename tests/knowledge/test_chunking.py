from __future__ import annotations

from knowledge.chunking import chunk_document, split_sentences


def test_sentences_keep_their_punctuation_and_text():
    para = "第一句话在这里说完了。第二句话也在这里说完；第三句话也在这里结束了！"
    parts = split_sentences(para)
    assert parts == ["第一句话在这里说完了。", "第二句话也在这里说完；", "第三句话也在这里结束了！"]
    assert "".join(parts) == para


def test_short_lead_in_is_merged_with_the_next_sentence():
    para = "严格控制增量。根据新增产业的禁止和限制目录，严把新增产业准入关。"
    assert split_sentences(para) == [para]


def test_closing_quote_stays_with_its_sentence():
    para = "我们一起来构建“空中的京津冀”。”之后还有一句很长的话在这里。"
    assert split_sentences(para)[0].endswith("。”")


def test_text_without_final_punctuation_is_kept():
    assert split_sentences("没有句号的一段文字也要保留下来") == ["没有句号的一段文字也要保留下来"]


def test_passages_carry_section_and_stable_anchor(documents):
    passages = chunk_document(documents[0])
    road = [p for p in passages if p.section_anchor == "road"]
    assert [p.text for p in road] == [
        "建设京台高速、机场北线高速，拓宽改造京开高速。",
        "严格控制增量。提级改建104国道。",
    ]
    assert road[0].section == "第一章 交通 > 二、公路"
    assert road[0].paragraph_text.startswith("建设京台高速")
    again = chunk_document(documents[0])
    assert [p.anchor for p in passages] == [p.anchor for p in again]
    assert len({p.anchor for p in passages}) == len(passages)


def test_chunks_reassemble_every_paragraph(documents):
    for doc in documents:
        passages = chunk_document(doc)
        for para in doc.paragraphs:
            parts = [p.text for p in passages if p.paragraph_index == para.index]
            assert "".join(parts) == para.text


def test_quotes_and_brackets_are_never_cut() -> None:
    para = "会议强调：“要加快推进各项工作。同时不能急于求成。”随后部署了下一阶段的重点任务。"
    parts = split_sentences(para)
    assert parts[0] == "会议强调：“要加快推进各项工作。同时不能急于求成。”"
    para = "建设若干重点项目（包括京霸铁路；廊涿城际铁路）并同步完善配套设施。"
    assert split_sentences(para) == [para]


def test_a_repeated_sentence_gets_an_anchor_by_occurrence() -> None:
    from knowledge.documents import parse_document

    same = "这一句话在文件里出现了两次。"
    doc = parse_document(f"---\ntitle: T\n---\n# 一\n{same}\n\n别的段落也在这里。\n\n{same}\n", "d")
    anchors = [p.anchor for p in chunk_document(doc)]
    assert anchors[2] == anchors[0] + "-2"
    longer = parse_document(
        f"---\ntitle: T\n---\n# 一\n新增的段落放在最前面。\n\n{same}\n\n别的段落。\n\n{same}\n", "d"
    )
    assert [p.anchor for p in chunk_document(longer)][-1] == anchors[2]
