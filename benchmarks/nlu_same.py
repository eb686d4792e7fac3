"""Whether two trained Rasa models read messages the same way: every NLU example and every
question of the team's question files parsed by both, intents and confidences compared.

Why: a change to the NLU featurizer's code (rasa_runtime/sentence_featurizer.py) forces a
retrain; when the change is not meant to alter the features (it only changes when the model is
loaded, or where a vector comes from), the retrained model must classify exactly as before.

Runs in the Rasa environment (Python 3.10), e.g. an old model against a new one:
``.venv-rasa/bin/python -m benchmarks.nlu_same OLD.tar.gz var/rasa/models/planbot.tar.gz``
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
QUESTION_FILES = ("eval/team_questions.jsonl", "eval/notice_questions.jsonl")


def messages() -> list[str]:
    """The NLU examples (bot/data/nlu) and the questions, without button payloads."""
    texts: list[str] = []
    for path in sorted((REPO / "bot" / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text("utf-8")).get("nlu", []):
            examples = str(block.get("examples") or "")
            texts += [line[2:].strip() for line in examples.splitlines() if line.startswith("- ")]
    for name in QUESTION_FILES:
        lines = (REPO / name).read_text("utf-8").splitlines()
        texts += [str(json.loads(line)["q"]) for line in lines if line.strip()]
    return [t for t in texts if t and not t.startswith("/")]


async def parse_all(model: Path, texts: list[str]) -> list[tuple[str, float]]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise each parse is printed

    agent = Agent.load(str(model))
    parsed: list[tuple[str, float]] = []
    for text in texts:
        result: dict[str, Any] = await agent.parse_message(text)
        parsed.append((str(result["intent"]["name"]), float(result["intent"]["confidence"])))
    return parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    texts = messages()
    before = asyncio.run(parse_all(args.before, texts))
    after = asyncio.run(parse_all(args.after, texts))
    intents = sum(a[0] == b[0] for a, b in zip(before, after, strict=True))
    largest = max(abs(a[1] - b[1]) for a, b in zip(before, after, strict=True))
    print(
        f"{len(texts)} messages: same intent {intents}, largest confidence difference {largest:g}"
    )


if __name__ == "__main__":
    main()
