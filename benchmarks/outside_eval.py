"""The outside evaluation: DRCD, encyclopedic text nobody on the project wrote or tuned on.

DRCD (Delta Reading Comprehension Dataset; Wikipedia paragraphs compiled by Delta Electronics'
DRCKnowledgeTeam, CC BY-SA 3.0, arXiv 1806.00920) is read from ``../shared/external/drcd/``;
nothing of it is copied into the project.

Protocol (issue 12):
- a seeded half of the articles is indexed (each article one document: its title as the
  heading, its paragraphs in order); ``--split paragraph`` halves the paragraphs instead;
- every question of the indexed half must be *answered*, with a gold answer text inside the
  reply text or a cited quote;
- 800 sampled questions of the other half must be *declined* (anything but ``answer``);
- reported: answered, gold-in-reply, doc hit@1 (first citation from the gold article), false
  answers on the unindexed half, p50/p95 ms per question; and in the same run two retrieval
  baselines, BM25 over jieba words and dense-only, scored by whether their top-1 passage holds
  the gold answer.

``--variant converted`` converts the paragraphs and the questions to Simplified characters
first (OpenCC), so both the Traditional source "as given" and its Simplified form are measured.

Run with ``make bench-outside`` (DRCD dev) or
``python -m benchmarks.outside_eval --set test``. Tune on dev; report test once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.common import machine, percentile
from knowledge.answering.engine import AnswerEngine, Decision
from knowledge.answering.reply import Reply
from knowledge.documents import Document, parse_document
from knowledge.retrieval import Retrieval
from knowledge.service import build_documents, create_embedder, create_engine
from knowledge.settings import KnowledgeSettings
from knowledge.text import fold, to_simplified
from planbot.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
DRCD_DIR = REPO.parent / "shared" / "external" / "drcd"
CACHE = REPO / "var" / "bench" / "drcd"


@dataclass(frozen=True)
class Question:
    qid: str
    question: str
    answers: tuple[str, ...]
    doc_id: str
    indexed: bool


@dataclass
class Corpus:
    documents: list[Document]
    indexed: list[Question]
    unindexed: list[Question]


@dataclass
class Outcome:
    question: Question
    reply: Reply
    decision: Decision
    seconds: float
    gold_in_reply: bool = False
    doc_hit: bool = False


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, indexed: bool) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.indexed == indexed]


def as_markdown(title: str, paragraphs: Sequence[str]) -> str:
    body = "\n\n".join(p.replace("\n", " ").strip() for p in paragraphs)
    safe_title = title.replace('"', "'")
    return f'---\ntitle: "{safe_title}"\n---\n\n# {title}\n\n{body}\n'


def load_corpus(
    path: Path, *, seed: int, split: str, converted: bool, unindexed_sample: int
) -> Corpus:
    """The indexed documents and the two question sets, reproducibly from ``seed``."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    conv = to_simplified if converted else (lambda s: s)
    rng = random.Random(seed)
    documents: list[Document] = []
    indexed: list[Question] = []
    unindexed: list[Question] = []
    for article in data:
        doc_id = f"drcd-{article['id']}"
        paragraphs = article["paragraphs"]
        if split == "article":
            keep = [rng.random() < 0.5] * len(paragraphs)
        else:
            keep = [rng.random() < 0.5 for _ in paragraphs]
        kept_texts = [conv(p["context"]) for p, k in zip(paragraphs, keep, strict=True) if k]
        if kept_texts:
            title = conv(article["title"])
            documents.append(parse_document(as_markdown(title, kept_texts), doc_id))
        for p, k in zip(paragraphs, keep, strict=True):
            for qa in p["qas"]:
                answers = tuple(dict.fromkeys(conv(a["text"]) for a in qa["answers"]))
                q = Question(qa["id"], conv(qa["question"]), answers, doc_id, k)
                (indexed if k else unindexed).append(q)
    sample = random.Random(seed + 1).sample(unindexed, min(unindexed_sample, len(unindexed)))
    return Corpus(documents, indexed, sample)


def _holds_gold(text: str, answers: Sequence[str]) -> bool:
    folded = fold(text)
    return any(fold(a) in folded for a in answers if a.strip())


def score(engine: AnswerEngine, questions: Sequence[Question]) -> Report:
    report = Report()
    for q in questions:
        started = time.perf_counter()
        decision, reply = engine.decide_and_reply(q.question)
        seconds = time.perf_counter() - started
        outcome = Outcome(q, reply, decision, seconds)
        if reply.kind == "answer":
            shown = reply.text + "".join(c.quote for c in reply.citations)
            outcome.gold_in_reply = _holds_gold(shown, q.answers)
            outcome.doc_hit = bool(reply.citations) and reply.citations[0].doc_id == q.doc_id
        report.outcomes.append(outcome)
    return report


def _bm25_top1(corpus_texts: Sequence[str], queries: Sequence[str]) -> list[int]:
    """BM25 (Okapi, k1=1.5, b=0.75) over jieba words, via the bm25s package."""
    import bm25s
    import jieba

    def tokens(text: str) -> list[str]:
        return [w for w in jieba.lcut(fold(text)) if w.strip()]

    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index([tokens(t) for t in corpus_texts], show_progress=False)
    docs, _ = retriever.retrieve(
        [tokens(q) for q in queries], k=1, show_progress=False, n_threads=1
    )
    return [int(row[0]) for row in docs]


