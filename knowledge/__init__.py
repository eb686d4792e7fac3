"""The knowledge core: sources, passages, embeddings, the hybrid index and the answer engine.

This package must stay free of dialogue (Rasa), web (FastAPI) and action code: those layers
import it, never the other way round.
"""
