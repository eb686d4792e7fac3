"""The int8 word-embedding table against the float32 one: vectors, memory, speed, pruning.

``make model`` stores the served graph's word-embedding table as int8 with a scale per 32
columns (:mod:`tools.compact_table`). This measures what that changes, against a float32 graph
of the same model (``python -m tools.onnx_export DIR --float-table`` writes one; pass its
``model.onnx`` as ``--reference``):

* **vectors**: cosine between the two graphs' vectors for every question of every question
  file (``eval/*.jsonl`` and the shared development set, with the query prompt), every passage
  of the plan index (against the vectors stored in ``var/index/current``, i.e. today's) and
  every passage of the notice set;
* **memory**: resident set of a fresh process that loads one graph and embeds the questions,
  as each serving process does (the web app, the action server and Rasa's featurizer each hold
  one), and of the same process before the graph is loaded; and of a whole answer engine
  (model, index, jieba) after answering every question, as the action server holds one;
* **speed**: one question at a time, each question embedded once after a warm-up, in fresh
  processes taking turns (two rounds each), and both graphs in one process taking turns on
  every question (three rounds): the figures of one run compare with each other;
* **vocabulary pruning**: how many table rows remain when only the pieces that normalized
  Chinese and ASCII text can contain are kept, what that would save, whether any question or
  passage uses a pruned piece, and what it does to text in other scripts.

Run: ``python -m benchmarks.embedding_table --reference FLOAT_GRAPH``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

import numpy as np

from benchmarks.common import machine, percentile
from knowledge.settings import PROJECT_ROOT, KnowledgeSettings
from planbot.settings import load_settings

QUESTION_FILES = (
    PROJECT_ROOT / "eval" / "team_questions.jsonl",
    PROJECT_ROOT / "eval" / "holdout_questions.jsonl",
    PROJECT_ROOT / "eval" / "notice_questions.jsonl",
    PROJECT_ROOT.parent / "shared" / "eval" / "dev_questions.jsonl",
)
# Text in scripts other than Chinese and ASCII, as a resident might paste it.
OTHER_SCRIPTS = (
    "こんにちは、バスはいつ来ますか",
    "안녕하세요 지하철역은 어디예요",
    "Привет, где вокзал?",
    "café naïve résumé",
    "👍 好的谢谢 🙏",
    "α β γ ≥ ≤ ℃ № ①②",
)


def questions() -> list[str]:
    texts: list[str] = []
    for path in QUESTION_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["q"]))
    return texts


def notice_passages() -> list[str]:
    from benchmarks.notice_eval import notice_documents
    from knowledge.chunking import chunk_document
    from knowledge.text import to_simplified

    return [to_simplified(p.text) for d in notice_documents() for p in chunk_document(d)]


def index_passages(index_dir: Path) -> tuple[list[str], np.ndarray]:
    """The current build's passages (as embedded: simplified) and its stored vectors."""
    from knowledge.text import to_simplified

    current = index_dir / "current"
    lines = (current / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [to_simplified(str(json.loads(line)["text"])) for line in lines if line.strip()]
    return texts, np.load(current / "embeddings.npy")


def _embedder(model_dir: str, onnx_file: Path, settings: KnowledgeSettings) -> Any:
    from knowledge.embedding.onnx_embedder import OnnxEmbedder

    return OnnxEmbedder(
        model_dir,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        onnx_file=onnx_file,
    )


def cosines(reference: Path, served: Path, settings: KnowledgeSettings) -> dict[str, Any]:
    model = settings.embedding_model
    ref, new = _embedder(model, reference, settings), _embedder(model, served, settings)
    out: dict[str, Any] = {}
    qs = questions()
    out["questions"] = _pair(ref.embed_queries(qs), new.embed_queries(qs))
    notices = notice_passages()
    out["notice passages"] = _pair(ref.embed_passages(notices), new.embed_passages(notices))
    texts, stored = index_passages(settings.index_dir)
    out["plan passages (stored vectors)"] = _pair(stored, new.embed_passages(texts))
    return out


def _pair(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    cos = np.sum(a * b, axis=1)
    return {
        "n": len(a),
        "min_cosine": float(cos.min()),
        "mean_cosine": float(cos.mean()),
        "largest_difference": float(np.max(np.abs(a - b))),
        "identical_vectors": int(np.sum(np.all(a == b, axis=1))),
    }


def _rss_kib() -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def probe(onnx_file: Path) -> dict[str, Any]:
    """Run in a fresh process: memory before and after loading, and per-question latency."""
    settings = load_settings().knowledge
    import onnxruntime  # noqa: F401  # imported before the first reading, as in a service
    import tokenizers  # noqa: F401

    before, _ = _rss_kib()
    embedder = _embedder(settings.embedding_model, onnx_file, settings)
    started = time.perf_counter()
    embedder.warm_up()
    load = time.perf_counter() - started
    qs = questions()
    for q in qs[:20]:
        embedder.embed_queries([q])
    timings = []
    for q in qs:
        t0 = time.perf_counter()
        embedder.embed_queries([q])
        timings.append((time.perf_counter() - t0) * 1000)
    rss, peak = _rss_kib()
    return {
        "rss_before_mib": before / 1024,
        "rss_mib": rss / 1024,
        "peak_mib": peak / 1024,
        "load_s": load,
        "ms": timings,
    }


def probe_engine(model_dir: str) -> dict[str, Any]:
    """Run in a fresh process: the answer engine (model, index, jieba) as the action server and
    the web app hold it, after answering every question once."""
    from knowledge.service import create_engine

    settings = KnowledgeSettings(embedding_model=model_dir)
    before, _ = _rss_kib()
    engine = create_engine(settings)
    engine.warm_up()
    for q in questions():
        engine.answer(q)
    rss, peak = _rss_kib()
    return {"rss_before_mib": before / 1024, "rss_mib": rss / 1024, "peak_mib": peak / 1024}


def _run_probe(onnx_file: Path, mode: str = "--probe") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.embedding_table", mode, str(onnx_file)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def memory_and_speed(reference: Path, served: Path, rounds: int = 2) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"float32": [], "int8": []}
    for _ in range(rounds):
        runs["float32"].append(_run_probe(reference))
        runs["int8"].append(_run_probe(served))
    out: dict[str, Any] = {}
    for name, results in runs.items():
        ms = [t for r in results for t in r["ms"]]
        out[name] = {
            "rss_before_mib": min(r["rss_before_mib"] for r in results),
            "rss_mib": min(r["rss_mib"] for r in results),
            "peak_mib": min(r["peak_mib"] for r in results),
            "load_s": min(r["load_s"] for r in results),
            "p50_ms": percentile(ms, 50),
            "p90_ms": percentile(ms, 90),
            "mean_ms": float(np.mean(ms)),
            "file_mib": (reference if name == "float32" else served).stat().st_size / 2**20,
        }
    for name, graph in (("float32", reference), ("int8", served)):
        engine = _run_probe(graph.parent.parent, "--probe-engine")
        out[name]["engine_rss_mib"] = engine["rss_mib"]
        out[name]["engine_rss_before_mib"] = engine["rss_before_mib"]
    return out


# What Chinese text is typed with besides ideographs and ASCII: Latin-1 signs (· ° × ÷ ±), general
# punctuation (“” — …), letterlike and number forms (℃ № Ⅱ), arrows and operators (→ ≥),
# enclosed numbers (①), shapes (■ ● ★), CJK punctuation, enclosed CJK and units (㎡), and
# full-width forms. Ranges of code points, inclusive.
CHINESE_AND_ASCII: Final = (
    (0x20, 0x7E),
    (0xA0, 0xBF),
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x2000, 0x206F),
    (0x2100, 0x21FF),
    (0x2200, 0x22FF),
    (0x2460, 0x24FF),
    (0x2500, 0x26FF),
    (0x3000, 0x303F),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FA1F),
)