def baselines(engine: AnswerEngine, questions: Sequence[Question]) -> dict[str, float]:
    """Top-1 passage of each single retriever holds the gold answer (indexed half)."""
    texts = [p.text for p in engine.index.passages]
    dense_hits = 0
    for q in questions:
        retrieval: Retrieval = engine.retrieve(q.question)
        top = int(np.argmax(retrieval.dense))
        dense_hits += _holds_gold(texts[top], q.answers)
    bm25 = _bm25_top1(texts, [q.question for q in questions])
    bm25_hits = sum(_holds_gold(texts[i], q.answers) for i, q in zip(bm25, questions, strict=True))
    n = len(questions) or 1
    return {"bm25": bm25_hits / n, "dense": dense_hits / n}


def index_for(settings: KnowledgeSettings, corpus: Corpus, key: str) -> KnowledgeSettings:
    digest = hashlib.sha256(
        "".join(d.doc_id + d.content_hash for d in corpus.documents).encode()
    ).hexdigest()[:12]
    index_settings = settings.model_copy(update={"index_dir": CACHE / f"{key}-{digest}"})
    started = time.perf_counter()
    result = build_documents(index_settings, corpus.documents)
    if result.changed:
        print(
            f"built {result.passage_count} passages in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    return index_settings


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def render(name: str, report: Report, base: dict[str, float], passages: int) -> list[str]:
    inside, outside = report.of(True), report.of(False)
    answered = sum(o.reply.kind == "answer" for o in inside)
    gold = sum(o.gold_in_reply for o in inside)
    hit = sum(o.doc_hit for o in inside)
    false = sum(o.reply.kind == "answer" for o in outside)
    ms = [o.seconds * 1000 for o in report.outcomes]
    return [
        f"### DRCD {name}: {len(inside)} indexed-half questions, {len(outside)} unindexed, "
        f"{passages} passages",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| answered (indexed half) | {_pct(answered, len(inside))} |",
        f"| **gold answer in reply** (indexed half) | **{_pct(gold, len(inside))}** |",
        f"| doc hit@1 (indexed half) | {_pct(hit, len(inside))} |",
        f"| **false answers** (unindexed half) | **{_pct(false, len(outside))}** |",
        f"| engine p50 / p95 per question | {percentile(ms, 50):.1f} / "
        f"{percentile(ms, 95):.1f} ms |",
        f"| baseline BM25 (jieba) top-1 holds gold | {100 * base['bm25']:.1f} % |",
        f"| baseline dense top-1 holds gold | {100 * base['dense']:.1f} % |",
        "",
    ]


def _failures(report: Report, path: Path) -> None:
    """Every miss as a JSON line, for reading (never for tuning on the test set)."""
    with path.open("w", encoding="utf-8") as out:
        for o in report.outcomes:
            wrong = (o.question.indexed and not o.gold_in_reply) or (
                not o.question.indexed and o.reply.kind == "answer"
            )
            if not wrong:
                continue
            row = {
                "qid": o.question.qid,
                "indexed": o.question.indexed,
                "q": o.question.question,
                "gold": o.question.answers,
                "kind": o.reply.kind,
                "reason": o.decision.reason,
                "text": o.reply.text[:300],
                "doc": o.question.doc_id,
                "cited": [c.doc_id for c in o.reply.citations],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["dev", "test"], default="dev")
    parser.add_argument("--variant", choices=["given", "converted", "both"], default="both")
    parser.add_argument("--split", choices=["article", "paragraph"], default="article")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--unindexed", type=int, default=800)
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N (quick looks)")
    parser.add_argument("--drcd-dir", type=Path, default=DRCD_DIR)
    parser.add_argument("--failures", type=Path, default=None, help="write misses as JSONL")
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(argv)

    settings = load_settings().knowledge
    embedder = create_embedder(settings)
    variants = ["given", "converted"] if args.variant == "both" else [args.variant]
    lines = [f"Machine: {machine()}; split by {args.split}, seed {args.seed}.", ""]
    for variant in variants:
        corpus = load_corpus(
            args.drcd_dir / f"DRCD_{args.set}.json",
            seed=args.seed,
            split=args.split,
            converted=variant == "converted",
            unindexed_sample=args.unindexed,
        )
        key = f"{args.set}-{args.split}-{args.seed}-{variant}"
        engine = create_engine(index_for(settings, corpus, key), embedder)
        engine.warm_up()
        inside = corpus.indexed[: args.limit] if args.limit else corpus.indexed
        outside = corpus.unindexed[: args.limit] if args.limit else corpus.unindexed
        report = score(engine, list(inside) + list(outside))
        base = {"bm25": float("nan"), "dense": float("nan")}
        if not args.no_baselines:
            base = baselines(engine, inside)
        name = f"{args.set}, {'as given (繁體)' if variant == 'given' else 'converted (简体)'}"
        lines += render(name, report, base, len(engine.index.passages))
        if args.failures:
            _failures(report, args.failures.with_suffix(f".{variant}.jsonl"))
        print("\n".join(lines[-12:]), flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
