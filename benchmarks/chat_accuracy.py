"""The plan question sets through ``/api/chat`` (the whole public service) beside the answer
engine alone: dialogue must not cost answers (issue 13).

Each question is asked in a fresh conversation, as a resident's first message, through the web
app, Rasa and the actions that ``make run`` starts (on free ports); the first Reply is graded by
the evaluation's own rule (``knowledge.evaluation.is_correct``). The engine alone answers the
same items in-process. Run with ``make bench-chat-accuracy``; prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import urllib.request
from pathlib import Path

from knowledge.answering.reply import Reply
from knowledge.evaluation import EvalItem, evaluate, is_correct, load_items
from planbot import launcher

REPO = Path(__file__).resolve().parent.parent
SETS = [
    REPO.parent / "shared" / "eval" / "dev_questions.jsonl",
    REPO / "eval" / "team_questions.jsonl",
    REPO / "eval" / "holdout_questions.jsonl",
]


def first_reply(base: str, session: str, question: str) -> Reply:
    body = json.dumps({"session_id": session, "message": question}).encode()
    request = urllib.request.Request(
        base + "/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        replies = json.loads(response.read())["replies"]
    return Reply.model_validate(replies[0])


def through_chat(base: str, name: str, items: list[EvalItem]) -> tuple[int, list[str]]:
    right, missed = 0, []
    for item in items:
        reply = first_reply(base, f"accuracy-{name}-{item.id}", item.q)
        if is_correct(item, reply):
            right += 1
        else:
            missed.append(f"{item.id} ({item.type}) {item.q} -> {reply.kind}: {reply.text[:50]}")
    return right, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=SETS)
    args = parser.parse_args()
    from knowledge.service import create_engine
    from planbot.settings import load_settings

    engine = create_engine(load_settings().knowledge)
    workdir = Path(tempfile.mkdtemp(prefix="planbot-chat-accuracy-"))
    service = launcher.assistant(
        api_port=launcher.free_port(),
        rasa_port=launcher.free_port(),
        actions_port=launcher.free_port(),
        logs=workdir,
        workdir=workdir,
        settings={"PLANBOT_RATE_LIMIT_PER_MINUTE": "100000"},
    )
    rows = [
        "| set | questions | right through /api/chat | right, engine alone |",
        "| --- | --- | --- | --- |",
    ]
    missed_lines: list[str] = []
    try:
        service.start(300)
        for path in args.files:
            items = load_items(path)
            chat_right, missed = through_chat(service.base_url, path.stem, items)
            report = evaluate(engine, items)
            engine_right = sum(r.correct for r in report.results)
            rows.append(f"| {path.name} | {len(items)} | {chat_right} | {engine_right} |")
            engine_missed = {r.item.id for r in report.failures()}
            missed_lines += [f"- {line}" for line in missed if line.split()[0] not in engine_missed]
    finally:
        service.stop()
    print("\n".join(["## Plan questions through /api/chat", "", *rows, ""]))
    print("Missed through /api/chat but answered right by the engine alone:")
    print("\n".join(missed_lines) or "- none")


if __name__ == "__main__":
    main()
