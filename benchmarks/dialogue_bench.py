"""Benchmarks of the dialogue: cold start, turn latency through Rasa's webhook, process memory.

Run with `make bench-dialogue` (after `make setup`). A question turn (NLU, policies, the action
server, the answer engine) is compared with a greeting turn (NLU, policies, a templated
response) in the same run: their ratio shows what retrieval adds. Prints Markdown.
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

from knowledge.evaluation import load_items
from planbot.launcher import Process, Stack, dialogue_stack

REPO = Path(__file__).resolve().parent.parent
GREETINGS = ["你好", "您好", "早上好", "在吗", "hello"]


def say(stack: Stack, sender: str, message: str) -> float:
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
    return elapsed


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
    args = parser.parse_args()
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
    ]
    print("\n".join(rows))


if __name__ == "__main__":
    main()
