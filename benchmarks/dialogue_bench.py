"""Benchmarks of the dialogue: cold start, turn latency through Rasa's webhook, process memory.

Run with `make bench-dialogue` (after `make setup`). A question turn (NLU, policies, the action
server, the answer engine) is compared with a greeting turn (NLU, policies, a templated
response) in the same run: their ratio shows what retrieval adds. Then the held-out plan
questions are asked through the whole stack (each as a first message in a fresh session) and
graded by the engine evaluation's own rule, beside the engine alone on the same questions: the
dialogue must not cost answers. Prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge.answering.reply import Reply
from knowledge.evaluation import EvalItem, evaluate, is_correct, load_items
from planbot.launcher import Process, Stack, dialogue_stack

REPO = Path(__file__).resolve().parent.parent
GREETINGS = ["你好", "您好", "早上好", "在吗", "hello"]


def converse(stack: Stack, sender: str, message: str) -> tuple[list[dict[str, object]], float]:
    """Rasa's messages for one user turn, and how long the turn took (ms)."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        stack.webhook, data=body, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        messages = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    if not messages:
        raise RuntimeError(f"empty reply to {message!r}")
    return messages, elapsed


def say(stack: Stack, sender: str, message: str) -> float:
    return converse(stack, sender, message)[1]


def first_reply(messages: list[dict[str, object]]) -> Reply:
    """The first Reply of a turn (what the resident reads first); a plain text message (a
    templated response without the custom payload) becomes a chitchat Reply."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and "reply" in custom:
            return Reply.model_validate(custom["reply"])
    return Reply(kind="chitchat", text=str(messages[0].get("text") or ""))


def stack_accuracy(stack: Stack, items: list[EvalItem]) -> tuple[int, list[str]]:
    """Answerable items answered right through Rasa, and a line for each one missed."""
    right, missed = 0, []
    for item in items:
        messages, _ = converse(stack, f"accuracy-{item.id}", item.q)
        reply = first_reply(messages)
        if is_correct(item, reply):
            right += 1
        else:
            missed.append(f"- {item.id} {item.q} -> {reply.kind}: {reply.text[:60]}")
    return right, missed


def engine_accuracy(items: list[EvalItem]) -> tuple[int, list[str]]:
    """The same items asked of the answer engine alone (no dialogue)."""
    from knowledge.service import create_engine
    from planbot.settings import load_settings

    report = evaluate(create_engine(load_settings().knowledge), items)
    missed = [f"- {r.item.id} {r.item.q} -> {r.reply.kind}" for r in report.failures()]
    return report.answer_accuracy()[0], missed


def alternate_turns(
    send: Callable[[str, str], float], questions: list[str], rounds: int
) -> tuple[list[float], list[float]]:
    """Latencies (ms) of a greeting then a question in each of many fresh sessions."""
    greet_ms: list[float] = []
    ask_ms: list[float] = []
    for r in range(rounds):
        for i, q in enumerate(questions):
            session = f"bench-{r}-{i}"
            greet_ms.append(send(session, GREETINGS[i % len(GREETINGS)]))
            ask_ms.append(send(session, q))
    return greet_ms, ask_ms


def rss_mib(process: Process) -> float:
    """Resident memory of the whole process group: Sanic serves from a worker process."""
    assert process.popen is not None
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != process.popen.pid:  # the process group id
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def summary(values: list[float]) -> str:
    return (
        f"{statistics.median(values):.0f} / {float(np.percentile(values, 95)):.0f} ms "
        f"(n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--accuracy-set",
        type=Path,
        default=REPO / "eval" / "holdout_questions.jsonl",
        help="question file asked through the whole stack and of the engine alone",
    )
    args = parser.parse_args()
    graded = [i for i in load_items(args.accuracy_set) if i.type != "no_answer"]
    questions = [
        i.q for i in load_items(REPO / "eval" / "team_questions.jsonl") if i.type != "no_answer"
    ]
    started = time.perf_counter()
    with dialogue_stack() as stack:
        ready = time.perf_counter() - started
        say(stack, "warm-up", "你好")
        first = say(stack, "warm-up", questions[0])  # loads the model in the action server
        greet_ms, ask_ms = alternate_turns(
            lambda session, text: say(stack, session, text), questions, args.rounds
        )
        memory = {p.name: rss_mib(p) for p in (stack.rasa, stack.actions)}
        stack_right, stack_missed = stack_accuracy(stack, graded)
    engine_right, engine_missed = engine_accuracy(graded)
    ratio = statistics.median(ask_ms) / statistics.median(greet_ms)
    rows = [
        "## Dialogue (Rasa webhook, real actions)",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| cold start of Rasa and the action server, both ready | {ready:.1f} s |",
        f"| first question (the action server loads the model) | {first:.0f} ms |",
        f"| greeting turn p50 / p95 | {summary(greet_ms)} |",
        f"| question turn p50 / p95 | {summary(ask_ms)} |",
        f"| question / greeting, p50 | {ratio:.2f} |",
        f"| resident memory: Rasa / action server | {memory['rasa']:.0f} / "
        f"{memory['actions']:.0f} MiB |",
        f"| {args.accuracy_set.name}, answerable: right through Rasa / engine alone | "
        f"{stack_right} / {engine_right} of {len(graded)} |",
        "",
        "Missed through Rasa:",
        *stack_missed,
        "",
        "Missed by the engine alone:",
        *engine_missed,
    ]
    print("\n".join(rows))


if __name__ == "__main__":
    main()