def interleaved_latency(reference: Path, served: Path, rounds: int = 3) -> dict[str, Any]:
    """Both graphs in one process, taking turns on every question (the order alternating), so
    that load from other processes on a shared machine falls on both alike."""
    settings = load_settings().knowledge
    graphs = {
        "float32": _embedder(settings.embedding_model, reference, settings),
        "int8": _embedder(settings.embedding_model, served, settings),
    }
    qs = questions()
    for embedder in graphs.values():
        for q in qs[:20]:
            embedder.embed_queries([q])
    ms: dict[str, list[float]] = {name: [] for name in graphs}
    for turn in range(rounds):
        for i, q in enumerate(qs):
            names = list(graphs) if (i + turn) % 2 == 0 else list(reversed(graphs))
            for name in names:
                t0 = time.perf_counter()
                graphs[name].embed_queries([q])
                ms[name].append((time.perf_counter() - t0) * 1000)
    return {
        name: {"p50_ms": percentile(v, 50), "p90_ms": percentile(v, 90), "n": len(v)}
        for name, v in ms.items()
    }


def producible_chars(tokenizer: Any) -> set[str]:
    """Characters that normalized Chinese and ASCII text can hold: :data:`CHINESE_AND_ASCII`,
    each passed through the model's own normalizer (which folds ℃ to °C and full-width forms
    to ASCII, for instance)."""
    chars: set[str] = {"\u2581"}
    normalizer = tokenizer.normalizer
    for low, high in CHINESE_AND_ASCII:
        for code in range(low, high + 1):
            chars.update(normalizer.normalize_str(chr(code)))
    return chars


