"""Benchmarks of the public service as `make run` starts it: cold start to /readyz, /api/chat
latency for question and greeting turns in the same run, memory of each process, page weight.

Run with `make bench-web` (after `make setup`). Prints Markdown for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.dialogue_bench import alternate_turns, rss_mib, summary
from knowledge.evaluation import load_items
from planbot import launcher

REPO = Path(__file__).resolve().parent.parent
# Asked once after start-up, as a resident's first question would be; not a measured question.
WARM_UP_QUESTION = "大兴区的规划里有哪些重点任务？"


def chat(base: str, session: str, message: str) -> float:
    body = json.dumps({"session_id": session, "message": message}).encode()
    request = urllib.request.Request(
        base + "/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())["replies"]
    elapsed = (time.perf_counter() - started) * 1000
    if not replies or replies[0]["kind"] == "error":
        raise RuntimeError(f"bad reply to {message!r}: {replies}")
    return elapsed


def page_weight(base: str) -> tuple[int, int]:
    """Bytes of the page and its assets, uncompressed; and the number of requests."""
    total = 0
    names = ["/", "/chat.css", "/chat.js"]
    for name in names:
        with urllib.request.urlopen(base + name, timeout=10) as response:
            total += len(response.read())
    return total, len(names) + 1  # + /api/info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [
        i.q for i in load_items(REPO / "eval" / "team_questions.jsonl") if i.type != "no_answer"
    ]
    workdir = Path(tempfile.mkdtemp(prefix="planbot-web-bench-"))
    service = launcher.assistant(
        api_port=launcher.free_port(),
        rasa_port=launcher.free_port(),
        actions_port=launcher.free_port(),
        logs=workdir,
        workdir=workdir,
        settings={"PLANBOT_RATE_LIMIT_PER_MINUTE": "100000"},
    )
    base = service.base_url
    started = time.perf_counter()
    try:
        service.start(240)  # as `make run` does, warm-up included
        ready = time.perf_counter() - started
        # The warm-up question is none of the measured ones, so the first round is all new.
        first = chat(base, "warm-up", WARM_UP_QUESTION)
        greet_ms, ask_ms = alternate_turns(
            lambda session, text: chat(base, session, text), questions, args.rounds
        )
        memory = {p.name: rss_mib(p) for p in service.processes}
        weight, requests = page_weight(base)
    finally:
        service.stop()
    ratio = statistics.median(ask_ms) / statistics.median(greet_ms)
    # The first round asks each question for the first time; later rounds repeat them, and a
    # repeated question's decision is remembered (AnswerEngine's memo), so the first round is
    # what a resident's new question costs.
    n = len(questions)
    fresh = statistics.median(ask_ms[:n]) / statistics.median(greet_ms[:n])
    # The separate action server is one more process; in-app, the web app serves the actions.
    where = "the web app (in-app executor)" if service.actions_webhook else "an action server"
    print(
        "\n".join(
            [
                "## Public service (/api/chat through Rasa and the actions)",
                "",
                "| measure | value |",
                "| --- | --- |",
                f"| cold start to ready (/readyz 200, actions warm) | {ready:.1f} s |",
                f"| first question after ready | {first:.0f} ms |",
                f"| greeting turn p50 / p95 | {summary(greet_ms)} |",
                f"| question turn p50 / p95 | {summary(ask_ms)} |",
                f"| question / greeting, p50 | {ratio:.2f} |",
                f"| first round (each question new): question p50 / greeting p50 | "
                f"{statistics.median(ask_ms[:n]):.0f} / {statistics.median(greet_ms[:n]):.0f} ms"
                f" = {fresh:.2f} |",
                f"| actions served by | {where} |",
                f"| resident memory: {' / '.join(memory)} | "
                + " / ".join(f"{mib:.0f}" for mib in memory.values())
                + f" MiB, total {sum(memory.values()):.0f} MiB |",
                f"| page weight (HTML+CSS+JS, uncompressed), requests | {weight / 1024:.1f} KiB, "
                f"{requests} |",
            ]
        )
    )


if __name__ == "__main__":
    main()
