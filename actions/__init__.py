"""Rasa custom actions: thin adapters over the knowledge core's answer engine.

One module per action or form. Nothing heavy happens at import: the engine and the record store
are created on first use by :mod:`actions.wiring`.
Run with ``python -m rasa_sdk --actions actions``.
"""