def pruned_tokenizer_rss(model_dir: Path, kept: set[int]) -> dict[str, float]:
    """Resident memory of the tokenizer as shipped and with only ``kept`` pieces (a Unigram
    vocabulary in id order; ids are renumbered, so this measures size only)."""
    raw = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    raw["model"]["vocab"] = [p for i, p in enumerate(raw["model"]["vocab"]) if i in kept]
    raw["model"]["unk_id"] = sum(1 for i in kept if i < int(raw["model"]["unk_id"]))
    raw["added_tokens"] = []
    pruned = model_dir.parent / ".pruned-tokenizer.json"
    script = (
        "import sys; from pathlib import Path; from tokenizers import Tokenizer;"
        "s=lambda: int(dict(l.split(':',1) for l in Path('/proc/self/status')"
        ".read_text().splitlines())['VmRSS'].split()[0]);"
        "a=s(); Tokenizer.from_file(sys.argv[1]); print((s()-a)/1024)"
    )
    try:
        pruned.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        out = {}
        for name, path in (("full", model_dir / "tokenizer.json"), ("pruned", pruned)):
            done = subprocess.run(
                [sys.executable, "-c", script, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            out[f"{name}_tokenizer_mib"] = float(done.stdout.strip())
        return out
    finally:
        pruned.unlink(missing_ok=True)


def pruning(model_dir: Path) -> dict[str, Any]:
    from tokenizers import Tokenizer

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    table_rows, width = int(config["vocab_size"]), int(config["hidden_size"])

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    allowed = producible_chars(tokenizer)
    special = {t for t in vocab if t.startswith("<") and t.endswith(">")}
    kept = {i for t, i in vocab.items() if t in special or set(t) <= allowed}
    used: set[int] = set()
    prompt = load_settings().knowledge
    texts = [prompt.query_prompt + q for q in questions()]
    texts += [prompt.passage_prompt + p for p in notice_passages()]
    texts += [
        prompt.passage_prompt + p for p in index_passages(load_settings().knowledge.index_dir)[0]
    ]
    for encoding in tokenizer.encode_batch(texts):
        used.update(encoding.ids)
    other: dict[str, int] = {}
    for text in OTHER_SCRIPTS:
        ids = tokenizer.encode(text).ids
        other[text] = sum(1 for i in ids if i not in kept)
    per_row = width + 4 * (width // 32)  # int8 codes + float32 scales
    return {
        **pruned_tokenizer_rss(model_dir, kept),
        "rows": table_rows,
        "kept_rows": len(kept),
        "int8_table_mib": table_rows * per_row / 2**20,
        "pruned_int8_table_mib": len(kept) * per_row / 2**20,
        "float_table_mib": table_rows * width * 4 / 2**20,
        "tokens_used_by_questions_and_passages": len(used),
        "used_tokens_pruned": len(used - kept),
        "other_script_tokens_lost": other,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.embedding_table")
    parser.add_argument(
        "--reference",
        type=Path,
        help="the model.onnx of a float32-table export, in a model directory of the same name",
    )
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probe-engine", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return 0
    if args.probe_engine:
        print(json.dumps(probe_engine(str(args.probe_engine))))
        return 0
    if args.reference is None:
        parser.error("--reference is required (python -m tools.onnx_export DIR --float-table)")
    settings = load_settings().knowledge
    served = Path(settings.embedding_model) / "onnx" / "model.onnx"
    result = {
        "machine": machine(),
        "vectors": cosines(args.reference, served, settings),
        "memory_and_speed": memory_and_speed(args.reference, served),
        "interleaved_latency": interleaved_latency(args.reference, served),
        "pruning": pruning(Path(settings.embedding_model)),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
