"""Fragments after a previous question, on the plan and on everyday notices: the engine's own
follow-up reading (the previous question as context, its question type carried over) against
the dialogue's combined question (knowledge.answering.followup, as actions/answering.py asks it).

``eval/follow_up_questions.jsonl`` holds (previous, fragment) pairs written for several
documents, each graded like any question item (the gold document and section, key phrases).
The notices are indexed beside the plan as ``benchmarks/notice_eval.py`` does. Prints Markdown.
Run with ``.venv/bin/python -m benchmarks.follow_up_eval``.
"""

from __future__ import annotations

import json
from pathlib import Path

from actions.answering import answer_in_context
from benchmarks.notice_eval import knowledge_base
from knowledge.answering.engine import ConversationContext
from knowledge.evaluation import EvalItem, is_correct
from knowledge.service import create_engine
from planbot.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
ITEMS = REPO / "eval" / "follow_up_questions.jsonl"


def load(path: Path) -> list[tuple[str, EvalItem]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            item = EvalItem(
                id=raw["id"],
                type=raw["type"],
                q=raw["q"],
                section=raw.get("section", ""),
                any=tuple(raw.get("any", ())),
                doc=Path(raw.get("doc", "")).stem,
            )
            pairs.append((str(raw["previous"]), item))
    return pairs


def main() -> None:
    engine = create_engine(knowledge_base(load_settings().knowledge))
    engine.warm_up()
    rows = ["| id | previous | fragment | engine context | combined (asked) |", "| --- " * 5 + "|"]
    old_right = new_right = 0
    pairs = load(ITEMS)
    for previous, item in pairs:
        old = engine.answer(item.q, ConversationContext(last_question=previous))
        asked, _, new = answer_in_context(engine, item.q, previous)
        old_ok, new_ok = is_correct(item, old), is_correct(item, new)
        old_right += old_ok
        new_right += new_ok
        rows.append(
            f"| {item.id} | {previous} | {item.q} | {'✓' if old_ok else old.kind} | "
            f"{'✓' if new_ok else new.kind} ({asked}) |"
        )
    rows.append(f"\nright: engine context {old_right} / combined {new_right} of {len(pairs)}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
