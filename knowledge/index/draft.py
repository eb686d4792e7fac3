"""An in-memory index: the served one with some documents replaced, for "what if I publish?".

The staff test console answers a question as if a draft were published. The documents it
replaces are chunked and embedded exactly as a build would (``chunk_document``, the passages
embedded in Simplified characters), the rest reuse the served build's passages and vectors;
nothing is written to disk and the live index is never touched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from knowledge.chunking import chunk_document
from knowledge.documents import Document
from knowledge.embedding.embedder import Embedder
from knowledge.index.dense import DenseIndex
from knowledge.index.sparse import CharNgramIndex
from knowledge.index.store import DocumentEntry, LoadedIndex
from knowledge.text import to_simplified


def with_documents(
    index: LoadedIndex, documents: Sequence[Document], embedder: Embedder
) -> LoadedIndex:
    """``index`` with each of ``documents`` added, or put in place of its served version."""
    replaced = {d.doc_id for d in documents}
    keep = [i for i, p in enumerate(index.passages) if p.doc_id not in replaced]
    passages = [index.passages[i] for i in keep]
    blocks = [index.embeddings[keep]] if keep else []
    entries = [e for e in index.manifest.documents if e.doc_id not in replaced]
    for doc in documents:
        fresh = chunk_document(doc)
        if not fresh:
            continue
        entries.append(
            DocumentEntry(doc.doc_id, doc.title, doc.content_hash, len(passages), len(fresh))
        )
        passages.extend(fresh)
        blocks.append(embedder.embed_passages([to_simplified(p.text) for p in fresh]))
    dim = index.manifest.dim
    vectors = (
        np.vstack([b for b in blocks if len(b)]).astype(np.float32)
        if any(len(b) for b in blocks)
        else np.zeros((0, dim), dtype=np.float32)
    )
    manifest = dataclasses.replace(
        index.manifest,
        build_id=f"{index.manifest.build_id}+draft",
        passage_count=len(passages),
        documents=tuple(entries),
    )
    return LoadedIndex(
        manifest=manifest,
        passages=tuple(passages),
        embeddings=vectors,
        dense=DenseIndex(vectors),
        sparse=CharNgramIndex().fit([p.text for p in passages]),
        path=index.path,
    )
