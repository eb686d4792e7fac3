"""How well the question reader tells which kind of detail is asked, on 7,017 outside questions.

Every DRCD question (dev and test; see benchmarks/outside_eval.py for the data's origin and
licence) has a gold answer span. The span's own form labels the question: a span that is a date
was a date question, one that is an amount of money an amount question, and so on. Against
those labels this reports, for each kind :func:`knowledge.answering.question.asked_details`
reads:

- precision: of the questions read as asking that kind, the share whose gold answer is of it;
- recall: of the questions whose gold answer is of that kind, the share read as asking it.

Precision matters most: a kind read wrongly makes the engine decline an answerable question
whose evidence lacks that kind. Recall shows how many wrong answers the check can stop.
Run: ``python -m benchmarks.question_kinds``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from knowledge.answering.question import Detail, asked_details
from knowledge.text import fold

DRCD_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "external" / "drcd"

# Labels of gold answer spans: deliberately narrow (the span must *be* of the kind, not merely
# contain a digit), and independent of the engine's own evidence patterns.
_GOLD: dict[Detail, re.Pattern[str]] = {
    Detail.DATE: re.compile(
        r"^(?:公元前?)?[\d〇零一二三四五六七八九十]{1,4}年(?:代)?|\d{1,2}月|\d{1,2}日$|世纪|年代$|朝$"
    ),
    Detail.TIME: re.compile(r"\d{1,2}[:：]\d{2}|[上下]午|[早晚]上|凌晨"),
    Detail.DURATION: re.compile(
        r"^[\d一二两三四五六七八九十百千半多余约近]+(?:个)?(?:年|月|天|日|周|星期|小时|分钟|秒|世纪)(?:多|左右|半)?$"
    ),
    Detail.AMOUNT: re.compile(r"元|美元|英镑|欧元|日圆|日元|港元|台币|万|亿|%|百分之"),
    Detail.QUANTITY: re.compile(r"^[约近超过逾多余第]*[\d一二两三四五六七八九十百千万亿.,]+"),
}


def _gold_kinds(answer: str) -> set[Detail]:
    text = fold(answer)
    return {kind for kind, pattern in _GOLD.items() if pattern.search(text)}


def main() -> None:
    predicted: Counter[Detail] = Counter()
    right: Counter[Detail] = Counter()
    gold_total: Counter[Detail] = Counter()
    gold_read: Counter[Detail] = Counter()
    questions = 0
    none_read = 0
    for name in ("dev", "test"):
        data = json.loads((DRCD_DIR / f"DRCD_{name}.json").read_text(encoding="utf-8"))["data"]
        for article in data:
            for paragraph in article["paragraphs"]:
                for qa in paragraph["qas"]:
                    questions += 1
                    asked = asked_details(qa["question"])
                    gold = _gold_kinds(qa["answers"][0]["text"])
                    # Numbers answer quantity questions whatever their unit.
                    if gold & {Detail.AMOUNT, Detail.DURATION, Detail.DATE}:
                        gold.add(Detail.QUANTITY)
                    none_read += not asked
                    for kind in asked:
                        predicted[kind] += 1
                        right[kind] += kind in gold
                    for kind in gold:
                        gold_total[kind] += 1
                        gold_read[kind] += kind in asked
    print(f"{questions} DRCD questions (dev + test); {none_read} read as asking no checkable kind")
    print()
    print("| kind | read as asked | precision | gold of the kind | recall |")
    print("| --- | --- | --- | --- | --- |")
    for kind in Detail:
        n, g = predicted[kind], gold_total[kind]
        if kind not in _GOLD:
            print(f"| {kind} | {n} | (no gold label) | | |")
            continue
        p = f"{right[kind] / n:.2f}" if n else "n/a"
        r = f"{gold_read[kind] / g:.2f}" if g else "n/a"
        print(f"| {kind} | {n} | {p} | {g} | {r} |")


if __name__ == "__main__":
    main()
