"""Fit the answerability gate of knowledge/answering/policy.py, and say how it was fitted.

The gate asks of the best sentence found for a question: is it near enough (dense cosine), does
it, with its paragraph and headings, name enough of what the question speaks of
(specificity-weighted coverage), and do the best candidates crowd in its document (the sources
hold a document about this) rather than scatter? A logistic regression on those three features
is fitted on:

- DRCD dev (outside encyclopedic text; benchmarks/outside_eval.py's split): its indexed-half
  questions are answerable, its unindexed-half sample is not;
- the team's plan questions (eval/team_questions.jsonl) on the plan index ``make setup`` builds;
- the training notice set (eval/train/: 12 notices beside the plan, 257 questions written
  blind), so that the notices staff publish, not only encyclopedic text, shape the boundary.

Its decision boundary is written as the linear support of the policy
(dense + a·coverage + b·concentration ≥ t), with t set so that ``--false-rate`` of DRCD
dev's unanswerable questions pass. The notice set (eval/notices), the plan hold-out set and
DRCD test are never used here: they check what this fits.

Run: ``python -m benchmarks.fit_answerability`` (about two minutes); paste the printed numbers
into policy.py with the date.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.notice_eval import PLAN_SETS, TRAIN_NOTICES, TRAIN_QUESTIONS, knowledge_base
from benchmarks.outside_eval import DRCD_DIR, index_for, load_corpus
from knowledge.answering.engine import AnswerEngine
from knowledge.evaluation import load_items
from knowledge.service import create_embedder, create_engine
from planbot.settings import load_settings


@dataclass(frozen=True)
class Row:
    source: str
    answerable: bool
    features: tuple[float, float, float]


def features(engine: AnswerEngine, question: str) -> tuple[float, float, float] | None:
    decision, _ = engine.decide_and_reply(question)
    if not decision.ranked:
        return None
    best = decision.ranked[0]
    depth = engine.policy.concentration_depth
    top = decision.ranked[:depth]
    concentration = sum(c.passage.doc_id == best.passage.doc_id for c in top) / len(top)
    return (best.hit.dense, best.coverage, concentration)


def rows_for(engine: AnswerEngine, source: str, questions: Sequence[tuple[str, bool]]) -> list[Row]:
    out = []
    for question, answerable in questions:
        f = features(engine, question)
        if f is not None:
            out.append(Row(source, answerable, f))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--false-rate", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--team-weight",
        type=float,
        default=1.0,
        help="weight of each plan question against one DRCD question in the fit",
    )
    parser.add_argument(
        "--train-weight",
        type=float,
        default=1.0,
        help="weight of each training-notice question (0 leaves the set out)",
    )
    args = parser.parse_args(argv)
    settings = load_settings().knowledge
    embedder = create_embedder(settings)
    corpus = load_corpus(
        DRCD_DIR / "DRCD_dev.json",
        seed=args.seed,
        split="article",
        converted=False,
        unindexed_sample=800,
    )
    drcd = create_engine(index_for(settings, corpus, f"dev-article-{args.seed}-given"), embedder)
    drcd.warm_up()
    rows = rows_for(drcd, "drcd", [(q.question, True) for q in corpus.indexed])
    rows += rows_for(drcd, "drcd", [(q.question, False) for q in corpus.unindexed])
    plan = create_engine(settings, embedder)
    plan.warm_up()
    team = next(p for p in PLAN_SETS if p.stem == "team_questions")
    rows += rows_for(plan, "team", [(i.q, i.type != "no_answer") for i in load_items(team)])
    if args.train_weight > 0:
        notices = create_engine(knowledge_base(settings, TRAIN_NOTICES), embedder)
        questions = [(i.q, i.type != "no_answer") for i in load_items(TRAIN_QUESTIONS)]
        rows += rows_for(notices, "train", questions)

    x = np.array([r.features for r in rows])
    y = np.array([r.answerable for r in rows])
    source_weight = {"team": args.team_weight, "train": args.train_weight}
    weights = np.array([source_weight.get(r.source, 1.0) for r in rows])
    model = LogisticRegression(C=100.0, max_iter=5000, class_weight="balanced")
    model.fit(x, y, sample_weight=weights)
    w_dense, w_cov, w_conc = model.coef_[0]
    margin = x @ model.coef_[0] + model.intercept_[0]
    outside = np.array([r.source == "drcd" and not r.answerable for r in rows])
    cut = float(np.quantile(margin[outside], 1 - args.false_rate))
    support_needed = (cut - model.intercept_[0]) / w_dense
    print(f"{len(rows)} questions ({int(y.sum())} answerable)")
    print(f"coverage_bonus = {w_cov / w_dense:.3f}")
    print(f"concentration_bonus = {w_conc / w_dense:.3f}")
    print(f"support_needed = {support_needed:.3f}")
    passed = margin >= cut
    for source in ("drcd", "team", "train"):
        for answerable in (True, False):
            mask = np.array([r.source == source and r.answerable == answerable for r in rows])
            if mask.any():
                kind = "answerable" if answerable else "unanswerable"
                print(f"{source} {kind}: {passed[mask].mean():.3f} pass ({mask.sum()})")


if __name__ == "__main__":
    main()
