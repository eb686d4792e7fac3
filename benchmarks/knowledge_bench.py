"""Benchmarks of the knowledge core: build time, warm latency, memory, retrieval ablation.

Run with `make bench-knowledge` (after `make setup`). Prints Markdown for docs/BENCHMARKS.md.
Timings on a shared 2-core machine are noisy: compare numbers from one run with each other.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import percentile
from knowledge.answering import terms as term_tools
from knowledge.documents import load_directory
from knowledge.evaluation import EvalItem, load_items
from knowledge.service import build_documents, create_embedder, create_engine
from knowledge.settings import KnowledgeSettings
from planbot.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
QUESTION_FILES = [
    REPO.parent / "shared" / "eval" / "dev_questions.jsonl",
    REPO / "eval" / "team_questions.jsonl",
    REPO / "eval" / "holdout_questions.jsonl",
]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_build(settings: KnowledgeSettings) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    try:
        # A throw-away index straight from the files: this measures the builder, not the store.
        cold = settings.model_copy(update={"index_dir": tmp / "index"})
        documents = load_directory(settings.sources_dir).documents
        started = time.perf_counter()
        first = build_documents(cold, documents)
        full = time.perf_counter() - started
        started = time.perf_counter()
        build_documents(cold, documents)
        noop = time.perf_counter() - started
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        f"| full build of {first.passage_count} passages (incl. model load) | {full:.2f} s |",
        f"| rebuild with nothing changed | {noop:.3f} s |",
    ]


def gold_rank(order: list[int], sections: list[str], gold: str) -> int | None:
    for rank, i in enumerate(order, start=1):
        if gold in sections[i]:
            return rank
    return None


def ablation(engine, items: list[EvalItem]) -> dict[str, list[int | None]]:  # type: ignore[no-untyped-def]
    ranks: dict[str, list[int | None]] = {"tfidf": [], "dense": [], "rrf": [], "rrf+coverage": []}
    for item in items:
        if item.type == "no_answer":
            continue
        decision = engine.decide(item.q)
        r = decision.retrieval
        sections = [p.section for p in r.passages]
        ranks["tfidf"].append(gold_rank(list(np.argsort(-r.sparse)), sections, item.section))
        ranks["dense"].append(gold_rank(list(np.argsort(-r.dense)), sections, item.section))
        ranks["rrf"].append(gold_rank(list(np.argsort(-r.fused)), sections, item.section))
        reranked = [c.passage.section for c in decision.ranked]
        ranks["rrf+coverage"].append(
            next((i for i, s in enumerate(reranked, start=1) if item.section in s), None)
        )
    return ranks


def metrics(ranks: list[int | None]) -> str:
    n = len(ranks)
    r1 = sum(1 for r in ranks if r is not None and r <= 1) / n
    r3 = sum(1 for r in ranks if r is not None and r <= 3) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return f"{r1:.3f} | {r3:.3f} | {mrr:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the questions")
    args = parser.parse_args()
    settings = load_settings().knowledge
    out = ["## Knowledge core", "", "| measure | value |", "| --- | --- |"]
    # Memory first, in a process that has loaded nothing else yet.
    before = rss_mib()
    started = time.perf_counter()
    engine = create_engine(settings, create_embedder(settings))
    engine.warm_up()
    term_tools.warm_up()
    load_s = time.perf_counter() - started
    loaded = rss_mib()
    files = [f for f in QUESTION_FILES if f.exists()]
    questions = [item for f in files for item in load_items(f)]
    engine.answer(questions[0].q)
    latencies: list[float] = []
    for _ in range(args.repeat):
        for item in questions:
            t = time.perf_counter()
            engine.answer(item.q)
            latencies.append((time.perf_counter() - t) * 1000)
    after = rss_mib()
    build_rows = bench_build(settings)
    out += [
        f"| engine load and warm-up | {load_s:.2f} s |",
        f"| resident memory: before load / engine loaded / after {len(latencies)} questions "
        f"| {before:.0f} / {loaded:.0f} / {after:.0f} MiB |",
        f"| warm latency per question, p50 / p95 / max ({len(latencies)} answers) "
        f"| {statistics.median(latencies):.1f} / {percentile(latencies, 95):.1f} / "
        f"{max(latencies):.1f} ms |",
        *build_rows,
        "",
        "### Retrieval ablation (rank of the first passage from the gold section)",
        "",
        "| question file | retriever | R@1 | R@3 | MRR |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in files:
        for name, ranks in ablation(engine, load_items(f)).items():
            out.append(f"| {f.name} ({len(ranks)}) | {name} | {metrics(ranks)} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
