"""Where a staff alias's phrase should stop matching a question by meaning (the e5 threshold).

An alias links a resident's phrasing to a passage. It must match other wordings of the same
question, and never fire on a different question, above all one about the same document (a
notice's "when" and its "where" are near each other in meaning). Pairs come from the notice set
(eval/notice_questions.jsonl: 248 questions written blind about 14 notices, each with its gold
section and answer strings):

- same: two questions with the same gold section and the same answer strings (two wordings
  of one question, plain and colloquial);
- same document: the same notice, another section (the hard negatives);
- other: questions about other notices, and the plan question sets (team, hold-out, dev).

For each threshold it reports the share of "same" pairs matched and the share of each negative
kind that would fire, plus how many questions containment alone (fold, no punctuation) links.
Run: ``python -m benchmarks.alias_matching`` (needs the model: ``make setup``).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

from knowledge.answering.aliases import DENSE_THRESHOLD, phrase_key, same_question
from knowledge.service import create_embedder
from planbot.settings import load_settings

EVAL = Path(__file__).resolve().parent.parent / "eval"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
THRESHOLDS = (0.88, 0.90, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97)


def _load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def main() -> None:
    notices = [q for q in _load(EVAL / "notice_questions.jsonl") if q.get("doc")]
    plan = [
        q
        for p in (EVAL / "team_questions.jsonl", EVAL / "holdout_questions.jsonl")
        for q in _load(p)
    ]
    if (SHARED / "dev_questions.jsonl").exists():
        plan += _load(SHARED / "dev_questions.jsonl")
    texts = [str(q["q"]) for q in notices] + [str(q["q"]) for q in plan]
    embedder = create_embedder(load_settings().knowledge)
    vectors = np.asarray(embedder.embed_queries(texts), dtype=np.float32)
    sims = vectors @ vectors.T
    n = len(notices)
    kinds: dict[str, list[float]] = {"same": [], "same document": [], "other": []}
    # The cosine of each pair the full rule would let fire (same details, the phrase's words).
    agreeing: dict[str, list[float]] = {k: [] for k in kinds}
    shown: list[str] = []
    contained = {"same": 0, "same document": 0, "other": 0}
    for i, j in itertools.combinations(range(len(texts)), 2):
        if i >= n and j >= n:
            kind = "other"  # two plan questions: different questions (some share a section)
        elif i < n and j < n:
            a, b = notices[i], notices[j]
            if a["doc"] != b["doc"]:
                kind = "other"
            elif a["section"] == b["section"] and (a.get("all"), a.get("any")) == (
                b.get("all"),
                b.get("any"),
            ):
                kind = "same"
            else:
                kind = "same document"
        else:
            kind = "other"
        if kind == "other" and i >= n and j >= n:
            continue  # plan sets hold near-duplicates by design; use them against notices only
        kinds[kind].append(float(sims[i, j]))
        if sims[i, j] >= min(THRESHOLDS) and (
            same_question(texts[i], texts[j]) or same_question(texts[j], texts[i])
        ):
            agreeing[kind].append(float(sims[i, j]))
            if kind != "same" and sims[i, j] >= DENSE_THRESHOLD:
                shown.append(f"  {sims[i, j]:.3f} {kind}: {texts[i]} | {texts[j]}")
        ki, kj = phrase_key(texts[i]), phrase_key(texts[j])
        if ki in kj or kj in ki:
            contained[kind] += 1
    print("pairs: " + ", ".join(f"{k} {len(v)}" for k, v in kinds.items()))
    print("containment links: " + ", ".join(f"{k} {v}" for k, v in contained.items()))
    for k, v in kinds.items():
        arr = np.array(v)
        print(f"{k}: cosine median {np.median(arr):.3f}, max {arr.max():.3f}, min {arr.min():.3f}")
    for title, table in (("cosine alone", kinds), ("cosine + same_question", agreeing)):
        print(f"{title}: threshold, same matched, same-document fires, other fires")
        for t in THRESHOLDS:
            fires = {k: int(np.sum(np.array(table[k]) >= t)) for k in kinds}
            rates = {k: fires[k] / max(len(kinds[k]), 1) for k in kinds}
            print(
                f"  {t:.2f}  {rates['same']:.3f} ({fires['same']})  "
                f"{rates['same document']:.4f} ({fires['same document']})  "
                f"{rates['other']:.5f} ({fires['other']})"
            )
    print(f"pairs not labelled the same question that fire at {DENSE_THRESHOLD}:")
    print("\n".join(shown) or "  none")


if __name__ == "__main__":
    main()
