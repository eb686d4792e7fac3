"""Embedding models at serving time: the Embedder protocol and the ONNX Runtime embedder."""
