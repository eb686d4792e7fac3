"""The answer engine's speed on a 5,000-passage index: in-process, one thread (issue 12).

The index holds DRCD dev articles (benchmarks/outside_eval.py says where the data comes from)
taken in a seeded order until 5,000 passages are reached; 600 of their questions and 200 of
the other articles' are asked, one at a time, after a warm-up. Reported: p50 and p95 of the
whole decision and reply, and of the question's embedding alone (the one model call), so the
engine's own share is visible. Timings on this shared 2-core machine are noisy: compare the
figures of one run with each other. Run: ``python -m benchmarks.engine_speed``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence

from benchmarks.common import machine, percentile
from benchmarks.outside_eval import CACHE, DRCD_DIR, as_markdown
from knowledge.documents import Document, parse_document
from knowledge.service import build_documents, create_embedder, create_engine
from planbot.settings import load_settings


def corpus(passages: int, seed: int) -> tuple[list[Document], list[str]]:
    """Articles until ``passages`` sentences are indexed, and questions in and out of them."""
    from knowledge.chunking import chunk_document

    data = json.loads((DRCD_DIR / "DRCD_dev.json").read_text(encoding="utf-8"))["data"]
    random.Random(seed).shuffle(data)
    documents: list[Document] = []
    inside: list[str] = []
    outside: list[str] = []
    count = 0
    for article in data:
        questions = [qa["question"] for p in article["paragraphs"] for qa in p["qas"]]
        if count >= passages:
            outside += questions
            continue
        texts = [p["context"] for p in article["paragraphs"]]
        doc = parse_document(as_markdown(article["title"], texts), f"drcd-{article['id']}")
        documents.append(doc)
        count += len(chunk_document(doc))
        inside += questions
    rng = random.Random(seed + 1)
    return documents, rng.sample(inside, 600) + rng.sample(outside, 200)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    settings = load_settings().knowledge
    documents, questions = corpus(args.passages, args.seed)
    settings = settings.model_copy(
        update={"index_dir": CACHE / f"speed-{args.passages}-{args.seed}"}
    )
    embedder = create_embedder(settings)
    build_documents(settings, documents, embedder=embedder)
    engine = create_engine(settings, embedder)
    engine.warm_up()
    for q in questions[:20]:
        engine.answer(q)
    whole: list[float] = []
    embed: list[float] = []
    for q in questions:
        started = time.perf_counter()
        engine.answer(q)
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        embedder.embed_queries([q])
        embed.append((time.perf_counter() - started) * 1000)
    size = len(engine.index.passages)
    print(f"Machine: {machine()}; {size} passages, {len(questions)} questions, one thread.\n")
    print("| measure | p50 | p95 |")
    print("| --- | --- | --- |")
    for name, values in (("question → Reply", whole), ("of which the embedding", embed)):
        print(f"| {name} | {percentile(values, 50):.1f} ms | {percentile(values, 95):.1f} ms |")


if __name__ == "__main__":
    main()
